"""The machine-readable extraction (`policygraph extract --json`), the contract scored by eval."""
from __future__ import annotations

from policygraph.extract.models import Extraction


def as_json(extraction: Extraction, include_stubs: bool = False) -> dict:
    docs = [d for d in extraction.documents if include_stubs or not d.stub]
    return {
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "date": d.date,
                "doc_number": d.doc_number,
                "doc_number_as_written": d.doc_number_as_written,
                "issuers": d.issuers,
                "issuer_aliases": d.issuers_as_written,
                "addressees": d.addressees,
                "jurisdiction": d.jurisdiction,
                "level": d.level,
                "attachments": d.attachments,
                "cites": [
                    {
                        "title": c.title,
                        "doc_number": c.doc_number,
                        "doc_number_as_written": c.doc_number_as_written,
                        "relation": c.relation,
                        "target": c.target,
                        "cue": c.cue,
                        "line": c.span.line_start,
                    }
                    for c in d.cites
                ],
                "reforms": d.reforms,
                "platforms": d.platforms,
                "source": d.span.as_dict(),
                "stub": d.stub,
            }
            for d in docs
        ],
        "measures": [
            {
                "id": m.id,
                "document": m.document,
                "key": m.key,
                "parent_key": m.parent_key,
                "heading": m.heading,
                "text": m.text,
                "lead_units": m.lead_units,
                "responsible_units": m.responsible_units,
                "lead_agencies": m.lead_agencies,
                "responsible_agencies": m.responsible_agencies,
                "reforms": m.reforms,
                "rule": m.rule,
                "source": m.span.as_dict(),
            }
            for m in extraction.measures
        ],
        "agencies": [
            {"id": a.id, "name": a.name, "aliases": a.aliases, "jurisdiction": a.jurisdiction, "kind": a.kind}
            for a in extraction.agencies
        ],
        "reforms": [{"label": r["label"], "variants": r.get("variants", [])} for r in extraction.reforms],
        "platforms": [{"name": p["name"], "variants": p.get("variants", [])} for p in extraction.platforms],
        "stubs": [
            {"id": d.id, "title": d.title, "doc_number": d.doc_number, "issuers": d.issuers,
             "jurisdiction": d.jurisdiction, "level": d.level}
            for d in extraction.documents if d.stub
        ],
    }
