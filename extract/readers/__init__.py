"""Stage 1 readers: one per input format, one interface.

`read_document(path)` reads the bytes once (`files.read_input_bytes`), detects the format from
the content (magic bytes, then markup sniffing; the extension only breaks ties, e.g. .md) and
returns a `SourceText`: the text as lines, plus `format` and `origin`.

Formats: text (`.txt` and anything that decodes as text), markdown (`.md`, kept 1:1 by line,
`#` heading markers kept), html (a saved page or a content fragment), pdf, docx. Anything else
(old .doc, spreadsheets, images, archives …) raises `InputError` with a sentence saying what to
do instead (see `sniff.py`).

The line format every reader emits (the contract with the later stages):

- **One paragraph per line.** Block elements (HTML `<p>`, `<div>`, `<li>`, `<br>` …; DOCX
  paragraphs; PDF text lines) end a line, so numbered paragraphs (`（一）…`, `1.…`, `第十二条`)
  start their own line. Runs of spaces are collapsed; the text is otherwise as printed.
- **Tables stay tables: one row per line, cells joined by one TAB (`\\t`).** Every row of a
  table has the table's full column count. A cell's own line breaks are flattened: paragraphs
  inside an HTML/DOCX cell are joined by one space, a PDF cell's wrapped lines are joined with
  nothing (PDF wraps cut words: `市住房城乡建` + `设委`). A cell merged over several rows
  (HTML `rowspan`, DOCX vertical merge, a PDF cell spanning rows) carries its value in its
  first row and is an EMPTY cell in the rows below; a cell spanning several columns (`colspan`,
  DOCX `gridSpan`) carries its value in its first column, followed by empty cells. An empty key
  cell therefore means "continues the row above". Tab characters inside ordinary paragraphs
  are turned into spaces, so a TAB always means a table cell.
- **Web-page metadata** (the 索引号 / 发文机关 / 发文字号 / 成文日期 / 发布日期 box, see
  `extract/data/page_fields.json`) comes first, one `label：value` line per field with the label's
  spaces removed (`索 引 号` → `索引号`), e.g. `发文字号：国发〔2019〕1号`, preceded by the page
  title as `标题：…` (the box's 标题, else `<meta name="ArticleTitle">`, else the `<h1>`, else
  `<title>` without the site name). The page's navigation and boilerplate are not emitted.
- **PDF pages**: a `# Page N:` line before each page's text (normalise turns it into page
  provenance, so spans get `page_start` / `page_end`).

`SourceText.origin` (None when the lines ARE the file's lines: text, markdown): for each emitted
line, the line of the original file it comes from — the HTML source line of the element that
started the paragraph or row (emitted 标题/metadata lines point at their `<title>` / box cell);
for DOCX the 1-based number of the body paragraph (a table row counts as one paragraph);
for PDF None (line numbers count the extracted text; the pages are the provenance there).
"""
from __future__ import annotations

from pathlib import Path

from policygraph.extract.models import SourceText
from policygraph.extract.readers.sniff import SUPPORTED_SUFFIXES, sniff
from policygraph.files import DEFAULT_MAX_INPUT_BYTES, read_input_bytes

__all__ = ["read_document", "SUPPORTED_SUFFIXES", "sniff"]


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, errors: str = "strict") -> SourceText:
    """The lines of one input file, whatever its format; InputError (one sentence) if unreadable."""
    p = Path(path)
    data = read_input_bytes(p, max_bytes)
    fmt = sniff(data, p)
    if fmt == "html":
        from policygraph.extract.readers import html as reader
    elif fmt == "pdf":
        from policygraph.extract.readers import pdf as reader
    elif fmt == "docx":
        from policygraph.extract.readers import docx as reader
    else:
        from policygraph.extract.readers import text as reader
    source = reader.read(data, str(p), errors)
    if fmt == "markdown":
        source.format = "markdown"
    return source
