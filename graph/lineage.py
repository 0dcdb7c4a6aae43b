"""Lineage reports: from a national (or any) document down through the documents that
implement it, level by level, with the measures and lead units that carry it.

Works on the networkx graph; the Neo4j store hands over the same shape, so both backends
give the same report.
"""
from __future__ import annotations

import re

import networkx as nx

from policygraph.graph.filters import DocumentFilter
from policygraph.graph.lookup import document_nodes, find_documents, looks_like_number, not_found, squash

LEVEL_ORDER = {"national": 0, "provincial": 1, "municipal": 2, "district": 3, None: 4}


def find_reform(g: nx.MultiDiGraph, query: str) -> str | None:
    """The Reform node a query names, by its canonical label or any written variant."""
    reform = f"Reform:{query.strip()}"
    if reform in g:
        return reform
    q = squash(query)
    return next((n for n, a in g.nodes(data=True) if a.get("label") == "Reform"
                 and q in (squash(v) for v in [a.get("name"), *a.get("variants", [])])), None)


def _find(g: nx.MultiDiGraph, query: str) -> tuple[str, str, list[str]]:
    """(kind, how, nodes). A 发文字号 in any printed form or an exact title names one document
    (how = number / title); a reform label the documents that name it (how = reform); a title
    fragment every document whose title holds it (how = fragment)."""
    how, found = find_documents(g, query)
    if how in ("number", "title"):
        return "document", how, found
    if looks_like_number(query):
        raise not_found(query)
    reform = find_reform(g, query)
    if reform:
        docs = document_nodes(g)
        return "reform", "reform", [u for u, _, k in g.in_edges(reform, keys=True) if k == "MENTIONS" and u in docs]
    if found:
        return "document", how, found
    raise not_found(query)


def _implementers(g: nx.MultiDiGraph, doc: str) -> list[tuple[str, dict]]:
    return [(u, attrs) for u, _, k, attrs in g.in_edges(doc, keys=True, data=True) if k == "IMPLEMENTS"]


_OUTLINE_STYLES = (
    ("chapter", re.compile(r"^第[一二三四五六七八九十百零〇\d]+[章节编]")),
    ("article", re.compile(r"^第[一二三四五六七八九十百零〇\d]+条")),
    ("han", re.compile(r"^[一二三四五六七八九十百零〇]+[、．.]")),
    ("han_paren", re.compile(r"^[（(][一二三四五六七八九十百零〇]+[）)]")),
    ("digit", re.compile(r"^\d+[、．.]")),
    ("digit_paren", re.compile(r"^[（(]\d+[）)]")),
    ("circled", re.compile(r"^[①-⑳]")),
)


def _style(numbering: str | None) -> str:
    text = (numbering or "").strip()
    # Any other numbering (table rows 1, 2 … 12; Ⅰ、) is one style per shape: its numerals masked.
    shape = re.sub(r"[一二三四五六七八九十百零〇]+", "一", re.sub(r"\d+", "0", text))
    return next((name for name, rx in _OUTLINE_STYLES if rx.match(text)), f"shape:{shape}")


def outline_paths(g: nx.MultiDiGraph, doc: str) -> dict[str, str]:
    """measure node → its full outline path in the document, e.g. `二、（二）`, unique per measure.

    Extraction records each measure's outline (the numbering of its item and of the headings
    above it, which are not measures themselves). The further paragraphs of one item are
    `二、（一）¶2`, `¶3` …. A measure without a recorded outline (table rows, graphs built before)
    gets one from the numbering order: levels are ranked by the order in which their numbering
    styles first appear (the usual 一、 > （一） > 1. > （1）, or whatever order a document uses)."""
    measures = sorted((v for _, v, k in g.out_edges(doc, keys=True) if k == "HAS_MEASURE"),
                      key=lambda m: (g.nodes[m].get("line_start") or 0, g.nodes[m].get("key")))
    rank: dict[str, int] = {}
    stack: list[tuple[int, str]] = []
    seen: dict[str, int] = {}  # path → how many measures took it so far
    paths = {}
    for m in measures:
        attrs = g.nodes[m]
        numbering = (attrs.get("numbering") or "").strip()
        path = attrs.get("outline")
        if path is None:
            if numbering:
                level = rank.setdefault(_style(numbering), len(rank))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, numbering))
            path = "".join(n for _, n in stack)
        seen[path] = seen.get(path, 0) + 1
        paths[m] = path if seen[path] == 1 else f"{path}¶{seen[path]}"
    return paths


def _measures(g: nx.MultiDiGraph, doc: str, reform_labels: set[str], limit: int | None,
              every_measure: bool = False) -> list[dict]:
    """The measures that carry the lineage: those naming the queried reform, else those with a
    lead unit (or every measure for a picture). `limit` 0 gives none, None all."""
    if limit == 0:
        return []
    paths = outline_paths(g, doc)
    out = []
    for _, m, k in g.out_edges(doc, keys=True):
        if k != "HAS_MEASURE":
            continue
        attrs = g.nodes[m]
        labels = {g.nodes[r]["key"] for _, r, kk in g.out_edges(m, keys=True) if kk == "MENTIONS"}
        if not every_measure:
            if reform_labels and not labels & reform_labels:
                continue
            if not reform_labels and not attrs.get("lead_units"):
                continue
        out.append({
            "id": attrs["key"], "numbering": attrs.get("numbering"), "path": paths.get(m) or attrs.get("numbering"),
            "text": attrs.get("text"), "lead_units": attrs.get("lead_units", []), "reforms": sorted(labels),
            "line_start": attrs.get("line_start"),
        })
    out.sort(key=lambda m: (m["line_start"] or 0, m["id"]))
    return out if limit is None else out[:limit]


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
    """Which measures of the child restate which measures of the parent, each side with its
    outline path and text (a bare id such as 京政办发〔2023〕5号/m4 tells a reader nothing)."""
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
    if found:
        paths = {**outline_paths(g, child), **outline_paths(g, parent)}
        for d in found:
            for side, key in (("measure", d["measure"]), ("parent", d["parent_measure"])):
                node = f"Measure:{key}"
                d[f"{side}_path"] = paths.get(node) or g.nodes[node].get("numbering")
                d[f"{side}_text"] = g.nodes[node].get("text")
    return sorted(found, key=lambda d: (d["measure"], -(d["score"] or 0)))


def lineage_report(g: nx.MultiDiGraph, query: str, measures_per_document: int | None = None,
                   filters: DocumentFilter | None = None, every_measure: bool = False) -> dict:
    """A tree from the top document(s) down. Cited links (IMPLEMENTS) and inferred links
    (LIKELY_IMPLEMENTS, or inferred now among the documents naming a queried reform) are both
    followed and always marked with their type, evidence and score.

    Each document appears once (under the first parent that reaches it). With `filters`, the
    documents that pass them are kept, with the documents that lead to them as context
    (`matches_filter` false); the queried document is always kept. `every_measure` lists all
    measures of each document (for the HTML page), not only those that carry the lineage."""
    filters = filters or DocumentFilter()
    kind, how, roots = _find(g, query)
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
    placed: set[str] = set()

    def subtree(doc: str, keep: bool = False) -> dict | None:
        placed.add(doc)
        entry = _doc_entry(g, doc)
        entry["reforms"] = _reforms_of(g, doc)
        entry["measures"] = _measures(g, doc, reform_filter, measures_per_document, every_measure)
        children = []
        ordered = sorted(children_of(doc), key=lambda c: (
            c[1]["type"] != "cited", LEVEL_ORDER.get(g.nodes[c[0]].get("level"), 4), g.nodes[c[0]].get("date") or "", c[0]))
        for child, link in ordered:
            if child in placed:
                continue
            node = subtree(child)
            if node is None:
                continue
            node["link"] = {k: v for k, v in link.items() if k != "stored"}
            node["derived"] = _derived(g, child, doc, link["stored"])
            children.append(node)
        entry["children"] = children
        if filters.active:
            entry["matches_filter"] = filters.matches(entry)
            if not (entry["matches_filter"] or children or keep):
                return None
        return entry

    tree = []
    for r in roots:
        if r in placed:
            continue  # a title fragment can match a document and its parent: list it once, under the parent
        root = subtree(r, keep=how in ("number", "title"))
        if root is not None:
            root["link"] = None
            root["derived"] = []
            tree.append(root)
    report = {"query": query, "kind": kind, "match": how, "reform": label, "roots": tree, "documents": _count(tree)}
    if filters.active:
        report["filters"] = filters.as_dict()
        report["matching_documents"] = sum(1 for row in flatten(report) if row.get("matches_filter"))
    return report


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
    for n, a in document_nodes(g).items():
        k = sum(1 for _ in _implementers(g, n))
        if k > best_n or (k == best_n and best is not None and LEVEL_ORDER.get(a.get("level"), 4) < LEVEL_ORDER.get(g.nodes[best].get("level"), 4)):
            best, best_n = n, k
    if best is None or best_n == 0:
        return None
    return g.nodes[best].get("doc_number") or g.nodes[best].get("title")
