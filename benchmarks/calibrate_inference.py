"""Fit the LIKELY_IMPLEMENTS threshold on labelled document pairs.

    python3 benchmarks/calibrate_inference.py [--write]

Reads tests/fixtures/inference_pairs.json ((child, candidate parent, implements yes/no) with
the document views inference uses and the collection's reform-label frequencies), scores each
pair as graph/inference.py does, prints precision and recall per threshold and chooses the
threshold with the best F1 (ties: the lowest, which keeps most recall on unseen documents).
`--write` stores it in graph/data/inference_model.json.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from policygraph.graph.inference import MODEL, DocView, ReformIndex, score_pair

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "inference_pairs.json"


def scored(fixture: dict) -> list[tuple[float, bool]]:
    index = ReformIndex([])
    index.n, index.df = fixture["collection_size"], fixture["collection_reform_df"]
    out = []
    for p in fixture["pairs"]:
        child, parent = (DocView(d["id"], d["jurisdiction"], d["level"], d["date"], d["reforms"])
                         for d in (p["child"], p["parent"]))
        out.append((score_pair(index, child, parent)[0], p["implements"]))
    return out


def curve(pairs: list[tuple[float, bool]], thresholds) -> list[tuple[float, float, float, float]]:
    rows = []
    for t in thresholds:
        tp = sum(s >= t and y for s, y in pairs)
        fp = sum(s >= t and not y for s, y in pairs)
        fn = sum(s < t and y for s, y in pairs)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        rows.append((t, p, r, 2 * p * r / max(p + r, 1e-9)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="store the chosen threshold")
    args = parser.parse_args()
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    pairs = scored(fixture)
    print(f"{len(pairs)} labelled pairs, {sum(y for _, y in pairs)} implement")
    print(f"{'threshold':>9} {'P':>6} {'R':>6} {'F1':>6}")
    rows = curve(pairs, [round(0.05 * k, 2) for k in range(1, 20)])
    for t, p, r, f1 in rows:
        print(f"{t:>9.2f} {p:>6.3f} {r:>6.3f} {f1:>6.3f}")
    best = max(rows, key=lambda row: (row[3], -row[0]))
    print(f"chosen threshold {best[0]:.2f}: precision {best[1]:.3f} recall {best[2]:.3f}")
    if args.write:
        MODEL.write_text(json.dumps({"about": "Written by benchmarks/calibrate_inference.py from tests/fixtures/inference_pairs.json.",
                                     "threshold": best[0]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written to {MODEL}")


if __name__ == "__main__":
    main()
