"""Bytes to text: whatever encoding the site, the PDF tool or the editor used.

Order of trust, for Chinese policy text:
1. a byte-order mark (UTF-8, UTF-16, UTF-32) says the encoding;
2. UTF-8, then GB18030, when the whole file decodes cleanly: a statistical guess on a short
   GB18030 text easily says cp949, Shift-JIS or UTF-16BE and yields mojibake, so it comes last;
3. a file that is nearly UTF-8 or GB18030 (a few stray bytes) is refused with the byte
   offset and line of the first bad byte, or read with U+FFFD for each bad byte when the
   caller asks for errors="replace";
4. only then charset-normalizer's guess (Big5, UTF-16 without a mark …).

Binary is decided by the share of control bytes over the whole file, not by one NUL in the
first kilobytes: a single stray NUL in a large text is noise and is dropped, a PNG is not text.
Format characters that carry no text (bidi marks, zero-width spaces, soft hyphens) and stray
control characters are removed, so that a mark at the start of a line cannot hide the
numbered header that starts a document.
"""
from __future__ import annotations

import codecs
import re
import threading
import unicodedata

from charset_normalizer import from_bytes

from policygraph.errors import InputError

# GB2312 and GBK are subsets of GB18030: decoding with the superset loses nothing.
CHINESE_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030", "cp936": "gb18030"}

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# C0 control bytes other than TAB, LF, VT, FF, CR: text files hold (almost) none of them.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
BINARY_CONTROL_SHARE = 0.01  # over 1 % control bytes: not a text file

# A file this close to a clean decode (bad bytes per byte) is "text with a few bad bytes".
NEARLY_CLEAN_SHARE = 0.001

ERROR_MODES = ("strict", "replace")


def _format_characters() -> str:
    """Every code point of category Cf (format: bidi marks, zero-width spaces, soft hyphen …)."""
    # Cf code points lie below U+20000 or in the tag block U+E0000-U+E0FFF (tests check all planes).
    planes = (*range(0x20000), *range(0xE0000, 0xE1000))
    return "".join(chr(c) for c in planes if unicodedata.category(chr(c)) == "Cf")


# Removed from decoded text: format characters and C0 controls except TAB, LF, FF, CR
# (FF marks a page break from pdftotext). VT stays out as well: no policy text needs it.
_FORMAT = _format_characters()
_INVISIBLE = re.compile("[" + re.escape(_FORMAT) + "\x00-\x08\x0b\x0e-\x1f\x7f]")


# The same characters as UTF-8 byte sequences: searching the bytes is about five times faster
# than the character class on the text, and most texts hold none of them.
_INVISIBLE_UTF8 = re.compile(b"|".join(re.escape(ch.encode("utf-8")) for ch in sorted(
    _FORMAT + "".join(map(chr, (*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))))))


def strip_invisible(text: str) -> str:
    """Text without format characters (U+200E, U+202B, U+FEFF …) and stray control characters."""
    if not _INVISIBLE_UTF8.search(text.encode("utf-8", "surrogatepass")):
        return text
    return _INVISIBLE.sub("", text)


def decode(data: bytes, name: str, errors: str = "strict") -> tuple[str, str]:
    """Return (text, encoding name). Raises InputError for empty, binary or undecodable input.

    errors="replace" reads a nearly clean file with U+FFFD for each bad byte instead of refusing it.
    """
    if errors not in ERROR_MODES:
        raise InputError(f"Unknown --errors mode {errors}: use --errors strict or --errors replace.")
    if not data.strip():
        raise InputError(f"{name} is empty: give a file that contains policy text.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, used = _with_bom(data[len(bom):], encoding, name, errors)
            return _checked(text, name), used
    if _control_share(data) > BINARY_CONTROL_SHARE:
        raise InputError(f"{name} looks like a binary file, not text: give a UTF-8 or GB18030 text file.")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" and _gb18030_in_disguise(text, data):
            text, encoding = data.decode("gb18030"), "gb18030"
        return _checked(text, name), encoding
    nearly = _nearly_clean(data)
    if nearly is not None:
        encoding, bad, first = nearly
        if errors == "replace":
            return _checked(data.decode(encoding, errors="replace"), name), encoding
        line = data.count(b"\n", 0, first) + 1
        raise InputError(
            f"{name} is {_NAMES[encoding]} except {bad} byte{'s' if bad > 1 else ''} that cannot be decoded, "
            f"the first at byte offset {first} (line {line}): fix {'them' if bad > 1 else 'it'}, "
            "or pass --errors replace to read each bad byte as U+FFFD."
        )
    text, encoding = _guess(data, name)
    return _checked(text, name), encoding


_THREE_BYTE_UTF8 = re.compile(b"[\xe0-\xff]")


def _gb18030_in_disguise(text: str, data: bytes) -> bool:
    """A short GB18030 text can be valid UTF-8 by accident (实施 = ʵʩ): every non-ASCII
    character then falls below U+0800 (Latin, Greek, Cyrillic …), which real Chinese UTF-8
    never does. Take GB18030 when it decodes cleanly into Chinese characters instead, unless
    the text reads as Western European (most non-ASCII characters in Latin-1: é, ü, ß …)."""
    if text.isascii() or _THREE_BYTE_UTF8.search(data):  # a character at or above U+0800
        return False
    accents = [ch for ch in text if ord(ch) > 0x7F]
    if sum("\u00a0" <= ch <= "\u00ff" for ch in accents) * 2 >= len(accents):
        return False
    try:
        other = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch for ch in other if ord(ch) > 0x7F]
    return sum("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in wide) * 2 > len(wide)


_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030"}


def _with_bom(body: bytes, encoding: str, name: str, errors: str) -> tuple[str, str]:
    label = "utf-8-sig" if encoding == "utf-8" else encoding.replace("-le", "").replace("-be", "")
    try:
        return body.decode(encoding), label
    except UnicodeDecodeError as exc:
        if errors == "replace":
            return body.decode(encoding, errors="replace"), label
        start = exc.start + len(next(bom for bom, enc in _BOMS if enc == encoding))
        raise InputError(
            f"{name} starts with a {label.upper()} byte-order mark but has a byte that cannot be decoded "
            f"at byte offset {start}: fix it, or pass --errors replace to read each bad byte as U+FFFD."
        ) from None


def _nearly_clean(data: bytes) -> tuple[str, int, int] | None:
    """(encoding, bad bytes, offset of the first) for the candidate with the fewest bad bytes,
    if that is few enough to call the file text in that encoding with a few damaged bytes."""
    best = None
    for encoding in ("utf-8", "gb18030"):
        bad, first = _bad_bytes(data, encoding)
        if best is None or bad < best[1]:
            best = (encoding, bad, first)
    if best and best[1] <= max(3, len(data) * NEARLY_CLEAN_SHARE):
        return best
    return None


_tally = threading.local()


def _count_bad(exc: UnicodeDecodeError):
    if _tally.first < 0:
        _tally.first = exc.start
    _tally.bad += exc.end - exc.start
    return "\ufffd", exc.end


codecs.register_error("policygraph-count", _count_bad)


def _bad_bytes(data: bytes, encoding: str) -> tuple[int, int]:
    """How many bytes fail to decode, and where the first one is (one pass)."""
    _tally.bad, _tally.first = 0, -1
    data.decode(encoding, errors="policygraph-count")
    return _tally.bad, _tally.first


def _guess(data: bytes, name: str) -> tuple[str, str]:
    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name} could not be decoded as text in any known encoding: save it as UTF-8 and retry.")
    encoding = CHINESE_FAMILY.get(best.encoding.lower().replace("_", ""), best.encoding)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = str(best)
    return text, encoding


def _checked(text: str, name: str) -> str:
    """The text without invisible characters, refused when nothing readable is left."""
    text = strip_invisible(text)
    if not text.strip():
        raise InputError(f"{name} holds no visible text (only blanks or invisible characters): "
                         "give a file that contains policy text.")
    return text


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / max(len(data), 1)
