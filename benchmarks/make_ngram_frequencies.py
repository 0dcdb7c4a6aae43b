"""Write graph/data/ngram_frequencies.tsv: how common each character 2- and 3-gram is in
ordinary policy and legal text, the background that tells generic wording (应当, 加强, 罚款,
以上) from specific content (歇业, 过头税费, 水量分配) in graph/similarity.py.

    python3 benchmarks/make_ngram_frequencies.py [LAWS_DIR] [SEED_FILE]

A unit is one line of text (an article of a law, a paragraph of a policy document) of at least
12 characters after cleaning. Sample: every 5th Markdown file of the laws corpus in sorted path
order, plus the seed corpus. Only grams found in at least MIN_UNITS units are kept (rarer ones
get the highest weight anyway).
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from policygraph.graph.candidates import clean
from policygraph.graph.similarity import NGRAMS

OUT = Path(__file__).resolve().parent.parent / "graph" / "data" / "ngram_frequencies.tsv"
MIN_UNITS = 30
EVERY = 5


def units(paths: list[Path]):
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            text = clean(line)
            if len(text) >= 12 and not line.startswith("#"):
                yield text


def main() -> None:
    laws = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "laws"
    seed = Path(sys.argv[2] if len(sys.argv) > 2 else "data/north_china_2023.txt")
    files = sorted(laws.rglob("*.md"))[::EVERY] + [seed]
    df: Counter[str] = Counter()
    n = 0
    for text in units(files):
        n += 1
        df.update({text[i:i + k] for k in NGRAMS for i in range(len(text) - k + 1)})
    kept = sorted((g, c) for g, c in df.items() if c >= MIN_UNITS)
    lines = [f"# units\t{n}", f"# made by benchmarks/make_ngram_frequencies.py from {len(files)} files "
             f"(every {EVERY}th of the laws corpus, and the seed corpus); grams in >= {MIN_UNITS} units"]
    lines += [f"{g}\t{c}" for g, c in kept]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{n} units, {len(kept)} grams kept of {len(df)} -> {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
