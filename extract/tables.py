"""Flattened tables: rows whose cells (序号 / 重点任务 / 主要内容 / 牵头部门 / 责任单位) were
emitted one after another by the PDF tool, each wrapped at its column width, and restarted
column by column after a page break (the 天津 责任清单)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.extract.agencies import leading_place
from policygraph.extract.models import Measure, NormalText
from policygraph.extract.units import DEADLINE, split_units

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
