"""Bytes to text: whatever encoding the site, the PDF tool or the editor used."""
from __future__ import annotations

from charset_normalizer import from_bytes

from policygraph.errors import InputError

# GB2312 and GBK are subsets of GB18030: decoding with the superset loses nothing.
_CHINESE_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030"}


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
