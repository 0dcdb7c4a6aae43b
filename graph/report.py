"""Document reports over the graph (`policygraph show`)."""
from __future__ import annotations

import networkx as nx

from policygraph.errors import QueryError
from policygraph.graph.lineage import _doc_entry, _squash


def find_document(g: nx.MultiDiGraph, query: str) -> str:
    q = _squash(query)
    docs = [(n, a) for n, a in g.nodes(data=True) if a.get("label") == "Document"]
    for n, a in docs:
        if _squash(a.get("doc_number")) == q or _squash(a.get("key")) == q:
            return n
    matches = [n for n, a in docs if q and q in _squash(a.get("title"))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise QueryError(f"“{query}” matches {len(matches)} documents: give more of the title or the document number.")
    raise QueryError(f"No document matches “{query}”: give a document number or a title fragment.")


def document_report(g: nx.MultiDiGraph, query: str) -> dict:
    doc = find_document(g, query)
    entry = _doc_entry(g, doc)
    entry["cites"] = [
        {"target": g.nodes[v]["key"], "relation": a.get("relation"), "line": a.get("line_start")}
        for _, v, k, a in g.out_edges(doc, keys=True, data=True) if k == "CITES"
    ]
    entry["cited_by"] = [
        {"source": g.nodes[u]["key"], "relation": a.get("relation")}
        for u, _, k, a in g.in_edges(doc, keys=True, data=True) if k == "CITES"
    ]
    entry["reforms"] = sorted(g.nodes[v]["key"] for _, v, k in g.out_edges(doc, keys=True)
                              if k == "MENTIONS" and g.nodes[v]["label"] == "Reform")
    measures = []
    for _, m, k in g.out_edges(doc, keys=True):
        if k != "HAS_MEASURE":
            continue
        a = g.nodes[m]
        measures.append({"id": a["key"], "numbering": a.get("numbering"), "text": a.get("text"),
                         "lead_units": a.get("lead_units", []), "responsible_units": a.get("responsible_units", []),
                         "line_start": a.get("line_start")})
    entry["measures"] = sorted(measures, key=lambda m: m["line_start"] or 0)
    return entry
