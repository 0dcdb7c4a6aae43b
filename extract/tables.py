"""Task tables (序号 / 重点任务 / 主要内容 / 牵头单位 / 配合单位 / 完成时限 …, columns in any order).

Two shapes:
- TAB-separated rows (`NormalText.cells`): what the HTML, DOCX and PDF readers emit and what a
  copied web page keeps, one row per line; a rowspan cell has its value in its first row and
  an empty cell in the rows below;
- flattened tables: rows whose cells were emitted one after another by the PDF tool, each
  wrapped at its column width, and restarted column by column after a page break (the 天津
  责任清单).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policygraph.extract.agencies import leading_place
from policygraph.extract.models import Measure, NormalText
from policygraph.extract.segment import LABELS, width
from policygraph.extract.units import DEADLINE, cell_roles, first_leads, split_units, states_first_leads

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
    number: str | None
    task: str | None
    content: str
    lead_units: list[str]
    responsible_units: list[str]
    start: int
    end: int
    heading: str | None = None

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
            heading=self.heading,
        )


@dataclass
class Table:
    start: int
    end: int
    columns: list[str]
    rows: list[TableRow]


def find_tables(text: NormalText, start: int = 0) -> list[Table]:
    """Every task table of the text after `start`, in text order."""
    tables = find_cell_tables(text, start) + find_flat_tables(text, start)
    return sorted(tables, key=lambda t: t.start)


def find_flat_tables(text: NormalText, start: int = 0) -> list[Table]:
    """Flattened tables: a run of header-cell lines (序号/重点任务/主要内容/牵头部门/责任单位)
    followed by rows whose first cell is a bare row number on its own line."""
    if not _unit_header_words().search(text.text, start):
        return []  # a table needs a header cell naming its units, and no header word is there
    lines = [(n, text.text[s:e], s, e) for n, s, e in text.lines() if s >= start and n not in text.cells]
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


def _is_header_cell(line: str) -> bool:
    """A whole line that is a header cell of a flattened table: one of the header words of
    data/table_columns.json as it stands (四 characters or more, or one of the usual short ones)."""
    return line in _HEADER_CELLS or (len(line) >= 4 and line in _all_column_words())


def _header_run(lines, i: int) -> list[str]:
    run = []
    while i + len(run) < len(lines) and _is_header_cell(lines[i + len(run)][1]):
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
        while before and width(before[0]) <= 7 and not re.search(r"[。；，]", before[0]):
            # "权创造、" then "保护和" continues a wrapped task; "提高失联被告、" before a full-width
            # line is the first line of the content, wrapped early by the PDF.
            if before[0].endswith("、") and len(before) > 1 and width(before[1]) > 7:
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
    while k > 0 and width(lines[k - 1]) <= 10.5 and not re.search(r"[。；！，：]$", lines[k - 1]):
        k -= 1
    content, units = lines[:k], lines[k:]
    # A 完成时限 column after the units: "2023年6月底前", "长期" are not units.
    while units and DEADLINE.search(units[-1]) and not _UNIT_END.search(units[-1]):
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


# ---------------------------------------------------------------- TAB-separated tables

@lru_cache(maxsize=None)
def _column_words() -> list[tuple[str, tuple[str, ...]]]:
    data = json.loads((Path(__file__).parent / "data" / "table_columns.json").read_text(encoding="utf-8"))
    return [(role, tuple(words)) for role, words in data["roles"].items()]


@lru_cache(maxsize=None)
def _all_column_words() -> frozenset[str]:
    """Every header word of every role, for one set lookup per line."""
    return frozenset(w for _, words in _column_words() for w in words)


@lru_cache(maxsize=None)
def _unit_header_words() -> re.Pattern:
    """Any header cell a flattened table needs (one naming 牵头 or 责任 units), anywhere."""
    words = {w for w in (*_HEADER_CELLS, *_all_column_words()) if "牵头" in w or "责任" in w}
    return re.compile("|".join(re.escape(w) for w in sorted(words)))


def column_role(cell: str) -> str | None:
    """What a header cell announces: number, text, lead, responsible, units, deadline, note."""
    cell = re.sub(r"（[^（）]*）|\([^()]*\)", "", cell)  # 责任单位（列第一位的为牵头单位）
    cell = re.sub(r"[\s/、]", "", cell)
    if not cell or len(cell) > 12:
        return None
    for role, words in _column_words():
        if any(w in cell for w in words):
            return role
    return None


@dataclass
class _Columns:
    number: int | None
    groups: list[int]  # text columns before the measure's own text
    content: int
    lead: list[int]
    responsible: list[int]
    units: list[int]  # 责任单位: responsible beside a lead column, else leads

    @property
    def key(self) -> int:
        """The cell that is empty in a rowspan continuation row."""
        return self.number if self.number is not None else (self.groups[0] if self.groups else self.content)


def _header(cells: list[str]) -> _Columns | None:
    roles = [column_role(c) for c in cells]
    if sum(r is not None for r in roles) < max(2, len(cells) - 1):
        return None  # a header names (nearly) every column
    text = [k for k, r in enumerate(roles) if r == "text"]
    pick = lambda role: [k for k, r in enumerate(roles) if r == role]  # noqa: E731
    lead, responsible, units = pick("lead"), pick("responsible"), pick("units")
    if not text or not (lead or responsible or units):
        return None
    number = next(iter(pick("number")), None)
    return _Columns(number, text[:-1], text[-1], lead, responsible, units)


def find_cell_tables(text: NormalText, start: int = 0) -> list[Table]:
    """Tables of TAB-separated rows: a header row naming a text column and a unit column,
    then its rows. A row whose key cell (序号, else the first column) is empty continues the
    row above: with text of its own it is a measure of its own under the same group and
    number, inheriting the empty unit cells (a rowspan); without, its units join the row above.
    A single-cell line between rows (a colspan group row such as 一、优化营商环境) sets the group."""
    if not text.cells:
        return []
    first_leads_rule = states_first_leads(text.text)
    lines = [(n, a, b) for n, a, b in text.lines() if a >= start]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        n, a, b = lines[i]
        cells = text.row_cells(n, a, b)
        cols = _header(cells) if cells else None
        if cols is None:
            i += 1
            continue
        header_cells = [re.sub(r"\s", "", c) for c in cells]
        table = Table(a, b, header_cells, [])
        previous: list[str] | None = None
        group_row: str | None = None
        i += 1
        while i < len(lines):
            n, a, b = lines[i]
            cells = text.row_cells(n, a, b)
            if cells is None:
                groups = _group_rows(text, lines, i)
                if groups:
                    group_row = groups[-1]  # "二、重点抓好六方面工作" then "（一）全力以赴拼经济稳增长促发展。"
                    i += len(groups)
                    continue
                if table.rows and i + 1 < len(lines) and text.row_cells(*lines[i + 1]) is not None:
                    # a cell's text that went on to a line of its own: it ends the row's text
                    table.rows[-1].content += text.text[a:b]
                    table.rows[-1].end = b
                    i += 1
                    continue
                break
            if [re.sub(r"\s", "", c) for c in cells] == header_cells:
                i += 1  # the header repeated on a new page
                continue
            cells = (cells + [""] * len(header_cells))[: max(len(header_cells), len(cells))]
            row, previous = _cell_row(cells, cols, previous, group_row, first_leads_rule, a, b)
            if row is None:  # a continuation without text: its units join the row above
                if table.rows:
                    _merge_units(table.rows[-1], cells, cols, first_leads_rule, b)
            else:
                table.rows.append(row)
            table.end = b
            i += 1
        if table.rows:
            tables.append(table)
    return tables


def _group_rows(text: NormalText, lines, i: int) -> list[str]:
    """Short lines between two rows of a table (colspan rows naming a group), or [] when the
    table ends here."""
    groups: list[str] = []
    while i < len(lines) and len(groups) < 3:
        n, a, b = lines[i]
        if text.row_cells(n, a, b) is not None:
            return groups
        line = text.text[a:b]
        labelled = LABELS.match(line) is not None and len(line) <= 60 and "。" not in line[:-1]
        if not (labelled or (len(line) <= 30 and not re.search(r"[。，；]", line))):
            return []
        groups.append(line)
        i += 1
    return []


def _units_of(cells: list[str], cols: _Columns, first_leads_rule: bool) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    responsible: list[str] = []
    explicit = bool(cols.lead)
    for k in cols.lead:
        lead_k, resp_k, _ = cell_roles(cells[k])
        lead += lead_k
        responsible += resp_k
    for k in cols.responsible:
        lead_k, resp_k, _ = cell_roles(cells[k])
        responsible += lead_k + resp_k
    for k in cols.units:
        lead_k, resp_k, named = cell_roles(cells[k])
        if cols.lead:
            responsible += lead_k + resp_k
        else:
            lead += lead_k
            responsible += resp_k
            explicit = explicit or named
    if not lead and responsible and not cols.lead:
        lead, responsible = responsible, []
    if first_leads_rule:
        lead, responsible = first_leads(lead, responsible, explicit)
    return lead, responsible


def _cell_row(cells, cols: _Columns, previous, group_row, first_leads_rule, start, end):
    """The row as a TableRow (None for a continuation without text of its own), and its cells
    with the rowspan gaps filled, to fill the gaps of the next row."""
    continuation = previous is not None and not cells[cols.key].strip()
    if continuation and not cells[cols.content].strip():
        return None, previous
    if continuation:
        # rowspan: an empty cell of this row holds the value of the cell above
        cells = [c if c.strip() or k == cols.content or k >= len(previous) else previous[k]
                 for k, c in enumerate(cells)]
    lead, responsible = _units_of(cells, cols, first_leads_rule)
    if previous is not None:
        # a group cell (重点任务) spans the rows of its group: empty below its first row
        for k in cols.groups:
            if not cells[k].strip() and k < len(previous):
                cells = cells[:k] + [previous[k]] + cells[k + 1:]
    groups = [cells[k].strip() for k in cols.groups if cells[k].strip()]
    number = cells[cols.number].strip() if cols.number is not None else ""
    row = TableRow(
        number=None if continuation or not number else number,
        task=groups[-1] if groups else (number or None) if continuation else group_row,
        content=cells[cols.content].strip(),
        lead_units=lead,
        responsible_units=responsible,
        start=start,
        end=end,
        heading=group_row,
    )
    return row, cells


def _merge_units(row: TableRow, cells: list[str], cols: _Columns, first_leads_rule: bool, end: int) -> None:
    lead, responsible = _units_of(cells, cols, first_leads_rule)
    row.lead_units += [u for u in lead if u not in row.lead_units]
    row.responsible_units += [u for u in responsible if u not in row.responsible_units]
    row.end = end
