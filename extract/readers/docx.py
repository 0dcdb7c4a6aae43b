"""Word .docx via python-docx: body paragraphs in order, tables as TAB rows (see the package
docstring). Read at the XML level of the body so that paragraphs and tables keep their order
and merged cells (gridSpan, vMerge) keep the grid; headers, footers and comments are left out.
`origin` numbers the body's paragraphs (a table row counts as one).
"""
from __future__ import annotations

import io

from policygraph.errors import InputError
from policygraph.extract.models import SourceText


def read(data: bytes, name: str) -> SourceText:
    import docx
    from docx.oxml.ns import qn

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception:  # noqa: BLE001 - python-docx/lxml raise many types for damaged packages
        raise InputError(f"{name} is not a readable Word file (damaged): open and save it again as .docx.") from None
    lines: list[str] = []
    origin: list[int] = []
    number = 0
    for block in _blocks(body, qn):
        number += 1
        if block.tag == qn("w:tbl"):
            for row in _rows(block, qn):
                lines.append("\t".join(row))
                origin.append(number)
                number += 1
            number -= 1
            continue
        for part in _paragraph_text(block, qn).split("\n"):
            part = " ".join(part.split())
            if part:
                lines.append(part)
                origin.append(number)
    if not lines:
        raise InputError(f"{name} holds no text: give a Word file that contains the document.")
    return SourceText(path=name, encoding="docx", lines=lines, format="docx", origin=origin)


def _blocks(body, qn):
    """Paragraphs and tables of the body in order; content controls (w:sdt) are opened."""
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, qn)


def _paragraph_text(paragraph, qn) -> str:
    parts = []
    for el in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append(" ")  # a TAB in the output always means a table cell
        else:
            parts.append("\n")
    return "".join(parts)


def _rows(table, qn) -> list[list[str]]:
    """The grid: a vertically merged cell is empty below its first row; gridSpan pads with empties."""
    grid = []
    for tr in table.iterchildren(qn("w:tr")):
        row: list[str] = []
        before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
        if before is not None:
            row.extend([""] * int(before.get(qn("w:val"), "0") or 0))
        for tc in tr.iterchildren(qn("w:tc")):
            props = tc.find(qn("w:tcPr"))
            span = props.find(qn("w:gridSpan")) if props is not None else None
            merge = props.find(qn("w:vMerge")) if props is not None else None
            continued = merge is not None and merge.get(qn("w:val"), "continue") != "restart"
            text = "" if continued else " ".join(
                " ".join(_paragraph_text(p, qn).split()) for p in tc.iter(qn("w:p")) if _paragraph_text(p, qn).strip()
            )
            row.append(text)
            row.extend([""] * (int(span.get(qn("w:val"), "1") or 1) - 1 if span is not None else 0))
        if any(row):
            grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]
