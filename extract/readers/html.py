"""HTML: a saved government web page, or a fragment of one, as lines (see the package docstring).

Parsed with lxml (maintained, and it records each element's source line, which becomes the
line's `origin`). Three passes:
1. the information box (索引号 / 发文机关 / 发文字号 / 成文日期 …, as a table, a list or loose
   `label：value` elements) is read into labelled lines and removed from the tree;
2. navigation and boilerplate (script, style, nav, header, footer, share/QR-code boxes …) are
   removed, and the main content is the deepest element that holds at least three quarters of
   the page's text outside links (so menus and link lists fall away, and a body split into
   several blocks stays whole);
3. the content is walked: block elements end lines, data tables become TAB rows, layout tables
   (tables of tables, one-cell rows) are read as ordinary blocks.
"""
from __future__ import annotations

import re

from policygraph.errors import InputError
from policygraph.extract.decode import CHINESE_FAMILY, decode
from policygraph.extract.docnumber import DOC_NUMBER
from policygraph.extract.models import SourceText
from policygraph.extract.pagefields import canonical_label, labels, parse_line

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SITE_SEPARATOR = re.compile(r"\s*[_|｜]\s*|\s+[-—–－]+\s+|\s*--\s*")
# How site names end (中国政府网, 北京市人民政府门户网站, 政府信息公开专栏): never a document title.
_SITE_NAME = re.compile(r"(?:网|网站|门户|首页|人民政府|政府|平台|专栏|频道|信息公开|政务公开|客户端)$")

_DROPPED_TAGS = {
    "script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "form", "select", "button",
    "textarea", "input", "canvas", "svg", "object", "embed", "template", "map", "audio", "video", "link", "meta",
}
# id/class words of page furniture (matched as whole words of the id or class, split at - and _).
_BOILERPLATE_WORDS = {
    "nav", "navbar", "menu", "footer", "foot", "breadcrumb", "crumb", "crumbs", "share", "sidebar", "toolbar",
    "copyright", "banner", "login", "search", "qrcode", "qr", "ewm", "dyfx", "print", "position", "location",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "center", "hr",
    "address", "figure", "figcaption", "body", "html",
}


def read(data: bytes, name: str, errors: str = "strict") -> SourceText:
    import lxml.html
    from lxml import etree

    text, encoding = _decode(data, name, errors)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError):
        raise InputError(f"{name} holds no HTML content: give a saved web page or its text.") from None
    lines = _Lines()
    title, title_line = _page_title(root)
    box = _information_box(root)
    box_title = next(((v, n) for f, label, v, n in box if f == "title" and v), None)
    if box_title or title:
        value, line = box_title or (title, title_line)
        lines.add(f"标题：{value}", line)
    for fld, label, value, line in box:
        if fld != "title" and value:
            lines.add(f"{label}：{value}", line)
    _drop_boilerplate(root)
    body = root.find("body") if root.find("body") is not None else root
    main = _main_content(body)
    for heading in _headings_before(main, body):
        _walk(heading, lines)
    _walk(main, lines)
    if not any(line.strip() for line in lines.text):
        raise InputError(f"{name} holds no text: give a web page that contains the document.")
    return SourceText(path=name, encoding=encoding, lines=lines.text, format="html", origin=lines.origin)


def _decode(data: bytes, name: str, errors: str = "strict") -> tuple[str, str]:
    """Valid UTF-8 is UTF-8 whatever the page declares (a page re-saved by a browser keeps its old
    `charset=gbk` tag); otherwise the declared charset when the bytes agree, else detection."""
    declared = _CHARSET.search(data[:4096])
    if declared and data.strip() and b"\x00" not in data[:4096] and not _is_utf8(data):
        encoding = declared.group(1).decode("ascii").lower()
        encoding = CHINESE_FAMILY.get(encoding, encoding)
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # the declaration is wrong: detect instead
    return decode(data, name, errors)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Lines:
    """Emitted lines with their source lines; pieces of inline text gather until a block ends."""

    def __init__(self):
        self.text: list[str] = []
        self.origin: list[int] = []
        self._pieces: list[str] = []
        self._line = 1

    def add(self, line: str, origin: int | None) -> None:
        self.flush()
        self.text.append(line)
        self.origin.append(origin or (self.origin[-1] if self.origin else 1))

    def piece(self, text: str | None, origin: int | None) -> None:
        if text:
            if not self._pieces and origin:
                self._line = origin
            self._pieces.append(text)

    def flush(self) -> None:
        line = _clean("".join(self._pieces))
        self._pieces = []
        if line:
            self.text.append(line)
            self.origin.append(self._line)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text_of(element) -> str:
    return _clean("".join(element.itertext()))


def _page_title(root) -> tuple[str | None, int | None]:
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("articletitle", "title") and _clean(meta.get("content") or ""):
            return _clean(meta.get("content")), meta.sourceline
    for h1 in root.iter("h1"):
        if _looks_like_title(_text_of(h1)):
            return _text_of(h1), h1.sourceline
    for title in root.iter("title"):
        parts = [p for p in _SITE_SEPARATOR.split(_text_of(title)) if p]
        best = max(parts, key=len) if parts else ""  # the document's title outweighs the site name
        if _looks_like_title(best):
            return best, title.sourceline
    return None, None


def _looks_like_title(text: str) -> bool:
    return len(_CJK.findall(text)) >= 6 and not _SITE_NAME.search(text)


def _information_box(root) -> list[tuple[str, str, str, int]]:
    """(field, label, value, source line) of the page's own metadata; the elements are removed."""
    found: list[tuple[str, str, str, int]] = []
    consumed: set = set()
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head", "script", "style", "title"):
            continue
        if consumed and any(a in consumed for a in element.iterancestors()):
            continue
        text = _short_text(element)
        if not text:
            continue
        label = canonical_label(text)
        if label:
            value_element = element.getnext()
            value = _text_of(value_element) if value_element is not None else _clean(element.tail or "")
            if (value_element is not None and canonical_label(_SPACE.sub("", value))) or (
                not text.endswith(("：", ":")) and not value):
                continue  # a table's header row (文件名称 | 文号 | 发布日期), not a box
            found.append((labels()[label], label, value, element.sourceline))
            consumed.add(element)
            if value_element is not None:
                consumed.add(value_element)
            continue
        if any(parse_line(child_text) for child in element if isinstance(child.tag, str)
               for child_text in [_short_text(child)] if child_text):
            continue  # a child is the labelled element itself
        for field_name, label, value in parse_line(text.replace(":", "：")):
            found.append((field_name, label, value, element.sourceline))
            consumed.add(element)
    if len(found) < 2:
        return []  # a lone "来源：" line in the text is not an information box
    for element in consumed:
        if element.getparent() is not None:
            element.drop_tree()
    seen, unique = set(), []
    for item in found:
        if item[1] not in seen:
            seen.add(item[1])
            unique.append(item)
    return unique


def _short_text(element, limit: int = 300) -> str | None:
    """The element's text without spaces, or None when it is longer than `limit` (stops early,
    so scanning every element of a big page stays linear in practice)."""
    parts, size = [], 0
    for piece in element.itertext():
        piece = _SPACE.sub("", piece)
        size += len(piece)
        if size > limit:
            return None
        parts.append(piece)
    return "".join(parts) or None


def _drop_boilerplate(root) -> None:
    doomed = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            doomed.append(element)  # comments, processing instructions
            continue
        words = set(re.split(r"[\s_\-]+", f"{element.get('id', '')} {element.get('class', '')}".lower()))
        hidden = re.search(r"display\s*:\s*none", element.get("style", "") or "")
        if element.tag in _DROPPED_TAGS or element.tag == "head" or words & _BOILERPLATE_WORDS or hidden:
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _main_content(body):
    """The deepest element holding at least 3/4 of the text outside links."""
    mass: dict = {}

    def weigh(element) -> int:
        own = 0 if element.tag == "a" else len(_CJK.findall(element.text or ""))
        total = own
        for child in element:
            if isinstance(child.tag, str):
                total += weigh(child)
            if element.tag != "a":
                total += len(_CJK.findall(child.tail or ""))
        mass[element] = 0 if element.tag == "a" else total
        return mass[element]

    whole = weigh(body)
    node = body
    while whole:
        heavy = [c for c in node if isinstance(c.tag, str) and mass.get(c, 0) >= 0.75 * whole]
        if not heavy:
            break
        node = heavy[0]
    return node


_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _headings_before(main, body) -> list:
    """Headings printed just before the main content, outside it: many sites put the title
    (`<h2>`) and the 发文字号 (`<h4>`, a `<div>` of its own) above the content block, whose text
    outweighs them. Collected from the content's preceding siblings at each level up to the
    body, in page order: heading elements, and short elements holding only a 发文字号."""
    found = []
    node = main
    while node is not None and node is not body:
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            text = _text_of(sibling)
            if text and (sibling.tag in _HEADING_TAGS or DOC_NUMBER.fullmatch(text)):
                found.append(sibling)
        node = node.getparent()
    if not found:
        return []
    order = {element: n for n, element in enumerate(body.iter())}
    return sorted(found, key=order.__getitem__)


def _walk(element, lines: _Lines, in_cell: bool = False) -> None:
    """Emit an element's text: blocks end lines; data tables become rows (inside a cell, text)."""
    tag = element.tag
    if tag == "table" and not in_cell and _is_data_table(element):
        lines.flush()
        for row, origin in _table_rows(element):
            lines.add("\t".join(row), origin)
        return
    block = tag in _BLOCK_TAGS or tag == "br"
    if block:
        lines.flush()
    if tag != "br":
        lines.piece(element.text, element.sourceline)
        for child in element:
            if isinstance(child.tag, str):
                _walk(child, lines, in_cell)
            lines.piece(child.tail, child.sourceline)
    if block:
        lines.flush()


def _own_rows(table) -> list:
    rows = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            rows.append(tr)
    return rows


def _is_data_table(table) -> bool:
    """Layout tables (tables of tables, one cell per row) are read as blocks, not as rows."""
    if any(True for _ in table.iter("table") if _ is not table):
        return False
    rows = _own_rows(table)
    return any(len([c for c in tr if c.tag in ("td", "th")]) > 1 for tr in rows)


def _cell_text(cell) -> str:
    """A cell's paragraphs joined by one space (see the line format in the package docstring)."""
    inner = _Lines()
    _walk(cell, inner, in_cell=True)
    inner.flush()
    return " ".join(inner.text)


def _span(cell, name: str, limit: int) -> int:
    try:
        return max(1, min(int(re.sub(r"\D", "", cell.get(name, "1")) or 1), limit))
    except ValueError:
        return 1


def _table_rows(table) -> list[tuple[list[str], int]]:
    """The grid: a rowspan cell's value in its first row, empty cells below; colspan pads with empties."""
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    grid: list[tuple[list[str], int]] = []
    for tr in _own_rows(table):
        row: list[str] = []
        col = 0

        def fill_covered():
            nonlocal col
            while pending.get(col, 0) > 0:
                row.append("")
                pending[col] -= 1
                col += 1

        for cell in (c for c in tr if c.tag in ("td", "th")):
            fill_covered()
            colspan, rowspan = _span(cell, "colspan", 50), _span(cell, "rowspan", 1000)
            row.append(_cell_text(cell))
            row.extend([""] * (colspan - 1))
            for k in range(colspan):
                if rowspan > 1:
                    pending[col + k] = rowspan - 1
            col += colspan
        while any(c >= col and n > 0 for c, n in pending.items()):
            if pending.get(col, 0) > 0:
                pending[col] -= 1
            row.append("")
            col += 1
        if any(cell for cell in row):
            grid.append((row, tr.sourceline))
    width = max((len(r) for r, _ in grid), default=0)
    return [(r + [""] * (width - len(r)), line) for r, line in grid]
