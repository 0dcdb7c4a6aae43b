"""Build speed of the whole corpus: total, per stage, throughput (a script, not a timed test).

    python3 benchmarks/build_speed.py [INPUT...] [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from policygraph.api import DEFAULT_CORPUS
from policygraph.extract.pipeline import Timer, extract_corpus
from policygraph.graph.build import graph_data
from policygraph.graph.store_nx import save, to_networkx


def run_once(paths: list[Path], out: Path) -> tuple[float, dict[str, float]]:
    timer = Timer()
    start = time.perf_counter()
    extraction = extract_corpus(paths, timer)
    data = graph_data(extraction)
    timer.lap("graph")
    g = to_networkx(data)
    timer.lap("networkx")
    save(g, out)
    timer.lap("save")
    return time.perf_counter() - start, dict(timer.seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    size = sum(p.stat().st_size for p in args.inputs)
    out = Path("/tmp/policygraph-bench.json")
    run_once(args.inputs, out)  # warm-up: lexicons, automaton, imports
    totals, stages = [], []
    for _ in range(args.repeat):
        total, per_stage = run_once(args.inputs, out)
        totals.append(total)
        stages.append(per_stage)
    median = statistics.median(totals)
    print(f"input: {size / 1e6:.2f} MB in {len(args.inputs)} file(s); {args.repeat} runs after one warm-up")
    print(f"total build (extract + graph + save): median {median:.3f} s, min {min(totals):.3f} s, max {max(totals):.3f} s")
    print(f"throughput: {size / 1e6 / median:.2f} MB/s")
    print("per stage (median s):")
    for stage in stages[0]:
        print(f"  {stage:<20} {statistics.median(s[stage] for s in stages):.3f}")
    cold_start = time.perf_counter()
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "policygraph", "build", "--quiet", "--no-lineage",
                    "--graph", str(out), *map(str, args.inputs)], check=True, capture_output=True)
    print(f"cold CLI run (`policygraph build`, new process incl. imports): {time.perf_counter() - cold_start:.3f} s")


if __name__ == "__main__":
    main()
