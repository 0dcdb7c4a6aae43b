"""How derivation and shared text scale: seed ×1, ×4, ×16 (a script, not a timed test).

    python3 benchmarks/derive_scale.py [--copies 1 4 16] [--seed data/north_china_2023.txt]

Copies of the seed corpus are written to /tmp/policygraph-derive-scale/xN/ as N files, each
copy with distinct document numbers (〔2023〕5号 → 〔2023〕30005号 in copy 3) and distinct
titles for documents without a number (（第3批） before the header date), so no document of one
copy merges with another. For each size it prints extraction time, derivation time (inferred
links, measure derivation, shared text), the whole graph build, and the shared-text index
figures: postings kept, pair-counting work, candidates scored, boilerplate shingles.
Copies are the worst case for shared text (every text repeated N times); the
document-frequency cut-off turns text carried by more than the cut-off's documents into
boilerplate, so the work stays linear.
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from policygraph.extract.pipeline import extract_corpus
from policygraph.graph.build import graph_data
from policygraph.graph.derive import derive

OUT = Path("/tmp/policygraph-derive-scale")
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")
_HEADER = re.compile(r"^\d+\. ")


def copy_text(text: str, k: int) -> str:
    """Copy k of the seed: new document numbers and, for the header titles, a batch marker."""
    if k == 0:
        return text
    text = _NUMBER.sub(lambda m: f"〔{m.group(1)}〕{k}{int(m.group(2)):04d}号", text)
    lines, pending = text.split("\n"), 0
    for i, line in enumerate(lines):
        if _HEADER.match(line):
            pending = 4  # the header's date may sit a few lines down
        if pending and "（20" in line:
            lines[i] = line.replace("（20", f"（第{k}批）（20", 1)
            pending = 0
        elif pending:
            pending -= 1
    return "\n".join(lines)


def make_copies(seed: Path, n: int) -> list[Path]:
    folder = OUT / f"x{n}"
    folder.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    paths = []
    for k in range(n):
        path = folder / f"copy{k:03d}.txt"
        path.write_text(copy_text(text, k), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seed", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "north_china_2023.txt")
    args = parser.parse_args()
    print(f"{'input':>6} {'docs':>6} {'measures':>8} {'extract s':>9} {'derive s':>8} {'graph s':>8} "
          f"{'postings':>9} {'work':>10} {'candidates':>10} {'boilerplate':>11} {'derived':>7} {'shared':>6}")
    for n in args.copies:
        paths = make_copies(args.seed, n)
        t0 = time.perf_counter()
        extraction = extract_corpus(paths)
        t1 = time.perf_counter()
        found = derive(extraction)
        t2 = time.perf_counter()
        graph_data(extraction)  # includes a second derivation: the build as the CLI runs it
        t3 = time.perf_counter()
        s = found.candidate_stats
        docs = sum(1 for d in extraction.documents if not d.stub)
        print(f"{'x' + str(n):>6} {docs:>6} {len(extraction.measures):>8} {t1 - t0:>9.2f} {t2 - t1:>8.2f} {t3 - t2:>8.2f} "
              f"{s.shingles:>9} {s.work:>10} {s.candidates:>10} {s.boilerplate_shingles:>11} "
              f"{len(found.derived):>7} {len(found.shared):>6}")


if __name__ == "__main__":
    main()
