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

_OPEN = "〔\\[［【（(〖﹝"  # ﹝﹞: the small brackets some sites print
_CLOSE = "〕\\]］】）)〗﹞"

# 京市监发〔2023〕15号 · 国办发[2022]30号 · 冀政办字（2022）第152号 · 京建法【2020】10号
DOC_NUMBER = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,12}}?)\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]"
    rf"\s*第?\s*(?P<n>\d{{1,5}})\s*号"
)
_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


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
