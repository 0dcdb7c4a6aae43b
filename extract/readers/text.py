"""Plain text and Markdown: the decoded file, split at any line ending, nothing else changed."""
from __future__ import annotations

import re

from policygraph.extract.decode import decode
from policygraph.extract.models import SourceText

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read(data: bytes, name: str, errors: str = "strict") -> SourceText:
    text, encoding = decode(data, name, errors)
    return SourceText(path=name, encoding=encoding, lines=LINE_BREAK.split(text))
