"""Load throughput into Neo4j (nodes + relationships per second) for the corpus and for the
corpus replicated N times (keys suffixed, so every copy is new), next to a bare
`UNWIND … CREATE` of the same rows in the same run. Needs the local server
(`policygraph neo4j start`) or NEO4J_URI/NEO4J_PASSWORD; it EMPTIES that database.

    python3 benchmarks/neo4j_load.py [--copies 50]
"""
from __future__ import annotations

import argparse
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


def measure(driver, data: GraphData, label: str) -> None:
    size = len(data.nodes) + len(data.rels)
    empty(driver)
    apply_schema(driver)
    t = time.perf_counter()
    load_graph_data(driver, data, source="bench")
    ours = time.perf_counter() - t
    empty(driver)
    apply_schema(driver)
    t = time.perf_counter()
    bare_create(driver, data)
    bare = time.perf_counter() - t
    print(f"{label:<22} {size:>9,} items | policygraph load {ours:7.2f} s = {size / ours:9,.0f}/s | "
          f"bare UNWIND…CREATE {bare:7.2f} s = {size / bare:9,.0f}/s | ratio {ours / bare:4.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    args = parser.parse_args()
    data = graph_data(extract())
    driver = connect()
    try:
        measure(driver, data, "corpus ×1")
        measure(driver, replicate(data, args.copies), f"corpus ×{args.copies}")
        empty(driver)
    finally:
        driver.close()


if __name__ == "__main__":
    main()
