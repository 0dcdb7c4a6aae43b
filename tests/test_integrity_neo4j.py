"""Data integrity on the real Neo4j server: incremental loads in either order, a server killed
mid-load, a write refused midway, two loads at once, and credentials that never leak.

Inputs are real text: the 北京 part of the corpus (documents 1-6, with 京政办发〔2023〕5号) and
the 顺义 plan (顺政办发〔2023〕2号, GB18030), whose preamble cites
《北京市人民政府办公厅关于印发〈北京市推广“一业一证”改革实施方案〉的通知》（京政办发〔2023〕5号）.
Loaded alone, the 顺义 file makes 京政办发〔2023〕5号 a stub. These tests empty the database.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from policygraph.graph.build import graph_data
from policygraph.graph.lineage import lineage_report
from policygraph.graph.store_neo4j import BOOKKEEPING, connect, counts, load_graph_data, to_networkx
from policygraph.graph.store_nx import counts as nx_counts
from policygraph.graph.store_nx import to_networkx as nx_graph

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BEIJING = HOSTILE / "beijing_1_6.txt"
SHUNYI = HOSTILE / "shunyi_gb18030.txt"
PLAN = "京政办发〔2023〕5号"
PLAN_TITLE = "北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知"


def _extract(path: Path):
    from policygraph.extract.pipeline import extract_corpus

    return graph_data(extract_corpus([path]))


@pytest.fixture(scope="module")
def parts():
    return {BEIJING: _extract(BEIJING), SHUNYI: _extract(SHUNYI)}


@pytest.fixture(scope="module")
def password(neo4j_server):
    from policygraph.server import local as server

    return server.read_password()


@pytest.fixture()
def driver(neo4j_server, password):
    drv = connect(neo4j_server.bolt_uri, "neo4j", password)
    drv.execute_query("MATCH (n) DETACH DELETE n")
    yield drv
    drv.close()


def _dump(drv) -> tuple[dict, dict]:
    g = to_networkx(drv)
    nodes = {n: dict(a) for n, a in g.nodes(data=True)}
    edges = {(u, v, k): dict(a) for u, v, k, a in g.edges(keys=True, data=True)}
    return nodes, edges


def _cli_env(neo4j_server, password) -> dict:
    return {**os.environ, "NEO4J_URI": neo4j_server.bolt_uri, "NEO4J_PASSWORD": password,
            "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT.parent))}


@pytest.mark.parametrize("order", [(BEIJING, SHUNYI), (SHUNYI, BEIJING)], ids=["corpus-first", "district-first"])
def test_a_stub_never_overwrites_a_real_document(driver, parts, order):
    for path in order:
        load_graph_data(driver, parts[path], source=str(path))
    records, _, _ = driver.execute_query(
        "MATCH (d:Document {key: $key}) RETURN properties(d) AS p", key=PLAN)
    plan = records[0]["p"]
    assert plan["stub"] is False
    assert plan["title"] == PLAN_TITLE
    assert (plan["source_path"], plan["line_start"], plan["line_end"]) == (str(BEIJING), 349, 477)
    assert plan["established_by"] == str(BEIJING)
    assert sorted(plan["sources"]) == sorted(str(p) for p in order)
    # The real document's own properties, exactly as the 北京 extraction made them.
    real = next(n for n in parts[BEIJING].nodes if n.label == "Document" and n.key == PLAN)
    assert {k: v for k, v in plan.items() if k not in (*BOOKKEEPING, "key")} == \
        {k: v for k, v in real.props.items() if v is not None}
    # One jurisdiction link (the real one), and the 顺义 plan's basis citation points at it.
    records, _, _ = driver.execute_query(
        "MATCH (:Document {key: $key})-[r:IN_JURISDICTION]->(j) RETURN j.key AS j, r.source_path AS src", key=PLAN)
    assert [(r["j"], r["src"]) for r in records] == [("北京市", str(BEIJING))]
    records, _, _ = driver.execute_query(
        "MATCH (:Document {key: '顺政办发〔2023〕2号'})-[c:CITES]->(t:Document) RETURN t.key AS t, c.relation AS rel")
    assert [(r["t"], r["rel"]) for r in records] == [(PLAN, "basis")]
    report = lineage_report(to_networkx(driver), PLAN)
    assert report["roots"][0]["stub"] is False  # lineage --backend neo4j: not "(not in corpus)"


def _one_after_the_other(neo4j_server, password, parts) -> list:
    """The whole graph after loading the two files in each order, on an emptied database."""
    dumps = []
    for order in ((BEIJING, SHUNYI), (SHUNYI, BEIJING)):
        drv = connect(neo4j_server.bolt_uri, "neo4j", password)
        try:
            drv.execute_query("MATCH (n) DETACH DELETE n")
            for path in order:
                load_graph_data(drv, parts[path], source=str(path))
            dumps.append(_dump(drv))
        finally:
            drv.close()
    return dumps


def test_both_load_orders_give_the_same_graph(neo4j_server, password, parts):
    dumps = _one_after_the_other(neo4j_server, password, parts)
    assert dumps[0] == dumps[1]


def test_reloading_the_district_file_changes_nothing(driver, parts):
    load_graph_data(driver, parts[BEIJING], source=str(BEIJING))
    load_graph_data(driver, parts[SHUNYI], source=str(SHUNYI))
    before = _dump(driver)
    load_graph_data(driver, parts[SHUNYI], source=str(SHUNYI))
    assert _dump(driver) == before
    # --replace of the district file takes back only what it added.
    from policygraph.graph.store_neo4j import forget_source

    forget_source(driver, str(SHUNYI))
    nodes, _ = _dump(driver)
    assert nodes[f"Document:{PLAN}"]["title"] == PLAN_TITLE
    assert counts(driver) == parts[BEIJING].counts()


def test_the_embedded_store_keeps_the_real_document_whatever_the_order(parts):
    from policygraph.extract.models import Extraction
    from policygraph.extract.pipeline import extract_corpus

    a, b = extract_corpus([BEIJING]), extract_corpus([SHUNYI])
    # A stub with the real document's key listed first (as a merge of two extractions would).
    merged = Extraction(documents=b.documents + a.documents, measures=b.measures + a.measures,
                        agencies=a.agencies + [x for x in b.agencies if x.id not in {y.id for y in a.agencies}],
                        reforms=a.reforms, platforms=a.platforms, jurisdictions=a.jurisdictions,
                        sources=b.sources + a.sources)
    g = nx_graph(graph_data(merged))
    plan = g.nodes[f"Document:{PLAN}"]
    assert plan["stub"] is False and plan["title"] == PLAN_TITLE
    assert (plan["source_path"], plan["line_start"]) == (str(BEIJING), 349)
    assert [v for _, v, k in g.out_edges(f"Document:{PLAN}", keys=True) if k == "IN_JURISDICTION"] == ["Jurisdiction:北京市"]
    for order in ([BEIJING, SHUNYI], [SHUNYI, BEIJING]):
        plan = nx_graph(graph_data(extract_corpus(order))).nodes[f"Document:{PLAN}"]
        assert plan["stub"] is False and plan["source_path"] == str(BEIJING)


# ------------------------------------------------------------------ faults


def _kill_server_and_restart(neo4j_server):
    from policygraph.server import local as server

    info = server.status()
    os.kill(info.pid, signal.SIGKILL)
    for _ in range(100):
        if not server.status().running:
            break
        time.sleep(0.1)
    return info.pid


def test_server_killed_mid_load_is_one_sentence_and_a_rerun_completes(neo4j_server, password, extraction):
    from policygraph.server import local as server

    drv = connect(neo4j_server.bolt_uri, "neo4j", password)
    drv.execute_query("MATCH (n) DETACH DELETE n")
    drv.close()
    env = _cli_env(neo4j_server, password)
    proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", "--quiet", "--batch-size", "20"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        watcher = connect(neo4j_server.bolt_uri, "neo4j", password)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                found, _, _ = watcher.execute_query("MATCH (n) RETURN count(n) AS n")
                if found[0]["n"] > 200:
                    break
                time.sleep(0.05)
        finally:
            watcher.close()
        assert proc.poll() is None, "the load ended before the server could be killed"
        _kill_server_and_restart(neo4j_server)
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
        # The session's server is now the restarted process: keep the fixture's record true.
        neo4j_server.pid = server.start(timeout=240).pid
    assert proc.returncode == 1, err
    assert err.strip().splitlines() == [
        "Error: The connection to Neo4j was lost during the load: start the server and run "
        "`policygraph load` again (it completes the load)."]
    rerun = subprocess.run([sys.executable, "-m", "policygraph", "load", "--quiet"], env=env,
                           capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    drv = connect(neo4j_server.bolt_uri, "neo4j", password)
    try:
        assert counts(drv) == nx_counts(nx_graph(graph_data(extraction)))
    finally:
        drv.close()


def test_a_write_refused_midway_is_one_sentence_and_a_rerun_completes(neo4j_server, password, extraction):
    """Neo4j refuses a batch in the middle of the measures: a uniqueness constraint on the text,
    and a node planted beforehand holding the text of a measure the load writes late."""
    env = _cli_env(neo4j_server, password)
    expected = nx_counts(nx_graph(graph_data(extraction)))
    measures = [n for n in graph_data(extraction).nodes if n.label == "Measure"]
    late = measures[len(measures) * 3 // 4].props["text"]
    drv = connect(neo4j_server.bolt_uri, "neo4j", password)
    try:
        drv.execute_query("MATCH (n) DETACH DELETE n")
        drv.execute_query("CREATE CONSTRAINT measure_text_test IF NOT EXISTS FOR (m:Measure) REQUIRE m.text IS UNIQUE")
        drv.execute_query("CREATE (:Measure {key: 'planted', text: $text})", text=late)
        try:
            failed = subprocess.run([sys.executable, "-m", "policygraph", "load", "--quiet", "--batch-size", "50"],
                                    env=env, capture_output=True, text=True, timeout=600)
        finally:
            drv.execute_query("DROP CONSTRAINT measure_text_test IF EXISTS")
            drv.execute_query("MATCH (m:Measure {key: 'planted'}) DETACH DELETE m")
        assert failed.returncode == 1
        assert failed.stderr.strip().splitlines() == [
            "Error: Neo4j refused a batch (Neo.ClientError.Schema.ConstraintValidationFailed): "
            "run `policygraph load` again; loads are idempotent."]
        partial = counts(drv)["nodes"].get("Measure", 0)
        assert 0 < partial < expected["nodes"]["Measure"]  # it did stop midway
        rerun = subprocess.run([sys.executable, "-m", "policygraph", "load", "--quiet"], env=env,
                               capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert counts(drv) == expected
    finally:
        drv.close()


def test_two_loads_at_once_equal_one_after_the_other(neo4j_server, password, parts):
    sequential = _one_after_the_other(neo4j_server, password, parts)
    drv = connect(neo4j_server.bolt_uri, "neo4j", password)
    try:
        drv.execute_query("MATCH (n) DETACH DELETE n")
        errors = []

        def run(path):
            own = connect(neo4j_server.bolt_uri, "neo4j", password)
            try:
                load_graph_data(own, parts[path], source=str(path), batch_size=25)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                own.close()

        threads = [threading.Thread(target=run, args=(p,)) for p in (BEIJING, SHUNYI)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        nodes, edges = _dump(drv)
    finally:
        drv.close()
    assert sequential[0] == sequential[1]
    want_nodes, want_edges = sequential[0]
    assert set(nodes) == set(want_nodes) and set(edges) == set(want_edges)
    assert {n: a for n, a in nodes.items() if n.startswith("Document:")} == \
        {n: a for n, a in want_nodes.items() if n.startswith("Document:")}
    # Shared nodes (agencies seen in both files) carry the provenance of one of the two files.
    for node_id, attrs in nodes.items():
        assert attrs["source_path"] in (str(BEIJING), str(SHUNYI)) or attrs["source_path"].endswith(".jsonl"), node_id


def test_credentials_never_appear_in_argv_logs_or_messages(neo4j_server, password, tmp_path):
    from policygraph.server import local as server

    env = _cli_env(neo4j_server, password)
    server_pid = server.status().pid
    cmdline = Path(f"/proc/{server_pid}/cmdline").read_bytes()
    assert password.encode() not in cmdline
    proc = subprocess.Popen([sys.executable, "-m", "policygraph", "load", str(SHUNYI), "--quiet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert password.encode() not in seen and password not in out + err
    for log in (server.DEFAULT_HOME / "logs").glob("*"):
        if log.is_file():
            assert password.encode() not in log.read_bytes(), log
    # A password written into the URI (bolt://user:secret@host) is not echoed back.
    bad = subprocess.run([sys.executable, "-m", "policygraph", "stats", "--backend", "neo4j",
                          "--uri", "bolt://neo4j:s3cret-in-uri@127.0.0.1:1"],
                         env={**env, "NEO4J_PASSWORD": "s3cret-env"}, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "s3cret" not in bad.stdout + bad.stderr
    assert bad.stderr.strip() == ("Error: Neo4j at bolt://neo4j:***@127.0.0.1:1 is not reachable: start it "
                                  "(`policygraph neo4j start`) or check NEO4J_URI.")
    # A wrong password is not echoed either.
    wrong = subprocess.run([sys.executable, "-m", "policygraph", "stats", "--backend", "neo4j"],
                           env={**env, "NEO4J_PASSWORD": "wrong-" + password}, capture_output=True, text=True)
    assert wrong.returncode == 1 and password not in wrong.stdout + wrong.stderr


WEB_PLAN = ("某某市人民政府办公室关于印发某某市推行“一业一证”改革工作方案的通知\n某政办发〔2023〕9号\n各区人民政府：\n"
            "依据《北京市人民政府办公厅关于印发〈北京市推广“一业一证”改革实施方案〉的通知》，制定本方案。\n"
            "一、推行一业一证（市市场监管局牵头，市政务服务局配合）\n某某市人民政府办公室\n2023年6月1日\n")


@pytest.mark.parametrize("first", ["corpus", "web"])
def test_a_title_only_citation_resolves_across_loads_in_either_order(driver, parts, tmp_path, first):
    """Cited by its title alone, in the 〈〉 form: the stub (keyed by that title) is merged into
    京政办发〔2023〕5号 whichever file is loaded first."""
    web = tmp_path / "web.txt"
    web.write_text(WEB_PLAN, encoding="utf-8")
    loads = [(parts[BEIJING], str(BEIJING)), (_extract(web), str(web))]
    for data, source in (loads if first == "corpus" else loads[::-1]):
        load_graph_data(driver, data, source=source)
    records, _, _ = driver.execute_query(
        "MATCH (:Document {key: '某政办发〔2023〕9号'})-[c:CITES]->(t:Document) RETURN t.key AS t, t.stub AS stub")
    assert [(r["t"], r["stub"]) for r in records] == [(PLAN, False)]
    records, _, _ = driver.execute_query("MATCH (s:Document {stub: true}) WHERE s.title CONTAINS '一业一证' RETURN s.key AS k")
    assert records == []


def test_reconciling_stubs_is_never_an_all_pairs_join(driver, parts):
    from policygraph.graph.store_neo4j import _RECONCILE

    load_graph_data(driver, parts[BEIJING], source=str(BEIJING))
    for query in _RECONCILE:
        _, summary, _ = driver.execute_query("EXPLAIN " + query)
        operators = []

        def walk(plan):
            operators.append(plan["operatorType"])
            for child in plan.get("children", []):
                walk(child)

        walk(summary.plan)
        assert not [op for op in operators if "CartesianProduct" in op], operators
        assert any("Index" in op for op in operators), operators  # each lookup uses an index
