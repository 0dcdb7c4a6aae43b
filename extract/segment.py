"""Stage 3 — segment: split normalised text into documents, and a document into its outline.

Two input shapes are recognised:
- a compilation (our corpus): region headings (`二、华北`, `（一）北京`) and numbered document
  headers `N. <title>（2023年5月12日）` that may wrap over several lines;
- a single document as published on a government website (title, 发文字号, addressees,
  body, signature, date in any order, possibly on one line), or a fragment of one: then the
  whole file is one document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.extract.models import NormalText, Segment

DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
# e.g. "1.北京市交通委员会关于印发《…清单》的通知（2023年5月12日）"
HEADER = re.compile(
    rf"^(?P<n>\d{{1,3}})[\.．、](?!\d)(?P<title>[^。]{{4,240}}?)（(?P<date>{DATE})(?:印发|发布|公布|起施行|施行)?）$"
)
HEADER_START = re.compile(r"^\d{1,3}[\.．、](?!\d)")
REGION = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)(?P<name>[\u4e00-\u9fff]{1,8})$")
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零八 → 108 (enough for outline labels)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def _header_at(text: NormalText, lines: list[tuple[int, int, int]], i: int) -> tuple[re.Match, int] | None:
    """If a document header starts at kept line i, return its match and the index of its last line."""
    if not HEADER_START.match(text.text[lines[i][1]:lines[i][2]]):
        return None
    joined = ""
    for j in range(i, min(i + 6, len(lines))):
        joined += text.text[lines[j][1]:lines[j][2]]
        m = HEADER.match(joined)
        if m:
            return m, j
        if "。" in joined or (j + 1 < len(lines) and HEADER_START.match(text.text[lines[j + 1][1]:lines[j + 1][2]])):
            return None
    return None


def segment(text: NormalText) -> list[Segment]:
    """Split the text into documents. A file without numbered headers is one document."""
    lines = text.lines()
    headers: list[tuple[int, int, re.Match]] = []  # (first line idx, last line idx, match)
    regions: dict[int, str] = {}  # line idx -> region name
    i = 0
    while i < len(lines):
        found = _header_at(text, lines, i)
        if found:
            m, last = found
            headers.append((i, last, m))
            i = last + 1
            continue
        i += 1
    header_lines = {h[0] for h in headers}
    # A region heading is directly followed by a document header or by another region heading
    # that is ("二、华北" then "（一）北京"); scanning backwards settles both in one pass.
    for idx in range(len(lines) - 2, -1, -1):
        m = REGION.match(text.text[lines[idx][1]:lines[idx][2]])
        if m and (idx + 1 in header_lines or idx + 1 in regions):
            regions[idx] = m.group("name")
    if not headers:
        return [_single_document(text)]

    segments: list[Segment] = []
    region: str | None = None
    boundaries = sorted([h[0] for h in headers] + list(regions))
    for n, (first, last, m) in enumerate(headers):
        for r_idx in sorted(regions):
            if r_idx < first:
                region = regions[r_idx]
        nxt = [b for b in boundaries if b > first]
        end_line = lines[nxt[0]][0] - 1 if nxt else len_lines(text)
        start_off = lines[first][1]
        end_off = lines[nxt[0]][1] if nxt else len(text.text)
        doc_text = text.slice(start_off, end_off)
        header_end = lines[last][2] - start_off
        segments.append(
            Segment(
                index=n,
                region=region,
                header_line=lines[first][0],
                line_end=end_line,
                header=m.group(0),
                text=doc_text,
                header_end=header_end,
            )
        )
    return segments


def len_lines(text: NormalText) -> int:
    return text.line_numbers[-1] if text.line_numbers else 1


def _single_document(text: NormalText) -> Segment:
    lines = text.lines()
    first_line = lines[0][0] if lines else 1
    header_end = lines[0][2] if lines else 0
    first = text.text[:header_end]
    if LABELS.match(first) or ("。" in first[:-1] and not re.search(r"(?:标\s*题|发文字号)：", first)):
        header_end = 0  # a fragment that starts in the body: no title line
    return Segment(
        index=0,
        region=None,
        header_line=first_line,
        line_end=len_lines(text),
        header=text.text[:header_end],
        text=text,
        header_end=header_end,
    )


# ---------------------------------------------------------------- outline

# Label kinds, most specific alternatives first. Each is followed by a real example.
LABELS = re.compile(
    r"""
    (?P<art>第(?P<art_n>[一二三四五六七八九十百零]{1,5})条)           # 第一条
  | (?P<h1>(?P<h1_n>[一二三四五六七八九十]{1,3})、)                  # 一、
  | (?P<h2>（(?P<h2_n>[一二三四五六七八九十]{1,3})）)                # （一）
  | (?P<h4>（(?P<h4_n>\d{1,3})）)                                    # （1） （217）
  | (?P<h3>(?P<h3_n>\d{1,3})(?:[\.．]{1,2}|、)(?![\d\.．]))            # 1.  1、  4..
  | (?P<h5>(?P<h5_n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))                    # ①
  | (?P<h3b>(?P<h3b_n>\d{1,3})(?=[\u4e00-\u9fff]))                      # 30不断… (the PDF lost the dot)
    """,
    re.VERBOSE,
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A label starts an item at a line start or right after a sentence or an attribution ends.
_BEFORE_LABEL = set("。；！？：）")
# Bracketed labels are distinctive enough to start an item after a comma too ("等问题，（1）全面梳理").
_BEFORE_BRACKETED_LABEL = _BEFORE_LABEL | {"，"}


@dataclass
class OutlineItem:
    label: str
    kind: str
    number: int
    depth: int
    start: int  # offset of the label
    text_start: int  # offset right after the label
    own_end: int  # where the next label (of any depth) starts
    tree_end: int  # where the next label of the same or a shallower depth starts
    parent: int | None  # index of the parent item


def outline(text: NormalText, start: int = 0, end: int | None = None) -> list[OutlineItem]:
    """Numbered items of a document between offsets start and end, as a tree (parent indices)."""
    end = len(text.text) if end is None else end
    s = text.text
    found: list[tuple[int, int, str, int]] = []
    last_number: dict[str, int] = {}
    for m in LABELS.finditer(s, start, end):
        pos = m.start()
        kind = next(k for k in ("art", "h1", "h2", "h4", "h3", "h5", "h3b") if m.group(k))
        if kind == "h3b":
            # A bare number is a label only at a line start, right after its predecessor.
            if not text.is_line_start(pos) or int(m.group("h3b_n")) != last_number.get("h3", -5) + 1:
                continue
            kind = "h3"
            raw_number = m.group("h3b_n")
        else:
            raw_number = None
        allowed = _BEFORE_BRACKETED_LABEL if kind in ("h2", "h4", "h5") else _BEFORE_LABEL
        if pos > start and not text.is_line_start(pos) and s[pos - 1] not in allowed:
            continue
        raw = raw_number or m.group(f"{kind}_n")
        number = _CIRCLED.index(raw) + 1 if kind == "h5" else chinese_number(raw)
        previous = last_number.get(kind, 0)
        if number != 1 and not (previous < number <= previous + 2):
            continue  # a number out of sequence is text, not a label ("3.5万", a wrapped "2.")
        if pos + len(m.group(0)) >= end:
            continue
        last_number[kind] = number
        found.append((pos, m.end(), kind, number))

    items: list[OutlineItem] = []
    stack: list[tuple[str, int]] = []  # (kind, item index)
    for pos, after, kind, number in found:
        kinds = [k for k, _ in stack]
        if kind in kinds:
            while stack[-1][0] != kind:
                stack.pop()
            stack.pop()
        parent = stack[-1][1] if stack else None
        items.append(OutlineItem(s[pos:after], kind, number, len(stack), pos, after, end, end, parent))
        stack.append((kind, len(items) - 1))
    for n, item in enumerate(items):
        if n + 1 < len(items):
            item.own_end = items[n + 1].start
        for later in items[n + 1:]:
            if later.depth <= item.depth:
                item.tree_end = later.start
                break
    return items
