"""Measures of laws and regulations: their articles (第十二条).

A law, regulation, 规章 or 司法解释 states its rules article by article; chapters (`第一章 总则`,
`## 第二章 …`) and sections (`第一节`) only group them. Each article is one measure, keyed by
its label as printed (`第十二条`, `第一百二十条之一`), with its text (all its paragraphs) and
line span. Articles are recognised only at line starts and in sequence, so a cross-reference
such as `依照本法第十二条` in running text is never taken for one.

    >>> [m.key for m in article_measures(segment, "专利代理条例", body_start)][:2]
    ['第一条', '第二条']
"""
from __future__ import annotations

import re
from bisect import bisect_right

from policygraph.extract.models import Measure, NormalText, Segment
from policygraph.extract.segment import chinese_number

_NUMERAL = "[一二三四五六七八九十百千零]{1,7}"
# 第十二条 · 第一百二十条之一 — followed by the article's text (a space was removed by normalise)
_ARTICLE = re.compile(rf"第(?P<n>{_NUMERAL})条(?:之(?P<sub>{_NUMERAL}))?")
# 第一章 总则 · ##第二章 … · 第一节 … · 附则: groupings, not text of the article above them
_GROUPING = re.compile(rf"(?:#+\s*)?(?:第{_NUMERAL}[编章节]|附\s*则$|#)")
_MIN_ARTICLES = 2  # a lone 第一条 is a phrase, not a regulation
_FIRST_WITHIN = 1500  # characters of preamble (a 司法解释's 为…解释如下：) allowed before 第一条


def _article_lines(text: NormalText, body_start: int) -> list[tuple[int, re.Match]]:
    """(offset, match) of article labels at line starts, in sequence (1, 2, 3 …; 之一 repeats one)."""
    found: list[tuple[int, re.Match]] = []
    expected = 1
    for _, start, end in text.lines():
        if start < body_start:
            continue
        m = _ARTICLE.match(text.text, start, end)
        if not m:
            continue
        n = chinese_number(m.group("n"))
        if n == expected or (m.group("sub") and n == expected - 1):
            found.append((start, m))
            expected = n + 1
    return found


def regulation_articles(text: NormalText, body_start: int) -> list[tuple[int, re.Match]]:
    """The articles of a text whose body is a run of articles starting with 第一条 near the
    top (a regulation); [] for any other text."""
    articles = _article_lines(text, body_start)
    if len(articles) >= _MIN_ARTICLES and articles[0][0] - body_start <= _FIRST_WITHIN:
        return articles
    return []


def article_measures(segment: Segment, doc_id: str, body_start: int,
                     articles: list[tuple[int, re.Match]] | None = None) -> list[Measure]:
    """`articles`: regulation_articles of the segment's text, when the caller has them."""
    text = segment.text
    s = text.text
    articles = _article_lines(text, body_start) if articles is None else articles
    groupings = [start for _, start, end in text.lines() if start >= body_start and _GROUPING.match(s, start, end)]
    measures = []
    for n, (start, m) in enumerate(articles):
        end = articles[n + 1][0] if n + 1 < len(articles) else len(s)
        first_grouping = bisect_right(groupings, start)  # groupings are in text order
        if first_grouping < len(groupings) and groupings[first_grouping] < end:
            end = groupings[first_grouping]  # a chapter heading ends the article above it
        measures.append(Measure(
            id=f"{doc_id}/m{n + 1}",
            document=doc_id,
            key=m.group(0),
            text=s[m.end():end].strip(),
            lead_units=[],
            responsible_units=[],
            span=text.span(start, end),
            rule="article",
        ))
    return measures
