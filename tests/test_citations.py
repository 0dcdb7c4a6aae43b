"""Stage 4c: citations on real text — basis vs reference, planned documents, resolution."""
from __future__ import annotations

import json
import re
from pathlib import Path

from policygraph.extract.lexicon import DATA
from policygraph.extract.pipeline import extract_text

HELDOUT = Path(__file__).parent / "fixtures" / "external_heldout" / "docs"


def _doc(extraction, line):
    return next(d for d in extraction.documents if not d.stub and d.span.line_start == line)


def test_title_and_number_are_one_basis_citation(extraction):
    cites = _doc(extraction, 349).cites  # 京政办发〔2023〕5号
    assert [(c.title, c.doc_number, c.relation) for c in cites] == [
        ("国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见", "国办发〔2022〕30号", "basis")]
    assert cites[0].span.line_start == 362 and cites[0].cue == "为贯彻落实"


def test_title_only_citation_resolves_to_the_numbered_stub(extraction):
    # 京市监发〔2023〕15号 cites the 国办 opinion by title only; 京政办发〔2023〕5号 gives its number.
    cite = _doc(extraction, 83).cites[0]
    assert cite.doc_number is None and cite.relation == "basis"
    assert cite.target == "国办发〔2022〕30号"
    stub = next(d for d in extraction.documents if d.id == "国办发〔2022〕30号")
    assert stub.stub and stub.issuers == ["国务院办公厅"] and stub.level == "national"


def test_citation_resolves_to_a_corpus_document(extraction):
    cite = _doc(extraction, 1162).cites[0]  # 顺义区 → 京政办发〔2023〕5号, nested 〈〉 title
    assert cite.doc_number == "京政办发〔2023〕5号" and cite.relation == "basis"
    assert cite.title.startswith("北京市人民政府办公厅关于印发〈北京市推广")
    assert cite.target == _doc(extraction, 349).id


def test_planned_documents_and_own_attachments_are_not_citations(extraction):
    titles = {c.title for c in _doc(extraction, 83).cites}
    assert "北京市行政检查项梳理规则" not in titles  # 制定《…》
    assert not {"北京市经营者反垄断合规指引", "北京市平台算法反垄断合规指引"} & titles  # 研究制定《A》《B》
    own = {c.title for c in _doc(extraction, 603).cites}
    assert "清理隐性壁垒优化消费营商环境任务清单" not in own  # 本方案所附《…》


def test_body_mentions_are_references_even_with_a_cue(extraction):
    cites = {c.doc_number: c for c in _doc(extraction, 3744).cites}  # 张家口: 按照《…》要求 in the body
    assert cites["冀政办字〔2022〕31号"].relation == "reference"


def test_two_bases_in_one_clause(extraction):
    cites = _doc(extraction, 3568).cites  # 根据国务院办公厅《…》（国办发〔2022〕35号）和省政府办公厅《…》（…152号）
    assert [(c.doc_number, c.relation) for c in cites] == [("国办发〔2022〕35号", "basis"), ("冀政办字〔2022〕152号", "basis")]


def test_citations_in_a_flattened_table_are_read_from_reassembled_cells(extraction):
    titles = [c.title for c in _doc(extraction, 1673).cites]
    assert "天津市轨道交通和城市道路桥梁建设项目设计变更管理办法" in titles
    assert all("序号" not in t for t in titles)


def test_forms_and_certificates_are_not_documents():
    text = ("关于印发某方案的通知\n为贯彻落实《某某市优化营商环境条例》，企业提交《建设工程竣工联合验收综合告知承诺书》"
            "并领取《第二类医疗器械经营备案凭证》，参加《你好，体验官》活动。\n")
    extraction = extract_text(text)
    assert [c.title for d in extraction.documents if not d.stub for c in d.cites] == ["某某市优化营商环境条例"]


def test_cue_examples_in_the_data_file_match_their_patterns():
    cues = json.loads((DATA / "citation_cues.json").read_text(encoding="utf-8"))
    for example in cues["basis_examples"]:
        assert re.search(cues["basis"], example.split("《")[0]), example
    for example in cues["planned_examples"]:
        assert re.search(f"(?:{cues['planned']})$", example.split("《")[0]), example
    for example in cues["not_basis_examples"]:
        assert re.search(cues["not_basis"], example.split("《")[0]), example
    for example in cues["spirit_examples"]:
        assert re.match(cues["spirit"], example.split("》", 1)[1]), example
    for example in cues["enactment_examples"]:
        assert re.search(cues["enactment"], example.split("》")[-1]), example


def test_an_attached_rule_names_its_basis_after_the_notice_preamble():
    """阿里地区行政公署 prints its 工作规则 under the notice that issues it; the rule's first
    section says 根据《宪法》和《地方组织法》以及《…准则》《…条例》，参照《国务院工作规则》和
    《西藏自治区人民政府工作规则》，结合实际，制定本规则: four bases (the enactment formula,
    though past the notice's own preamble) and two models (参照), which stay references."""
    from policygraph.api import extract

    doc = next(d for d in extract([HELDOUT / "xizang_ali_xingshu_gongzuo_guize_2021.txt"]).documents if not d.stub)
    relations = {c.title: c.relation for c in doc.cites}
    assert relations["中华人民共和国宪法"] == "basis"
    assert relations["中华人民共和国地方各级人民代表大会和地方各级人民政府组织法"] == "basis"
    assert relations["中国共产党党内监督条例"] == "basis"
    assert relations["国务院工作规则"] == "reference"
    assert relations["西藏自治区人民政府工作规则"] == "reference"


def test_the_first_article_of_a_regulation_states_its_basis(extraction):
    # 晋政办发〔2023〕30号 (办法): 第一条 …根据《网络安全法》《数据安全法》《个人信息保护法》…制定本办法。
    cites = {c.title: c.relation for c in _doc(extraction, 4935).cites}
    assert cites["中华人民共和国网络安全法"] == "basis"
    assert cites["中华人民共和国个人信息保护法"] == "basis"
    assert cites["数据出境安全评估办法"] == "reference"  # cited in a later article
