"""PDF (with a text layer) via pdfplumber: `# Page N:` before each page, text lines in reading
order, ruled tables as TAB rows (see the package docstring for the line format).

Table cells come from pdfplumber's table finder (ruling lines), so prose is never cut into
cells; a cell's wrapped lines are joined without a separator, and a cell merged over several
rows (None in the rows it covers) is an empty cell there.
"""
from __future__ import annotations

import io
import logging

from policygraph.errors import InputError
from policygraph.extract.models import SourceText


def read(data: bytes, name: str, errors: str = "strict") -> SourceText:  # errors: for text formats only
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are not the user's business
    lines: list[str] = []
    words = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                lines.append(f"# Page {number}:")
                for line in _page_lines(page):
                    lines.append(line)
                    words += bool(line.strip())
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - pdfminer raises many types for damaged or encrypted files
        raise InputError(f"{name} is not a readable PDF (damaged or password-protected): open and save it again, "
                         "or give the text.") from None
    if not words:
        raise InputError(f"{name} is a PDF without a text layer (a scan?): run OCR on it first and give the text.")
    return SourceText(path=name, encoding="pdf", lines=lines, format="pdf")


def _page_lines(page) -> list[str]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside_tables(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    prose = page.filter(outside_tables) if boxes else page
    items: list[tuple[float, int, list[str]]] = [(top, 0, [text]) for top, text in _text_lines(prose)]
    for table in tables:
        rows = []
        for row in table.extract():
            cells = ["".join((cell or "").split()) for cell in row]
            if any(cells):
                rows.append("\t".join(cells))
        items.append((table.bbox[1], 1, rows))
    return [line for _, _, block in sorted(items, key=lambda item: (item[0], item[1])) for line in block if line]


def _text_lines(page) -> list[tuple[float, str]]:
    """Words grouped into lines by vertical overlap: a word belongs to a line when its middle lies
    within the line's height. (A fixed top tolerance splits title lines whose Latin digits sit in
    a fallback font a few points lower: `天津市 年优化营商` + `2023`.)"""
    lines: list[list] = []  # [top, bottom, words]
    for word in sorted(page.extract_words(), key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        for line in reversed(lines[-3:]):  # only recent lines can overlap: no quadratic scan
            if line[0] <= middle <= line[1]:
                line[2].append(word)
                break
        else:
            lines.append([word["top"], word["bottom"], [word]])
    return [(top, " ".join(w["text"].replace("\t", " ") for w in sorted(words, key=lambda w: w["x0"])))
            for top, _, words in lines]
