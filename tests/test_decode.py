"""Decoding (extract/decode.py) on real corpus text in every encoding a site or editor uses."""
from __future__ import annotations

import sys
import unicodedata

import pytest

from policygraph.errors import InputError
from policygraph.extract.decode import _INVISIBLE, decode, strip_invisible


@pytest.fixture(scope="module")
def chinese_lines(corpus_lines):
    return [line for line in corpus_lines if line.strip() and not line.isascii()]


def test_every_single_corpus_line_in_gb18030_decodes_to_itself(chinese_lines):
    """A short GB18030 text is often valid UTF-8 by accident (实施 → ʵʩ) or looks like cp949 or
    Shift-JIS to a statistical guess; each of the ~9,700 lines must come back unchanged."""
    wrong = [line for line in chinese_lines if decode(line.encode("gb18030"), "line")[0] != line]
    assert wrong == []
    assert len(chinese_lines) > 9000


def test_every_single_corpus_line_in_utf8_decodes_to_itself(chinese_lines):
    assert [line for line in chinese_lines if decode(line.encode("utf-8"), "line")[0] != line] == []


def test_three_line_gb18030_slices_are_read(corpus_lines):
    slices = ["\n".join(corpus_lines[i:i + 3]) for i in range(0, len(corpus_lines) - 3, 3)]
    slices = [s for s in slices if s.strip()]
    assert all(decode(s.encode("gb18030"), "slice") == (s, "gb18030") or s.isascii() for s in slices)


def test_title_with_document_number_is_not_misread_as_korean():
    title = "京政办发〔2023〕5号"
    assert decode(title.encode("gb18030"), "t") == (title, "gb18030")


def test_western_european_utf8_stays_utf8():
    text = "Café, naïve résumé — Größe"
    assert decode(text.encode("utf-8"), "t") == (text, "utf-8")


@pytest.mark.parametrize("encoding, label", [("utf-16", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32")])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(corpus_lines, encoding, label):
    text = "\n".join(corpus_lines[348:360])
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode(data, "doc.txt") == (text, label)


def test_truncated_utf16_says_where():
    data = "京政办发".encode("utf-16")[:-1]
    with pytest.raises(InputError) as exc:
        decode(data, "doc.txt")
    assert str(exc.value) == ("doc.txt starts with a UTF-16 byte-order mark but has a byte that cannot be decoded "
                              "at byte offset 8: fix it, or pass --errors replace to read each bad byte as U+FFFD.")


def test_one_stray_byte_at_the_end_of_the_corpus_gives_offset_and_line(corpus_lines):
    data = "\n".join(corpus_lines).encode("gb18030") + b"\xff"
    with pytest.raises(InputError) as exc:
        decode(data, "big.txt")
    assert str(exc.value) == (
        f"big.txt is GB18030 except 1 byte that cannot be decoded, the first at byte offset {len(data) - 1} "
        f"(line {len(corpus_lines)}): fix it, or pass --errors replace to read each bad byte as U+FFFD.")
    text, encoding = decode(data, "big.txt", errors="replace")
    assert encoding == "gb18030" and text == "\n".join(corpus_lines) + "\ufffd"


def test_a_few_bad_bytes_in_utf8_are_counted(corpus_lines):
    body = "\n".join(corpus_lines[:100]).encode("utf-8")
    data = body[:5000] + b"\x80" + body[5000:6000] + b"\xc0" + body[6000:]
    with pytest.raises(InputError, match=r"is UTF-8 except 2 bytes that cannot be decoded, the first at byte offset 5000 \(line \d+\): fix them"):
        decode(data, "x.txt")


def test_unknown_errors_mode():
    with pytest.raises(InputError, match="Unknown --errors mode ignore: use --errors strict or --errors replace."):
        decode(b"text", "x.txt", errors="ignore")


def test_one_nul_in_a_large_text_is_noise_not_binary(corpus_lines):
    text = "\n".join(corpus_lines[:2000])
    data = text.encode("utf-8")
    data = data[:100_000] + b"\x00" + data[100_000:]
    decoded, _ = decode(data, "x.txt")
    assert decoded == text  # the NUL is dropped, nothing else changes


def test_nul_bytes_after_the_first_kilobytes_are_seen(corpus_lines):
    text = "\n".join(corpus_lines[:200]).encode("utf-8")
    data = text + bytes(range(32)) * 2000  # a text header followed by a binary body
    with pytest.raises(InputError, match="looks like a binary file"):
        decode(data, "x.bin")


def test_bidi_marks_at_line_start_do_not_merge_documents(corpus_lines, tmp_path):
    """U+200E / U+202B before each numbered header used to hide the headers: 8 documents became 1."""
    from policygraph.extract.pipeline import extract_corpus

    beijing = corpus_lines[:1670]  # the 8 北京 documents
    marked = [("\u200e" if i % 2 else "\u202b") + line if line[:2].rstrip(".").isdigit() else line
              for i, line in enumerate(beijing)]
    path = tmp_path / "marked.txt"
    path.write_text("\n".join(marked), encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(beijing), encoding="utf-8")
    ids = [d.id for d in extract_corpus([path]).documents if not d.stub]
    assert len(ids) == 8
    assert ids == [d.id for d in extract_corpus([plain]).documents if not d.stub]


def test_every_format_character_is_stripped():
    every_cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert all(_INVISIBLE.fullmatch(ch) for ch in every_cf)
    assert all(strip_invisible(f"京{ch}政") == "京政" for ch in every_cf + [chr(c) for c in range(32) if chr(c) not in "\t\n\f\r"])
    assert strip_invisible("\ufeff京\u200b政\u00ad办\u2066发\u2069") == "京政办发"
    assert strip_invisible("表\t格\f下一页\r\n") == "表\t格\f下一页\r\n"


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b" \n\t\r\n", "is empty"),
    ("\u3000" * 500, "holds no visible text"),
    ("\u200e\u202b\u200b\ufeff" * 50, "holds no visible text"),
    (bytes(range(1, 9)) * 100, "looks like a binary file"),
])
def test_non_documents_are_refused(data, message):
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(InputError, match=message):
        decode(raw, "x.txt")
