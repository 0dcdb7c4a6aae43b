"""Bulk import with neo4j-admin on the real local server: the same graph as the UNWIND loader."""
from __future__ import annotations

import csv

from policygraph.graph.schema import GraphData, Node, Rel


def test_csv_files_have_typed_headers_and_id_spaces(tmp_path):
    from policygraph.graph.bulk_import import export_csv

    data = GraphData(
        [Node("Document", "京政办发〔2023〕5号", {"name": "a", "issuers": ["北京市人民政府办公厅", "x;y"], "stub": False,
                                            "line_start": 3, "date": None}),
         Node("Document", "国办发〔2022〕30号", {"name": "b", "issuers": [], "stub": True, "line_start": 9,
                                            "date": "2022-09-01"}),
         Node("Reform", "一业一证", {"name": "一业一证", "variants": ["一业一证改革"]})],
        [Rel("IMPLEMENTS", ("Document", "京政办发〔2023〕5号"), ("Document", "国办发〔2022〕30号"),
             {"inferred": False, "evidence": "为贯彻落实\n《…》"}),
         Rel("MENTIONS", ("Document", "京政办发〔2023〕5号"), ("Reform", "一业一证"), {"score": 1, "other": 0.5})])
    export = export_csv(data, tmp_path, "corpus.txt")
    header, rows = export.nodes["Document"]
    assert next(csv.reader(header.open(encoding="utf-8"))) == [
        "key:ID(Document)", "name:string", "issuers:string[]", "stub:boolean", "line_start:long", "date:string",
        "sources:string[]"]
    assert export.array_delimiter == "|"  # a value holds ";": the next delimiter
    body = list(csv.reader(rows.open(encoding="utf-8")))
    assert body[0] == ["京政办发〔2023〕5号", "a", "北京市人民政府办公厅|x;y", "false", "3", "", "corpus.txt"]
    rel_header, _ = export.relationships[("IMPLEMENTS", "Document", "Document")]
    assert next(csv.reader(rel_header.open(encoding="utf-8")))[:2] == [":START_ID(Document)", ":END_ID(Document)"]
    assert next(csv.reader(export.relationships[("MENTIONS", "Document", "Reform")][0].open(encoding="utf-8"))) == [
        ":START_ID(Document)", ":END_ID(Reform)", "score:long", "other:double", "sources:string[]"]
    assert export.multiline  # the evidence holds a line break
    assert "--relationships=IMPLEMENTS=" in " ".join(export.arguments())


def _without_empty_lists(g):
    """The import has no way to write an empty array: the property is absent instead."""
    nodes = {n: {k: v for k, v in a.items() if v != []} for n, a in g.nodes(data=True)}
    edges = sorted((u, v, k, sorted((x, str(y)) for x, y in a.items() if y != [])) for u, v, k, a in g.edges(keys=True, data=True))
    return nodes, edges


def test_bulk_import_equals_the_unwind_loader(extraction, neo4j_server):
    from policygraph.api import DEFAULT_CORPUS
    from policygraph.graph.build import graph_data
    from policygraph.graph.bulk_import import bulk_import
    from policygraph.graph.lineage import lineage_report
    from policygraph.graph.store_neo4j import connect, counts, load_graph_data, to_networkx

    data = graph_data(extraction)
    source = str(DEFAULT_CORPUS)
    driver = connect()
    try:
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
        load_graph_data(driver, data, source)
        unwind_counts, unwind_graph = counts(driver), to_networkx(driver)
    finally:
        driver.close()
    result = bulk_import(data, source)
    from policygraph.server import local as server

    # The import restarted the session's server: later tests compare against its new pid.
    neo4j_server.pid = server.status(neo4j_server.home).pid
    assert (result.nodes, result.relationships) == (len(data.nodes), len(data.rels))
    driver = connect()
    try:
        bulk_counts, bulk_graph = counts(driver), to_networkx(driver)
        constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n").records[0]["n"]
    finally:
        driver.close()
    assert bulk_counts == unwind_counts
    assert bulk_counts == data.counts()
    assert constraints > 0  # the schema is applied after the import
    assert _without_empty_lists(bulk_graph) == _without_empty_lists(unwind_graph)
    for query in ("国办发〔2022〕30号", "一业一证"):
        assert lineage_report(bulk_graph, query) == lineage_report(unwind_graph, query)
