"""Shared fixtures: the bundled real corpus, extracted once per test session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "north_china_2023.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def corpus_lines() -> list[str]:
    return CORPUS.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def extraction():
    from policygraph.extract.pipeline import extract_corpus

    return extract_corpus([CORPUS])


@pytest.fixture(scope="session")
def extraction_json(extraction):
    from policygraph.extract.export import as_json

    return as_json(extraction)


@pytest.fixture(scope="session")
def graph(extraction):
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import to_networkx

    return to_networkx(graph_data(extraction))


@pytest.fixture(scope="session")
def gold():
    return {name: json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
            for name in ("documents", "tasks", "reforms")}


@pytest.fixture(scope="session")
def benchmark_script():
    """Loads a script of benchmarks/ by name, so tests check the figures it prints."""
    import importlib.util

    def load(name: str):
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


def corpus_slice(lines: list[str], start: int, end: int) -> str:
    """Lines start..end (1-based, inclusive) of the corpus, as a text fixture."""
    return "\n".join(lines[start - 1:end])


@pytest.fixture(scope="session")
def neo4j_server():
    """The project's own Neo4j server on 127.0.0.1, started for the session if it is not
    running (the first start fetches the jars from Maven Central) and stopped at the end
    only if started here. It fails, never skips, when the server cannot start."""
    import time

    from policygraph.server import local as server

    before = server.status(server.DEFAULT_HOME)
    started_here = not before.running
    t0 = time.monotonic()
    info = server.start(server.DEFAULT_HOME, timeout=240) if started_here else before
    print(f"neo4j ready in {time.monotonic() - t0:.1f} s: {info.bolt_uri}")
    yield info
    if started_here:
        server.stop(server.DEFAULT_HOME)
