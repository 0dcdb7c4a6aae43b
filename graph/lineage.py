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


def find_reform(g: nx.MultiDiGraph, query: str) -> str | None:
    """The Reform node a query names, by its canonical label or any written variant."""
    reform = f"Reform:{query.strip()}"
    if reform in g:
        return reform
    q = _squash(query)
    return next((n for n, a in g.nodes(data=True) if a.get("label") == "Reform"
                 and q in (_squash(v) for v in [a.get("name"), *a.get("variants", [])])), None)


def find_roots(g: nx.MultiDiGraph, query: str) -> tuple[str, list[str]]:
    """What the query names: ("document", [ids]) or ("reform", [ids of documents mentioning it])."""
    docs = _documents(g)
    q = _squash(query)
    by_number = [n for n, a in docs.items() if _squash(a.get("doc_number")) == q]
    if by_number:
        return "document", by_number
    reform = find_reform(g, query)
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


def _reforms_of(g: nx.MultiDiGraph, node: str) -> list[str]:
    return sorted(g.nodes[r]["key"] for _, r, k in g.out_edges(node, keys=True)
                  if k == "MENTIONS" and g.nodes[r].get("label") == "Reform")


def _view(g: nx.MultiDiGraph, doc: str):
    from policygraph.graph.derive import DocView

    a = g.nodes[doc]
    out = list(g.out_edges(doc, keys=True))
    return DocView(a["key"], a.get("jurisdiction"), a.get("level"), a.get("date"), _reforms_of(g, doc),
                   {g.nodes[v]["key"] for _, v, k in out if k == "CITES"}, bool(a.get("stub")),
                   {g.nodes[v]["key"] for _, v, k in out if k == "IMPLEMENTS"})


def _children(g: nx.MultiDiGraph, label: str | None, on_the_fly: dict[str, list]):
    """parent node → [(child node, link)]: cited IMPLEMENTS, stored LIKELY_IMPLEMENTS, and for a
    reform query the inferred links among the documents that name the reform. Read from each
    parent's incoming edges when asked, so a report costs what its tree holds, not the graph."""

    def children(v: str) -> list:
        found = []
        for u, _, k, attrs in g.in_edges(v, keys=True, data=True):
            if k == "IMPLEMENTS":
                link = {"type": "cited", "evidence": attrs.get("evidence"), "score": None, "line": attrs.get("line_start"), "stored": True}
            elif k == "LIKELY_IMPLEMENTS":
                link = {"type": "inferred", "evidence": attrs.get("evidence"), "score": attrs.get("score"), "line": None, "stored": True}
            else:
                continue
            if label and not (_mentions(g, u, {label}) and _mentions(g, v, {label})):
                continue
            found.append((u, link))
        known = {c for c, _ in found}
        return found + [(c, link) for c, link in on_the_fly.get(v, []) if c not in known]

    return children


def _derived(g: nx.MultiDiGraph, child: str, parent: str, stored: bool) -> list[dict]:
    """Which measures of the child restate which measures of the parent."""
    parent_measures = [v for _, v, k in g.out_edges(parent, keys=True) if k == "HAS_MEASURE"]
    child_measures = [v for _, v, k in g.out_edges(child, keys=True) if k == "HAS_MEASURE"]
    if stored:
        wanted = set(parent_measures)
        found = [{"measure": g.nodes[m]["key"], "parent_measure": g.nodes[p]["key"],
                  "score": a.get("score"), "evidence": a.get("evidence")}
                 for m in child_measures for _, p, k, a in g.out_edges(m, keys=True, data=True)
                 if k == "DERIVES_FROM" and p in wanted]
    else:
        from types import SimpleNamespace

        from policygraph.graph.derive import derive_measures

        def view(n):
            a = g.nodes[n]
            return SimpleNamespace(id=a["key"], text=a.get("text") or "", reforms=_reforms_of(g, n))

        found = [{"measure": link.measure, "parent_measure": link.other, "score": link.score, "evidence": link.evidence}
                 for link in derive_measures([view(m) for m in child_measures], [view(p) for p in parent_measures])]
    return sorted(found, key=lambda d: (d["measure"], -(d["score"] or 0)))


def lineage_report(g: nx.MultiDiGraph, query: str, measures_per_document: int | None = None) -> dict:
    """A tree from the top document(s) down. Cited links (IMPLEMENTS) and inferred links
    (LIKELY_IMPLEMENTS, or inferred now among the documents naming a queried reform) are both
    followed and always marked with their type, evidence and score."""
    kind, roots = find_roots(g, query)
    label = g.nodes[find_reform(g, query)]["key"] if kind == "reform" else None
    on_the_fly: dict[str, list] = {}
    if label:
        from policygraph.graph.derive import infer_links  # numpy and rapidfuzz: only for reform queries

        docs = {g.nodes[d]["key"]: d for d in roots}
        for link in infer_links([_view(g, d) for d in roots], only_label=label, min_score=0.0):
            on_the_fly.setdefault(docs[link.parent], []).append(
                (docs[link.child], {"type": "inferred", "evidence": link.evidence, "score": link.score, "line": None, "stored": False}))
    children_of = _children(g, label, on_the_fly)
    if kind == "reform":
        within = set(roots)
        has_parent = {c for p in within for c, _ in children_of(p)}
        roots = [d for d in roots if d not in has_parent]
    roots.sort(key=lambda d: (LEVEL_ORDER.get(g.nodes[d].get("level"), 4), g.nodes[d].get("date") or "", d))
    reform_filter = {label} if label else set()

    def subtree(doc: str, seen: set[str]) -> dict:
        entry = _doc_entry(g, doc)
        entry["reforms"] = _reforms_of(g, doc)
        entry["measures"] = _measures(g, doc, reform_filter, measures_per_document)
        children = []
        ordered = sorted(children_of(doc), key=lambda c: (
            c[1]["type"] != "cited", LEVEL_ORDER.get(g.nodes[c[0]].get("level"), 4), g.nodes[c[0]].get("date") or "", c[0]))
        for child, link in ordered:
            if child in seen or any(child == c for c, _ in children):
                continue
            node = subtree(child, seen | {child})
            node["link"] = {k: v for k, v in link.items() if k != "stored"}
            node["derived"] = _derived(g, child, doc, link["stored"])
            children.append((child, node))
        entry["children"] = [node for _, node in children]
        return entry

    tree = [subtree(r, {r}) for r in roots]
    for root in tree:
        root["link"] = None
        root["derived"] = []
    return {"query": query, "kind": kind, "reform": label, "roots": tree, "documents": _count(tree)}


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
