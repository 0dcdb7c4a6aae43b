"""Stage 4c — citations: references to other, existing documents.

A citation is a 《title》, a 发文字号, or both (`《国务院办公厅关于…的意见》（国办发〔2022〕30号）`
is one citation). It is a `basis` when the document says it implements that one — a cue
such as 为贯彻落实 / 根据 / 按照 / 依据 before it, in the preamble (before the first outline
heading) — and a `reference` otherwise. Documents still to be written (研究制定《…》,
出台《…》), the document's own attachments, forms and certificates are not citations.
The cue lists live in data/citation_cues.json so researchers can extend them.
"""
from __future__ import annotations

import re

from policygraph.extract.lexicon import citation_cues, doc_number_prefixes
from policygraph.extract.docnumber import find_doc_numbers
from policygraph.extract.metadata import DOC_NUMBER, format_doc_number
from policygraph.extract.models import Citation, NormalText
from policygraph.extract.pagefields import parse_line
from policygraph.extract.segment import outline_labels

# 《…》（国办发〔2022〕30号） · 《…》（国办发[2022]第30号，以下简称《意见》）: any printed form of the number
_NUMBER_AFTER = re.compile(rf"^（(?P<num>{DOC_NUMBER.pattern})(?:[，、；][^（）]*)?）")


_LONGEST_TITLE = 250  # a 《 still open after this many characters was never closed (a typo)


_TITLE_BRACKETS = re.compile("[《》]")


def _titles(text: str, start: int, end: int):
    """《…》 spans at bracket depth one, so nested 〈〉 or 《《》》 stay inside the outer title; a
    title nested with 《》 inside another (《关于修改〈…适用《中华人民共和国工会法》…〉的决定》) is
    yielded too, after it, as the innermost 《…》 it is."""
    opened: list[int] = []
    for bracket in _TITLE_BRACKETS.finditer(text, start, end):  # only the brackets, not every character
        i, ch = bracket.start(), bracket.group()
        if ch == "《":
            if opened and i - opened[0] > _LONGEST_TITLE:
                opened = []
            opened.append(i)
        elif ch == "》" and opened:
            open_at = opened.pop()
            if not opened:
                yield open_at, i + 1, text[open_at + 1:i]
            elif "《" not in text[open_at + 1:i]:
                yield open_at, i + 1, text[open_at + 1:i]


def _is_document_title(title: str) -> bool:
    cues = citation_cues()
    core = re.sub(r"[（(][^（）()]*[）)]$", "", title)  # drop "（2022年版）", "（试行）"
    if len(core) < 3 or re.search(cues["generic_titles"], core):
        return False
    if re.search(cues["not_document_end"], core):
        return False
    return bool(re.search(cues["document_end"], core))


def _preamble_end(text: NormalText, body_start: int) -> int:
    """The preamble runs to the first top-level heading after the document's own title."""
    labels = outline_labels(text, body_start)  # read only as far as needed
    for label in labels:
        if label.kind == "art" and label.number == 1:
            # 办法/条例: the basis is stated in 第一条 ("根据《…》…制定本办法"), so it belongs to the
            # preamble, which ends at the next article, else where the next label of any kind starts.
            own_end = len(text.text)
            for n, later in enumerate(labels):
                if later.kind == "art":
                    return later.start
                if n == 0:
                    own_end = later.start
            return own_end
        if label.kind == "h1" and label.number == 1:
            return label.start
    return min(len(text.text), body_start + 1200)


def extract_citations(
    text: NormalText,
    body_start: int,
    own_number: str | None,
    own_titles: list[str],
    tables: list | None = None,
    history: tuple[int, int] | None = None,
) -> list[Citation]:
    """Citations of one document. Inside flattened tables the raw text interleaves cells, so
    titles there are read from each row's reassembled content instead. `history` is the span of
    a law's enactment history (…《关于修改〈…〉的决定》修正): its titles are references."""
    skip = [(t.start, t.end) for t in tables or []] + _information_box(text) + _own_title_spans(text.text, own_titles)
    found = _citations_in(text, body_start, own_number, own_titles, skip, history=history)
    for table in tables or []:
        for row in table.rows:
            line = text.line_of(row.start)
            cell = NormalText(text.path, row.content, [0], [line])
            found.extend(_citations_in(cell, 0, own_number, own_titles, [], in_preamble=False))
    return _merge(found)


def _citations_in(
    text: NormalText,
    body_start: int,
    own_number: str | None,
    own_titles: list[str],
    skip: list[tuple[int, int]],
    in_preamble: bool = True,
    history: tuple[int, int] | None = None,
) -> list[Citation]:
    cues = citation_cues()
    s = text.text
    planned = re.compile(f"(?:{cues['planned']})$")
    basis_cue = re.compile(cues["basis"])
    preamble_end = _preamble_end(text, body_start) if in_preamble else -1
    own = {_title_key(t) for t in own_titles if t}
    found: list[Citation] = []
    consumed: list[tuple[int, int]] = []
    chain_end, chain_planned = -1, False
    for start, end, title in _titles(s, 0, len(s)):
        if any(a <= start < b for a, b in skip):
            continue
        # 《A》《B》 or 《A》、《B》 share the words in front of the first: 研究制定《A》《B》.
        chained = 0 <= start - chain_end <= 1 and s[chain_end:start] in ("", "、", "和", "及")
        number = written = None
        after = _NUMBER_AFTER.match(s[end:end + 60])
        if after:
            number, written = format_doc_number(after), after.group("num")
            consumed.append((end, end + after.end()))
        in_history = bool(history) and history[0] <= start < history[1]
        if start < body_start and not number and not in_history:
            continue  # the front matter names the document itself or what it issues
        before = s[max(0, start - 12):start]
        is_planned = chain_planned if chained else bool(planned.search(before))
        chain_end, chain_planned = (after and end + after.end()) or end, is_planned
        if is_planned or re.search(r"(?:以下简称|简称|所附|随附|附件\d{0,2}：?)$", before):
            continue
        if _title_key(title) in own or not _is_document_title(title):
            continue
        if number and own_number and number == own_number:
            continue
        found.append(_citation(text, title, number, start, end, -1 if in_history else preamble_end, basis_cue))
        found[-1].doc_number_as_written = written
        heading_cue = re.search(r"(?:实施|执行|适用)$", before)
        if in_history and heading_cue and text.line_of(start) == text.line_of(0):
            # 重庆市实施《中华人民共和国国家赔偿法》办法: the heading says what the text implements
            found[-1].relation, found[-1].cue = "basis", heading_cue.group(0)
    for m in find_doc_numbers(s):
        if any(a <= m.start() < b for a, b in consumed + skip) or m.start() < body_start:
            continue
        if _LETTERHEAD.search(m.group("prefix")):
            continue  # `…许昌市人民政府文件许政〔2020〕21号`: another page's letterhead glued in, not a cite
        number = clean_number(format_doc_number(m))
        if number == own_number:
            continue
        found.append(_citation(text, None, number, m.start(), m.end(), preamble_end, basis_cue))
        # the printed form without the words that clean_number dropped from the prefix
        found[-1].doc_number_as_written = m.group(0)[len(m.group("prefix")) - len(number.split("〔", 1)[0]):]
    return found


_LETTERHEAD = re.compile(r"(?:人民政府|办公厅|办公室|委员会)文件")


def _own_title_spans(s: str, own_titles: list[str]) -> list[tuple[int, int]]:
    """Where the document's own title is printed with a 《title》 inside it (天津市贯彻落实《扎实稳住
    经济的一揽子政策措施》实施方案): that 《》 is part of the document's name, not a citation of its own
    (the document it names is cited where the text gives its number or full title)."""
    spans = []
    for title in {t for t in own_titles if t and "《" in t}:
        start = s.find(title)
        while start >= 0:
            spans.append((start, start + len(title)))
            start = s.find(title, start + 1)
    return spans


def _information_box(text: NormalText) -> list[tuple[int, int]]:
    """The web page's own 标题 / 发文字号 / 发文机关 … lines at the top: the document's metadata, never citations."""
    return [(start, end) for _, start, end in text.lines()[:60]
            if end - start <= 300 and parse_line(text.text[start:end])]  # a whole one-line page is not a box


_ISSUER_BEFORE = re.compile(
    r"(?:^|[，、和及与；]|根据|按照|依据|依照|落实|贯彻|为)(?P<issuer>国务院|(?:国务院|国家|中共|省|市|[\u4e00-\u9fff]{2,6}[省市区县])"
    r"[\u4e00-\u9fff]{0,16}?(?:办公厅|办公室|总局|委员会|厅|局|部|委|院|政府|署))$"
)


def _citation(text: NormalText, title, number, start, end, preamble_end, basis_cue) -> Citation:
    s = text.text
    before = _ISSUER_BEFORE.search(s[max(0, start - 24):start])
    clause_start = max(s.rfind(ch, 0, start) for ch in "。；！？")
    clause = s[clause_start + 1:start]
    cue = None
    if start < preamble_end or (preamble_end >= 0 and _states_basis_after(s, end)):
        cue = _basis_cue(clause, basis_cue)
    return Citation(
        title=title,
        doc_number=number,
        relation="basis" if cue else "reference",
        span=text.span(start, end),
        cue=cue,
        issuer=re.sub(r"^(?:根据|按照|依据|依照|落实|贯彻|为)+", "", before.group("issuer")) if before and title else None,
    )


def _basis_cue(clause: str, basis_cue) -> str | None:
    """The last basis cue before the title in its clause, unless a later 参照/参考 takes over
    (根据《宪法》…，参照《国务院工作规则》: the second is a model, not a basis)."""
    m = None
    for m in basis_cue.finditer(clause):
        pass
    if m is None:
        return None
    later = re.compile(citation_cues()["not_basis"]).search(clause, m.end())
    return None if later else m.group(0)


def _states_basis_after(s: str, end: int) -> bool:
    """What follows the title makes a basis of it wherever it stands: 《…》（国发〔2021〕24号）精神
    (carrying out its spirit), or a sentence that goes on to 制定本规则 / 制定本办法 … (the
    enactment formula: a notice's attached 工作规则 says it in its first section, after the
    notice's own preamble)."""
    cues = citation_cues()
    if re.match(cues["spirit"], s[end:end + 60]):
        return True
    stop = s.find("。", end)
    return bool(re.search(cues["enactment"], s[end:stop if stop >= 0 else len(s)]))


def clean_number(number: str) -> str:
    """`按照京政办发〔2023〕8号` → `京政办发〔2023〕8号`: running text glues words to a bare number,
    so keep the longest known prefix, or drop the cue words in front of it."""
    prefix, rest = number.split("〔", 1)
    known = [p["prefix"] for p in doc_number_prefixes() if prefix.endswith(p["prefix"])]
    if known:
        prefix = max(known, key=len)
    else:
        prefix = re.sub(r"^.*(?:按照|根据|依据|依照|落实|贯彻|执行|参照|印发|关于|的|和|及|与|、|是|在|对|照)", "", prefix)
    return f"{prefix}〔{rest}"


def _title_key(title: str) -> str:
    return re.sub(r"[《》〈〉“”\"'‘’\s]", "", title)


def _merge(citations: list[Citation]) -> list[Citation]:
    """One citation per cited document: the same number, or the same title, is one item."""
    merged: list[Citation] = []
    for c in citations:
        twin = next(
            (
                m
                for m in merged
                if (c.doc_number and m.doc_number == c.doc_number)
                or (c.title and m.title and _title_key(m.title) == _title_key(c.title)
                    and not (c.doc_number and m.doc_number and c.doc_number != m.doc_number))
            ),
            None,
        )
        if twin is None:
            merged.append(c)
            continue
        twin.title = twin.title or c.title
        twin.issuer = twin.issuer or c.issuer
        if not twin.doc_number:
            twin.doc_number, twin.doc_number_as_written = c.doc_number, c.doc_number_as_written
        if c.relation == "basis" and twin.relation != "basis":
            twin.relation, twin.cue = "basis", c.cue
    return merged
