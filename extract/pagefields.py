"""The labelled information box of government web pages (索引号 / 发文机关 / 发文字号 / 成文日期 …).

One place knows the labels (data/page_fields.json), so the HTML reader that emits them and the
metadata stage that reads them agree. A labelled line is `label：value` (full-width colon after
normalisation); the value runs to the end of the line, or to the next label when a site printed
the whole box on one line.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from policygraph.extract.lexicon import DATA

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


@lru_cache(maxsize=None)
def labels() -> dict[str, str]:
    """label → field (title, doc_number, issuer, date, other)."""
    data = json.loads((DATA / "page_fields.json").read_text(encoding="utf-8"))
    return {label: field for field, names in data.items() if not field.startswith("_") for label in names}


def canonical_label(text: str) -> str | None:
    """`索 引 号：` → `索引号` when it is a known label, else None."""
    label = _SPACES.sub("", text).rstrip("：:").strip("[]【】")
    return label if label in labels() else None


@lru_cache(maxsize=None)
def label_pattern() -> str:
    """Alternation of every label, longest first (有效主题分类 before 主题分类)."""
    return "|".join(re.escape(label) for label in sorted(labels(), key=len, reverse=True))


@lru_cache(maxsize=None)
def _labelled_line() -> re.Pattern:
    return re.compile(rf"^(?P<label>{label_pattern()})[：:](?P<value>.*)$")


@lru_cache(maxsize=None)
def _next_label() -> re.Pattern:
    return re.compile(rf"(?:{label_pattern()})：")


@lru_cache(maxsize=None)
def _bare_labels() -> re.Pattern:
    """Labels of three or more characters, which are safe to recognise without their colon."""
    long = sorted((label for label in labels() if len(label) >= 3), key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in long))


def _with_colons(line: str) -> str:
    """A box row copied as text loses its colons: `索引号\t000014349/2019-00005\t主题分类\t…`
    (cells of a TAB row) or, once spaces are gone, `发文字号国发〔2019〕1号发布日期2019年1月18日`.
    Put the colons back when the row starts with a label and names at least two."""
    if "\t" in line or "|" in line:  # `[索引号]|…|[发文字号]|…|`, `名称：|…|` rows too
        cells = [c.strip() for c in re.split(r"[\t|]", line)]
        if canonical_label(cells[0]):
            return "".join(f"{canonical_label(c)}：" if canonical_label(c) else c for c in cells)
        return line
    if not _bare_labels().match(line):
        return line  # the row must start with a label: no need to look for the others
    bare = list(_bare_labels().finditer(line))
    ends = [m.end() for m in bare]
    starts = [m.start() for m in bare[1:]] + [len(line)]
    every_label_has_a_value = all(start > end for end, start in zip(ends, starts))
    if len(bare) >= 2 and bare[0].start() == 0 and every_label_has_a_value and "：" not in line[:bare[0].end() + 1]:
        return _bare_labels().sub(lambda m: m.group(0) + "：", line)
    return line


def parse_line(line: str) -> list[tuple[str, str, str]]:
    """(field, label, value) of each label on a normalised line; [] if it is not a labelled line.

    `发文机关：国务院成文日期：2019年1月3日` (a box flattened onto one line) gives two fields."""
    m = _labelled_line().match(line) if "|" not in line else None
    if not m:
        m = _labelled_line().match(_with_colons(line))
    if not m:
        return []
    out = []
    label, rest = m.group("label"), m.group("value")
    while True:
        nxt = _next_label().search(rest)
        value = rest[:nxt.start()] if nxt else rest
        out.append((labels()[label], label, value.strip()))
        if not nxt:
            return out
        label, rest = rest[nxt.start():nxt.end() - 1], rest[nxt.end():]
