"""Which reader a file needs, from its first bytes: magic numbers first, markup sniffing next,
the extension last (only to tell Markdown from plain text, or to name an old Office file).

Unsupported formats raise InputError whose message says what to do (`old Word format, save as
.docx`); the short reason (for a batch's skip summary) is on the exception as `reason`.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from policygraph.errors import InputError

# Suffixes a folder is searched for: the readable ones, and document formats that we cannot read
# but should report as skipped rather than ignore silently.
READABLE_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx"}
REPORTED_SUFFIXES = {
    ".doc", ".docm", ".dot", ".dotx", ".wps", ".rtf", ".odt", ".ofd", ".caj", ".xls", ".xlsx", ".et",
    ".ods", ".ppt", ".pptx", ".dps", ".zip", ".rar", ".7z", ".gz", ".png", ".jpg", ".jpeg",
    ".gif", ".tif", ".tiff", ".bmp", ".webp",
}
SUPPORTED_SUFFIXES = READABLE_SUFFIXES
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}

_OLD_OFFICE = {
    ".doc": "old Word format, save as .docx",
    ".dot": "old Word format, save as .docx",
    ".wps": "WPS Writer format, save as .docx",
    ".xls": "Excel workbook, save the text as .docx or .txt",
    ".et": "WPS spreadsheet, save the text as .docx or .txt",
    ".ppt": "PowerPoint file, save the text as .docx or .pdf",
    ".dps": "WPS presentation, save the text as .docx or .pdf",
}
_IMAGES = [
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"BM", "BMP"),
]
_ARCHIVES = [(b"\x1f\x8b", "gzip"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"Rar!\x1a\x07", "RAR")]
_MARKUP = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|table|span|title|section|article|center|font|br|h[1-6])\b",
                     re.IGNORECASE | re.DOTALL)


class UnsupportedFormat(InputError):
    """A file in a format policygraph does not read; `reason` is the short form for summaries."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path} cannot be read ({reason}).")
        self.reason = reason


def sniff(data: bytes, path: Path) -> str:
    """One of text, markdown, html, pdf, docx; raises UnsupportedFormat otherwise."""
    suffix = path.suffix.lower()
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data, path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: .doc, .xls, .ppt, .wps …
        raise UnsupportedFormat(path, _OLD_OFFICE.get(suffix, "old Microsoft Office format, save as .docx"))
    if head.startswith(b"{\\rtf"):
        raise UnsupportedFormat(path, "RTF format, save as .docx")
    for magic, name in _IMAGES:
        if head.startswith(magic) and (name != "BMP" or suffix == ".bmp"):
            # "looks like a binary file" is the sentence users already know from plain text input.
            raise UnsupportedFormat(path, f"looks like a binary file (a {name} image), not text: run OCR first and give the text")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise UnsupportedFormat(path, "looks like a binary file (a WebP image), not text: run OCR first and give the text")
    for magic, name in _ARCHIVES:
        if head.startswith(magic):
            raise UnsupportedFormat(path, f"a {name} archive, unpack it and give the files inside")
    if suffix in HTML_SUFFIXES or _MARKUP.match(_without_bom(head)):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def _without_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return head[len(bom):]
    return head


def _zip_kind(data: bytes, path: Path) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        what = "Word file" if path.suffix.lower() == ".docx" else "zip file"
        raise UnsupportedFormat(path, f"a damaged {what}, open and save it again") from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise UnsupportedFormat(path, "Excel workbook, save the text as .docx or .txt")
    if any(n.startswith("ppt/") for n in names):
        raise UnsupportedFormat(path, "PowerPoint file, save the text as .docx or .pdf")
    if "OFD.xml" in names:
        raise UnsupportedFormat(path, "OFD format, print it to PDF")
    if "mimetype" in names and "content.xml" in names:
        raise UnsupportedFormat(path, "OpenDocument format, save as .docx")
    raise UnsupportedFormat(path, "a zip archive, unpack it and give the files inside")
