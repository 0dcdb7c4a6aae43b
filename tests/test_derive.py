"""Inferred implementation, measure derivation and shared text (issue 4), on the real corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygraph.graph.derive import LEVEL_RANK, derive_measures

LAWS = Path(__file__).parent / "fixtures" / "laws"
PAIRS = json.loads((Path(__file__).parent / "fixtures" / "derivation_pairs.json").read_text(encoding="utf-8"))["pairs"]


def test_hand_labelled_pairs_precision_and_recall(extraction, benchmark_script):
    """Issue 8 asks to keep the first labelled set's P 0.94 / R 0.75 (round 1's model, on the
    labels before adjudication; on the adjudicated labels that model scores P 1.000 / R 0.720).
    Through the build's document rule: P 1.000, R 0.920."""
    assert len(PAIRS) >= 40
    scores = benchmark_script("first_set_derivation").scores(extraction, True, PAIRS)
    assert scores["precision"] >= 0.94, scores["wrong"]
    assert scores["recall"] >= 0.90, scores["wrong"]


def test_hand_labelled_pairs_measure_model_alone(extraction, benchmark_script):
    """The measure model forced on every labelled document pair, even those the build never
    compares: P 0.920, R 0.920. Its two false positives pair 通辽's plan (2023-02-07) with
    内蒙古's 全区通办 list issued in May, which `may_derive` excludes."""
    scores = benchmark_script("first_set_derivation").scores(extraction, False, PAIRS)
    assert scores["precision"] >= 0.90 and scores["recall"] >= 0.90, scores["wrong"]
    assert {w["parent_document"] for w in scores["wrong"] if w["predicted"]} == {"内政办发〔2023〕39号"}


def test_no_derivation_from_a_later_document_unless_it_is_the_cited_basis(extraction):
    from policygraph.api import extract
    from policygraph.graph.derive import may_derive

    docs = {d.id: d for d in extraction.documents}
    tongliao, neimenggu = docs["通党办发〔2023〕1号"], docs["内政办发〔2023〕39号"]
    assert tongliao.date < neimenggu.date and tongliao.level == "municipal" and neimenggu.level == "provincial"
    assert not may_derive(tongliao, neimenggu, basis=False)
    assert may_derive(docs["顺政办发〔2023〕2号"], docs["京政办发〔2023〕5号"], basis=True)
    assert not may_derive(docs["京政办发〔2023〕5号"], docs["顺政办发〔2023〕2号"], basis=False)  # up the hierarchy
    # the Supreme People's Court's 2009 规定 names 行政许可法 as its basis; the collection holds
    # the law as revised in 2019, so its copy is dated ten years after the 规定
    laws = extract([LAWS / "司法解释" / "最高人民法院关于审理行政许可案件若干问题的规定(2009-12-14).md",
                    LAWS / "行政法" / "行政许可法(2019-04-23).md"], workers=1)
    rule, law = sorted((d for d in laws.documents if not d.stub), key=lambda d: d.date)
    assert rule.date < law.date and law.title == "中华人民共和国行政许可法"
    assert any(c.target == law.id and c.relation == "basis" for c in rule.cites)
    assert may_derive(rule, law, basis=True) and not may_derive(rule, law, basis=False)


def test_shunyi_restates_the_beijing_plan(graph):
    edges = [(u, v, a) for u, v, k, a in graph.edges(keys=True, data=True) if k == "DERIVES_FROM"
             and graph.nodes[u]["document"] == "顺政办发〔2023〕2号"]
    assert len(edges) >= 8
    assert all(graph.nodes[v]["document"] == "京政办发〔2023〕5号" for _, v, _ in edges)
    verbatim = next(a for u, v, a in edges if graph.nodes[u]["text"].startswith("规范实施，坚持依法审批"))
    assert verbatim["score"] >= 0.95 and "longest common run" in verbatim["evidence"]


def test_no_derivation_goes_up_the_hierarchy(graph):
    for u, v, k in graph.edges(keys=True):
        if k != "DERIVES_FROM":
            continue
        child_doc = graph.nodes[f"Document:{graph.nodes[u]['document']}"]
        parent_doc = graph.nodes[f"Document:{graph.nodes[v]['document']}"]
        assert LEVEL_RANK[child_doc["level"]] >= LEVEL_RANK[parent_doc["level"]]


def test_shared_text_between_documents_that_do_not_implement_each_other(graph):
    pairs = {(frozenset((graph.nodes[u]["document"], graph.nodes[v]["document"])), graph.nodes[u]["text"][:13])
             for u, v, k in graph.edges(keys=True) if k == "SHARES_TEXT_WITH"}
    assert (frozenset(("京市监发〔2023〕15号", "京发改〔2023〕20号")), "优化食品经营许可证办理流程") in pairs
    implementing = {(u, v) for u, v, k in graph.edges(keys=True) if k in ("IMPLEMENTS", "LIKELY_IMPLEMENTS")}
    for u, v, k in graph.edges(keys=True):
        if k == "SHARES_TEXT_WITH":
            a, b = f"Document:{graph.nodes[u]['document']}", f"Document:{graph.nodes[v]['document']}"
            assert (a, b) not in implementing and (b, a) not in implementing


def test_inferred_links_carry_evidence_and_score(graph, extraction):
    from policygraph.graph.derive import doc_views, infer_links

    views = doc_views(extraction.documents)
    inferred = {(link.child, link.parent): link for link in infer_links(views, min_score=0.0)}
    tongzhou = inferred[("通政办发〔2023〕5号", "京政办发〔2023〕5号")]
    # the reader can check every clause of the evidence against the two documents
    real = [d for d in extraction.documents if not d.stub]
    carrying = sum("一业一证" in d.reforms for d in real)
    assert f"一业一证 (in {carrying} of {len(real)} documents)" in tongzhou.evidence
    assert "通州区 lies in 北京市" in tongzhou.evidence and "dated 2023-04-10, after 2023-02-24" in tongzhou.evidence
    assert "no citation either way" in tongzhou.evidence and 0 < tongzhou.score <= 1
    for u, v, k, a in graph.edges(keys=True, data=True):
        if k == "LIKELY_IMPLEMENTS":
            assert a["inferred"] is True and a["score"] >= 0.35 and "no citation" in a["evidence"]
        if k in ("DERIVES_FROM", "SHARES_TEXT_WITH"):
            assert a["evidence"] and 0 < a["score"] <= 1
        if k == "DERIVES_FROM":
            assert "longest common run" in a["evidence"] and 0 <= a["tfidf_score"] <= 1 and 0 <= a["align_score"] <= 1


def test_an_explicit_basis_even_a_stub_outranks_inference(graph, extraction):
    """廊坊 names 冀办发〔2022〕151号 (not in the corpus) as its provincial basis: it must not be
    placed under the 应急管理 sector plan 冀应急〔2023〕4号 by inference (issue 9)."""
    from policygraph.graph.derive import doc_views, infer_links
    from policygraph.graph.lineage import flatten, lineage_report

    langfang = next(d.id for d in extraction.documents if d.title.startswith("廊坊市人民政府办公室印发"))
    assert "冀办发〔2022〕151号" in {c.target for d in extraction.documents if d.id == langfang for c in d.cites if c.relation == "basis"}
    assert graph.nodes["Document:冀办发〔2022〕151号"]["stub"]
    assert not [v for u, v, k in graph.out_edges(f"Document:{langfang}", keys=True) if k == "LIKELY_IMPLEMENTS"]
    assert not [link for link in infer_links(doc_views(extraction.documents), min_score=0.0) if link.child == langfang]
    rows = flatten(lineage_report(graph, "容缺受理"))
    assert not [r for r in rows if r["id"] == langfang and r["parent"] == "冀应急〔2023〕4号"]
    cited = {r["id"]: r["link"]["type"] for r in flatten(lineage_report(graph, "国办发〔2022〕30号")) if r["link"]}
    assert cited[langfang] == "cited"
    provincial = flatten(lineage_report(graph, "冀办发〔2022〕151号"))
    assert [(r["id"], r["parent"], r["link"]["type"]) for r in provincial if r["depth"]] == [(langfang, "冀办发〔2022〕151号", "cited")]


def test_hidden_citation_is_found_by_inference(extraction):
    """With its citation hidden, 顺义's 一业一证 plan is placed under the 北京 plan it implements."""
    import dataclasses

    from policygraph.graph.derive import doc_views, infer_links

    views = [dataclasses.replace(v, cites=set(), bases=set()) if v.id == "顺政办发〔2023〕2号" else v
             for v in doc_views(extraction.documents)]
    found = {(link.child, link.parent) for link in infer_links(views)}
    assert ("顺政办发〔2023〕2号", "京政办发〔2023〕5号") in found


@pytest.mark.parametrize("query", ["国办发〔2022〕30号", "一业一证"])
def test_lineage_json_marks_links_and_derived_measures(graph, query):
    from policygraph.graph.lineage import flatten, lineage_report

    rows = flatten(lineage_report(graph, query))
    for row in rows:
        assert {"level", "jurisdiction", "link", "derived"} <= set(row)
        if row["depth"]:
            assert row["link"]["type"] in ("cited", "inferred") and row["link"]["evidence"]
        for d in row["derived"]:
            assert set(d) >= {"measure", "parent_measure", "score", "evidence"}
    shunyi = next(r for r in rows if r["id"] == "顺政办发〔2023〕2号")
    assert shunyi["link"]["type"] == "cited" and len(shunyi["derived"]) >= 8


def test_reform_lineage_places_uncited_documents_as_inferred(graph):
    from policygraph.graph.lineage import lineage_report

    report = lineage_report(graph, "一业一证")
    beijing = next(r for r in report["roots"] if r["id"] == "京政办发〔2023〕5号")
    links = {c["id"]: c["link"]["type"] for c in beijing["children"]}
    assert links["顺政办发〔2023〕2号"] == "cited"
    assert links["通政办发〔2023〕5号"] == "inferred"
    # 京技管 names its basis (京政办发〔2023〕8号, a stub): no inferred parent for it
    assert "京技管发〔2023〕13号" not in links


def _copies(extraction, n):
    """The corpus measures n times over, as distinct documents (no new text: the worst case)."""
    import dataclasses

    return [dataclasses.replace(m, id=f"{m.id}#{k}", document=f"{m.document}#{k}") for k in range(n) for m in extraction.measures]


def test_candidate_work_grows_linearly(extraction):
    """Counts work, not time: the shingle index's pair-counting work (Σ texts-per-shingle²) and
    the candidates scored grow about linearly with the input, boilerplate cut off."""
    from policygraph.graph.candidates import MAX_TEXTS_PER_SHINGLE, candidate_pairs

    docs = sorted({m.document for m in extraction.measures})
    half = set(docs[::2])
    first = [m for m in extraction.measures if m.document in half]
    stats = {}
    for name, measures in (("half", first), ("all", extraction.measures), ("x4", _copies(extraction, 4))):
        stats[name] = candidate_pairs([m.text for m in measures], [m.document for m in measures]).stats
    size = {"half": sum(len(m.text) for m in first), "all": sum(len(m.text) for m in extraction.measures)}
    ratio = size["all"] / size["half"]
    assert stats["all"].work <= 1.5 * ratio * stats["half"].work
    assert stats["all"].candidates <= 1.5 * ratio * max(stats["half"].candidates, 1) + 50
    # copies are the worst case (every shingle repeated): the cut-off bounds each shingle's
    # postings, so the work stays within a constant of the index size
    for s in stats.values():
        assert s.work <= MAX_TEXTS_PER_SHINGLE * s.shingles
    assert stats["x4"].work <= 4 * 4 * stats["all"].work


def test_boilerplate_is_flagged_not_linked(extraction):
    from policygraph.graph.derive import shared_text

    links, boilerplate, stats = shared_text(_copies(extraction, 16), set())
    assert boilerplate and stats.doc_cutoff < 16
    assert not links  # text carried by 16 documents is boilerplate: no pairwise links


def test_derivations_are_deterministic(extraction):
    """Same input, same output, whatever the order of the records."""
    import dataclasses

    from policygraph.graph.derive import derive

    first = derive(extraction)
    shuffled = dataclasses.replace(extraction, measures=list(reversed(extraction.measures)),
                                   documents=list(reversed(extraction.documents)))
    second = derive(shuffled)
    for name in ("inferred", "derived", "shared", "boilerplate"):
        assert sorted(map(repr, getattr(first, name))) == sorted(map(repr, getattr(second, name)))
    assert repr(first.derived) == repr(derive(extraction).derived)
