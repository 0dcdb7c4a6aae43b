"""Stage 4d: reform labels and platforms from the lexicon, on real text and edge cases."""
from __future__ import annotations

import pytest

from policygraph.extract.lexicon import reforms
from policygraph.extract.reforms import find_labels, labels


def _labels(text: str, kind: str = "reform") -> list[str]:
    return labels(find_labels(text), kind)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("以“双随机、一公开”为基本手段", ["双随机、一公开"]),
        ("推行双随机一公开监管", ["双随机、一公开"]),
        ("开展“双随机”抽查", ["双随机"]),  # alone, it is its own label
        ("在电梯等场景开展“6+4”综合监管改革", ["6+4一体化综合监管"]),
        ("推行“一业一证”改革，实现“一证准营”", ["一业一证", "一证准营"]),
        ("持续深化“放管服”\n改革", ["放管服"]),
        ("推进“一件事一次办”", ["一件事一次办"]),
        ("实现企业开办“只跑一次”", ["最多跑一次"]),
    ],
)
def test_reform_labels(text, expected):
    assert _labels(text) == expected


def test_longest_match_wins():
    hits = find_labels("全面推行“双随机、一公开”监管")
    assert [h.label for h in hits] == ["双随机、一公开"]
    assert hits[0].surface == "双随机、一公开"


def test_platforms_and_slogans_are_not_reforms():
    text = "通过“京通”小程序办理，压实“一把手”责任，打通“最后一公里”"
    assert _labels(text) == []
    assert _labels(text, "platform") == ["京通"]


def test_corpus_documents_carry_their_reforms(extraction):
    by_number = {d.doc_number: d for d in extraction.documents if d.doc_number}
    assert "一业一证" in by_number["京政办发〔2023〕5号"].reforms
    assert "京通" in by_number["京政办发〔2023〕5号"].platforms
    assert "全区通办" in by_number["内政办发〔2023〕39号"].reforms
    measures = [m for m in extraction.measures if m.document == "京政办发〔2023〕5号" and "一业一证" in m.reforms]
    assert measures


def test_lexicon_examples_match_their_own_label():
    wrong = []
    for row in reforms():
        for example in row.get("examples", []):
            if row["label"] not in _labels(example):
                wrong.append((row["label"], example))
    assert wrong == []
