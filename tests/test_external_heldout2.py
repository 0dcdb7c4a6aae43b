"""The second held-out set (tests/fixtures/external_heldout2): 11 real documents whose gold was
written and committed before the extraction ever ran on them, scored as `policygraph eval` does.

Comments give the first, blind figures. Four general fixes followed them (headings above a web
page's content block, a site label glued to the headline with 丨, a note sentence after the units
inside an attribution's brackets, 《…》精神 as a basis wherever it stands); raise a floor when a fix lifts a figure, never edit the gold to
fit the output.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.evaluate import evaluate, load_gold

HELDOUT = Path(__file__).parent / "fixtures" / "external_heldout2"

FLOORS = {
    "documents.found": 0.99,  # 1.000 (11 of 11)
    "documents.title": 0.95,  # 0.818 blind: the <h2> title above the content block, 政务服务丨 before the headline
    "documents.date": 0.95,  # 1.000
    "documents.doc_number": 0.95,  # 0.909 blind: the <h4> number above the content block
    "documents.issuers_f1": 0.95,  # 0.909 blind: 政务服务丨 glued to the issuer
    "citations.f1": 0.95,  # 1.000
    "citations.relation_accuracy": 0.95,  # 0.900 blind, 1.000 since 根据《…》（国发〔2021〕24号）精神 is a basis past the preamble too
    # 0.400 blind, 0.800 now. Left: units a note carries to the measures after it (以下…不再单独列出), and
    # 等有关部门 kept as a unit, as the seed gold keeps the collective after 等 (等行业主管部门)
    "tasks.f1": 0.75,
    "tasks.canonical_accuracy": 0.95,  # 1.000
    "reforms.f1": 0.95,  # 1.000
}


@pytest.fixture(scope="module")
def scores():
    from policygraph.extract.export import as_json
    from policygraph.extract.pipeline import extract_corpus

    return evaluate(as_json(extract_corpus([HELDOUT / "docs"])), load_gold([HELDOUT])).figures


@pytest.mark.parametrize("measure, floor", sorted(FLOORS.items()))
def test_heldout2_score_floor(scores, measure, floor):
    assert scores[measure] >= floor, f"{measure} = {scores[measure]:.3f} < {floor}"


def test_a_title_and_number_printed_above_the_content_block():
    """河南's page prints <h2>河南省人民政府<br>关于印发…<br>实施方案的通知</h2><h4>豫政〔2022〕20号</h4>
    above <div class="content">, whose text outweighs them: both are read, before the content."""
    from policygraph.extract.pipeline import extract_corpus

    doc = next(d for d in extract_corpus([HELDOUT / "docs" / "henan_yingshang_chuangxin_shifan_2022.html"]).documents
               if not d.stub)
    assert doc.title == "河南省人民政府关于印发河南省优化营商环境创新示范实施方案的通知"
    assert doc.doc_number == "豫政〔2022〕20号"


def test_carrying_out_the_spirit_of_a_document_is_a_basis_wherever_it_stands():
    """河南's plan states its national basis in section 二, past its preamble: 根据《国务院关于开展
    营商环境创新试点工作的意见》（国发〔2021〕24号）精神，结合我省实际…"""
    from policygraph.extract.pipeline import extract_corpus

    doc = next(d for d in extract_corpus([HELDOUT / "docs" / "henan_yingshang_chuangxin_shifan_2022.html"]).documents
               if not d.stub)
    cite = next(c for c in doc.cites if c.doc_number == "国发〔2021〕24号")
    assert cite.relation == "basis"
