"""Unit lists as printed in attributions and table cells: `市发改委、住建局等行业主管部门`,
and who leads among them: `市市场监管局牵头，市政务服务局配合`, `牵头单位：…；责任单位：…`.

The rule: a list with no 牵头 unit makes every listed unit a lead. The one exception is a
document that states its own convention (`列第一位者为牵头单位`, see
`data/lead_conventions.json`): then the first unit leads and the others are responsible.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

# A deadline or frequency written inside the attribution: "2023年10月底前完成", "长期", "持续推进"
DEADLINE = re.compile(r"(?:\d{4}年|\d{1,2}月|底前|前完成|年内|长期|持续推进|持续开展|常态化|每年|每季度|每月|按季度)")
# What may follow 等 as a collective of its own: 相关单位, 行业主管部门, …领导小组有关成员单位
_COLLECTIVE_AFTER_DENG = re.compile(r"^[\u4e00-\u9fff]{0,40}(?:单位|部门|机构|企业|区|县|旗县市区)$")


_OPENING = "（(“《〈"
_CLOSING = "）)”》〉"


@lru_cache(maxsize=None)
def _brackets_and(separators: str) -> re.Pattern:
    return re.compile("[" + re.escape(_OPENING + _CLOSING + separators) + "]")


def top_level_split(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside brackets: 各县（市、区）政府 stays whole."""
    parts, depth, part_start = [], 0, 0
    for m in _brackets_and(separators).finditer(text):  # only the characters that matter
        ch = m.group()
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        if ch in separators and depth == 0:
            parts.append(text[part_start:m.start()])
            part_start = m.end()
    parts.append(text[part_start:])
    return [p.strip() for p in parts if p.strip()]


def _join_level_lists(parts: list[str]) -> list[str]:
    """`各县、市、区政府` is one unit (the governments of every county, city and district): a
    bare level word (市, 县, 区 …) cannot stand alone, so it joins its neighbours."""
    out: list[str] = []
    k = 0
    while k < len(parts):
        if out and re.fullmatch(r"[市县区旗镇乡]", parts[k]) and re.match(r"各", out[-1]):
            out[-1] += "、" + parts[k]
            if k + 1 < len(parts) and re.fullmatch(r"[市县区旗镇乡]\S{0,12}", parts[k + 1]):
                out[-1] += "、" + parts[k + 1]
                k += 1
        else:
            out.append(parts[k])
        k += 1
    return out


def split_units(text: str) -> list[str]:
    """`市发改委、住建局等行业主管部门` → [市发改委, 住建局, 行业主管部门]."""
    units: list[str] = []
    text = re.sub(r"(?:以及|和|及)(?=各)", "、", text)  # "…相关部门和各市人民政府"
    # "州委编办及州直相关单位": 及 between two units, the second opening with its place
    text = re.sub(r"(?<=[委局办厅院部室])(?:以及|及)(?=[省市州区县旗盟乡镇])", "、", text)
    for part in _join_level_lists(top_level_split(text, "、，,；;/")):
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


# ---------------------------------------------------------------- roles

_ROLE_WORDS = ("牵头", "负责", "责任单位", "责任部门", "配合", "参与", "协办", "主责")
# Labels that open a line of units of their own (责任单位：市发展改革委、市商务局), see measures.find_role_lines
ROLE_LINE_LABELS = "牵头单位|牵头部门|主责单位|主责部门|责任单位|责任部门|配合单位|配合部门|协办单位|部门分工|责任分工|任务分工"
_LABELLED = re.compile(rf"(?P<role>{ROLE_LINE_LABELS}|参与单位|实施单位|完成时限|完成时间|时间节点|时限要求)[：:]")
_LEAD_ROLES = {"牵头单位", "牵头部门", "主责单位", "主责部门"}
_ROLE_VERB = re.compile(r"牵头|配合|协助|参与")  # a labelled value that says who does what in words
_DROPPED_ROLES = {"完成时限", "完成时间", "时间节点", "时限要求"}
# Trailing verbs of a clause: "…按职责分工负责", "…牵头负责", "…配合"
_CLAUSE_TAIL = re.compile(
    r"(?:分别|共同)?(?P<lead>牵头负责|牵头落实|牵头推进|牵头抓总|牵头)?"
    r"(?:(?:按照?|依)?职责(?:分工)?|按照?职责|分别|共同|依职责)?"
    r"(?P<verb>负责落实|负责推进|负责|落实|配合完成|配合|协助|参与|推进|实施|组织实施|完成有关工作|完成相关工作|抓好落实)?$"
)
# How the name of a body ends (市发展改革委, 市税务局 …); places (街道, 区 …) end in PLACE_SUFFIX
UNIT_SUFFIX = re.compile(r"(?:委|局|办|中心|政府|公司|集团|管委会|总队|支队|院|部|厅|行|会|室|处|所|站|单位|部门|机构)$")
PLACE_SUFFIX = re.compile(r"(?:街道|乡镇|镇|区|县|市)$")
_NOTE_CLAUSE = re.compile(r"不再(?:单独|一一)?列出|^下同$|^同上$|以下同")
# "各项政策措施均需各市政府、…落实": the words before the units
_SUBJECT_BEFORE_UNITS = re.compile(r"^[^，；]{0,20}?(?:均需|均由|均请|均要|需由)")
# A unit marked in place: 市发展改革委（牵头）
_LEAD_MARK = re.compile(r"（牵头）$")


def looks_like_unit(unit: str) -> bool:
    # People (主要负责人, 安全管理人员) are not units, whatever their brackets say.
    return 1 < len(unit) <= 40 and not re.search(r"[。：《》“”]|\d{3,}|(?:人|人员|者)$", unit)


def parse_roles(content: str) -> tuple[list[str], list[str], bool] | None:
    """(lead units, responsible units, whether a lead was named as such) of an attribution's
    text, or None when it is no attribution. With no lead named, every unit leads."""
    if "。" in content:
        first, _, note = content.partition("。")
        if not _NOTE_CLAUSE.search(note):
            return None
        content = first  # 责任单位：…。以下政策措施均需各县区人民政府落实，不再单独列出: a note on what follows
    if not any(w in content for w in _ROLE_WORDS) or len(content) > 400:
        return None
    if states_first_leads(content):
        # the convention itself ("列第一位者为牵头单位") is no attribution; in brackets after a
        # unit list (责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）) it is dropped
        content = re.sub(r"（[^（）]*）", lambda m: "" if states_first_leads(m.group(0)) else m.group(0), content)
        if states_first_leads(content):
            return None
    labelled = list(_LABELLED.finditer(content))
    if labelled:
        lead: list[str] = []
        responsible: list[str] = []
        for n, m in enumerate(labelled):
            if m.group("role") in _DROPPED_ROLES:
                continue
            end = labelled[n + 1].start() if n + 1 < len(labelled) else len(content)
            value = content[m.end():end].strip("；;，, ")
            worded = parse_roles(value) if _ROLE_VERB.search(value) else None
            if worded:  # 部门分工：省发展改革委牵头，各地、各部门配合
                lead.extend(worded[0])
                responsible.extend(worded[1])
                continue
            units = [u for u in split_units(value)
                     if not (DEADLINE.search(u) and not UNIT_SUFFIX.search(u))]  # "6月底完成"
            (lead if m.group("role") in _LEAD_ROLES else responsible).extend(units)
        explicit = bool(lead)
        marked = [u for u in responsible if _LEAD_MARK.search(u)]
        if not lead and marked:
            lead = [_LEAD_MARK.sub("", u) for u in marked]
            responsible = [u for u in responsible if u not in marked]
            explicit = True
        if not lead and responsible:
            lead, responsible = responsible, []
        if not lead or not all(looks_like_unit(u) for u in lead + responsible):
            return None
        return lead, responsible, explicit
    lead, responsible = [], []
    explicit = False
    clauses = top_level_split(content, "，；;,")
    seen_lead_clause = False
    for clause in clauses:
        if DEADLINE.search(clause) and not re.search("牵头|负责|配合", clause):
            continue
        if _NOTE_CLAUSE.search(clause):
            continue  # "以下不再列出", "下同": a note on the list, no unit
        clause = _SUBJECT_BEFORE_UNITS.sub("", clause)
        tail = _CLAUSE_TAIL.search(clause)
        units_text = clause[: tail.start()] if tail and tail.group(0) else clause
        units = split_units(units_text)
        if not units:
            continue
        first_of_several = clause is clauses[0] and len(clauses) > 1
        if (tail and tail.group("lead")) or (first_of_several and tail and tail.group("verb") == "负责"):
            # "X负责，Y按职责完成有关工作": a leading 负责 clause is the lead, like 牵头
            lead.extend(units)
            seen_lead_clause = True
            explicit = True
        elif seen_lead_clause:
            responsible.extend(units)
        elif tail and tail.group("verb") and tail.group("verb") in ("配合", "协助", "参与"):
            responsible.extend(units)
        else:
            lead.extend(units)
    if not lead and not responsible:
        return None
    if not lead:
        lead, responsible = responsible, []
    if not all(looks_like_unit(u) for u in lead + responsible):
        return None
    return lead, responsible, explicit


def cell_roles(cell: str) -> tuple[list[str], list[str], bool]:
    """Units of one table cell: a plain list, or a list with its own roles
    (`市发展改革委（牵头）、市商务局`, `牵头单位：…；配合单位：…`)."""
    if any(w in cell for w in _ROLE_WORDS):
        parsed = parse_roles(cell)
        if parsed:
            return parsed
    units = split_units(cell)
    marked = [u for u in units if _LEAD_MARK.search(u)]
    if marked:
        return [_LEAD_MARK.sub("", u) for u in marked], [u for u in units if u not in marked], True
    return units, [], False


def first_leads(lead: list[str], responsible: list[str], explicit: bool) -> tuple[list[str], list[str]]:
    """Apply a document's own convention: with no lead named, the first unit listed leads."""
    if explicit or len(lead) < 2:
        return lead, responsible
    return lead[:1], lead[1:] + responsible


@lru_cache(maxsize=None)
def _conventions() -> re.Pattern:
    data = json.loads((Path(__file__).parent / "data" / "lead_conventions.json").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["patterns"]))


def states_first_leads(text: str) -> bool:
    """Does the text state that the first unit of a list is the lead (列第一位者为牵头单位)?"""
    return bool(_conventions().search(text))
