"""Stage 1 — read: bytes from disk to text lines, whatever the encoding the site or PDF tool used."""
from __future__ import annotations

import re
from pathlib import Path

from policygraph.errors import InputError
from policygraph.extract.decode import decode
from policygraph.extract.models import SourceText
from policygraph.files import DEFAULT_MAX_INPUT_BYTES, read_input_bytes

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def expand_inputs(paths) -> list[Path]:
    """Files as given; a folder stands for the .txt files directly inside it (sorted; give
    subfolders explicitly, so that nothing unexpected is read)."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(f for f in p.glob("*.txt") if f.is_file())
            if not found:
                raise InputError(f"{p} is a folder without .txt files: give text files or a folder that holds them.")
            out.extend(found)
        else:
            out.append(p)
    return out


def read_source(path: str | Path, max_bytes: int = DEFAULT_MAX_INPUT_BYTES, errors: str = "strict") -> SourceText:
    """errors="replace" reads a file with a few undecodable bytes (each becomes U+FFFD)."""
    p = Path(path)
    text, encoding = decode(read_input_bytes(p, max_bytes), str(p), errors)
    return SourceText(path=str(p), encoding=encoding, lines=_LINE_BREAK.split(text))


def source_from_string(text: str, path: str = "<string>") -> SourceText:
    """For notebook users and tests: wrap text that is already in memory."""
    return SourceText(path=path, encoding="utf-8", lines=_LINE_BREAK.split(text.lstrip("\ufeff")))
