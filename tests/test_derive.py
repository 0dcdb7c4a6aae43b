"""Inferred implementation, measure derivation and shared text (issue 4), on the real corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygraph.graph.derive import LEVEL_RANK, derive_measures

PAIRS = json.loads((Path(__file__).parent / "fixtures" / "derivation_pairs.json").read_text(encoding="utf-8"))["pairs"]


def _find(extraction, doc, head):
    found = [m for m in extraction.measures if m.document == doc and m.text.startswith(head)]
    assert found, (doc, head)
    return found[0]


def test_hand_labelled_pairs_precision_and_recall(extraction):
    assert len(PAIRS) >= 40
    tp = fp = fn = 0
    for pair in PAIRS:
        child = _find(extraction, pair["child_document"], pair["child_head"])
        parent = _find(extraction, pair["parent_document"], pair["parent_head"])
        parents = [m for m in extraction.measures if m.document == pair["parent_document"]]
        predicted = any(link.other == parent.id for link in derive_measures([child], parents))
        tp += predicted and pair["derives"]
        fp += predicted and not pair["derives"]
        fn += (not predicted) and pair["derives"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.85, precision
    assert recall >= 0.70, recall


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
    pairs = {(graph.nodes[u]["document"], graph.nodes[v]["document"], graph.nodes[u]["text"][:13])
             for u, v, k in graph.edges(keys=True) if k == "SHARES_TEXT_WITH"}
    assert ("京市监发〔2023〕15号", "京发改〔2023〕20号", "优化食品经营许可证办理流程") in pairs
    implementing = {(u, v) for u, v, k in graph.edges(keys=True) if k in ("IMPLEMENTS", "LIKELY_IMPLEMENTS")}
    for u, v, k in graph.edges(keys=True):
        if k == "SHARES_TEXT_WITH":
            a, b = f"Document:{graph.nodes[u]['document']}", f"Document:{graph.nodes[v]['document']}"
            assert (a, b) not in implementing and (b, a) not in implementing


def test_inferred_links_carry_evidence_and_score(graph):
    inferred = [(u, v, a) for u, v, k, a in graph.edges(keys=True, data=True) if k == "LIKELY_IMPLEMENTS"]
    assert ("Document:通政办发〔2023〕5号", "Document:京政办发〔2023〕5号") in {(u, v) for u, v, _ in inferred}
    for _, _, a in inferred:
        assert a["inferred"] is True and 0 < a["score"] <= 1 and "no citation" in a["evidence"]
    for u, v, k, a in graph.edges(keys=True, data=True):
        if k in ("DERIVES_FROM", "SHARES_TEXT_WITH"):
            assert a["evidence"] and 0 < a["score"] <= 1


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
    assert links["通政办发〔2023〕5号"] == "inferred" and links["京技管发〔2023〕13号"] == "inferred"
