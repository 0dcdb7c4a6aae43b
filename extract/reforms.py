"""Stage 4d — reform labels and platform names, matched from the lexicons.

Matching runs an Aho–Corasick automaton (ahocorasick-rs, leftmost-longest) over the text with
quotation marks removed, so `“双随机、一公开”`, `双随机、一公开` and `“6+4”一体化综合监管` all
match their lexicon entries; overlapping hits resolve leftmost-longest (双随机 inside 双随机、一公开
is not a second label). Slogans and brands (一把手, 最后一公里) sit in the same automaton so a
longer slogan can shadow a label inside it, and are never reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick_rs

from policygraph.extract.lexicon import platforms, reforms, slogans

_QUOTES = re.compile(r"[“”\"‘’'「」『』\s]")


@dataclass(frozen=True)
class Hit:
    start: int  # offset in the original text
    end: int
    label: str
    kind: str  # reform | platform | slogan
    surface: str


def _strip(text: str) -> tuple[str, list[int]]:
    """Text without quotes, and for each kept character its offset in the original."""
    kept, index, at = [], [], 0
    for quote in _QUOTES.finditer(text):  # whole runs between quotes at once: no per-character loop
        kept.append(text[at:quote.start()])
        index.extend(range(at, quote.start()))
        at = quote.end()
    kept.append(text[at:])
    index.extend(range(at, len(text)))
    return "".join(kept), index


@dataclass(frozen=True)
class _Automaton:
    search: ahocorasick_rs.AhoCorasick | None  # None when the lexicons are empty
    entries: list[tuple[str, str]]  # (label, kind) of each pattern, by pattern index


@lru_cache(maxsize=None)
def automaton() -> _Automaton:
    entries: dict[str, tuple[str, str]] = {}
    for row in slogans():
        for form in [row["phrase"], *row.get("variants", [])]:
            entries.setdefault(_strip(form)[0], (row["phrase"], "slogan"))
    for row in platforms():
        for form in [row["name"], *row.get("variants", [])]:
            entries[_strip(form)[0]] = (row["name"], "platform")
    for row in reforms():
        for form in [row["label"], *row.get("variants", [])]:
            entries[_strip(form)[0]] = (row["label"], "reform")
    forms = [form for form in entries if form]
    if not forms:
        return _Automaton(None, [])
    search = ahocorasick_rs.AhoCorasick(forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return _Automaton(search, [entries[form] for form in forms])


def find_labels(text: str) -> list[Hit]:
    """All reform/platform hits in text, leftmost-longest, without overlaps and slogans."""
    # most texts hold no quotes: then offsets in the stripped text are offsets in the text
    stripped, index = _strip(text) if _QUOTES.search(text) else (text, None)
    auto = automaton()
    if not stripped or auto.search is None:
        return []
    hits: list[Hit] = []
    for pattern, start, end in auto.search.find_matches_as_indexes(stripped):
        label, kind = auto.entries[pattern]
        if kind == "slogan":
            continue  # matched so that it shadows the labels inside it, never reported
        o_start, o_end = (index[start], index[end - 1] + 1) if index else (start, end)
        hits.append(Hit(o_start, o_end, label, kind, text[o_start:o_end]))
    return hits


def labels(hits: list[Hit], kind: str) -> list[str]:
    seen: list[str] = []
    for h in hits:
        if h.kind == kind and h.label not in seen:
            seen.append(h.label)
    return seen
