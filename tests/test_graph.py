"""Graph building, provenance, the embedded store and lineage on the real corpus."""
from __future__ import annotations

import networkx as nx

from policygraph.graph.lineage import flatten, lineage_report
from policygraph.graph.store_nx import counts, export_graphml, load, save


def test_every_node_and_relationship_has_provenance(graph):
    for _, attrs in graph.nodes(data=True):
        assert attrs.get("name"), attrs
        assert attrs.get("source_path") and isinstance(attrs.get("line_start"), int), attrs
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        assert attrs.get("source_path") and attrs.get("line_start") is not None, (u, k, v)


def test_provenance_points_at_the_text(graph, corpus_lines):
    measure = next(a for _, a in graph.nodes(data=True)
                   if a["label"] == "Measure" and a.get("lead_units")
                   and a.get("text", "").startswith("优化食品经营许可证办理流程"))
    span = "".join(corpus_lines[measure["line_start"] - 1:measure["line_end"]])
    assert "优化食品经营许可证办理流程" in span and "市市场监管局牵头" in span


def test_labels_and_relationship_types(graph):
    summary = counts(graph)
    assert set(summary["nodes"]) >= {"Document", "Agency", "Measure", "Jurisdiction"}
    assert set(summary["relationships"]) >= {"ISSUED", "CITES", "IMPLEMENTS", "HAS_MEASURE", "LEADS",
                                             "RESPONSIBLE_FOR", "IN_JURISDICTION", "PART_OF"}
    corpus_docs = [a for _, a in graph.nodes(data=True) if a["label"] == "Document" and not a["stub"]]
    assert len(corpus_docs) == 27


def test_joint_issuers_each_issue(graph):
    issuers = {graph.nodes[u]["name"] for u, v, k in graph.in_edges("Document:京发改〔2023〕20号", keys=True) if k == "ISSUED"}
    assert issuers == {"北京市发展和改革委员会", "北京市商务局"}


def test_save_load_roundtrip_and_graphml(graph, tmp_path):
    path = save(graph, tmp_path / "g.json")
    again = load(path)
    assert counts(again) == counts(graph)
    assert again.nodes["Document:京政办发〔2023〕5号"]["title"] == graph.nodes["Document:京政办发〔2023〕5号"]["title"]
    gml = export_graphml(graph, tmp_path / "g.graphml")
    assert nx.read_graphml(gml).number_of_nodes() == graph.number_of_nodes()


def test_lineage_of_the_national_opinion(graph):
    report = lineage_report(graph, "国办发〔2022〕30号")
    root = report["roots"][0]
    assert root["doc_number"] == "国办发〔2022〕30号" and root["stub"] and root["level"] == "national"
    children = {c["doc_number"] or c["title"][:6]: c for c in root["children"]}
    assert set(children) == {"京市监发〔2023〕15号", "京政办发〔2023〕5号", "晋政办发〔2023〕4号", "廊坊市人民政"}
    assert all(c["link"]["type"] == "cited" for c in root["children"])
    under_beijing = {g["doc_number"]: g["link"]["type"] for g in children["京政办发〔2023〕5号"]["children"]}
    assert under_beijing["顺政办发〔2023〕2号"] == "cited"
    # 通州区 cites neither document and implements 京政办发〔2023〕8号 (not in the corpus): its
    # shared labels with the 一业一证 plan stay below the calibrated inference threshold.
    assert "通政办发〔2023〕5号" not in under_beijing


def test_lineage_by_title_fragment_and_missing_query(graph):
    report = lineage_report(graph, "北京市推广“一业一证”改革实施方案")
    assert [r["doc_number"] for r in report["roots"]] == ["京政办发〔2023〕5号"]
    import pytest

    from policygraph.errors import QueryError

    with pytest.raises(QueryError, match="Nothing matches"):
        lineage_report(graph, "不存在的文件")


def test_flatten_lists_each_document_once(graph):
    rows = flatten(lineage_report(graph, "国办发〔2022〕30号"))
    assert len(rows) == len({r["id"] for r in rows}) == 6  # the national opinion, 4 cited children, 顺义
    assert next(r for r in rows if r["doc_number"] == "顺政办发〔2023〕2号")["depth"] == 2


def test_pdf_pages_are_part_of_the_provenance(graph, corpus_lines):
    doc = graph.nodes["Document:京政办发〔2023〕5号"]
    # The header (line 349) follows the "# Page 111:" marker; the number (line 352) is on page 112.
    assert (doc["page_start"], doc["line_start"]) == (111, 349)
    marker = max(i for i in range(doc["line_start"]) if corpus_lines[i - 1].startswith("# Page"))
    assert corpus_lines[marker - 1] == f"# Page {doc['page_start']}:"
