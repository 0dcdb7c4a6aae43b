"""Lookups as people type them: document numbers in every printed form, titles once each and
ranked, agencies by any name form, places with their sub-divisions — on the corpus graph, the
CLI and `policygraph query` against the real Neo4j server."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policygraph.cli import app
from policygraph.errors import QueryError
from policygraph.graph.lineage import flatten, lineage_report
from policygraph.graph.lookup import find_agencies, find_documents, places_within, resolve_place
from policygraph.graph.queries import no_rows_message, parse_params
from policygraph.graph.report import document_report

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "north_china_2023.txt"

PRINTED_FORMS = ["国办发〔2022〕30号", "国办发[2022]30号", "国办发（2022）30号", "国办发(2022)30号",
                 "国办发〔2022〕第30号", "国办发【2022】30号", "国办发〔２０２２〕３０号", " 国办发 [2022] 第 30 号 "]


@pytest.mark.parametrize("form", PRINTED_FORMS)
def test_every_printed_form_finds_the_same_document(graph, form):
    assert find_documents(graph, form) == ("number", ["Document:国办发〔2022〕30号"])
    report = lineage_report(graph, form)
    assert [r["id"] for r in report["roots"]] == ["国办发〔2022〕30号"] and report["documents"] == 6
    assert document_report(graph, form)["id"] == "国办发〔2022〕30号"


def test_a_number_that_is_not_there_says_how_it_was_read(graph):
    with pytest.raises(QueryError, match=r"No document numbered 国办发\[2022\]31号 \(read as 国办发〔2022〕31号\)"):
        lineage_report(graph, "国办发[2022]31号")


def test_a_title_fragment_gives_each_document_once(graph):
    report = lineage_report(graph, "营商环境")
    ids = [r["id"] for r in flatten(report)]
    assert Counter(ids).most_common(1)[0][1] == 1, "a document listed twice"
    roots = [r["id"] for r in report["roots"]]
    # 晋政办发〔2023〕4号 matches the fragment too, but it sits under the national opinion it cites.
    assert roots[0] == "国办发〔2022〕30号" and "晋政办发〔2023〕4号" not in roots
    assert "晋政办发〔2023〕4号" in ids
    # Every document whose title holds the fragment is in the report.
    wanted = {a["key"] for _, a in graph.nodes(data=True) if a.get("label") == "Document" and "营商环境" in (a.get("title") or "")}
    assert wanted <= set(ids)


def test_exact_number_then_exact_title_then_fragment(graph):
    title = "北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知"
    assert find_documents(graph, "京政办发〔2023〕5号") == ("number", ["Document:京政办发〔2023〕5号"])
    assert find_documents(graph, title) == ("title", ["Document:京政办发〔2023〕5号"])
    how, found = find_documents(graph, "一业一证”改革实施方案")
    assert how == "fragment" and found[0] == "Document:京政办发〔2023〕5号" and len(found) == len(set(found)) >= 2
    with pytest.raises(QueryError, match="matches 2 documents"):
        document_report(graph, "一业一证”改革实施方案")


@pytest.mark.parametrize("query, places", [
    # 廊坊市's bureaus come from the bracket that closes a group of its numbered measures
    ("市场监管", {"北京市", "天津市", "太原市", "山西省", "张家口市", "廊坊市", "河北省", "通辽市"}),
    ("市场监管局", {"北京市", "太原市", "山西省", "张家口市", "廊坊市", "河北省", "通辽市"}),
    ("市场监督管理局", {"北京市", "太原市", "山西省", "张家口市", "廊坊市", "河北省", "通辽市"}),
    ("河北省市场监督管理局", {"河北省"}),
    ("河北省市场监管局", {"河北省"}),
    ("河北市场监管局", {"河北省"}),
    ("北京市场监管局", {"北京市"}),
    ("张家口市市场监督管理局", {"张家口市"}),
    ("发改委", {"北京市", "天津市", "太原市", "山西省", "张家口市", "廊坊市", "通辽市"}),
])
def test_agency_by_any_name_form(graph, query, places):
    assert {graph.nodes[n]["jurisdiction"] for n in find_agencies(graph, query)} == places


def test_places_with_their_sub_divisions(graph):
    assert resolve_place("河北") == resolve_place("河北省") == "河北省"
    inside = places_within(graph, "河北省")
    assert {"河北省", "廊坊市", "张家口市", "石家庄市", "三河市"} <= inside and "北京市" not in inside
    with pytest.raises(QueryError, match="No place called"):
        resolve_place("火星省")


def test_query_params_are_read_as_the_graph_stores_them():
    params = parse_params(["doc_number=国办发[2022] 第30号", "label=一业一证", "limit=5", "names=[\"a\"]"])
    assert params == {"doc_number": "国办发〔2022〕30号", "label": "一业一证", "limit": 5, "names": ["a"]}
    assert "nothing in the graph is named doc_number=国办发〔2022〕31号" in no_rows_message({"doc_number": "国办发〔2022〕31号"}, ["doc_number"])


def test_cli_lookups(tmp_path):
    graph = tmp_path / "g.json"
    assert runner.invoke(app, ["build", str(CORPUS), "--graph", str(graph), "--quiet", "--no-lineage"]).exit_code == 0
    for form in PRINTED_FORMS[1:4]:
        result = runner.invoke(app, ["lineage", form, "--graph", str(graph), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["roots"][0]["id"] == "国办发〔2022〕30号"
    result = runner.invoke(app, ["agency", "市场监管", "--graph", str(graph), "--json"])
    assert {"天津市", "张家口市", "河北省"} <= {r["jurisdiction"] for r in json.loads(result.output)["agencies"]}


@pytest.fixture(scope="module")
def neo4j_loaded(neo4j_server, extraction):
    from policygraph.server import local as server
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_neo4j import connect, load_graph_data

    driver = connect(neo4j_server.bolt_uri, "neo4j", server.read_password())
    try:
        load_graph_data(driver, graph_data(extraction), source="corpus")  # MERGE: a no-op when loaded
    finally:
        driver.close()
    return neo4j_server


def test_query_reads_any_printed_number_and_says_why_no_rows(neo4j_loaded):
    lineage = str(ROOT / "cypher" / "lineage_to_district.cypher")
    uri: list[str] = []  # the local server (POLICYGRAPH_BOLT_PORT), with its password file
    canonical = runner.invoke(app, ["query", lineage, "--param", "doc_number=国办发〔2022〕30号", "--json", *uri])
    printed = runner.invoke(app, ["query", lineage, "--param", "doc_number=国办发（2022）第30号", "--json", *uri])
    assert canonical.exit_code == printed.exit_code == 0, printed.output
    rows = json.loads(canonical.stdout)
    assert len(rows) >= 5 and json.loads(printed.stdout) == rows
    missing = runner.invoke(app, ["query", lineage, "--param", "doc_number=国办发[2022]31号", "--csv", *uri])
    assert missing.exit_code == 0 and missing.stdout == ""
    assert "No rows: nothing in the graph is named doc_number=国办发〔2022〕31号" in missing.stderr
