"""Lineage reports: from a national (or any) document down through the documents that
implement it, level by level, with the measures and lead units that carry it.

Works on the networkx graph; the Neo4j store hands over the same shape, so both backends
give the same report.
"""
from __future__ import annotations

import re

import networkx as nx

from policygraph.errors import QueryError

LEVEL_ORDER = {"national": 0, "provincial": 1, "municipal": 2, "district": 3, None: 4}


def _squash(s: str | None) -> str:
    return re.sub(r"[\s《》〈〉“”\"]", "", s or "")


def _documents(g: nx.MultiDiGraph) -> dict[str, dict]:
    return {n: a for n, a in g.nodes(data=True) if a.get("label") == "Document"}


def find_roots(g: nx.MultiDiGraph, query: str) -> tuple[str, list[str]]:
    """What the query names: ("document", [ids]) or ("reform", [ids of documents mentioning it])."""
    docs = _documents(g)
    q = _squash(query)
    by_number = [n for n, a in docs.items() if _squash(a.get("doc_number")) == q]
    if by_number:
        return "document", by_number
    reform = f"Reform:{query.strip()}"
    if reform not in g:
        reform = next((n for n, a in g.nodes(data=True) if a.get("label") == "Reform"
                       and q in (_squash(v) for v in [a.get("name"), *a.get("variants", [])])), None)
    if reform:
        mentioning = [u for u, _, k in g.in_edges(reform, keys=True) if k == "MENTIONS" and u in docs]
        return "reform", mentioning
    by_title = [n for n, a in docs.items() if q and q in _squash(a.get("title"))]
    if by_title:
        return "document", by_title
    raise QueryError(f"Nothing matches “{query}”: give a document number (京政办发〔2023〕5号), a title fragment or a reform label.")


def _implementers(g: nx.MultiDiGraph, doc: str) -> list[tuple[str, dict]]:
    return [(u, attrs) for u, _, k, attrs in g.in_edges(doc, keys=True, data=True) if k == "IMPLEMENTS"]


def _measures(g: nx.MultiDiGraph, doc: str, reform_labels: set[str], limit: int | None) -> list[dict]:
    out = []
    for _, m, k in g.out_edges(doc, keys=True):
        if k != "HAS_MEASURE":
            continue
        attrs = g.nodes[m]
        labels = {g.nodes[r]["key"] for _, r, kk in g.out_edges(m, keys=True) if kk == "MENTIONS"}
        if reform_labels and not labels & reform_labels:
            continue
        if not reform_labels and not attrs.get("lead_units"):
            continue
        out.append({
            "id": attrs["key"], "numbering": attrs.get("numbering"), "text": attrs.get("text"),
            "lead_units": attrs.get("lead_units", []), "reforms": sorted(labels),
            "line_start": attrs.get("line_start"),
        })
    out.sort(key=lambda m: m["line_start"] or 0)
    return out[:limit] if limit else out


def _doc_entry(g: nx.MultiDiGraph, doc: str) -> dict:
    a = g.nodes[doc]
    return {
        "id": a["key"], "title": a.get("title"), "doc_number": a.get("doc_number"),
        "issuers": a.get("issuers", []), "date": a.get("date"), "level": a.get("level"),
        "jurisdiction": a.get("jurisdiction"), "stub": a.get("stub", False),
        "source": {"path": a.get("source_path"), "line_start": a.get("line_start"), "line_end": a.get("line_end")},
    }


def lineage_report(g: nx.MultiDiGraph, query: str, measures_per_document: int | None = None) -> dict:
    kind, roots = find_roots(g, query)
    reform_labels = {query.strip()} if kind == "reform" else set()
    if kind == "reform":
        # Documents mentioning the reform; a root is one that implements no other such document.
        within = set(roots)
        roots = [d for d in roots if not any(u in within for _, u, kk in g.out_edges(d, keys=True) if kk == "IMPLEMENTS")]
    roots.sort(key=lambda d: (LEVEL_ORDER.get(g.nodes[d].get("level"), 4), g.nodes[d].get("date") or ""))

    def subtree(doc: str, seen: set[str]) -> dict:
        entry = _doc_entry(g, doc)
        labels = reform_labels or {g.nodes[r]["key"] for _, r, k in g.out_edges(doc, keys=True) if k == "MENTIONS"}
        entry["measures"] = _measures(g, doc, reform_labels, measures_per_document)
        children = []
        for child, link in sorted(_implementers(g, doc), key=lambda c: (
                LEVEL_ORDER.get(g.nodes[c[0]].get("level"), 4), g.nodes[c[0]].get("date") or "")):
            if child in seen:
                continue
            if kind == "reform" and reform_labels and not _mentions(g, child, reform_labels):
                continue
            node = subtree(child, seen | {child})
            node["link"] = {"type": "inferred" if link.get("inferred") else "cited",
                            "evidence": link.get("evidence"), "line": link.get("line_start")}
            children.append(node)
        entry["children"] = children
        entry["shared_reforms"] = sorted(labels)
        return entry

    tree = [subtree(r, {r}) for r in roots]
    return {"query": query, "kind": kind, "roots": tree, "documents": _count(tree)}


def _mentions(g: nx.MultiDiGraph, doc: str, labels: set[str]) -> bool:
    return any(k == "MENTIONS" and g.nodes[r]["key"] in labels for _, r, k in g.out_edges(doc, keys=True))


def _count(nodes: list[dict]) -> int:
    return sum(1 + _count(n["children"]) for n in nodes)


def flatten(report: dict) -> list[dict]:
    """Every document of the report once, with its depth and parent id."""
    out: list[dict] = []

    def walk(node: dict, depth: int, parent: str | None) -> None:
        out.append({**{k: v for k, v in node.items() if k != "children"}, "depth": depth, "parent": parent})
        for child in node["children"]:
            walk(child, depth + 1, node["id"])

    for root in report["roots"]:
        walk(root, 0, None)
    return out


def most_implemented(g: nx.MultiDiGraph) -> str | None:
    """The document number (or title) that most documents implement: the default report."""
    best, best_n = None, 0
    for n, a in _documents(g).items():
        k = sum(1 for _ in _implementers(g, n))
        if k > best_n or (k == best_n and best is not None and LEVEL_ORDER.get(a.get("level"), 4) < LEVEL_ORDER.get(g.nodes[best].get("level"), 4)):
            best, best_n = n, k
    if best is None or best_n == 0:
        return None
    return g.nodes[best].get("doc_number") or g.nodes[best].get("title")
