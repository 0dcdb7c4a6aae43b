"""Document reports over the graph (`policygraph show`)."""
from __future__ import annotations

import networkx as nx

from policygraph.errors import QueryError
from policygraph.graph.filters import DocumentFilter
from policygraph.graph.lineage import _doc_entry, find_reform, flatten, outline_paths
from policygraph.graph.lookup import find_agencies, find_documents, not_found, place_level


def find_document(g: nx.MultiDiGraph, query: str) -> str:
    """One document: by 发文字号 in any printed form, exact title, or a title fragment that
    names only one document."""
    how, found = find_documents(g, query)
    if how in ("number", "title") or len(found) == 1:
        return found[0]
    if found:
        names = "; ".join(g.nodes[n].get("doc_number") or g.nodes[n].get("title") for n in found[:4])
        raise QueryError(f"“{query}” matches {len(found)} documents ({names}{' …' if len(found) > 4 else ''}): "
                         "give more of the title or the document number.")
    raise not_found(query)


def _measure_ref(g: nx.MultiDiGraph, node: str, paths: dict, edge: dict) -> dict:
    a = g.nodes[node]
    return {"measure": a["key"], "document": a.get("document"), "path": paths.get(node) or a.get("numbering"),
            "text": a.get("text"), "score": edge.get("score"), "evidence": edge.get("evidence")}


def document_report(g: nx.MultiDiGraph, query: str) -> dict:
    """One document: what it cites, what cites it, what it implements and what implements it
    (cited or inferred), and its measures with the parent measures they restate, each shown by
    its outline path (二、（二）) and text."""
    doc = find_document(g, query)
    entry = _doc_entry(g, doc)
    entry["cites"] = [
        {"target": g.nodes[v]["key"], "title": g.nodes[v].get("title"), "relation": a.get("relation"),
         "cue": a.get("cue"), "line": a.get("line_start")}
        for _, v, k, a in g.out_edges(doc, keys=True, data=True) if k == "CITES"
    ]
    entry["cited_by"] = [
        {"source": g.nodes[u]["key"], "title": g.nodes[u].get("title"), "relation": a.get("relation"),
         "line": a.get("line_start")}
        for u, _, k, a in g.in_edges(doc, keys=True, data=True) if k == "CITES"
    ]
    entry["reforms"] = sorted(g.nodes[v]["key"] for _, v, k in g.out_edges(doc, keys=True)
                              if k == "MENTIONS" and g.nodes[v]["label"] == "Reform")
    entry["implements"] = [
        {"target": g.nodes[v]["key"], "type": "cited" if k == "IMPLEMENTS" else "inferred",
         "score": a.get("score"), "evidence": a.get("evidence")}
        for _, v, k, a in g.out_edges(doc, keys=True, data=True) if k in ("IMPLEMENTS", "LIKELY_IMPLEMENTS")
    ]
    entry["implemented_by"] = sorted((
        {"source": g.nodes[u]["key"], "title": g.nodes[u].get("title"), "type": "cited" if k == "IMPLEMENTS" else "inferred",
         "score": a.get("score"), "evidence": a.get("evidence"), "level": g.nodes[u].get("level"),
         "jurisdiction": g.nodes[u].get("jurisdiction"), "date": g.nodes[u].get("date")}
        for u, _, k, a in g.in_edges(doc, keys=True, data=True) if k in ("IMPLEMENTS", "LIKELY_IMPLEMENTS")),
        key=lambda r: (r["type"] != "cited", r["date"] or "", r["source"]))
    paths = outline_paths(g, doc)
    other_paths: dict[str, str] = {}  # outline paths of the other documents, each computed once
    seen_docs: set[str] = set()
    measures = []
    for _, m, k in g.out_edges(doc, keys=True):
        if k != "HAS_MEASURE":
            continue
        a = g.nodes[m]
        derives = [(p, e) for _, p, kk, e in g.out_edges(m, keys=True, data=True) if kk == "DERIVES_FROM"]
        restated = [(c, e) for c, _, kk, e in g.in_edges(m, keys=True, data=True) if kk == "DERIVES_FROM"]
        for node, _ in derives + restated:
            other_doc = f"Document:{g.nodes[node].get('document')}"
            if other_doc in g and other_doc not in seen_docs:
                seen_docs.add(other_doc)
                other_paths.update(outline_paths(g, other_doc))
        measures.append({"id": a["key"], "numbering": a.get("numbering"), "path": paths.get(m) or a.get("numbering"),
                         "text": a.get("text"), "lead_units": a.get("lead_units", []),
                         "responsible_units": a.get("responsible_units", []), "line_start": a.get("line_start"),
                         "derives_from": sorted((_measure_ref(g, p, other_paths, e) for p, e in derives),
                                                key=lambda d: -(d["score"] or 0)),
                         "restated_by": sorted((_measure_ref(g, c, other_paths, e) for c, e in restated),
                                               key=lambda d: (d["document"] or "", d["measure"]))})
    entry["measures"] = sorted(measures, key=lambda m: (m["line_start"] or 0, m["id"]))
    return entry


def diffusion_report(g: nx.MultiDiGraph, label: str, filters: DocumentFilter | None = None) -> dict:
    """Per jurisdiction, the first document that names a reform, its date and level, and the
    measures of that document that carry it; jurisdictions in order of adoption. With
    `filters`, only the documents that pass them count."""
    filters = filters or DocumentFilter()
    reform = find_reform(g, label)
    if reform is None:
        raise QueryError(f"No document names the reform “{label}”: check the label (see extract/data/reforms.jsonl).")
    docs = [u for u, _, k in g.in_edges(reform, keys=True) if k == "MENTIONS" and g.nodes[u].get("label") == "Document"]
    by_place: dict[str, list[str]] = {}
    for d in docs:
        if g.nodes[d].get("date") and filters.matches(g.nodes[d]):
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
    report = {"reform": g.nodes[reform]["key"], "jurisdictions": rows}
    if filters.active:
        report["filters"] = filters.as_dict()
    return report


def agency_report(g: nx.MultiDiGraph, name: str, filters: DocumentFilter | None = None) -> dict:
    """What an agency issues, leads and shares, for every agency that `name` names in any form
    (full name, abbreviation, with or without the place), across jurisdictions. With `filters`:
    agencies of that place (and below) and level, counting only documents in the date range."""
    filters = filters or DocumentFilter()
    agencies = [n for n in find_agencies(g, name)
                if filters.place_ok(g.nodes[n].get("jurisdiction"), _agency_level(g, n))]
    if not agencies:
        where = f" ({filters.describe()})" if filters.active else ""
        raise QueryError(f"No agency matches “{name}”{where}: give its name or part of it, full or abbreviated, "
                         "e.g. 市场监督管理局 or 市场监管局.")

    def in_range(doc_key: str | None) -> bool:
        return filters.date_ok(g.nodes.get(f"Document:{doc_key}", {}).get("date"))

    out = []
    for n in agencies:
        a = g.nodes[n]
        issued = [g.nodes[v]["key"] for _, v, k in g.out_edges(n, keys=True) if k == "ISSUED" and in_range(g.nodes[v]["key"])]
        leads = [v for _, v, k in g.out_edges(n, keys=True) if k == "LEADS" and in_range(g.nodes[v].get("document"))]
        shares = [v for _, v, k in g.out_edges(n, keys=True) if k == "RESPONSIBLE_FOR" and in_range(g.nodes[v].get("document"))]
        if filters.active and not (issued or leads or shares):
            continue
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
            "level": _agency_level(g, n), "aliases": a.get("aliases", []), "issued": sorted(issued),
            "leads": len(leads), "responsible": len(shares),
            "documents": sorted(per_doc.values(), key=lambda d: (-d["leads"] - d["responsible"], d["document"])),
            "partners": sorted(partners.items(), key=lambda p: (-p[1], p[0]))[:10],
        })
    if not out:
        raise QueryError(f"No agency matching “{name}” has documents or measures {filters.describe()}.")
    out.sort(key=lambda r: (-(r["leads"] + r["responsible"] + len(r["issued"])), r["agency"]))
    report = {"query": name, "agencies": out,
              "totals": {"agencies": len(out), "jurisdictions": len({r["jurisdiction"] for r in out}),
                         "issued": sum(len(r["issued"]) for r in out), "leads": sum(r["leads"] for r in out),
                         "responsible": sum(r["responsible"] for r in out)}}
    if filters.active:
        report["filters"] = filters.as_dict()
    return report


def _agency_level(g: nx.MultiDiGraph, agency: str) -> str | None:
    place = g.nodes[agency].get("jurisdiction")
    node = g.nodes.get(f"Jurisdiction:{place}") if place else None
    return (node or {}).get("level") or place_level(place)


# ------------------------------------------------------------------ flat rows (CSV)

def _cell(value) -> str | int | float | None:
    """A list becomes one cell, its items separated by "; " (names may contain 、)."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value


def lineage_rows(report: dict) -> list[dict]:
    """One row per document of a lineage report, with the link to its parent."""
    rows = []
    for r in flatten(report):
        link = r.get("link") or {}
        rows.append({
            "depth": r["depth"], "doc_number": r.get("doc_number"), "title": r.get("title"),
            "level": r.get("level"), "jurisdiction": r.get("jurisdiction"), "date": r.get("date"),
            "issuers": _cell(r.get("issuers") or []), "parent": r["parent"], "link": link.get("type"),
            "score": link.get("score"), "evidence": link.get("evidence"), "derived_measures": len(r.get("derived") or []),
            "in_corpus": not r.get("stub"), "matches_filter": r.get("matches_filter", True),
            "id": r["id"], "source_path": r["source"]["path"], "line_start": r["source"]["line_start"],
            "line_end": r["source"]["line_end"],
        })
    return rows


def diffusion_rows(report: dict) -> list[dict]:
    return [{"reform": report["reform"], "jurisdiction": row["jurisdiction"], "level": row["level"],
             "first_date": row["first_date"], "first_document": row["document"]["doc_number"] or row["document"]["title"],
             "title": row["document"]["title"], "documents": row["documents"],
             "later_documents": _cell(row["later_documents"]), "measures": len(row["measures"]),
             "lead_units": _cell(sorted({u for m in row["measures"] for u in m["lead_units"]}))}
            for row in report["jurisdictions"]]


def agency_rows(report: dict) -> list[dict]:
    return [{"agency": r["agency"], "kind": r["kind"], "jurisdiction": r["jurisdiction"], "level": r["level"],
             "issued": len(r["issued"]), "issued_documents": _cell(r["issued"]), "leads": r["leads"],
             "responsible": r["responsible"], "documents": len(r["documents"]),
             "works_most_with": _cell([f"{p}({n})" for p, n in r["partners"][:5]]), "aliases": _cell(r["aliases"])}
            for r in report["agencies"]]


def document_rows(report: dict) -> list[dict]:
    """One row per measure of a `show` report, with the parent measures it restates."""
    return [{"document": report["id"], "measure": m["id"], "path": m["path"], "text": m["text"],
             "lead_units": _cell(m["lead_units"]), "responsible_units": _cell(m["responsible_units"]),
             "line_start": m["line_start"],
             "derives_from": _cell([f"{d['document']} {d['path'] or ''} ({d['score']:.2f})" for d in m["derives_from"]]),
             "restated_by": _cell([f"{d['document']} {d['path'] or ''}" for d in m["restated_by"]])}
            for m in report["measures"]]


def stats_rows(summary: dict) -> list[dict]:
    return ([{"kind": "node", "name": k, "count": v} for k, v in summary["nodes"].items()]
            + [{"kind": "relationship", "name": k, "count": v} for k, v in summary["relationships"].items()])
