"""Stage 4b — measures and who is responsible for them (tables: see tables.py).

A measure is a task a document assigns. Chinese plans attribute tasks in a handful of
conventional formats, each closing the task it follows:

  （市市场监管局牵头，市政务服务局、各区政府配合）
  （市城市管理委负责）
  （牵头单位：市法院；责任单位：各旗县市区、开发区）
  （省市场监管局、省审批服务管理局按职责分工负责）     ← no 牵头: every unit listed leads
  （市文旅局牵头，市文物局、市园林局等相关单位按职责分工负责）

and in tables whose rows were flattened cell by cell (序号 / 重点任务 / 主要内容 / 牵头部门 /
责任单位). Numbered items without an attribution are measures too, with no units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.extract import articles
from policygraph.extract.models import Measure, NormalText, Segment
from policygraph.extract.segment import LABELS, OutlineItem, outline
from policygraph.extract.tables import Table, find_tables
from policygraph.extract.units import DEADLINE, top_level_split, split_units

_ROLE_WORDS = ("牵头", "负责", "责任单位", "责任部门", "配合", "参与", "协办", "主责")
_LABELLED = re.compile(
    r"(?P<role>牵头单位|牵头部门|主责单位|主责部门|责任单位|责任部门|配合单位|配合部门|参与单位|协办单位|实施单位)[：:]"
)
_LEAD_ROLES = {"牵头单位", "牵头部门", "主责单位", "主责部门"}
# Trailing verbs of a clause: "…按职责分工负责", "…牵头负责", "…配合"
_CLAUSE_TAIL = re.compile(
    r"(?P<lead>牵头负责|牵头落实|牵头推进|牵头抓总|牵头)?"
    r"(?:(?:按照?|依)?职责(?:分工)?|按照?职责|分别|共同|依职责)?"
    r"(?P<verb>负责落实|负责推进|负责|落实|配合完成|配合|协助|参与|推进|实施|组织实施|完成有关工作|完成相关工作|抓好落实)?$"
)



@dataclass
class Attribution:
    start: int
    end: int
    lead_units: list[str]
    responsible_units: list[str]


def parse_attribution(content: str) -> tuple[list[str], list[str]] | None:
    """Lead and responsible units of the text inside an attribution's brackets, or None."""
    if not any(w in content for w in _ROLE_WORDS) or "。" in content or len(content) > 400:
        return None
    labelled = list(_LABELLED.finditer(content))
    if labelled:
        lead: list[str] = []
        responsible: list[str] = []
        for n, m in enumerate(labelled):
            end = labelled[n + 1].start() if n + 1 < len(labelled) else len(content)
            units = split_units(content[m.end():end].strip("；;，, "))
            (lead if m.group("role") in _LEAD_ROLES else responsible).extend(units)
        if not lead and responsible:
            lead, responsible = responsible, []
        return lead, responsible
    lead, responsible = [], []
    clauses = top_level_split(content, "，；;,")
    seen_lead_clause = False
    for clause in clauses:
        if DEADLINE.search(clause) and not re.search("牵头|负责|配合", clause):
            continue
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
    if not all(_looks_like_unit(u) for u in lead + responsible):
        return None
    return lead, responsible


def _looks_like_unit(unit: str) -> bool:
    # People (主要负责人, 安全管理人员) are not units, whatever their brackets say.
    return 1 < len(unit) <= 40 and not re.search(r"[。：《》“”]|\d{3,}|(?:人|人员|者)$", unit)


def find_attributions(text: str, start: int = 0, end: int | None = None) -> list[Attribution]:
    end = len(text) if end is None else end
    found: list[Attribution] = []
    i = text.find("（", start)
    while 0 <= i < end:
        depth, j = 0, i
        while j < min(end, i + 420):
            if text[j] == "（":
                depth += 1
            elif text[j] == "）":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if depth == 0 and j < end:
            parsed = parse_attribution(text[i + 1:j])
            if parsed:
                found.append(Attribution(i, j + 1, parsed[0], parsed[1]))
                i = text.find("（", j + 1)
                continue
        i = text.find("（", i + 1)
    return found


_ROLE_LINE = re.compile(r"(?:牵头单位|牵头部门|主责单位|责任单位|责任部门)[：:]")


def find_role_lines(text: NormalText, start: int = 0) -> list[Attribution]:
    """Attributions written as lines of their own, without brackets:
    `责任单位：市发展改革委、市商务局` after the task, as many provinces print them."""
    s = text.text
    found: list[Attribution] = []
    for m in _ROLE_LINE.finditer(s, start):
        pos = m.start()
        if pos > 0 and not text.is_line_start(pos) and s[pos - 1] not in "。；":
            continue
        if pos > 0 and s[pos - 1] == "（" or (found and pos < found[-1].end):
            continue
        end = pos
        while end < min(len(s), pos + 240):
            if s[end] in "。\n" or (end > pos + 4 and text.is_line_start(end) and LABELS.match(s, end)):
                break
            end += 1
        parsed = parse_attribution(s[pos:end].rstrip("；;，,"))
        if parsed:
            found.append(Attribution(pos, end, parsed[0], parsed[1]))
    return found


def _innermost(items: list[OutlineItem], pos: int) -> int | None:
    best = None
    for n, item in enumerate(items):
        if item.start <= pos < item.tree_end and (best is None or item.depth > items[best].depth):
            best = n
    return best


def _covering_item(items: list[OutlineItem], n: int, attributions: list[Attribution], this: Attribution) -> int:
    """Climb from a sub-item to its parent when the attribution plainly covers the whole parent:
    an earlier sibling has no attribution of its own and this is the parent's only one
    (`12.…（1）…（2）…（北京海关负责）`)."""
    item = items[n]
    while item.parent is not None and item.depth >= 2:
        parent = items[item.parent]
        inside = [a for a in attributions if parent.start <= a.start < parent.tree_end]
        siblings = [s for s in items if s.parent == item.parent and s.start < item.start]
        bare = [s for s in siblings if not any(s.start <= a.start < s.tree_end for a in attributions)]
        if inside == [this] and bare:
            n, item = item.parent, parent
        else:
            break
    return n


def extract_measures(segment: Segment, doc_id: str, body_start: int, tables: list[Table] | None = None) -> list[Measure]:
    text: NormalText = segment.text
    if articles.is_regulation(text, body_start):
        return articles.article_measures(segment, doc_id, body_start)  # a law's measures are its articles
    s = text.text
    tables = find_tables(text, body_start) if tables is None else tables
    table_ranges = [(t.start, t.end) for t in tables]

    def in_table(pos: int) -> bool:
        return any(a <= pos < b for a, b in table_ranges)

    items = [it for it in outline(text, body_start) if not in_table(it.start)]
    attributions = sorted((a for a in find_attributions(s, body_start) + find_role_lines(text, body_start)
                           if not in_table(a.start)), key=lambda a: a.start)
    measures: list[tuple[int, Measure]] = []
    claimed: set[int] = set()
    previous_end = body_start
    for a in attributions:
        n = _innermost(items, a.start)
        key = parent_key = None
        start = previous_end
        if n is not None:
            n = _covering_item(items, n, attributions, a)
            item = items[n]
            parent_key = item.label
            if item.text_start >= previous_end:
                start, key = item.text_start, item.label
                claimed.add(n)
        body = s[start:a.start].strip().lstrip("。；，,;")
        if not body and n is not None:
            continue
        measures.append(
            (
                start,
                Measure(
                    id="",
                    document=doc_id,
                    key=key,
                    text=body,
                    lead_units=a.lead_units,
                    responsible_units=a.responsible_units,
                    span=text.span(start, a.end),
                    rule="attribution",
                    parent_key=parent_key if key is None else None,
                ),
            )
        )
        previous_end = a.end
    for n, item in enumerate(items):
        if n in claimed:
            continue
        own = s[item.text_start:item.own_end]
        cut = next((a.start for a in attributions if item.text_start <= a.start < item.own_end), None)
        if cut is not None:
            continue  # its text is carried by the attributed measures
        body = own.strip()
        if not body:
            continue
        measures.append(
            (
                item.text_start,
                Measure(
                    id="",
                    document=doc_id,
                    key=item.label,
                    text=body,
                    lead_units=[],
                    responsible_units=[],
                    span=text.span(item.start, item.own_end),
                    rule="unattributed",
                ),
            )
        )
    for table in tables:
        for row in table.rows:
            measures.append((row.start, row.to_measure(doc_id, text)))
    measures.sort(key=lambda pair: pair[0])
    out = []
    for n, (_, m) in enumerate(measures, start=1):
        m.id = f"{doc_id}/m{n}"
        out.append(m)
    return out
