"""Stage 4b — measures and who is responsible for them.

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

from policygraph.extract.agencies import leading_place
from policygraph.extract.models import Measure, NormalText, Segment
from policygraph.extract.segment import LABELS, OutlineItem, outline

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
# A deadline or frequency written inside the attribution: "2023年10月底前完成", "长期", "持续推进"
_DEADLINE = re.compile(r"(?:\d{4}年|\d{1,2}月|底前|前完成|年内|长期|持续推进|持续开展|常态化|每年|每季度|每月|按季度)")
_COLLECTIVE_AFTER_DENG = re.compile(r"^[\u4e00-\u9fff]{0,40}(?:单位|部门|机构|企业|区|县|旗县市区)$")


@dataclass
class Attribution:
    start: int
    end: int
    lead_units: list[str]
    responsible_units: list[str]


def _top_level_split(text: str, separators: str) -> list[str]:
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
    for part in _top_level_split(text, "、，,；;/"):
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
    clauses = _top_level_split(content, "，；;,")
    seen_lead_clause = False
    for clause in clauses:
        if _DEADLINE.search(clause) and not re.search("牵头|负责|配合", clause):
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


def extract_measures(segment: Segment, doc_id: str, body_start: int, tables: list["Table"] | None = None) -> list[Measure]:
    text: NormalText = segment.text
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


# ---------------------------------------------------------------- flattened tables

_HEADER_CELLS = ("序号", "重点任务", "主要任务", "任务", "主要内容", "工作内容", "具体措施", "牵头部门", "牵头单位", "责任单位", "责任部门", "配合单位", "完成时限", "时间节点")
_UNIT_START_WORDS = re.compile(r"^(?:市|区|县|省|各|自治区|国家|中共|[\u4e00-\u9fff]{2,4}(?:区|县|市)人民政府|—|－|-|/|无)")


def _starts_unit(line: str) -> bool:
    """A line that begins a unit name: a relative prefix (市, 省, 各 …) or a place (天津, 滨海新区)."""
    return bool(_UNIT_START_WORDS.match(line) or leading_place(line))
_UNIT_END = re.compile(r"(?:委|局|办|中心|政府|公司|集团|管委会|总队|支队|院|部|厅|行|会|室|处|所|站|单位|部门|—|－)$")


# How the rest of a wrapped name begins: "市住房城乡建" + "设委", "市高级人民法" + "院"
_CONTINUATION = re.compile(r"^(?:委|局|办|会|院|中心|公室|员会|政府|人民政府|管理|支队|总队|分行|集团|公司|部|厅|处|所|站|室)")


@dataclass
class TableRow:
    number: str
    task: str | None
    content: str
    lead_units: list[str]
    responsible_units: list[str]
    start: int
    end: int

    def to_measure(self, doc_id: str, text: NormalText) -> Measure:
        return Measure(
            id="",
            document=doc_id,
            key=self.number,
            text=self.content,
            lead_units=self.lead_units,
            responsible_units=self.responsible_units,
            span=text.span(self.start, self.end),
            rule="table",
            parent_key=self.task,
        )


@dataclass
class Table:
    start: int
    end: int
    columns: list[str]
    rows: list[TableRow]


def _width(line: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in line)


def find_tables(text: NormalText, start: int = 0) -> list[Table]:
    """Flattened tables: a run of header-cell lines (序号/重点任务/主要内容/牵头部门/责任单位)
    followed by rows whose first cell is a bare row number on its own line."""
    lines = [(n, text.text[s:e], s, e) for n, s, e in text.lines() if s >= start]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        cols = _header_run(lines, i)
        if not cols or not any("牵头" in c or "责任" in c for c in cols):
            i += 1
            continue
        table_start = lines[i][2]
        i += len(cols)
        rows: list[TableRow] = []
        raw_rows: list[tuple[str, list[tuple[str, int, bool]], int]] = []  # number, cell lines, start
        expected = 1
        while i < len(lines):
            line = lines[i][1]
            run = _header_run(lines, i)
            if run:  # repeated header after a page break: mark the break
                if raw_rows:
                    raw_rows[-1][1].append(("", lines[i][2], True))
                i += len(run)
                continue
            if line.isdigit() and int(line) == expected:
                raw_rows.append((line, [], lines[i][2]))
                expected += 1
                i += 1
                continue
            if not raw_rows:
                break
            if _ends_table(line) and raw_rows and len(raw_rows[-1][1]) > 2:
                break
            raw_rows[-1][1].append((line, lines[i][3], False))
            i += 1
        table_end = lines[i - 1][3] if i - 1 < len(lines) else len(text.text)
        current_task = None
        for number, cells, row_start in raw_rows:
            row = _parse_row(number, cells, row_start, cols)
            if row.task:
                current_task = row.task
            else:
                row.task = current_task
            rows.append(row)
        if rows:
            tables.append(Table(table_start, table_end, cols, rows))
    return tables


def _header_run(lines, i: int) -> list[str]:
    run = []
    while i + len(run) < len(lines) and lines[i + len(run)][1] in _HEADER_CELLS:
        run.append(lines[i + len(run)][1])
    return run if len(run) >= 3 else []


def _ends_table(line: str) -> bool:
    return bool(re.match(r"^(?:附件|抄送|[一二三四五六七八九十]+、)", line))


def _parse_row(number: str, cells: list[tuple[str, int, bool]], row_start: int, cols: list[str]) -> TableRow:
    """Assign the row's wrapped lines to columns. Cells were emitted one after another, each
    wrapped at its column width; a page break restarts every unfinished column in order."""
    has_task = any(c in ("重点任务", "主要任务", "任务") for c in cols)
    lines = [(t, brk) for t, _, brk in cells]
    end = cells[-1][1] if cells else row_start
    before: list[str] = []
    after: list[str] = []
    target = before
    for t, brk in lines:
        if brk:
            target = after
            continue
        target.append(t)
    task = None
    if has_task and before and re.match(r"^\d{1,3}[\.．、]", before[0]):
        task_lines = [before.pop(0)]
        while before and _width(before[0]) <= 7 and not re.search(r"[。；，]", before[0]):
            # "权创造、" then "保护和" continues a wrapped task; "提高失联被告、" before a full-width
            # line is the first line of the content, wrapped early by the PDF.
            if before[0].endswith("、") and len(before) > 1 and _width(before[1]) > 7:
                break
            task_lines.append(before.pop(0))
        task = re.sub(r"^\d{1,3}[\.．、]", "", "".join(task_lines))
    content_lines, rest = _take_content(before)
    unit_lines = rest
    cont_content: list[str] = []
    if after:
        if content_lines and not re.search(r"[。；！]$", content_lines[-1]):
            more, after = _take_content(after, continuing=True)
            cont_content = more
    content = "".join(content_lines + cont_content)
    lead_text, resp_text = _split_unit_columns(unit_lines, after)
    return TableRow(
        number=number,
        task=task,
        content=content,
        lead_units=split_units(lead_text),
        responsible_units=split_units(resp_text),
        start=row_start,
        end=end,
    )


def _take_content(lines: list[str], continuing: bool = False) -> tuple[list[str], list[str]]:
    """Split a row's lines into the content cell and the unit cells after it.

    Unit columns are narrow (about 6 and 9 characters) and come last, so the unit lines are
    the longest run of narrow lines at the end that does not end a sentence; a content
    line is wide, or narrow only as the last line of its cell (then it ends a sentence)."""
    if continuing:
        # After a page break the content's remainder ends at its first sentence end.
        for k, line in enumerate(lines):
            if re.search(r"[。；！]$", line):
                return lines[: k + 1], lines[k + 1:]
        return lines, []
    k = len(lines)
    while k > 0 and _width(lines[k - 1]) <= 10.5 and not re.search(r"[。；！，：]$", lines[k - 1]):
        k -= 1
    content, units = lines[:k], lines[k:]
    # A 完成时限 column after the units: "2023年6月底前", "长期" are not units.
    while units and _DEADLINE.search(units[-1]) and not _UNIT_END.search(units[-1]):
        units.pop()
    # A stray fragment of an unfinished sentence ("…京津冀”，" then "建") is not a unit.
    while units and content and not re.search(r"[。；！]$", content[-1]) and len(units[0]) <= 2 and not _starts_unit(units[0]):
        content.append(units.pop(0))
    # The last content line may carry the first unit after its full stop: "…开放工作。市委网信办".
    if content:
        glued = re.match(r"^(?P<c>.*[。；！])(?P<u>[^。；！，]{2,12})$", content[-1])
        if glued and _UNIT_END.search(glued.group("u")):
            content[-1] = glued.group("c")
            units.insert(0, glued.group("u"))
    return content, units


def _split_unit_columns(lines: list[str], after_break: list[str]) -> tuple[str, str]:
    """Lead and responsible cells are adjacent runs of narrow lines. A cell ends where a line
    ends a complete name and the next begins a new one with no separator in between."""
    lead: list[str] = []
    resp: list[str] = []
    target = lead
    for k, line in enumerate(lines):
        if k > 0 and target is lead:
            prev = lines[k - 1]
            last_name = re.split(r"[、，]", "".join(lead))[-1]
            starts_new = _starts_unit(line) or (len(last_name) >= 4 and not _CONTINUATION.match(line))
            if _UNIT_END.search(prev) and starts_new and not re.search(r"[、，]$", prev):
                target = resp
        target.append(line)
    lead_text, resp_text = "".join(lead), "".join(resp)
    for line in after_break:
        # Continuations after a page break: finish a cell that stopped mid-name.
        if resp and not _UNIT_END.search(resp_text) and not re.search(r"[、，]$", resp_text):
            resp_text += line
        elif not resp and not _UNIT_END.search(lead_text):
            lead_text += line
        else:
            resp_text += line
    return lead_text, resp_text
