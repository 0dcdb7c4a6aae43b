"""Records → graph data (pure): every node and relationship carries its provenance
(source_path, line_start, line_end), and every node a `name` to caption it in Neo4j Browser."""
from __future__ import annotations

from policygraph.extract.lexicon import DATA, divisions, platforms, reforms
from policygraph.extract.models import Extraction, Span
from policygraph.graph.schema import GraphData, Node, Rel


def _prov(span: Span) -> dict:
    prov = {"source_path": span.path, "line_start": span.line_start, "line_end": span.line_end}
    if span.page_start is not None:
        prov.update(page_start=span.page_start, page_end=span.page_end)
    return prov


def _lexicon_prov(file: str, rows: list[dict], field: str, value: str) -> dict:
    line = next((n for n, row in enumerate(rows, start=1) if row.get(field) == value), 0)
    return {"source_path": str(DATA / file), "line_start": line, "line_end": line}


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def graph_data(extraction: Extraction, derivations: bool = True, timer=None) -> GraphData:
    """The graph of an extraction; `derivations=False` leaves out the inferred links. With a
    pipeline Timer, the records and the derivations are timed apart ("graph", "derive").
    Deterministic: nodes and relationships come out in the order of the records, never of a set."""
    nodes: dict[str, Node] = {}
    rels: dict[tuple, Rel] = {}

    def node(label: str, key: str, props: dict) -> None:
        n = Node(label, key, props)
        nodes.setdefault(n.node_id, n)

    def rel(type_: str, start: tuple[str, str], end: tuple[str, str], props: dict, distinct: str = "") -> None:
        rels.setdefault((type_, start, end, distinct), Rel(type_, start, end, props))

    division_rows = divisions()
    for j in extraction.jurisdictions:
        node("Jurisdiction", j.name, {"name": j.name, "level": j.level,
                                      **_lexicon_prov("divisions.jsonl", division_rows, "name", j.name)})
    for j in extraction.jurisdictions:
        if j.parent and f"Jurisdiction:{j.parent}" in nodes:
            rel("PART_OF", ("Jurisdiction", j.name), ("Jurisdiction", j.parent),
                _lexicon_prov("divisions.jsonl", division_rows, "name", j.name))

    reform_rows, platform_rows = reforms(), platforms()
    for r in extraction.reforms:
        node("Reform", r["label"], {"name": r["label"], "variants": r.get("variants", []),
                                    "description": r.get("description", ""),
                                    **_lexicon_prov("reforms.jsonl", reform_rows, "label", r["label"])})
    for p in extraction.platforms:
        node("Platform", p["name"], {"name": p["name"], "variants": p.get("variants", []),
                                     **_lexicon_prov("platforms.jsonl", platform_rows, "name", p["name"])})

    for a in extraction.agencies:
        span = a.spans[0] if a.spans else Span("", 0, 0)
        node("Agency", a.id, {"name": a.name, "kind": a.kind, "jurisdiction": a.jurisdiction,
                              "aliases": a.aliases, **_prov(span)})
        if a.jurisdiction and f"Jurisdiction:{a.jurisdiction}" in nodes:
            rel("IN_JURISDICTION", ("Agency", a.id), ("Jurisdiction", a.jurisdiction), _prov(span))

    # Real documents first: when a stub (a document only cited) shares a key with a real
    # document, the real one establishes the node and the stub adds nothing (no title, no
    # guessed jurisdiction, no provenance of the citing line).
    documents = sorted(extraction.documents, key=lambda d: d.stub)
    for d in documents:
        if d.stub and f"Document:{d.id}" in nodes:
            continue
        prov = _prov(d.span)
        node("Document", d.id, {
            "name": d.doc_number or _short(d.title), "title": d.title, "date": d.date,
            "doc_number": d.doc_number, "doc_number_as_written": d.doc_number_as_written,
            "issuers": d.issuers, "jurisdiction": d.jurisdiction,
            "level": d.level, "region": d.region, "attachments": d.attachments,
            "addressees": d.addressees, "stub": d.stub, **prov,
        })
        if d.jurisdiction and f"Jurisdiction:{d.jurisdiction}" in nodes:
            rel("IN_JURISDICTION", ("Document", d.id), ("Jurisdiction", d.jurisdiction), prov)
        if not d.stub:
            for issuer in d.issuers:
                if f"Agency:{issuer}" in nodes:
                    rel("ISSUED", ("Agency", issuer), ("Document", d.id), prov)
        for label in d.reforms:
            rel("MENTIONS", ("Document", d.id), ("Reform", label), prov)
        for name in d.platforms:
            rel("MENTIONS", ("Document", d.id), ("Platform", name), prov)
    for d in extraction.documents:
        for c in d.cites:
            if not c.target or f"Document:{c.target}" not in nodes:
                continue
            props = {"relation": c.relation, "cue": c.cue, "title": c.title, "doc_number": c.doc_number,
                     "doc_number_as_written": c.doc_number_as_written, **_prov(c.span)}
            rel("CITES", ("Document", d.id), ("Document", c.target), props)
            if c.relation == "basis":
                rel("IMPLEMENTS", ("Document", d.id), ("Document", c.target),
                    {"evidence": f"{c.cue or ''}《{c.title or ''}》{c.doc_number or ''}", "inferred": False,
                     **_prov(c.span)})

    for m in extraction.measures:
        prov = _prov(m.span)
        node("Measure", m.id, {"name": f"{m.key or ''}{_short(m.text, 18)}", "numbering": m.key,
                               "parent_numbering": m.parent_key, "heading": m.heading, "outline": m.outline,
                               "text": m.text, "document": m.document,
                               "lead_units": m.lead_units, "responsible_units": m.responsible_units,
                               "rule": m.rule, **prov})
        rel("HAS_MEASURE", ("Document", m.document), ("Measure", m.id), prov)
        for written, agency in zip(m.lead_units, m.lead_agencies):
            rel("LEADS", ("Agency", agency), ("Measure", m.id), {"as_written": written, **prov})
        for written, agency in zip(m.responsible_units, m.responsible_agencies):
            rel("RESPONSIBLE_FOR", ("Agency", agency), ("Measure", m.id), {"as_written": written, **prov})
        for label in m.reforms:
            if f"Reform:{label}" in nodes:
                rel("MENTIONS", ("Measure", m.id), ("Reform", label), prov)
    if timer:
        timer.lap("graph")
    if derivations:
        _add_derivations(extraction, nodes, rel)
        if timer:
            timer.lap("derive")
    return GraphData(list(nodes.values()), list(rels.values()))


def _add_derivations(extraction: Extraction, nodes: dict, rel) -> None:
    from policygraph.graph.derive import derive

    found = derive(extraction)
    docs = {d.id: d for d in extraction.documents}
    measures = {m.id: m for m in extraction.measures}
    for link in found.inferred:
        rel("LIKELY_IMPLEMENTS", ("Document", link.child), ("Document", link.parent),
            {"inferred": True, "score": link.score, "evidence": link.evidence,
             "shared_reforms": link.shared_reforms, **_prov(docs[link.child].span)})
    for type_, links in (("DERIVES_FROM", found.derived), ("SHARES_TEXT_WITH", found.shared)):
        for link in links:
            other = measures[link.other].span
            rel(type_, ("Measure", link.measure), ("Measure", link.other),
                {"score": link.score, "evidence": link.evidence, "shared_reforms": link.shared_reforms,
                 "other_line_start": other.line_start, "other_line_end": other.line_end,
                 **link.components, **_prov(measures[link.measure].span)})
    for measure in found.boilerplate:  # text many documents carry: recognised, not linked pairwise
        nodes[f"Measure:{measure}"].props["boilerplate"] = True
