"""Load throughput into Neo4j (nodes + relationships per second) for the corpus and for the
corpus replicated N times (keys suffixed, so every copy is new): the UNWIND loader
(`policygraph load`), a bare `UNWIND … CREATE` of the same rows, and the bulk import
(`policygraph load --bulk`: CSV files and neo4j-admin, server stopped and restarted). Needs
the local server (`policygraph neo4j start`); it EMPTIES and then REPLACES that database.

    python3 benchmarks/neo4j_load.py [--copies 50] [--no-bare]
"""
from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict

from policygraph.api import extract
from policygraph.graph.build import graph_data
from policygraph.graph.schema import GraphData, Node, Rel
from policygraph.graph.store_neo4j import _batches, _clean, apply_schema, connect, load_graph_data


def replicate(data: GraphData, copies: int) -> GraphData:
    nodes, rels = [], []
    for i in range(copies):
        suffix = "" if i == 0 else f"#copy{i}"
        nodes += [Node(n.label, n.key + suffix, n.props) for n in data.nodes]
        rels += [Rel(r.type, (r.start[0], r.start[1] + suffix), (r.end[0], r.end[1] + suffix), r.props) for r in data.rels]
    return GraphData(nodes, rels)


def empty(driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def bare_create(driver, data: GraphData, batch: int = 1000) -> None:
    """The floor: the same rows written with CREATE, no MERGE and no source bookkeeping."""
    nodes, rels = defaultdict(list), defaultdict(list)
    for n in data.nodes:
        nodes[n.label].append({"key": n.key, "props": _clean(n.props)})
    for r in data.rels:
        rels[(r.type, r.start[0], r.end[0])].append({"start": r.start[1], "end": r.end[1], "props": _clean(r.props)})
    with driver.session() as session:
        for label, rows in nodes.items():
            for chunk in _batches(rows, batch):
                session.execute_write(lambda tx, q, c: tx.run(q, rows=c).consume(),
                                      f"UNWIND $rows AS row CREATE (n:{label}) SET n = row.props, n.key = row.key", chunk)
        for (t, s, e), rows in rels.items():
            for chunk in _batches(rows, batch):
                session.execute_write(lambda tx, q, c: tx.run(q, rows=c).consume(),
                                      f"UNWIND $rows AS row MATCH (a:{s} {{key: row.start}}) MATCH (b:{e} {{key: row.end}}) "
                                      f"CREATE (a)-[r:{t}]->(b) SET r = row.props", chunk)


def settle(stop_server: bool = False) -> float:
    """Start each timed load on a quiet disk: the previous load's writes (and, for the bulk
    import, the server's final checkpoint) are flushed first, so they are not billed to the
    next one. bulk_import starts the stopped server again itself. The seconds the stop took."""
    took = 0.0
    if stop_server:
        from policygraph.server import local as server

        t = time.perf_counter()
        server.stop(server.DEFAULT_HOME)
        took = time.perf_counter() - t
    os.sync()
    time.sleep(2)
    return took


def measure(data: GraphData, label: str, bare: bool = True) -> None:
    from policygraph.graph.bulk_import import bulk_import

    size = len(data.nodes) + len(data.rels)
    driver = connect()
    try:
        empty(driver)
        apply_schema(driver)
        settle()
        t = time.perf_counter()
        load_graph_data(driver, data, source="bench")
        ours = time.perf_counter() - t
        line = f"{label:<12} {size:>9,} items | UNWIND loader {ours:7.2f} s = {size / ours:9,.0f}/s"
        if bare:
            empty(driver)
            apply_schema(driver)
            t = time.perf_counter()
            bare_create(driver, data)
            floor = time.perf_counter() - t
            line += f" | bare UNWIND…CREATE {floor:7.2f} s = {size / floor:9,.0f}/s"
    finally:
        driver.close()
    stop = settle(stop_server=True)
    result = bulk_import(data, "bench")
    total = result.seconds_total + stop
    print(f"{line} | bulk import: neo4j-admin {result.seconds_import:6.2f} s = {size / result.seconds_import:9,.0f}/s "
          f"({ours / result.seconds_import:4.1f}× the UNWIND loader); with CSV export, stop and "
          f"restart {total:6.2f} s = {size / total:9,.0f}/s ({ours / total:4.1f}×)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--no-bare", action="store_true", help="skip the bare UNWIND…CREATE floor")
    args = parser.parse_args()
    data = graph_data(extract())
    measure(data, "corpus ×1", not args.no_bare)
    measure(replicate(data, args.copies), f"corpus ×{args.copies}", not args.no_bare)
    driver = connect()
    try:
        empty(driver)
    finally:
        driver.close()


if __name__ == "__main__":
    main()
