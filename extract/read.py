"""Stage 1 — read: bytes from disk to text lines, whatever the encoding the site or PDF tool used."""
from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from policygraph.errors import InputError
from policygraph.extract.models import SourceText

# GB2312 and GBK are subsets of GB18030: decoding with the superset loses nothing.
_CHINESE_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for empty or binary input."""
    if not data.strip():
        raise InputError(f"{name} is empty: give a file that contains policy text.")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name} looks like a binary file, not text: give a UTF-8 or GB18030 text file.")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{name} could not be decoded as text in any known encoding: save it as UTF-8 and retry."
        )
    encoding = _CHINESE_FAMILY.get(best.encoding.lower().replace("_", ""), best.encoding)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    if _control_share(text) > 0.05:
        raise InputError(f"{name} looks like a binary file, not text: give a UTF-8 or GB18030 text file.")
    return text, encoding


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls / max(len(sample), 1)


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


def read_source(path: str | Path) -> SourceText:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p} does not exist: check the path.")
    if p.is_dir():
        raise InputError(f"{p} is a folder: give the text files inside it.")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p} cannot be read ({exc.strerror}): check its permissions.") from None
    text, encoding = decode(data, str(p))
    return SourceText(path=str(p), encoding=encoding, lines=_LINE_BREAK.split(text))


def source_from_string(text: str, path: str = "<string>") -> SourceText:
    """For notebook users and tests: wrap text that is already in memory."""
    return SourceText(path=path, encoding="utf-8", lines=_LINE_BREAK.split(text.lstrip("\ufeff")))
