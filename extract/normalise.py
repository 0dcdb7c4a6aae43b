"""Stage 2 — normalise: undo what PDF extraction did to the text, keeping the way back to lines.

- `# Page N:` markers are dropped (their page numbers are kept per line);
- lines are rejoined without a separator (Chinese has no spaces between words), so words and
  numbers broken across lines come back whole: `市住房城乡建\\n设委` → `市住房城乡建设委`;
- whitespace the PDF inserted is removed (`2023 年` → `2023年`, `e 窗通` → `e窗通`) except
  between two Latin letters or digits, where it separates words;
- half-width brackets and colons are mapped one to one to their full-width forms, so later
  patterns need to know only one form;
- a TAB-separated table row (what the HTML/DOCX/PDF readers emit, and what a copied web
  page keeps) is cleaned cell by cell and joined like any line, but where its cells met is
  kept in `NormalText.cells`, so the table stage can still read it as cells.
"""
from __future__ import annotations

import re

from policygraph.extract.models import NormalText, SourceText

PAGE_MARKER = re.compile(r"^\s*#\s*Page\s+(\d+)\s*:?\s*$")
_SPACES = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u200b\ufeff]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ";": "；", "［": "〔", "］": "〕"})
_FULLWIDTH_ALNUM = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
)
_WIDTHS = {**_FULLWIDTH_ALNUM, **_HALF_TO_FULL}  # one pass: the two tables share no character
# Most lines hold none of those characters; finding that out is far cheaper than translating.
_ANY_WIDTH = re.compile("[" + re.escape("".join(map(chr, _WIDTHS))) + "]")
_COLON = re.compile(r":(?!//)")
_COMMA = re.compile(r"(?<=[\u4e00-\u9fff）]),(?=\S)|(?<=\S),(?=[\u4e00-\u9fff（])")


def clean_line(line: str) -> str:
    """Normalise one line: drop PDF spaces, unify punctuation widths."""
    line = line.strip()
    if _ANY_WIDTH.search(line):
        line = line.translate(_WIDTHS)
    if ":" in line:
        line = _COLON.sub("：", line)
    if "," in line:
        line = _COMMA.sub("，", line)
    return _SPACES.sub(_keep_between_words, line)


def _keep_between_words(m: re.Match) -> str:
    """A run of spaces in `m.string` stays one space between two Latin letters or digits."""
    line = m.string
    before = line[m.start() - 1] if m.start() > 0 else ""
    after = line[m.end()] if m.end() < len(line) else ""
    if _ASCII_WORD.match(before or " ") and _ASCII_WORD.match(after or " "):
        return " "
    return ""


def table_cells(raw: str) -> list[str] | None:
    """The cells of a TAB-separated (or Markdown `| a | b |`) row, or None for a line that is
    no table row. One leading TAB before a single cell is indentation, not an empty cell."""
    if "|" not in raw and "\t" not in raw:
        return None  # most lines: neither kind of row
    stripped = raw.strip()
    if len(stripped) > 2 and stripped[0] == stripped[-1] == "|" and stripped.count("|") >= 3:
        cells = stripped[1:-1].split("|")  # a Markdown table row: | 序号 | 重点任务 | 牵头单位 |
    elif "\t" in raw:
        cells = raw.rstrip("\r\n").split("\t")
    else:
        return None
    while cells and not cells[-1].strip():
        cells.pop()
    filled = sum(1 for c in cells if c.strip())
    if filled == 0 or (filled == 1 and len(cells) < 3):
        return None
    return cells


def clean_row(raw: str) -> tuple[str, tuple[int, ...] | None]:
    """A line cleaned; for a table row also the offsets where its cells meet."""
    cells = table_cells(raw)
    if cells is None:
        return clean_line(raw), None
    cleaned = [clean_line(c) for c in cells]
    breaks, offset = [], 0
    for cell in cleaned[:-1]:
        offset += len(cell)
        breaks.append(offset)
    return "".join(cleaned), tuple(breaks)


# A web page copied as text may hold a whole section on one line, its numbered items kept
# apart only by spaces: "一、持续深化行政审批制度改革 (一)完善权责清单制度。…". Such a line
# is cut before each label that follows a space (the pieces keep the line's number); PDF
# lines are never this long, and their stray spaces are removed as usual.
_LONG_LINE = 150
_SPACE_BEFORE_LABEL = re.compile(
    r"[ \u3000\u00a0]+(?=(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|[（(]\d{1,4}[）)]"
    r"|\d{1,4}[\.．、](?![\d\.．])|第[一二三四五六七八九十百千零]{1,8}条|(?:牵头单位|牵头部门|责任单位|责任部门|配合单位)[：:]))"
)


_MARKDOWN_RULE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")


def pieces(raw: str) -> list[str]:
    """The raw line, or its pieces when it is a long line holding several numbered items."""
    if len(raw) < _LONG_LINE or "\t" in raw:
        return [raw]
    return _SPACE_BEFORE_LABEL.split(raw)


def normalise(source: SourceText) -> NormalText:
    parts: list[str] = []
    line_starts: list[int] = []
    line_numbers: list[int] = []
    pages: dict[int, int] = {}
    cells: dict[int, tuple[int, ...]] = {}
    page: int | None = None
    offset = 0
    for number, raw in enumerate(source.lines, start=1):
        marker = PAGE_MARKER.match(raw) if "Page" in raw else None
        if marker:
            page = int(marker.group(1))
            continue
        if page is not None:
            pages[number] = page
        if "|" in raw and _MARKDOWN_RULE.match(raw):
            continue  # the |---|---| line under a Markdown table's header
        for piece in pieces(raw):
            cleaned, breaks = clean_row(piece)
            if not cleaned:
                continue
            if breaks is not None:
                cells[number] = breaks
            if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha() and cleaned[0].isascii() and cleaned[0].isalpha():
                parts[-1] += " "
                offset += 1
            line_starts.append(offset)
            line_numbers.append(number)
            parts.append(cleaned)
            offset += len(cleaned)
    return NormalText(
        path=source.path, text="".join(parts), line_starts=line_starts, line_numbers=line_numbers, pages=pages,
        cells=cells,
    )


def squash(text: str) -> str:
    """Normalise a short string the same way (for values taken from elsewhere, e.g. gold files)."""
    return "".join(clean_line(line) for line in re.split(r"\r\n|\r|\n", text))
