"""The Neo4j layer against the project's real Neo4j server (never a mock).

The tests empty the local server's database before loading the corpus.
"""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policygraph.cli import app
from policygraph.errors import Neo4jUnavailable
from policygraph.graph.build import graph_data
from policygraph.graph.lineage import lineage_report
from policygraph.graph.queries import declared_params, header, run_query_text
from policygraph.graph.store_neo4j import connect, counts, load_graph_data, to_networkx

ROOT = Path(__file__).resolve().parent.parent
CYPHER = sorted(p for p in (ROOT / "cypher").glob("*.cypher") if p.name != "schema.cypher")
runner = CliRunner()


@pytest.fixture(scope="module")
def driver(neo4j_server):
    from policygraph.server import local as server

    drv = connect(neo4j_server.bolt_uri, "neo4j", server.read_password())
    drv.execute_query("MATCH (n) DETACH DELETE n")
    yield drv
    drv.close()


@pytest.fixture(scope="module")
def loaded(driver, extraction):
    data = graph_data(extraction)
    load_graph_data(driver, data, source="corpus")
    return data


def test_constraints_exist(driver, loaded):
    records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties")
    found = {(r["labelsOrTypes"][0], r["properties"][0]) for r in records}
    for label in ("Document", "Agency", "Jurisdiction", "Measure", "Reform", "Platform"):
        assert (label, "key") in found


def test_counts_equal_the_embedded_graph(driver, loaded, graph):
    from policygraph.graph.store_nx import counts as nx_counts

    assert counts(driver) == loaded.counts() == nx_counts(graph)


def test_second_load_changes_no_count(driver, loaded):
    before = counts(driver)
    written = load_graph_data(driver, loaded, source="corpus")
    assert written["nodes_created"] == 0 and written["relationships_created"] == 0
    assert counts(driver) == before


def test_second_corpus_adds_and_replace_removes_it(driver, loaded, tmp_path):
    from policygraph.extract.pipeline import extract_corpus

    before = counts(driver)
    doc = tmp_path / "web.txt"
    doc.write_text("某某市人民政府办公室关于印发某某市推行“一业一证”改革工作方案的通知\n某政办发〔2023〕9号\n"
                   "各区人民政府：\n为贯彻落实《北京市推广“一业一证”改革实施方案》，制定本方案。\n"
                   "一、推行一业一证（市市场监管局牵头，市政务服务局配合）\n某某市人民政府办公室\n2023年6月1日\n",
                   encoding="utf-8")
    second = graph_data(extract_corpus([doc]))
    load_graph_data(driver, second, source=str(doc))
    after = counts(driver)
    # The new document only: the plan it cites by title is already in Neo4j (京政办发〔2023〕5号
    # issued it), so the stub the second extraction made is resolved against it.
    assert after["nodes"]["Document"] == before["nodes"]["Document"] + 1
    records, _, _ = driver.execute_query(
        "MATCH (:Document {key: '某政办发〔2023〕9号'})-[c:CITES]->(t:Document) RETURN t.key AS target, c.relation AS relation")
    assert [(r["target"], r["relation"]) for r in records] == [("京政办发〔2023〕5号", "basis")]
    assert after["nodes"]["Measure"] == before["nodes"]["Measure"] + 1
    load_graph_data(driver, second, source=str(doc), replace=True)
    assert counts(driver) == after
    from policygraph.graph.store_neo4j import forget_source

    forget_source(driver, str(doc))
    assert counts(driver) == before


@pytest.mark.parametrize("path", CYPHER, ids=[p.name for p in CYPHER])
def test_every_cypher_file_runs_with_its_documented_columns(driver, loaded, path):
    text = path.read_text(encoding="utf-8")
    about = header(text)
    assert about.startswith("Question:") and "Example result" in about
    columns = [c.strip() for c in re.search(r"Columns:\s*([^\n(]+)", about).group(1).split(",")]
    rows = run_query_text(driver, text, declared_params(text))
    assert rows, f"{path.name} returned no rows on the corpus"
    assert list(rows[0].keys()) == columns


def test_at_least_ten_research_queries():
    assert len(CYPHER) >= 10


def test_query_is_read_only(driver, loaded):
    from policygraph.errors import QueryError

    with pytest.raises(QueryError):
        run_query_text(driver, "CREATE (n:Document {key: 'x'}) RETURN n", {})


def test_lineage_from_neo4j_equals_embedded(driver, loaded, graph):
    for query in ("国办发〔2022〕30号", "一业一证"):
        assert lineage_report(to_networkx(driver), query) == lineage_report(graph, query)


def test_wrong_password_is_refused_plainly(neo4j_server, monkeypatch):
    with pytest.raises(Neo4jUnavailable, match="refused the user name or password"):
        connect(neo4j_server.bolt_uri, "neo4j", "not-the-password")
    monkeypatch.setenv("NEO4J_URI", neo4j_server.bolt_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    result = runner.invoke(app, ["stats", "--backend", "neo4j", "--json"])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: Neo4j at {neo4j_server.bolt_uri} refused the user name or password: "
                                     "check NEO4J_USER and NEO4J_PASSWORD.")


def test_server_down_is_said_plainly():
    with pytest.raises(Neo4jUnavailable, match="is not reachable"):
        connect("bolt://127.0.0.1:1", "neo4j", "x")


def test_cli_stats_and_lineage_on_neo4j(driver, loaded):
    result = runner.invoke(app, ["stats", "--backend", "neo4j", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == loaded.counts()
    result = runner.invoke(app, ["lineage", "国办发〔2022〕30号", "--backend", "neo4j", "--json"])
    assert json.loads(result.output)["documents"] == 6  # the calibrated threshold leaves no inferred link in the seed


def test_cli_query_csv(driver, loaded):
    result = runner.invoke(app, ["query", str(ROOT / "cypher" / "implementing_documents.cypher"), "--csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "doc_number,title,issuers,date,cue,line"
    assert lines[1].startswith("顺政办发〔2023〕2号,")


def test_browser_is_served(neo4j_server):
    with urllib.request.urlopen(f"{neo4j_server.http_url}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "Neo4j Browser" in response.read().decode("utf-8", "replace")


def test_inferred_and_derived_links_carry_evidence_in_neo4j(driver, loaded):
    records, _, _ = driver.execute_query(
        "MATCH ()-[r:LIKELY_IMPLEMENTS|DERIVES_FROM|SHARES_TEXT_WITH]->() "
        "RETURN type(r) AS type, count(*) AS n, sum(CASE WHEN r.evidence IS NULL OR r.score IS NULL THEN 1 ELSE 0 END) AS bare")
    found = {r["type"]: (r["n"], r["bare"]) for r in records}
    assert {"DERIVES_FROM", "SHARES_TEXT_WITH"} <= set(found)  # the seed has no inferred link above the calibrated threshold
    assert all(n > 0 and bare == 0 for n, bare in found.values())
    records, _, _ = driver.execute_query(
        "MATCH (c:Measure)-[:DERIVES_FROM]->(p:Measure) MATCH (cd:Document {key: c.document}), (pd:Document {key: p.document}) "
        "RETURN cd.level AS child, pd.level AS parent")
    rank = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}
    assert records and all(rank[r["child"]] >= rank[r["parent"]] for r in records)


def test_diffusion_from_neo4j_equals_embedded(driver, loaded, graph):
    from policygraph.graph.report import diffusion_report

    assert diffusion_report(to_networkx(driver), "一业一证") == diffusion_report(graph, "一业一证")


def test_a_failed_batch_is_one_sentence_and_a_rerun_completes(driver, loaded, graph):
    from policygraph.graph.schema import GraphData, Node
    from policygraph.graph.store_nx import counts as nx_counts

    # A node property Neo4j cannot store (a list mixing numbers and text) fails its batch.
    broken = GraphData(loaded.nodes[:50] + [Node("Document", "broken", {"name": "x", "mixed": [1, "a"]})] + loaded.nodes[50:],
                       loaded.rels)
    with pytest.raises(Neo4jUnavailable, match=r"^Neo4j refused a batch .*run `policygraph load` again"):
        load_graph_data(driver, broken, source="corpus", batch_size=20)
    driver.execute_query("MATCH (n:Document {key: 'broken'}) DETACH DELETE n")
    load_graph_data(driver, loaded, source="corpus")
    assert counts(driver) == nx_counts(graph)


def test_cli_load_against_a_server_that_is_down(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = runner.invoke(app, ["load", "--quiet"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: Neo4j at bolt://127.0.0.1:1 is not reachable: start it "
                                     "(`policygraph neo4j start`) or check NEO4J_URI.")


def test_routing_uri_scheme(neo4j_server, loaded):
    """neo4j:// (routing) URIs, as Aura and clusters use, work against the same server."""
    from policygraph.server import local as server

    uri = neo4j_server.bolt_uri.replace("bolt://", "neo4j://")
    drv = connect(uri, "neo4j", server.read_password())
    try:
        assert counts(drv) == loaded.counts()
    finally:
        drv.close()
