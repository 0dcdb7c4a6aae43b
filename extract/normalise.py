"""Stage 2 — normalise: undo what PDF extraction did to the text, keeping the way back to lines.

- `# Page N:` markers are dropped (their page numbers are kept per line);
- lines are rejoined without a separator (Chinese has no spaces between words), so words and
  numbers broken across lines come back whole: `市住房城乡建\\n设委` → `市住房城乡建设委`;
- whitespace the PDF inserted is removed (`2023 年` → `2023年`, `e 窗通` → `e窗通`) except
  between two Latin letters or digits, where it separates words;
- half-width brackets and colons are mapped one to one to their full-width forms, so later
  patterns need to know only one form.
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
_COLON = re.compile(r":(?!//)")


def clean_line(line: str) -> str:
    """Normalise one line: drop PDF spaces, unify punctuation widths."""
    line = line.strip().translate(_WIDTHS)
    line = _COLON.sub("：", line)
    line = re.sub(r"(?<=[\u4e00-\u9fff）]),(?=\S)|(?<=\S),(?=[\u4e00-\u9fff（])", "，", line)

    def keep_between_words(m: re.Match) -> str:
        before = line[m.start() - 1] if m.start() > 0 else ""
        after = line[m.end()] if m.end() < len(line) else ""
        if _ASCII_WORD.match(before or " ") and _ASCII_WORD.match(after or " "):
            return " "
        return ""

    return _SPACES.sub(keep_between_words, line)


def normalise(source: SourceText) -> NormalText:
    parts: list[str] = []
    line_starts: list[int] = []
    line_numbers: list[int] = []
    pages: dict[int, int] = {}
    page: int | None = None
    offset = 0
    for number, raw in enumerate(source.lines, start=1):
        marker = PAGE_MARKER.match(raw)
        if marker:
            page = int(marker.group(1))
            continue
        if page is not None:
            pages[number] = page
        cleaned = clean_line(raw)
        if not cleaned:
            continue
        if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha() and cleaned[0].isascii() and cleaned[0].isalpha():
            parts[-1] += " "
            offset += 1
        line_starts.append(offset)
        line_numbers.append(number)
        parts.append(cleaned)
        offset += len(cleaned)
    return NormalText(
        path=source.path, text="".join(parts), line_starts=line_starts, line_numbers=line_numbers, pages=pages
    )


def squash(text: str) -> str:
    """Normalise a short string the same way (for values taken from elsewhere, e.g. gold files)."""
    return "".join(clean_line(line) for line in re.split(r"\r\n|\r|\n", text))
