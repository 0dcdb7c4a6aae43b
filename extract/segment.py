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
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from policygraph.extract.models import NormalText, Segment

DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
# e.g. "1.北京市交通委员会关于印发《…清单》的通知（2023年5月12日）"
HEADER = re.compile(
    rf"^(?P<n>\d{{1,3}})[\.．、](?!\d)(?P<title>[^。]{{4,240}}?)（(?P<date>{DATE})(?:印发|发布|公布|起施行|施行)?）$"
)
HEADER_START = re.compile(r"^\d{1,3}[\.．、](?!\d)")
REGION = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)(?P<name>[\u4e00-\u9fff]{1,8})$")
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零八 → 108, 一千零二 → 1002 (outline labels)."""
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
        elif ch == "千":
            total += (current or 1) * 1000
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


# A policy document, however short a fragment, is written in Chinese: a file of Latin words,
# punctuation or stray symbols holds no document and must never replace a saved graph.
MIN_HAN_CHARACTERS = 8
_HAN = re.compile(r"[\u4e00-\u9fff]")


def holds_policy_text(text: str) -> bool:
    count = 0
    for _ in _HAN.finditer(text):
        count += 1
        if count >= MIN_HAN_CHARACTERS:
            return True
    return False


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
        return [_single_document(text)] if holds_policy_text(text.text) else []

    segments: list[Segment] = []
    region: str | None = None
    boundaries = sorted([h[0] for h in headers] + list(regions))
    region_lines = sorted(regions)
    r = 0
    for n, (first, last, m) in enumerate(headers):
        # headers and regions are both in line order: advance, never rescan (linear)
        while r < len(region_lines) and region_lines[r] < first:
            region = regions[region_lines[r]]
            r += 1
        k = bisect_right(boundaries, first)
        nxt = boundaries[k] if k < len(boundaries) else None
        end_line = lines[nxt][0] - 1 if nxt is not None else len_lines(text)
        start_off = lines[first][1]
        end_off = lines[nxt][1] if nxt is not None else len(text.text)
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
    (?P<art>第(?P<art_n>[一二三四五六七八九十百千零〇]{1,8})条)       # 第一条 第一千零二条
  | (?P<h1>(?P<h1_n>[一二三四五六七八九十]{1,3})、)                  # 一、
  | (?P<h2>（(?P<h2_n>[一二三四五六七八九十]{1,3})）)                # （一）
  | (?P<h4>（(?P<h4_n>\d{1,4})）)                                    # （1） （217） （1002）
  | (?P<h3>(?P<h3_n>\d{1,4})(?:[\.．]{1,2}|、)(?![\d\.．]))            # 1.  1、  4..  1002.
  | (?P<h5>(?P<h5_n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))                    # ①
  | (?P<h3b>(?P<h3b_n>\d{1,4})(?=[\u4e00-\u9fff]))                      # 30不断… (the PDF lost the dot)
  | (?P<h3d>(?P<h3d_n>\d{1,4})[\.．](?=\d))                            # 11.121人才梯队项目 (a name with digits)
    """,
    re.VERBOSE,
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# The characters a label can begin with (第, 一…十, （, a digit, ①…⑳): keep in step with LABELS.
_LABEL_FIRST = re.compile(rf"[第一二三四五六七八九十（\d{_CIRCLED}]")


def _labels_in(s: str, start: int, end: int):
    """The matches of `LABELS.finditer(s, start, end)`, found several times faster.

    LABELS is an alternation of named groups, which the regex engine cannot skip ahead
    for: it tries all eight alternatives at every character. Trying it only where a label
    can begin finds the same matches (like finditer, none before the previous one ended)."""
    resume = start
    for first in _LABEL_FIRST.finditer(s, start, end):
        if first.start() < resume:
            continue
        m = LABELS.match(s, first.start(), end)
        if m:
            resume = m.end()
            yield m
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


class Label(NamedTuple):
    """A label that starts an outline item: where it is and ends, its kind and its number."""

    start: int
    after: int
    kind: str
    number: int


def outline_labels(text: NormalText, start: int = 0, end: int | None = None) -> Iterator[Label]:
    """The labels of the outline items between offsets start and end, in text order, one at a
    time: a caller that needs only the first few (where the preamble ends) stops early."""
    end = len(text.text) if end is None else end
    s = text.text
    last_number: dict[str, int] = {}
    for m in _labels_in(s, start, end):
        pos = m.start()
        kind = m.lastgroup  # the alternative that matched: its group closes after its number's
        if kind in ("h3b", "h3d"):
            # A bare number, or one whose dot a digit follows ("3.5万"), is a label only at a
            # line start, right after its predecessor.
            if not text.is_line_start(pos) or int(m.group(f"{kind}_n")) != last_number.get("h3", -5) + 1:
                continue
            raw_number = m.group(f"{kind}_n")
            kind = "h3"
        else:
            raw_number = None
        allowed = _BEFORE_BRACKETED_LABEL if kind in ("h2", "h4", "h5") else _BEFORE_LABEL
        if pos > start and s[pos - 1] not in allowed and not text.is_line_start(pos):
            continue
        raw = raw_number or m.group(f"{kind}_n")
        number = _CIRCLED.index(raw) + 1 if kind == "h5" else chinese_number(raw)
        previous = last_number.get(kind, 0)
        if number != 1 and not (previous < number <= previous + 2):
            continue  # a number out of sequence is text, not a label ("3.5万", a wrapped "2.")
        if pos + len(m.group(0)) >= end:
            continue
        last_number[kind] = number
        yield Label(pos, m.end(), kind, number)


def outline(text: NormalText, start: int = 0, end: int | None = None) -> list[OutlineItem]:
    """Numbered items of a document between offsets start and end, as a tree (parent indices)."""
    end = len(text.text) if end is None else end
    s = text.text
    items: list[OutlineItem] = []
    stack: list[tuple[str, int]] = []  # (kind, item index); at most one entry per label kind
    for pos, after, kind, number in outline_labels(text, start, end):
        if any(k == kind for k, _ in stack):
            while stack[-1][0] != kind:
                _close(items, stack.pop()[1], pos)
            _close(items, stack.pop()[1], pos)
        parent = stack[-1][1] if stack else None
        if items:
            items[-1].own_end = pos
        items.append(OutlineItem(s[pos:after], kind, number, len(stack), pos, after, end, end, parent))
        stack.append((kind, len(items) - 1))
    return items


def _close(items: list[OutlineItem], n: int, at: int) -> None:
    """An item's subtree ends where the next item of its own or a shallower depth starts.
    Each item is closed once, when it leaves the stack: the outline is built in linear time."""
    items[n].tree_end = at


# ---------------------------------------------------------------- paragraphs

_SENTENCE_END = "。！？；"


def width(line: str) -> float:
    """Printed width in full-width characters (a Latin letter or digit is half)."""
    ascii_count = len(line.encode("ascii", "ignore"))  # counted in C, not character by character
    return len(line) - 0.5 * ascii_count


def wrap_width(lines: list[str]) -> float | None:
    """The column width a PDF tool wrapped the lines at, or None when the text keeps one
    paragraph per line (web pages, Word files, plain-text copies).

    In text kept one paragraph per line most lines end a sentence (the rest are headings and
    unit lines), and paragraphs run far past a printed line (a page holds 28–45 characters
    a line, 60 in landscape); wrapped text breaks its lines mid-sentence. The wrap width is
    the width that the longer lines reach (a few run over it by a half-width digit or two)."""
    if not lines:
        return None
    ended = sum(1 for line in lines if line[-1:] in _SENTENCE_END + "：）")
    widths = sorted(width(line) for line in lines)
    wrap = float(round(widths[int(len(widths) * 0.9)]))
    if ended >= 0.5 * len(lines) or wrap > 60:
        return None
    return wrap


@dataclass
class Paragraphs:
    """Where paragraphs begin in a stretch of normalised text (lines were joined without
    separators, so the line structure decides): `starts` are offsets, in order."""

    starts: list[int]
    wrapped: float | None  # the wrap width, None for paragraph-per-line text
    line_starts: list[int]
    line_ends: list[int]
    widths: list[float]

    def line_at(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def is_short_line(self, k: int) -> bool:
        """Line k ends before the wrap width: the author ended it (a title, a paragraph end)."""
        return self.wrapped is None or self.widths[k] < self.wrapped - 1.5

    def between(self, start: int, end: int) -> list[int]:
        """Paragraph starts strictly inside (start, end)."""
        return self.starts[bisect_right(self.starts, start):bisect_left(self.starts, end)]


def paragraphs(text: NormalText, start: int = 0, end: int | None = None) -> Paragraphs:
    """A new paragraph starts after a line that ends a sentence and ends before the wrap
    width, or after any line when the text keeps one paragraph per line."""
    end = len(text.text) if end is None else end
    s = text.text
    first = max(bisect_right(text.line_starts, start) - 1, 0)
    last = bisect_left(text.line_starts, end)
    starts_ = text.line_starts[first:last]
    ends = text.line_starts[first + 1:last] + [min(end, text.line_starts[last] if last < len(text.line_starts) else len(s))]
    widths = [width(s[a:b]) for a, b in zip(starts_, ends)]
    numbers = text.line_numbers[first:last]
    wrapped = wrap_width([s[a:b] for a, b, n in zip(starts_, ends, numbers) if n not in text.cells])
    found = []
    for k in range(1, len(starts_)):
        prev_end = ends[k - 1]
        if wrapped is None or (s[prev_end - 1:prev_end] in _SENTENCE_END and widths[k - 1] < wrapped - 1.5):
            found.append(starts_[k])
    return Paragraphs(found, wrapped, starts_, ends, widths)
