"""How the build scales, as one table (a script, not a timed test).

For the seed corpus ×1, ×16 and ×50 (renumbered copies in separate files, see copies.py) and
the whole laws corpus: build time per stage, MB/s of extraction, peak memory, and the ratio of
the extraction time to a bare read plus one regex pass over the same bytes; then lineage
latency (p50/p95) on the ×50 graph, in-process and as a cold CLI process.

    python3 benchmarks/scale.py                       # everything (long)
    python3 benchmarks/scale.py --sets x1 x16 --workers 2 --skip-derive
    python3 benchmarks/scale.py --lineage-only        # latency on an existing ×50 graph

Each data set is built in a fresh process, so its peak memory is its own (parent process and,
separately, the largest extraction worker). `--skip-derive` leaves out graph/derive.py (inferred
links, shared text): until it is near-linear it dominates, so the other stages can be timed.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TMP = Path("/tmp/policygraph-scale")
LAWS = HERE.parent.parent / "shared" / "corpus" / "laws"  # the laws corpus beside the checkout
SETS = ("x1", "x16", "x50", "laws")


def inputs(name: str) -> list[Path]:
    sys.path.insert(0, str(HERE))
    from copies import make_copies

    if name == "laws":
        return sorted(p for p in LAWS.rglob("*.md") if p.is_file() and p.name != "README.md")
    n = int(name[1:])
    return make_copies(n, TMP / f"copies-{n}")


def bare_pass(paths: list[Path]) -> float:
    """Read every file once and run one regex (a year in brackets, as in 〔2023〕) over the
    decoded text: the floor any extraction is compared with."""
    year = re.compile(r"[〔\[（(]\d{4}[〕\]）)]")
    t = time.perf_counter()
    found = 0
    for p in paths:
        found += sum(1 for _ in year.finditer(p.read_bytes().decode("utf-8", "replace")))
    return time.perf_counter() - t


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (the extraction workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def one(name: str, workers: int | None, derive: bool, graph_out: Path) -> dict:
    """Build one data set in this process; figures as a dict."""
    from policygraph.extract.pipeline import Timer, extract_corpus
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import save, to_networkx

    paths = inputs(name)
    size = sum(p.stat().st_size for p in paths)
    bare = bare_pass(paths)
    timer = Timer()
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    extraction = extract_corpus(paths, timer, workers=workers)
    t_extract = time.perf_counter() - t0
    cpu_extract = cpu_seconds() - cpu0
    timer.lap("(extract wall)")
    data = graph_data(extraction, derivations=derive, timer=timer)
    g = to_networkx(data)
    timer.lap("networkx")
    save(g, graph_out)
    timer.lap("save")
    total = time.perf_counter() - t0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "set": name, "files": len(paths), "mb": size / 1e6, "total_s": total, "extract_s": t_extract,
        "mb_per_s": size / 1e6 / t_extract, "mb_per_cpu_s": size / 1e6 / cpu_extract, "bare_s": bare, "ratio": t_extract / bare,
        "stages": {k: round(v, 2) for k, v in timer.seconds.items() if k != "(extract wall)"},
        "peak_mb": own, "worker_peak_mb": children, "nodes": len(data.nodes), "rels": len(data.rels),
        "graph_mb": graph_out.stat().st_size / 1e6, "skipped": len(extraction.skipped),
    }


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def lineage_latency(graph: Path, n: int = 100, cold: int = 10) -> dict:
    from policygraph.graph.lineage import lineage_report
    from policygraph.graph.store_nx import SavedGraph, load, load_lineage_scope

    with SavedGraph(graph) as saved:
        numbers = sorted(t for (t,) in saved._rows("SELECT term FROM lookup WHERE kind = 'number'"))
    queries = random.Random(8).sample(numbers, min(n, len(numbers)))
    scoped = []
    for q in queries:
        t = time.perf_counter()
        lineage_report(load_lineage_scope(graph, q), q)
        scoped.append(time.perf_counter() - t)
    t = time.perf_counter()
    whole = load(graph)
    open_whole = time.perf_counter() - t
    in_memory = []
    for q in queries:
        t = time.perf_counter()
        lineage_report(whole, q)
        in_memory.append(time.perf_counter() - t)
    cli = []
    for q in queries[:cold]:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "policygraph", "lineage", q, "--graph", str(graph), "--json"],
                       check=True, capture_output=True)
        cli.append(time.perf_counter() - t)
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    return {"queries": len(queries), "scoped_p50_ms": ms(percentile(scoped, 50)), "scoped_p95_ms": ms(percentile(scoped, 95)),
            "whole_open_s": round(open_whole, 2), "in_memory_p50_ms": ms(percentile(in_memory, 50)),
            "in_memory_p95_ms": ms(percentile(in_memory, 95)), "cold_cli_p50_s": round(percentile(cli, 50), 2),
            "cold_cli_p95_s": round(percentile(cli, 95), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=SETS)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--skip-derive", action="store_true")
    parser.add_argument("--lineage-only", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: build one set, print JSON
    args = parser.parse_args()
    TMP.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(one(args.one, args.workers, not args.skip_derive, TMP / f"{args.one}.db")))
        return
    rows = []
    if not args.lineage_only:
        for name in args.sets:
            cmd = [sys.executable, __file__, "--one", name] + (["--workers", str(args.workers)] if args.workers else []) \
                + (["--skip-derive"] if args.skip_derive else [])
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{name}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(f"built {name}", file=sys.stderr)
        print("| set | files | MB | build s | extract s | MB/s | MB per CPU-s | ×bare | peak MB (parent / worker) | nodes | rels | graph MB | per stage (s; per-file stages summed over all files and workers) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            stages = ", ".join(f"{k} {v}" for k, v in r["stages"].items())
            print(f"| {r['set']} | {r['files']} | {r['mb']:.1f} | {r['total_s']:.1f} | {r['extract_s']:.1f} | {r['mb_per_s']:.2f} | {r['mb_per_cpu_s']:.2f} | "
                  f"{r['ratio']:.0f} | {r['peak_mb']:.0f} / {r['worker_peak_mb']:.0f} | {r['nodes']:,} | {r['rels']:,} | "
                  f"{r['graph_mb']:.1f} | {stages} |")
        by_set = {r["set"]: r for r in rows}
        if "x1" in by_set and "x16" in by_set:
            print(f"\n×16 / ×1 build time: {by_set['x16']['total_s'] / by_set['x1']['total_s']:.1f} (target ≤ 20)")
    graph = TMP / "x50.db"
    if graph.exists() and ("x50" in args.sets or args.lineage_only):
        lat = lineage_latency(graph)
        print(f"\nlineage on the ×50 graph ({lat['queries']} document-number queries):")
        print(f"  from the saved store's indexes (open + report): p50 {lat['scoped_p50_ms']} ms, p95 {lat['scoped_p95_ms']} ms")
        print(f"  whole graph already in memory (opening it: {lat['whole_open_s']} s): "
              f"p50 {lat['in_memory_p50_ms']} ms, p95 {lat['in_memory_p95_ms']} ms")
        print(f"  cold CLI `policygraph lineage Q --json`: p50 {lat['cold_cli_p50_s']} s, p95 {lat['cold_cli_p95_s']} s")


if __name__ == "__main__":
    main()
