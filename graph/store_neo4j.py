"""The Neo4j store: idempotent, batched, parameterised writes with the official driver.

- schema first (constraints and indexes from cypher/schema.cypher);
- nodes, then relationships, in `UNWIND $rows` batches inside managed write transactions;
  MERGE on keys that have uniqueness constraints, so loading twice changes no count;
- every node remembers which input files wrote it (`sources`), so `replace=True` removes
  what an earlier load of the same files wrote and leaves other corpora alone.

Cypher text is never built from data: labels and relationship types come from the schema
constants in graph/schema.py and are checked against them; all values are parameters.
"""
from __future__ import annotations

import logging
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from policygraph.errors import Neo4jUnavailable
from policygraph.graph.schema import LABELS, RELATIONSHIPS, GraphData

# The driver logs each retry and each dead connection as a warning; with no logging set up,
# Python would print them on stderr around our one sentence. A notebook that configures
# logging still sees them (they propagate); the CLI shows only the sentence.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
BATCH = 1000


def _local_server() -> tuple[str, str, str]:
    from policygraph.server import local as server

    info = server.status()
    if not info.running:
        raise Neo4jUnavailable(
            "No Neo4j server is running: start one with `policygraph neo4j start`, or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD."
        )
    try:
        password = server.read_password()
    except Exception:  # noqa: BLE001 - any failure here means the same thing to the user
        raise Neo4jUnavailable(f"The local server's password file {info.password_file} cannot be read: run `policygraph neo4j start` again.") from None
    return info.bolt_uri, "neo4j", password


def connection_settings(uri: str | None = None) -> tuple[str, str, str]:
    """(uri, user, password): --uri, else NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD, else the local server."""
    uri = uri or os.environ.get("NEO4J_URI")
    if not uri:
        return _local_server()
    user = os.environ.get("NEO4J_USER", "neo4j")
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        raise Neo4jUnavailable(f"No password for {shown_uri(uri)}: set NEO4J_PASSWORD (it is never taken on the command line).")
    return uri, user, password


def shown_uri(uri: str) -> str:
    """The URI as it may be printed: a password written into it (bolt://user:secret@host) is masked."""
    return re.sub(r"(?<=://)([^:/@]*):[^@/]*@", r"\1:***@", uri)


def connect(uri: str | None = None, user: str | None = None, password: str | None = None):
    """An open, verified driver. Every failure becomes one plain sentence, without credentials."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    if password is None:
        uri, user, password = connection_settings(uri)
    shown = shown_uri(uri)
    try:
        driver = GraphDatabase.driver(_without_userinfo(uri), auth=(user or "neo4j", password))
    except (ValueError, ConfigurationError) as exc:
        reason = str(exc).replace(uri, shown).replace(password, "***") if password else str(exc)
        raise Neo4jUnavailable(f"{shown} is not a Neo4j address ({reason}): use bolt://, neo4j:// or neo4j+s:// URIs.") from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise Neo4jUnavailable(f"Neo4j at {shown} refused the user name or password: check NEO4J_USER and NEO4J_PASSWORD.") from None
    except (ServiceUnavailable, OSError):
        driver.close()
        raise Neo4jUnavailable(f"Neo4j at {shown} is not reachable: start it (`policygraph neo4j start`) or check NEO4J_URI.") from None
    return driver


def _without_userinfo(uri: str) -> str:
    # Credentials travel in `auth`, never in the address the driver may log.
    return re.sub(r"(?<=://)[^/@]*@", "", uri)


def schema_statements() -> list[str]:
    text = (CYPHER_DIR / "schema.cypher").read_text(encoding="utf-8")
    text = re.sub(r"//[^\n]*", "", text)
    return [s.strip() for s in text.split(";") if s.strip()]


def apply_schema(driver) -> None:
    for statement in schema_statements():
        driver.execute_query(statement)


def _clean(props: dict) -> dict:
    """Neo4j properties are primitives or lists of primitives; None means 'no property'."""
    out = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = [x for x in v if x is not None and not isinstance(x, (dict, list))]
        elif isinstance(v, dict):
            continue
        out[k] = v
    return out


def _batches(rows: list, size: int) -> Iterable[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# Who may set a node's or relationship's properties. The first load to write it
# "establishes" it and records itself in `established_by`; later loads of other sources only
# add themselves to `sources`, so a citation seen in a second corpus never rewrites the title,
# flags or provenance of a document a first corpus loaded. Two exceptions: a re-load of the
# establishing source updates it (a better extraction of the same file), and a real document
# always replaces a stub (the cited-only placeholder), whatever the order of the loads.
_TAKES_OVER = (
    # never a stub over a real document (n.stub is null only on a node MERGE just created)
    "NOT (coalesce(row.props.stub, false) AND NOT coalesce(n.stub, true)) "
    "AND (n.established_by IS NULL OR n.established_by = row.source "
    "     OR (coalesce(n.stub, false) AND NOT coalesce(row.props.stub, false)))"
)


def _node_query(label: str) -> str:
    if label not in LABELS:
        raise ValueError(f"unknown label {label}")
    return (
        f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) "
        "WITH n, row, coalesce(n.sources, []) AS before, "
        "coalesce(n.stub, false) AND NOT coalesce(row.props.stub, false) AS replaces_stub, "
        f"{_TAKES_OVER} AS takes_over "
        # A stub's own links (its guessed jurisdiction) go with it; the real document's links
        # are written in the relationship phase of this same load.
        "CALL (n, replaces_stub) { MATCH (n)-[old]->() WHERE replaces_stub DELETE old } "
        "FOREACH (_ IN CASE WHEN takes_over THEN [1] ELSE [] END | "
        "  SET n = row.props SET n.key = row.key, n.established_by = row.source) "
        "SET n.sources = CASE WHEN row.source IN before THEN before ELSE before + row.source END"
    )


def _rel_query(rel_type: str, start: str, end: str) -> str:
    if rel_type not in RELATIONSHIPS or start not in LABELS or end not in LABELS:
        raise ValueError(f"unknown relationship {start}-{rel_type}->{end}")
    return (
        f"UNWIND $rows AS row MATCH (a:{start} {{key: row.start}}) MATCH (b:{end} {{key: row.end}}) "
        # A stub's links are dropped when another load has already brought the real document.
        "WITH a, b, row WHERE NOT (row.of_stub AND NOT coalesce(a.stub, false)) "
        f"MERGE (a)-[r:{rel_type}]->(b) "
        "WITH r, row, coalesce(r.sources, []) AS before, "
        "r.established_by IS NULL OR r.established_by = row.source AS takes_over "
        "FOREACH (_ IN CASE WHEN takes_over THEN [1] ELSE [] END | "
        "  SET r = row.props SET r.established_by = row.source) "
        "SET r.sources = CASE WHEN row.source IN before THEN before ELSE before + row.source END"
    )


def load_graph_data(
    driver,
    data: GraphData,
    source: str,
    replace: bool = False,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Write the graph; returns the driver's counters summed over all batches."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

    totals: dict[str, int] = defaultdict(int)

    def run(tx, query, rows):
        summary = tx.run(query, rows=rows).consume()
        return summary.counters

    try:
        apply_schema(driver)
        if replace:
            forget_source(driver, source)
        nodes: dict[str, list] = defaultdict(list)
        for n in data.nodes:
            props = {**n.props, **_match_keys(n.props)} if n.label == "Document" else n.props
            nodes[n.label].append({"key": n.key, "props": _clean(props), "source": source})
        stubs = {n.key for n in data.nodes if n.label == "Document" and n.props.get("stub")}
        rels: dict[tuple, list] = defaultdict(list)
        for r in data.rels:
            rels[(r.type, r.start[0], r.end[0])].append(
                {"start": r.start[1], "end": r.end[1], "props": _clean(r.props), "source": source,
                 "of_stub": r.start[0] == "Document" and r.start[1] in stubs})
        with driver.session() as session:
            for label, rows in nodes.items():
                for batch in _batches(rows, batch_size):
                    c = session.execute_write(run, _node_query(label), batch)
                    totals["nodes_created"] += c.nodes_created
                    totals["properties_set"] += c.properties_set
                    if progress:
                        progress(len(batch))
            for (rel_type, start, end), rows in rels.items():
                for batch in _batches(rows, batch_size):
                    c = session.execute_write(run, _rel_query(rel_type, start, end), batch)
                    totals["relationships_created"] += c.relationships_created
                    if progress:
                        progress(len(batch))
        totals["stubs_resolved"] = reconcile_stubs(driver)
    except (ServiceUnavailable, SessionExpired, OSError):
        raise Neo4jUnavailable("The connection to Neo4j was lost during the load: start the server and run `policygraph load` again (it completes the load).") from None
    except Neo4jError as exc:
        raise Neo4jUnavailable(f"Neo4j refused a batch ({exc.code}): run `policygraph load` again; loads are idempotent.") from None
    return dict(totals)


# A stub cited by number or title that another load has since brought in as a real document
# (under another key): move the stub's citations onto the document, then drop the stub. Each
# way of matching is one indexed lookup per stub (or per attachment), never stubs × documents;
# titles are compared as the resolver compares them (extract/resolve.py title_key: without
# brackets, quotes and spaces), through the match_* properties the loader writes.
_MOVE_CITATIONS = """
       WITH s, collect(d)[0] AS d
       CALL (s, d) {
         MATCH (x)-[r:CITES]->(s)
         MERGE (x)-[n:CITES]->(d) SET n += properties(r)
         DELETE r
       }
       CALL (s, d) {
         MATCH (x)-[r:IMPLEMENTS]->(s)
         MERGE (x)-[n:IMPLEMENTS]->(d) SET n += properties(r)
         DELETE r
       }
       DETACH DELETE s
       RETURN count(*) AS merged"""

_RECONCILE = [
    """MATCH (s:Document {stub: true}) WHERE s.doc_number IS NOT NULL
       MATCH (d:Document {doc_number: s.doc_number}) WHERE d.stub = false AND d <> s""" + _MOVE_CITATIONS,
    """MATCH (s:Document {stub: true}) WHERE s.match_title IS NOT NULL
       MATCH (d:Document {match_title: s.match_title}) WHERE d.stub = false AND d <> s""" + _MOVE_CITATIONS,
    """MATCH (d:Document {stub: false}) UNWIND coalesce(d.match_attachments, []) AS attachment
       MATCH (s:Document {match_title: attachment}) WHERE s.stub = true""" + _MOVE_CITATIONS,
    # 《…关于印发〈X〉的通知》 cited for a document that issues X as its attachment
    """MATCH (d:Document {stub: false}) UNWIND coalesce(d.match_attachments, []) AS attachment
       MATCH (s:Document {match_issued: attachment}) WHERE s.stub = true""" + _MOVE_CITATIONS,
]

# Properties the store keeps for its own bookkeeping; the graph read back has none of them.
BOOKKEEPING = ("sources", "established_by", "match_title", "match_attachments", "match_issued")


def _match_keys(props: dict) -> dict:
    """The normalised titles reconcile_stubs looks documents up by."""
    from policygraph.extract.resolve import issued_title_key, title_key

    title = title_key(props.get("title"))
    keys = {"match_title": title or None}
    if props.get("stub"):
        keys["match_issued"] = issued_title_key(title)
    else:
        keys["match_attachments"] = [k for k in (title_key(a) for a in props.get("attachments") or []) if k]
    return keys


def reconcile_stubs(driver) -> int:
    """Resolve stubs against documents loaded from other inputs; returns how many merged."""
    merged = 0
    for query in _RECONCILE:
        records, _, _ = driver.execute_query(query)
        merged += records[0]["merged"] if records else 0
    return merged


def forget_source(driver, source: str) -> None:
    """Remove what an earlier load of `source` wrote: relationships and nodes that no other
    source wrote too (each remembers the sources that wrote it)."""
    # What survives because another source wrote it too is no longer established by this one:
    # the next load that writes it establishes it afresh.
    driver.execute_query(
        "MATCH ()-[r]->() WHERE $source IN r.sources "
        "SET r.sources = [s IN r.sources WHERE s <> $source] "
        "SET r.established_by = CASE WHEN r.established_by = $source THEN null ELSE r.established_by END "
        "WITH r WHERE size(r.sources) = 0 DELETE r",
        source=source,
    )
    driver.execute_query(
        "MATCH (n) WHERE $source IN n.sources "
        "SET n.sources = [s IN n.sources WHERE s <> $source] "
        "SET n.established_by = CASE WHEN n.established_by = $source THEN null ELSE n.established_by END "
        "WITH n WHERE size(n.sources) = 0 DETACH DELETE n",
        source=source,
    )


def counts(driver) -> dict:
    from neo4j import RoutingControl

    nodes, _, _ = driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label",
        routing_=RoutingControl.READ)
    rels, _, _ = driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type", routing_=RoutingControl.READ)
    return {"nodes": {r["label"]: r["n"] for r in nodes}, "relationships": {r["type"]: r["n"] for r in rels}}


def neo4j_counts(uri: str | None = None) -> dict:
    driver = connect(uri)
    try:
        return counts(driver)
    finally:
        driver.close()


def _without_bookkeeping(props) -> dict:
    return {k: v for k, v in props.items() if k not in BOOKKEEPING}


def to_networkx(driver) -> nx.MultiDiGraph:
    """The whole graph as the embedded store's shape, so reports run the same code."""
    from neo4j import RoutingControl

    g = nx.MultiDiGraph()
    records, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS props", routing_=RoutingControl.READ)
    for rec in records:
        props = _without_bookkeeping(rec["props"])
        g.add_node(f"{rec['label']}:{props['key']}", label=rec["label"], **props)
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS sl, a.key AS sk, type(r) AS type, "
        "labels(b)[0] AS el, b.key AS ek, properties(r) AS props", routing_=RoutingControl.READ)
    for rec in records:
        props = _without_bookkeeping(rec["props"])
        g.add_edge(f"{rec['sl']}:{rec['sk']}", f"{rec['el']}:{rec['ek']}", key=rec["type"], type=rec["type"], **props)
    return g


def fetch_graph(uri: str | None = None) -> nx.MultiDiGraph:
    driver = connect(uri)
    try:
        return to_networkx(driver)
    finally:
        driver.close()
