"""The README's research recipes run as written: each command on the corpus graph, each Cypher
block on the real Neo4j server, and each gives rows."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policygraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "north_china_2023.txt"


def _recipes() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Research recipes")
    return readme[start:readme.index("\n## ", start + 1)]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _recipes(), re.S)


def _commands() -> list[list[str]]:
    out = []
    for block in _blocks("bash"):
        for line in block.splitlines():
            line = line.split("#")[0].split(">")[0].strip()
            if line.startswith("policygraph "):
                out.append(shlex.split(line)[1:])
    return out


def test_five_recipes_each_with_a_command_and_cypher():
    questions = re.findall(r"^\*\*\d\. .+\?\*\*$", _recipes(), re.M)
    assert len(questions) == 5
    assert len(_blocks("bash")) == len(_blocks("cypher")) == 5


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    graph = tmp_path_factory.mktemp("g") / "graph.json"
    assert CliRunner().invoke(app, ["build", str(CORPUS), "--graph", str(graph), "--quiet", "--no-lineage"]).exit_code == 0
    return graph


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_recipe_command_runs(built, command):
    result = CliRunner().invoke(app, [*command, "--graph", str(built)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) >= 3


@pytest.fixture(scope="module")
def driver(neo4j_server, extraction):
    from policygraph.server import local as server
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_neo4j import connect, load_graph_data

    drv = connect(neo4j_server.bolt_uri, "neo4j", server.read_password())
    load_graph_data(drv, graph_data(extraction), source="corpus")  # MERGE: a no-op when loaded
    yield drv
    drv.close()


@pytest.mark.parametrize("number", range(5))
def test_recipe_cypher_runs(driver, number):
    from policygraph.graph.queries import run_query_text

    rows = run_query_text(driver, _blocks("cypher")[number], {})
    assert len(rows) >= 2
