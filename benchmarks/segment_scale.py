"""Segmentation and measure extraction on growing synthetic documents (a script, not a timed test).

Prints, for n numbered items, the seconds of `outline` alone and of the whole extraction, and
the time per item: a flat per-item time as n grows is what linear means. The extraction is
timed twice, the second time with Python's cyclic garbage collector paused: what grows with n
only in the first column is the collector rescanning the many live records, not the algorithm.

    python3 benchmarks/segment_scale.py [--sizes 25000 50000 100000]
"""
from __future__ import annotations

import argparse
import gc
import time

from policygraph.extract.normalise import normalise
from policygraph.extract.pipeline import extract_text
from policygraph.extract.read import source_from_string
from policygraph.extract.segment import outline

SHAPES = {
    # the case: every item restarts at （一）
    "same label": lambda n: "\n".join(f"（一）任务{k}说明。" for k in range(n)),
    # numbered measures, two in three attributed
    "attributed": lambda n: "\n".join(
        f"（{k}）推进第{k}项改革。（市发展改革委牵头，市商务局配合）" if k % 3 else f"（{k}）研究第{k}项措施。"
        for k in range(1, n + 1)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    args = parser.parse_args()
    print(f"{'shape':<12} {'items':>8} {'outline s':>10} {'extract s':>10} {'µs/item':>9} {'no-gc s':>8} {'µs/item':>9}")
    for name, make in SHAPES.items():
        for n in args.sizes:
            text = "某某方案\n各区：\n" + make(n)
            normal = normalise(source_from_string(text))
            start = time.perf_counter()
            outline(normal)
            outline_s = time.perf_counter() - start
            start = time.perf_counter()
            extract_text(text)
            extract_s = time.perf_counter() - start
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                extract_text(text)
                no_gc_s = time.perf_counter() - start
            finally:
                gc.enable()
            print(f"{name:<12} {n:>8} {outline_s:>10.2f} {extract_s:>10.2f} {extract_s / n * 1e6:>9.1f}"
                  f" {no_gc_s:>8.2f} {no_gc_s / n * 1e6:>9.1f}")


if __name__ == "__main__":
    main()
