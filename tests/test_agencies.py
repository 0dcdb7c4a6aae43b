"""Stage 5a: canonical agencies — relative names, abbreviations, party organs, branches, collectives."""
from __future__ import annotations

import pytest

from policygraph.extract.agencies import canonical_unit, split_joint_issuers
from policygraph.extract.resolve import document_jurisdiction, level_of

CASES = [
    # (unit as written, document jurisdiction, canonical name, kind)
    ("市市场监管局", "北京市", "北京市市场监督管理局", "government"),
    ("市法院", "通辽市", "通辽市中级人民法院", "court"),
    ("市委宣传部", "通辽市", "中共通辽市委宣传部", "party"),
    ("市委网信办", "天津市", "中共天津市委网络安全和信息化委员会办公室", "party"),
    ("北京银保监局", "北京市", "中国银行保险监督管理委员会北京监管局", "vertical"),
    ("人民银行天津分行", "天津市", "中国人民银行天津分行", "vertical"),
    ("住建局", "通辽市", "通辽市住房和城乡建设局", "government"),
    ("区市场监管局", "顺义区", "北京市顺义区市场监督管理局", "government"),
    ("省审批服务管理局", "山西省", "山西省行政审批服务管理局", "government"),
    ("天津港集团", "天津市", "天津港集团", "government"),
    ("晋阳海关", "太原市", "晋阳海关", "vertical"),
    ("各区政府", "北京市", "各区政府", "collective"),
    ("相关单位", "太原市", "相关单位", "collective"),
    ("市直有关部门单位", "通辽市", "市直有关部门单位", "collective"),
]


@pytest.mark.parametrize("unit, context, name, kind", CASES)
def test_canonical_unit(unit, context, name, kind):
    found = canonical_unit(unit, context)
    assert (found.name, found.kind) == (name, kind)


def test_gold_canonical_pairs(gold, extraction):
    """Every gold (surface, canonical) pair resolves in the context of its own document."""
    jurisdiction = {d.span.line_start: d.jurisdiction for d in extraction.documents if not d.stub}
    wrong = [p for p in gold["tasks"]["canonical"]
             if canonical_unit(p["surface"], jurisdiction[p["doc_line_start"]]).name != p["canonical"]]
    assert wrong == []


@pytest.mark.parametrize(
    "glued, parts",
    [
        ("北京市发展和改革委员会北京市商务局", ["北京市发展和改革委员会", "北京市商务局"]),
        ("中共通辽市委办公室通辽市人民政府办公室", ["中共通辽市委办公室", "通辽市人民政府办公室"]),
        ("北京市顺义区人民政府办公室", ["北京市顺义区人民政府办公室"]),
        ("北京经济技术开发区管理委员会", ["北京经济技术开发区管理委员会"]),
    ],
)
def test_split_joint_issuers(glued, parts):
    assert split_joint_issuers(glued) == parts


@pytest.mark.parametrize(
    "issuers, number, jurisdiction, level",
    [
        (["北京市顺义区人民政府办公室"], None, "顺义区", "district"),
        (["中共通辽市委办公室"], None, "通辽市", "municipal"),
        (["北京市交通委员会"], None, "北京市", "provincial"),
        (["国务院办公厅"], "国办发〔2022〕30号", "全国", "national"),
        ([], "冀政办字〔2022〕152号", "河北省", "provincial"),
    ],
)
def test_document_jurisdiction_and_level(issuers, number, jurisdiction, level):
    found = document_jurisdiction(issuers, number, None)
    assert found == jurisdiction and level_of(found) == level


def test_every_corpus_document_has_a_jurisdiction_and_level(extraction):
    docs = [d for d in extraction.documents if not d.stub]
    assert all(d.jurisdiction and d.level for d in docs)
    assert {d.level for d in docs} == {"provincial", "municipal", "district"}
