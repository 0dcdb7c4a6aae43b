"""Document reports over the graph (`policygraph show`)."""
from __future__ import annotations

import networkx as nx

from policygraph.errors import QueryError
from policygraph.graph.lineage import _doc_entry, _squash, find_reform


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
    entry["implements"] = [
        {"target": g.nodes[v]["key"], "type": "cited" if k == "IMPLEMENTS" else "inferred",
         "score": a.get("score"), "evidence": a.get("evidence")}
        for _, v, k, a in g.out_edges(doc, keys=True, data=True) if k in ("IMPLEMENTS", "LIKELY_IMPLEMENTS")
    ]
    measures = []
    for _, m, k in g.out_edges(doc, keys=True):
        if k != "HAS_MEASURE":
            continue
        a = g.nodes[m]
        measures.append({"id": a["key"], "numbering": a.get("numbering"), "text": a.get("text"),
                         "lead_units": a.get("lead_units", []), "responsible_units": a.get("responsible_units", []),
                         "line_start": a.get("line_start"),
                         "derives_from": [{"measure": g.nodes[p]["key"], "score": e.get("score")}
                                          for _, p, kk, e in g.out_edges(m, keys=True, data=True) if kk == "DERIVES_FROM"]})
    entry["measures"] = sorted(measures, key=lambda m: m["line_start"] or 0)
    return entry


def diffusion_report(g: nx.MultiDiGraph, label: str) -> dict:
    """Per jurisdiction, the first document that names a reform, its date and level, and the
    measures of that document that carry it; jurisdictions in order of adoption."""
    reform = find_reform(g, label)
    if reform is None:
        raise QueryError(f"No document names the reform “{label}”: check the label (see extract/data/reforms.jsonl).")
    docs = [u for u, _, k in g.in_edges(reform, keys=True) if k == "MENTIONS" and g.nodes[u].get("label") == "Document"]
    by_place: dict[str, list[str]] = {}
    for d in docs:
        if g.nodes[d].get("date"):
            by_place.setdefault(g.nodes[d].get("jurisdiction") or "?", []).append(d)
    rows = []
    for place, place_docs in by_place.items():
        place_docs.sort(key=lambda d: (g.nodes[d]["date"], d))
        first = place_docs[0]
        measures = []
        for _, m, k in g.out_edges(first, keys=True):
            if k == "HAS_MEASURE" and any(kk == "MENTIONS" and r == reform for _, r, kk in g.out_edges(m, keys=True)):
                a = g.nodes[m]
                measures.append({"id": a["key"], "numbering": a.get("numbering"), "text": a.get("text"),
                                 "lead_units": a.get("lead_units", []), "line_start": a.get("line_start")})
        entry = _doc_entry(g, first)
        rows.append({"jurisdiction": place, "level": entry["level"], "first_date": entry["date"],
                     "document": entry, "documents": len(place_docs),
                     "later_documents": [g.nodes[d]["key"] for d in place_docs[1:]],
                     "measures": sorted(measures, key=lambda m: m["line_start"] or 0)})
    rows.sort(key=lambda r: (r["first_date"], r["jurisdiction"]))
    return {"reform": g.nodes[reform]["key"], "jurisdictions": rows}


def agency_report(g: nx.MultiDiGraph, name: str) -> dict:
    """What an agency issues, leads and shares, for every agency whose name or written form
    contains `name`, across jurisdictions."""
    q = _squash(name)
    agencies = [n for n, a in g.nodes(data=True) if a.get("label") == "Agency"
                and (q in _squash(a.get("name")) or any(q in _squash(x) for x in a.get("aliases", [])))]
    if not agencies:
        raise QueryError(f"No agency matches “{name}”: give part of its name, e.g. 市场监督管理局.")
    out = []
    for n in agencies:
        a = g.nodes[n]
        issued = [g.nodes[v]["key"] for _, v, k in g.out_edges(n, keys=True) if k == "ISSUED"]
        leads = [v for _, v, k in g.out_edges(n, keys=True) if k == "LEADS"]
        shares = [v for _, v, k in g.out_edges(n, keys=True) if k == "RESPONSIBLE_FOR"]
        per_doc: dict[str, dict] = {}
        for kind, measures in (("leads", leads), ("responsible", shares)):
            for m in measures:
                doc = g.nodes[m].get("document")
                per_doc.setdefault(doc, {"document": doc, "leads": 0, "responsible": 0})[kind] += 1
        partners: dict[str, int] = {}
        for m in set(leads) | set(shares):
            for u, _, k in g.in_edges(m, keys=True):
                if k in ("LEADS", "RESPONSIBLE_FOR") and u != n:
                    partners[g.nodes[u]["name"]] = partners.get(g.nodes[u]["name"], 0) + 1
        out.append({
            "agency": a["name"], "kind": a.get("kind"), "jurisdiction": a.get("jurisdiction"),
            "aliases": a.get("aliases", []), "issued": issued, "leads": len(leads), "responsible": len(shares),
            "documents": sorted(per_doc.values(), key=lambda d: (-d["leads"] - d["responsible"], d["document"])),
            "partners": sorted(partners.items(), key=lambda p: (-p[1], p[0]))[:10],
        })
    out.sort(key=lambda r: (-(r["leads"] + r["responsible"] + len(r["issued"])), r["agency"]))
    return {"query": name, "agencies": out,
            "totals": {"agencies": len(out), "jurisdictions": len({r["jurisdiction"] for r in out}),
                       "issued": sum(len(r["issued"]) for r in out), "leads": sum(r["leads"] for r in out),
                       "responsible": sum(r["responsible"] for r in out)}}
