"""The embedded store: a networkx MultiDiGraph saved as JSON under data/graph/.

Node ids are `Label:key`; each node has `label`, `key` and its properties; each edge has
`type` and its properties, keyed by type so a re-build never doubles an edge.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import orjson

from policygraph.errors import GraphStoreError
from policygraph.files import atomic_write_bytes
from policygraph.graph.schema import GraphData, Node, Rel


def to_networkx(data: GraphData) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in data.nodes:
        g.add_node(n.node_id, label=n.label, key=n.key, **n.props)
    for r in data.rels:
        g.add_edge(r.start_id, r.end_id, key=r.type, type=r.type, **r.props)
    return g


def from_networkx(g: nx.MultiDiGraph) -> GraphData:
    nodes = [
        Node(attrs["label"], attrs["key"], {k: v for k, v in attrs.items() if k not in ("label", "key")})
        for _, attrs in g.nodes(data=True)
    ]
    rels = []
    for u, v, attrs in g.edges(data=True):
        start, end = g.nodes[u], g.nodes[v]
        rels.append(Rel(attrs["type"], (start["label"], start["key"]), (end["label"], end["key"]),
                        {k: val for k, val in attrs.items() if k != "type"}))
    return GraphData(nodes, rels)


def counts(g: nx.MultiDiGraph) -> dict:
    return from_networkx(g).counts()


def save(g: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    data = nx.node_link_data(g, edges="edges")
    atomic_write_bytes(path, orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS))
    return path


def load(path: str | Path) -> nx.MultiDiGraph:
    path = Path(path)
    if not path.exists():
        raise GraphStoreError(f"No graph has been built yet at {path}: run `policygraph build` first.")
    try:
        data = orjson.loads(path.read_bytes())
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise GraphStoreError(f"The saved graph at {path} is damaged: run `policygraph build` again.") from None


def _flat(value):
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return orjson.dumps(value).decode()
    return value


def export_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """GraphML for Gephi: list and dict properties become JSON strings, missing values ''."""
    flat = nx.MultiDiGraph()
    for n, attrs in g.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in attrs.items()})
    for u, v, k, attrs in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: _flat(b) for a, b in attrs.items()})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(flat, path)
    return path


def export_json(g: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    atomic_write_bytes(path, orjson.dumps(nx.node_link_data(g, edges="edges"), option=orjson.OPT_INDENT_2))
    return path
