"""Unit lists as printed in attributions and table cells: `市发改委、住建局等行业主管部门`."""
from __future__ import annotations

import re

# A deadline or frequency written inside the attribution: "2023年10月底前完成", "长期", "持续推进"
DEADLINE = re.compile(r"(?:\d{4}年|\d{1,2}月|底前|前完成|年内|长期|持续推进|持续开展|常态化|每年|每季度|每月|按季度)")
# What may follow 等 as a collective of its own: 相关单位, 行业主管部门, …领导小组有关成员单位
_COLLECTIVE_AFTER_DENG = re.compile(r"^[\u4e00-\u9fff]{0,40}(?:单位|部门|机构|企业|区|县|旗县市区)$")


def top_level_split(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside brackets: 各县（市、区）政府 stays whole."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "（(“《〈":
            depth += 1
        elif ch in "）)”》〉":
            depth = max(depth - 1, 0)
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def split_units(text: str) -> list[str]:
    """`市发改委、住建局等行业主管部门` → [市发改委, 住建局, 行业主管部门]."""
    units: list[str] = []
    text = re.sub(r"(?:以及|和|及)(?=各)", "、", text)  # "…相关部门和各市人民政府"
    for part in top_level_split(text, "、，,；;/"):
        part = re.sub(r"^(?:由|请|和|及|以及)", "", part)
        if "等" in part:
            before, _, after = part.rpartition("等")
            if before and (not after or _COLLECTIVE_AFTER_DENG.match(after)):
                units.append(before)
                if after:
                    units.append(after)
                continue
        if part:
            units.append(part)
    return [u for u in units if u and not re.fullmatch(r"[—\-–]+|无|/", u)]
