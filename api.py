"""The library API behind the CLI, importable from notebooks."""
from __future__ import annotations

from pathlib import Path

DEFAULT_CORPUS = Path(__file__).parent / "data" / "north_china_2023.txt"
DEFAULT_GRAPH = Path(__file__).parent / "data" / "graph" / "graph.db"


def _paths(paths) -> list[Path]:
    """One path (str or Path) or several; a bare string is one path, not its characters."""
    if paths is None:
        return [DEFAULT_CORPUS]
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def extract(paths=None, strict: bool = False, workers=None, dask=None):
    """A file or folder, or a list of them (any supported format); unreadable files land in
    `.skipped`, or fail with `strict`. `workers`: processes (default one per core); `dask`:
    "local" or tcp://scheduler:8786."""
    from policygraph.extract.pipeline import extract_corpus

    return extract_corpus(_paths(paths), strict=strict, workers=workers, dask=dask)


def build(paths=None, workers=None, dask=None):
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import to_networkx

    return to_networkx(graph_data(extract(paths, workers=workers, dask=dask)))


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


def _filters(graph, since=None, until=None, jurisdiction=None, level=None):
    from policygraph.graph.filters import DocumentFilter

    return DocumentFilter.parse(graph, since, until, jurisdiction, level)


def lineage(graph, query: str, since=None, until=None, jurisdiction=None, level=None, **options):
    """The lineage tree of a document number (any printed form), title or reform label;
    `since`/`until` (2023, 2023-05, 2023-05-09), `jurisdiction` (with its sub-divisions) and
    `level` filter it as `policygraph lineage` does."""
    from policygraph.graph.lineage import lineage_report

    return lineage_report(graph, query, filters=_filters(graph, since, until, jurisdiction, level), **options)


def diffusion(graph, label: str, since=None, until=None, jurisdiction=None, level=None):
    """Per jurisdiction, the first document naming a reform (as `policygraph diffusion`)."""
    from policygraph.graph.report import diffusion_report

    return diffusion_report(graph, label, _filters(graph, since, until, jurisdiction, level))


def agency(graph, name: str, since=None, until=None, jurisdiction=None, level=None):
    """What the agencies a name designates (any form) issue, lead and share (as `policygraph agency`)."""
    from policygraph.graph.report import agency_report

    return agency_report(graph, name, _filters(graph, since, until, jurisdiction, level))


def show(graph, document: str):
    """One document: citations both ways, implementers, measures (as `policygraph show`)."""
    from policygraph.graph.report import document_report

    return document_report(graph, document)


def nlp():
    from policygraph.extract.nlp import nlp as pipeline

    return pipeline()
