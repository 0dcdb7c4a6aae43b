"""The library API behind the CLI, importable from notebooks."""
from __future__ import annotations

from pathlib import Path

DEFAULT_CORPUS = Path(__file__).parent / "data" / "north_china_2023.txt"
DEFAULT_GRAPH = Path(__file__).parent / "data" / "graph" / "graph.db"


def extract(paths=None, workers=None, dask=None):
    """`workers`: processes (default one per core); `dask`: "local" or tcp://scheduler:8786."""
    from policygraph.extract.pipeline import extract_corpus

    return extract_corpus([Path(p) for p in (paths or [DEFAULT_CORPUS])], workers=workers, dask=dask)


def build(paths=None, workers=None, dask=None):
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import to_networkx

    return to_networkx(graph_data(extract(paths, workers, dask)))


def save_graph(graph, path=DEFAULT_GRAPH):
    from policygraph.graph.store_nx import save

    return save(graph, path)


def load_graph(path=DEFAULT_GRAPH):
    from policygraph.graph.store_nx import load

    return load(path)


def load_lineage_graph(query: str, path=DEFAULT_GRAPH):
    """Only the part of the saved graph that the lineage of `query` reads (fast on big graphs)."""
    from policygraph.graph.store_nx import load_lineage_scope

    return load_lineage_scope(path, query)


def lineage(graph, query: str, **options):
    from policygraph.graph.lineage import lineage_report

    return lineage_report(graph, query, **options)


def nlp():
    from policygraph.extract.nlp import nlp as pipeline

    return pipeline()
