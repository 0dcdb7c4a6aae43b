"""The library API behind the CLI, importable from notebooks."""
from __future__ import annotations

from pathlib import Path

DEFAULT_CORPUS = Path(__file__).parent / "data" / "north_china_2023.txt"
DEFAULT_GRAPH = Path(__file__).parent / "data" / "graph" / "graph.json"


def extract(paths=None, strict: bool = False):
    """Files and folders (any supported format); unreadable files land in `.skipped`, or fail with `strict`."""
    from policygraph.extract.pipeline import extract_corpus

    return extract_corpus([Path(p) for p in (paths or [DEFAULT_CORPUS])], strict=strict)


def build(paths=None):
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import to_networkx

    return to_networkx(graph_data(extract(paths)))


def save_graph(graph, path=DEFAULT_GRAPH):
    from policygraph.graph.store_nx import save

    return save(graph, path)


def load_graph(path=DEFAULT_GRAPH):
    from policygraph.graph.store_nx import load

    return load(path)


def lineage(graph, query: str, **options):
    from policygraph.graph.lineage import lineage_report

    return lineage_report(graph, query, **options)


def nlp():
    from policygraph.extract.nlp import nlp as pipeline

    return pipeline()
