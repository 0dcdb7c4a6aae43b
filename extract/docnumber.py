"""发文字号 (document numbers) in every printed form, and the one canonical form the graph keys on.

Sites and PDFs print the same number as 国办发〔2022〕30号, 国办发[2022]30号, 国办发（2022）30号,
国办发(2022)30号, 国办发【2022】30号, 国办发﹝2022﹞30号, 国办发〔2022〕第30号, with full-width digits or stray
spaces. The canonical form is `prefix〔year〕n号` with ASCII digits and no leading zeros; the
form as written is kept beside it wherever the graph stores a number.

    >>> canonical("国办发[2022] 第30号")
    '国办发〔2022〕30号'
"""
from __future__ import annotations

import re
from typing import Iterator

_OPEN = "〔\\[［【（(〖﹝"  # ﹝﹞: the small brackets some sites print
_CLOSE = "〕\\]］】）)〗﹞"

# 〔2023〕15号 · [2022]30号 · （2022）第152号 · 【2020】10号: everything after the prefix
_YEAR_AND_NUMBER = rf"[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*第?\s*(?P<n>\d{{1,5}})\s*号"
_MAX_PREFIX = 12
# 京市监发〔2023〕15号 · 国办发[2022]30号 · 冀政办字（2022）第152号 · 京建法【2020】10号
DOC_NUMBER = re.compile(rf"(?P<prefix>[\u4e00-\u9fff]{{1,{_MAX_PREFIX}}}?)\s*{_YEAR_AND_NUMBER}")
_BRACKETED_YEAR = re.compile(_YEAR_AND_NUMBER)
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def find_doc_numbers(text: str) -> Iterator[re.Match]:
    """The matches of `DOC_NUMBER.finditer(text)`, found ~30 times faster in long texts.

    DOC_NUMBER begins with Han characters, so the regex engine tries it at nearly every
    position of a Chinese text. Its bracketed year is rare and starts with a bracket, which
    the engine finds quickly: find that first, then match DOC_NUMBER only from the few
    characters before it where its prefix can start (at most _MAX_PREFIX Han characters,
    then spaces). Brackets never overlap, so the matches are the same, in the same order."""
    resume = 0  # like finditer, a match starts no earlier than where the previous one ended
    for year in _BRACKETED_YEAR.finditer(text):
        prefix_end = year.start()
        while prefix_end > resume and text[prefix_end - 1].isspace():
            prefix_end -= 1
        m = DOC_NUMBER.search(text, max(resume, prefix_end - _MAX_PREFIX), year.end())
        if m:
            resume = m.end()
            yield m


# A 发文字号 prefix never holds a genre word: in text whose lines were run together
# (…行动方案的通知卫政办发〔2025〕26号) the prefix starts after the title's last one.
_GLUED_TITLE_END = re.compile(r".*(?:通知|意见|方案|决定|办法|规定|条例|细则|措施|要点|规划|批复|公告|通告|报告|决议|纪要)")


def unglued_prefix_start(m: re.Match) -> int:
    """Where the real prefix of a DOC_NUMBER match begins: after a title run into it, if any."""
    glued = _GLUED_TITLE_END.match(m.group("prefix"))
    if glued and len(m.group("prefix")) - glued.end() >= 2:
        return m.start("prefix") + glued.end()
    return m.start()


def format_doc_number(m: re.Match) -> str:
    """The canonical form of a DOC_NUMBER match."""
    return f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('n'))}号"


def canonical(text: str | None) -> str | None:
    """The canonical form of a number typed or printed in any form; None when `text` holds none.

    The whole string must be the number (surrounding spaces allowed): this is for lookups and
    stored values, not for searching running text."""
    if not text:
        return None
    s = text.strip().translate(_FULLWIDTH_DIGITS)
    m = DOC_NUMBER.fullmatch(s)
    return format_doc_number(m) if m else None


def same_number(a: str | None, b: str | None) -> bool:
    ca, cb = canonical(a), canonical(b)
    return ca is not None and ca == cb
