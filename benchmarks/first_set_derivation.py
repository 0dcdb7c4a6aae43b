"""Precision and recall of DERIVES_FROM on the first labelled set, the figure issue 8 guards.

    python3 benchmarks/first_set_derivation.py [CORPUS]

tests/fixtures/derivation_pairs.json holds 42 (child measure, parent measure, derives) pairs of
the seed corpus, with their adjudicated labels (`first_label` keeps the label before the blind
double annotation). Every labelled pair is scored twice, given all measures of both documents
as the graph build gives them:

- through the build's document rule (`derive.may_derive`: a document pair that the build would
  never compare, such as a child issued before its "parent", derives nothing);
- forced: the measure model alone, on every labelled document pair.

Prints both, with each false positive and false negative.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "fixtures" / "derivation_pairs.json"


def _find(extraction, document: str, head: str):
    found = [m for m in extraction.measures if m.document == document and m.text.startswith(head)]
    if not found:
        raise LookupError(f"no measure of {document} starts with {head}")
    return found[0]


def scores(extraction, document_rule: bool, pairs: list[dict] | None = None) -> dict:
    """tp, fp, fn, precision, recall and the mislabelled pairs of derive_measures on the pairs."""
    from policygraph.graph.derive import derive_measures, may_derive

    pairs = pairs if pairs is not None else json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    docs = {d.id: d for d in extraction.documents}
    by_doc: dict[str, list] = {}
    for m in extraction.measures:
        by_doc.setdefault(m.document, []).append(m)
    links: dict[tuple[str, str], set] = {}
    out = {"tp": 0, "fp": 0, "fn": 0, "wrong": []}
    for pair in pairs:
        key = (pair["child_document"], pair["parent_document"])
        if key not in links:
            child_doc, parent_doc = docs[key[0]], docs[key[1]]
            basis = any(c.target == parent_doc.id and c.relation == "basis" for c in child_doc.cites)
            allowed = may_derive(child_doc, parent_doc, basis) or not document_rule
            links[key] = {(link.measure, link.other) for link in derive_measures(by_doc[key[0]], by_doc[key[1]])} if allowed else set()
        child = _find(extraction, pair["child_document"], pair["child_head"])
        parent = _find(extraction, pair["parent_document"], pair["parent_head"])
        predicted = (child.id, parent.id) in links[key]
        if predicted != pair["derives"]:
            out["wrong"].append({**pair, "predicted": predicted})
        out["tp"] += predicted and pair["derives"]
        out["fp"] += predicted and not pair["derives"]
        out["fn"] += (not predicted) and pair["derives"]
    out["precision"] = out["tp"] / max(out["tp"] + out["fp"], 1)
    out["recall"] = out["tp"] / max(out["tp"] + out["fn"], 1)
    return out


def main() -> None:
    from policygraph.api import extract

    extraction = extract(sys.argv[1] if len(sys.argv) > 1 else ROOT / "data" / "north_china_2023.txt")
    for title, rule in (("through the document rule", True), ("forced on every labelled document pair", False)):
        s = scores(extraction, rule)
        print(f"{title}: precision {s['precision']:.3f} recall {s['recall']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
        for w in s["wrong"]:
            kind = "false positive" if w["predicted"] else "false negative"
            print(f"  {kind}: {w['child_document']} {w['child_head']}… → {w['parent_document']} {w['parent_head']}…")


if __name__ == "__main__":
    main()
