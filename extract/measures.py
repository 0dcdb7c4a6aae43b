"""Stage 4b — measures and who is responsible for them (tables: see tables.py, unit lists and
roles: see units.py).

A measure is a task a document assigns. Chinese plans attribute tasks in a handful of
conventional formats, each closing the task it follows:

  （市市场监管局牵头，市政务服务局、各区政府配合）
  （市城市管理委负责）
  （牵头单位：市法院；责任单位：各旗县市区、开发区）
  〔责任单位：市市场监管局、市商务局〕  【牵头单位：…】
  （省市场监管局、省审批服务管理局按职责分工负责）     ← no 牵头: every unit listed leads
  责任单位：市发展改革委、市商务局                       ← a line of its own after the task

and inside running text (`…，由市发展改革委牵头，市商务局配合。`), and in tables. Numbered
items and paragraphs without an attribution are measures too, with no units.

What is not a measure: outline headings (`二、主要任务`, `（一）准备阶段（2023年3月至5月）`,
a title line with paragraphs under it) and the preamble sections (`一、总体要求` with its
指导思想 / 基本原则 / 工作目标). The paragraphs under a heading are measures of their own, and
each measure records the heading it sits under.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policygraph.extract import articles
from policygraph.extract.models import Measure, NormalText, Segment
from policygraph.extract.segment import LABELS, OutlineItem, Paragraphs, outline, paragraphs
from policygraph.extract.tables import Table, find_tables
from policygraph.extract.units import (  # noqa: F401  (split_units is part of this module's API)
    PLACE_SUFFIX,
    ROLE_LINE_LABELS,
    UNIT_SUFFIX,
    first_leads,
    looks_like_unit,
    parse_roles,
    split_units,
    states_first_leads,
)

_BRACKETS = {"（": "）", "〔": "〕", "【": "】"}


@dataclass
class Attribution:
    start: int
    end: int
    lead_units: list[str]
    responsible_units: list[str]
    explicit: bool = True  # a lead was named as such (牵头, 牵头单位：)


def parse_attribution(content: str) -> tuple[list[str], list[str]] | None:
    """Lead and responsible units of the text inside an attribution's brackets, or None."""
    parsed = parse_roles(content)
    return (parsed[0], parsed[1]) if parsed else None


def find_attributions(text: str, start: int = 0, end: int | None = None) -> list[Attribution]:
    """Bracketed attributions: （…）, 〔…〕 and 【…】 holding units and their roles."""
    end = len(text) if end is None else end
    found: list[Attribution] = []
    opener = re.compile("[（〔【]")
    m = opener.search(text, start, end)
    while m:
        i = m.start()
        j = _matching_close(text, i, min(end, i + 420))
        if j is not None:
            parsed = parse_roles(text[i + 1:j])
            if parsed:
                found.append(Attribution(i, j + 1, *parsed))
                m = opener.search(text, j + 1, end)
                continue
        m = opener.search(text, i + 1, end)
    return found


# Each opening bracket with its closing one, to step from bracket to bracket, not char by char.
_BRACKET_PAIR = {open_: re.compile(f"[{open_}{close}]") for open_, close in _BRACKETS.items()}


def _matching_close(text: str, i: int, limit: int) -> int | None:
    """Where the bracket opened at i closes (nested pairs of the same kind skipped), if before limit."""
    open_ = text[i]
    depth = 0
    for bracket in _BRACKET_PAIR[open_].finditer(text, i, limit):
        depth += 1 if bracket.group() == open_ else -1
        if depth == 0:
            return bracket.start()
    return None


_ROLE_LINE = re.compile(f"(?:{ROLE_LINE_LABELS})[：:]")


def find_role_lines(text: NormalText, start: int = 0, paras: Paragraphs | None = None) -> list[Attribution]:
    """Attributions written as lines of their own, without brackets, after the task:
    `责任单位：市发展改革委、市商务局`, or `牵头单位：…` then `配合单位：…` on the next line.
    One ends at its paragraph's end, a full stop or the next numbered item."""
    s = text.text
    paras = paras or paragraphs(text, start)
    found: list[Attribution] = []
    for m in _ROLE_LINE.finditer(s, start):
        pos = m.start()
        if pos > 0 and not text.is_line_start(pos) and s[pos - 1] not in "。；":
            continue
        if pos > 0 and s[pos - 1] in _BRACKETS or (found and pos < found[-1].end):
            continue
        end = _role_line_end(text, paras, pos)
        # the next line may carry the other role ("配合单位：…"): one attribution
        while end < len(s) and _ROLE_LINE.match(s, end):
            end = _role_line_end(text, paras, end)
        parsed = parse_roles(s[pos:end].rstrip("；;，,。"))
        if parsed:
            found.append(Attribution(pos, end, *parsed))
    return found


def _role_line_end(text: NormalText, paras: Paragraphs, pos: int) -> int:
    s = text.text
    limit = min(len(s), pos + 240)
    k = bisect_left(paras.starts, pos + 1)
    if k < len(paras.starts):
        limit = min(limit, paras.starts[k])
    end = pos
    while end < limit:
        if s[end] == "。":
            return end + 1
        if end > pos + 4 and text.is_line_start(end) and (
                LABELS.match(s, end) or _ROLE_LINE.match(s, end)
                or paras.is_short_line(paras.line_at(end - 1))):  # the role line ended short of the wrap width
            return end
        end += 1
    return end


# 由X牵头，Y配合 / 由X负责 inside running text. 负责 must end its clause: "由X负责制发…" is a
# sentence about X, not an attribution.
_INLINE = re.compile(
    r"(?:由(?P<lead>[^，。；：由（）]{2,80}?)(?:牵头负责|牵头|负责)"
    r"|(?:^|(?<=[，。；]))(?P<lead2>[^，。；：由（）]{2,80}?)(?:牵头负责|牵头))"  # "…，市发展改革委牵头，…"
    r"(?:，(?:会同)?(?P<resp>[^，。；：由（）]{2,120}?)(?:等部门|等单位)?(?:配合|参与|协助|按职责分工负责|共同推进|共同负责))?"
    r"(?=[，。；]|$)"
)


def find_inline(text: str) -> Attribution | None:
    """The first `由X牵头，Y配合` / `由X负责。` of a measure's text whose units look like units
    (offsets are those of the match in the text)."""
    for m in _INLINE.finditer(text):
        lead = split_units(m.group("lead") or m.group("lead2"))
        responsible = split_units(m.group("resp") or "")
        units = lead + responsible
        if units and all(looks_like_unit(u) and (UNIT_SUFFIX.search(u) or PLACE_SUFFIX.search(u)) for u in units):
            return Attribution(m.start(), m.end(), lead, responsible, explicit="牵头" in m.group(0) or bool(responsible))
    return None


# ---------------------------------------------------------------- outline headings

@lru_cache(maxsize=None)
def _preamble_title() -> re.Pattern:
    data = json.loads((Path(__file__).parent / "data" / "outline_headings.json").read_text(encoding="utf-8"))
    word = "|".join(data["preamble"])
    return re.compile(rf"^(?:{word})(?:(?:和|与|及|、)(?:{word}))*[。：]?$")


def _title(text: NormalText, paras: Paragraphs, item: OutlineItem) -> str | None:
    """The item's title when its first line is one: the label starts a line that ends, short of
    the wrap width, without running on into a sentence (`（一）准备阶段（2023年3月至5月）`)."""
    if not text.is_line_start(item.start):
        return None
    k = paras.line_at(item.start)
    line_end = min(paras.line_ends[k], item.own_end)
    title = text.text[item.text_start:line_end].strip()
    if not title or len(title) > 60 or re.search(r"[。！？；]", title[:-1]) or title[-1] in "，、：“《（—-":
        return None  # a sentence, or a line that runs on
    if line_end == paras.line_ends[k] and not paras.is_short_line(k):
        return None  # a full line that wraps on: the first line of a paragraph
    if re.match(r"[，。、；：）》”]|（[\u4e00-\u9fff]{1,4}）", text.text[line_end:line_end + 6]) \
            and line_end != item.own_end:  # (the next item's label is no continuation)
        return None  # the next line goes on with the same phrase: 嘎查村 / （社区）便民服务站
    return title


def _run_in_title(s: str, item: OutlineItem) -> str:
    """The words before the first full stop of a run-in item (`（一）指导思想。以…`)."""
    m = re.match(r"[^。：；]{1,20}[。：]", s[item.text_start:min(item.own_end, item.text_start + 24)])
    return m.group(0) if m else ""


@dataclass
class _Outline:
    items: list[OutlineItem]
    titles: list[str | None]  # the title of a heading item, None for an item that is a measure
    preamble: list[bool]  # inside a preamble section (总体要求 …): no measures
    heading_above: list[str | None]  # the nearest heading that contains the item, as printed
    skip: list[bool]  # inside a table
    starts: list[int]

    def innermost(self, pos: int) -> int | None:
        """The deepest item whose subtree holds pos (bisect, then at most one step per depth)."""
        n = bisect_right(self.starts, pos) - 1
        while n >= 0 and (pos >= self.items[n].tree_end or self.skip[n]):
            n = self.items[n].parent if self.items[n].parent is not None else -1
        return n if n >= 0 else None

    def path(self, n: int | None) -> str | None:
        """The numbering of item n and of every item above it, outermost first: `二、（一）1.`.
        Headings are not measures, so this is the only place their numbering survives."""
        labels = []
        while n is not None:
            labels.append(self.items[n].label)
            n = self.items[n].parent
        return "".join(reversed(labels)) or None


def _merge_subtitles(s: str, bounds: list[int]) -> list[int]:
    """Drop the paragraph breaks after a paragraph that is only a short titling sentence
    (`知识产权创造量质齐升。` then its text): it is read with the paragraph after it."""
    kept = [bounds[0]]
    for k in range(1, len(bounds) - 1):
        if not _SUBTITLE.fullmatch(s[kept[-1]:bounds[k]].strip()):
            kept.append(bounds[k])
    return kept + [bounds[-1]]


_SUBTITLE = re.compile(r"[^，。；！？：]{2,24}[。：]")


def _is_heading(s: str, item: OutlineItem, title: str) -> bool:
    """A title line heads what follows it: paragraphs or numbered items. A title that ends a
    sentence (`3.加快推进连锁零售行业证照办理便利化改革。` then its paragraph) is the first
    sentence of its measure instead, unless only numbered items follow (`（一）开办企业领域。`)."""
    body = bool(s[item.text_start + len(title):item.own_end].strip())
    children = item.tree_end > item.own_end
    if title[-1] in "。；！？":
        return children and not body
    return body or children


def _structure(text: NormalText, paras: Paragraphs, items: list[OutlineItem], skip: list[bool]) -> _Outline:
    s = text.text
    preamble_title = _preamble_title()
    titles: list[str | None] = []
    preamble: list[bool] = []
    heading_above: list[str | None] = []
    for n, item in enumerate(items):
        title = _title(text, paras, item)
        titles.append(title if title is not None and _is_heading(s, item, title) else None)
        parent = item.parent
        own_preamble = bool(preamble_title.match(title or _run_in_title(s, item)))
        preamble.append(own_preamble or (parent is not None and preamble[parent]))
        if parent is None:
            heading_above.append(None)
        elif titles[parent] is not None:
            heading_above.append(items[parent].label + titles[parent])
        else:
            heading_above.append(heading_above[parent])
    return _Outline(items, titles, preamble, heading_above, skip, [it.start for it in items])


def _covering_item(ol: _Outline, n: int, attribution_starts: list[int], this: Attribution) -> int:
    """Climb from a sub-item to its parent when the attribution plainly covers the whole parent:
    this is the parent's only attribution and an earlier sibling has none of its own
    (`12.…（1）…（2）…（北京海关负责）`)."""
    items = ol.items
    item = items[n]
    while item.parent is not None and item.depth >= 2:
        parent = items[item.parent]
        inside = bisect_left(attribution_starts, parent.tree_end) - bisect_left(attribution_starts, parent.start)
        earlier_sibling = n - 1 > item.parent  # the item before it lies inside the parent, so it is
        # an earlier sibling or a child of one; with one attribution in the parent it is bare
        if inside == 1 and this.start >= item.start and earlier_sibling:
            n, item = item.parent, parent
        else:
            break
    return n


def extract_measures(segment: Segment, doc_id: str, body_start: int, tables: list[Table] | None = None) -> list[Measure]:
    text: NormalText = segment.text
    law_articles = articles.regulation_articles(text, body_start)
    if law_articles:
        return articles.article_measures(segment, doc_id, body_start, law_articles)  # a law's measures are its articles
    s = text.text
    tables = find_tables(text, body_start) if tables is None else tables
    table_starts = [t.start for t in tables]

    def in_table(pos: int) -> bool:
        k = bisect_right(table_starts, pos) - 1
        return k >= 0 and pos < tables[k].end

    paras = paragraphs(text, body_start)
    items = outline(text, body_start)
    ol = _structure(text, paras, items, [in_table(it.start) for it in items])
    attributions = sorted((a for a in find_attributions(s, body_start) + find_role_lines(text, body_start, paras)
                           if not in_table(a.start)), key=lambda a: a.start)
    found = _Found(text, doc_id, ol, paras, states_first_leads(s))
    _attributed_measures(found, attributions, body_start)
    _unattributed_measures(found, [a.start for a in attributions])
    for table in tables:
        for row in table.rows:
            found.measures.append((row.start, row.to_measure(doc_id, text)))
    found.measures.sort(key=lambda pair: pair[0])
    out = []
    for n, (_, m) in enumerate(found.measures, start=1):
        m.id = f"{doc_id}/m{n}"
        out.append(m)
    return out


@dataclass
class _Found:
    """What one document's measure extraction works on and collects."""

    text: NormalText
    doc_id: str
    ol: _Outline
    paras: Paragraphs
    first_leads_rule: bool  # the document states that the first unit listed leads
    measures: list[tuple[int, Measure]] = field(default_factory=list)  # (start offset, measure)
    claimed: set[int] = field(default_factory=set)  # items whose text an attribution closed

    def units(self, a: Attribution) -> tuple[list[str], list[str]]:
        if self.first_leads_rule:
            return first_leads(a.lead_units, a.responsible_units, a.explicit)
        return a.lead_units, a.responsible_units

    def add(self, at: int, span: tuple[int, int], key, text: str, a: Attribution | None, rule: str,
            parent_key, heading, item: int | None) -> None:
        """A measure whose text starts at offset `at` (its place in the order), spanning `span`,
        inside outline item `item` (None: outside the outline)."""
        lead, responsible = self.units(a) if a else ([], [])
        self.measures.append((at, Measure(
            id="", document=self.doc_id, key=key, text=text, lead_units=list(lead),
            responsible_units=list(responsible), span=self.text.span(*span), rule=rule,
            parent_key=parent_key, heading=heading, outline=self.ol.path(item))))


def _attributed_measures(found: _Found, attributions: list[Attribution], body_start: int) -> None:
    """Each attribution closes the measure that runs from its item's label (or from the end of
    the attribution before it) up to it."""
    ol, s, paras = found.ol, found.text.text, found.paras
    items = ol.items
    attribution_starts = [a.start for a in attributions]
    previous_end = body_start
    for a in attributions:
        n = ol.innermost(a.start)
        key = parent_key = heading = None
        start = previous_end
        if n is not None:
            innermost = n
            n = _covering_item(ol, n, attribution_starts, a)
            if n != innermost and ol.titles[n] is not None and items[n].text_start >= previous_end:
                # a heading whose numbered items share the one attribution closing them
                # (廊坊: （五）… 10.… 11.… 12.… 13.…〔…按职责分工负责〕): each item is a measure
                _group_measures(found, n, a)
                found.claimed.update(range(n, bisect_left(ol.starts, a.start)))
                previous_end = a.end
                continue
            item = items[n]
            parent_key = item.label
            heading = ol.heading_above[n]
            if item.text_start >= previous_end:
                start, key = item.text_start, item.label
                found.claimed.add(n)
        else:
            k = bisect_right(paras.starts, a.start) - 1
            if k >= 0:
                start = max(start, paras.starts[k])  # the paragraph it closes, not the preamble
        body = s[start:a.start].strip().lstrip("。；，,;")
        if not body and n is not None:
            continue
        found.add(start, (start, a.end), key, body, a, "attribution", parent_key if key is None else None, heading, n)
        previous_end = a.end


def _group_measures(found: _Found, n: int, a: Attribution) -> None:
    ol, s = found.ol, found.text.text
    items = ol.items
    end = bisect_left(ol.starts, a.start)
    children = [k for k in range(n + 1, end) if items[k].parent == n]
    for j, k in enumerate(children):
        stop = items[children[j + 1]].start if j + 1 < len(children) else a.start
        body = s[items[k].text_start:stop].strip()
        if body:
            found.add(items[k].text_start, (items[k].start, a.end if stop == a.start else stop), items[k].label,
                      body, a, "attribution", None, items[n].label + (ol.titles[n] or ""), k)


def _unattributed_measures(found: _Found, attribution_starts: list[int]) -> None:
    """Items no attribution closed: a numbered item is a measure; under a heading, each
    paragraph is. A `由X牵头，Y配合` in the text gives the units."""
    ol, s, paras = found.ol, found.text.text, found.paras
    for n, item in enumerate(ol.items):
        if n in found.claimed or ol.skip[n] or ol.preamble[n]:
            continue
        if bisect_left(attribution_starts, item.own_end) > bisect_left(attribution_starts, item.text_start):
            continue  # its text is carried by the attributed measures
        title = ol.titles[n]
        if title is None:
            pieces = [(item.text_start, item.own_end, item.label, None, ol.heading_above[n])]
        else:
            # a heading: each paragraph under its title is a measure of its own
            body_start = item.text_start + len(title)
            body_start = paras.line_ends[paras.line_at(item.start)] if body_start < item.own_end else item.own_end
            bounds = _merge_subtitles(s, [body_start, *paras.between(body_start, item.own_end), item.own_end])
            pieces = [(a, b, None, item.label, item.label + title) for a, b in zip(bounds, bounds[1:])]
        for a, b, key, parent_key, heading in pieces:
            body = s[a:b].strip()
            if not body:
                continue
            inline = find_inline(body)
            found.add(a, (item.start if key else a, b), key, body, inline, "inline" if inline else "unattributed",
                      parent_key, heading, n)
