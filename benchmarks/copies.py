"""Test collections of any size from the seed corpus: copy i is the corpus with every 发文字号
renumbered (n → n + 1000·i), so copies are distinct documents that cite each other only within
their copy, as separate real collections would.

    python3 benchmarks/copies.py 50 /tmp/policygraph-x50      # writes copy_000.txt … copy_049.txt
"""
from __future__ import annotations

import sys
from pathlib import Path

from policygraph.api import DEFAULT_CORPUS
from policygraph.extract.docnumber import DOC_NUMBER
from policygraph.files import atomic_write_text


def renumbered(text: str, copy: int) -> str:
    if copy == 0:
        return text

    def shift(m):
        n = m.group("n")
        start, end = m.span("n")
        return m.group(0)[: start - m.start()] + str(int(n) + 1000 * copy) + m.group(0)[end - m.start():]

    return DOC_NUMBER.sub(shift, text)


def make_copies(n: int, folder: str | Path, source: Path = DEFAULT_CORPUS) -> list[Path]:
    """n renumbered copies of `source` in `folder` (kept if already there)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        path = folder / f"copy_{i:03d}.txt"
        if not path.exists():
            atomic_write_text(path, renumbered(text, i))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in make_copies(int(sys.argv[1]), sys.argv[2]):
        print(p)
