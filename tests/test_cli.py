"""The CLI: exact messages and exit codes, on real and on bad input; every command documented."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policygraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "north_china_2023.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    graph = tmp_path_factory.mktemp("g") / "graph.json"
    result = runner.invoke(app, ["build", str(CORPUS), "--graph", str(graph), "--quiet"])
    assert result.exit_code == 0, result.output
    return graph, result.output


def test_build_prints_summary_and_lineage(built):
    _, output = built
    assert "27 documents" in output
    assert "Lineage of" in output and "国办发〔2022〕30号" in output
    assert "顺政办发〔2023〕2号" in output


def test_extract_json_contract(tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", str(CORPUS), "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"documents", "measures", "agencies", "reforms"}
    doc = next(d for d in data["documents"] if d["doc_number"] == "京政办发〔2023〕5号")
    assert set(doc) >= {"id", "title", "date", "doc_number", "issuers", "jurisdiction", "level",
                        "attachments", "cites", "reforms", "source"}
    assert doc["source"] == {"path": str(CORPUS), "line_start": 349, "line_end": 477}
    measure = data["measures"][0]
    assert set(measure) >= {"id", "document", "key", "text", "lead_units", "responsible_units",
                            "lead_agencies", "responsible_agencies", "reforms", "source"}
    assert all(not re.search(r"\s", d["title"]) for d in data["documents"])


def test_lineage_json_and_show(built):
    graph, _ = built
    result = runner.invoke(app, ["lineage", "国办发〔2022〕30号", "--graph", str(graph), "--json"])
    report = json.loads(result.output)
    assert report["documents"] == 6  # no inferred link reaches the calibrated threshold in the seed
    result = runner.invoke(app, ["show", "京政办发〔2023〕5号", "--graph", str(graph)])
    assert result.exit_code == 0 and "北京市推广“一业一证”改革实施方案" in result.output
    shown = json.loads(runner.invoke(app, ["show", "顺政办发〔2023〕2号", "--graph", str(graph), "--json"]).output)
    assert shown["implements"] == [{"target": "京政办发〔2023〕5号", "type": "cited", "score": None,
                                    "evidence": shown["implements"][0]["evidence"]}]
    assert sum(1 for m in shown["measures"] if m["derives_from"]) >= 8


def test_stats_json(built):
    graph, _ = built
    result = runner.invoke(app, ["stats", "--graph", str(graph), "--json"])
    summary = json.loads(result.output)
    assert summary["nodes"]["Document"] > 27 and summary["relationships"]["HAS_MEASURE"] > 1000


def test_eval_prints_scores(tmp_path):
    out = tmp_path / "out.json"
    runner.invoke(app, ["extract", str(CORPUS), "--json", str(out)])
    result = runner.invoke(app, ["eval", str(ROOT / "tests" / "fixtures"), "--extraction", str(out), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["scores"]["tasks.f1"] >= 0.9


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "does not exist: check the path."),
        (lambda p: p.write_bytes(b""), "is empty: give a file that contains policy text."),
        (lambda p: p.write_bytes(bytes(range(256)) * 8), "looks like a binary file, not text"),
    ],
)
def test_bad_input_one_sentence_exit_1(tmp_path, make, message):
    path = tmp_path / "input.txt"
    make(path)
    graph = tmp_path / "graph.json"
    result = runner.invoke(app, ["build", str(path), "--graph", str(graph), "--quiet"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output
    assert not graph.exists()  # nothing half-written


def test_no_traceback_in_a_real_process(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    proc = subprocess.run([sys.executable, "-m", "policygraph", "extract", str(path), "--json", str(tmp_path / "o.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"Error: {path} is not a readable PDF (damaged or password-protected): open and save it again, or give the text."]


def test_lineage_without_a_built_graph(tmp_path):
    result = runner.invoke(app, ["lineage", "国办发〔2022〕30号", "--graph", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "run `policygraph build` first" in result.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"policygraph {name}" in readme, name
    for group in app.registered_groups:
        assert f"policygraph {group.name}" in readme, group.name


def test_export_graphml_and_json(built, tmp_path):
    import networkx as nx

    graph, _ = built
    gml, js = tmp_path / "g.graphml", tmp_path / "g.json"
    result = runner.invoke(app, ["export", "--graph", str(graph), "--graphml", str(gml), "--json", str(js)])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(gml)
    assert g.nodes["Document:京政办发〔2023〕5号"]["doc_number"] == "京政办发〔2023〕5号"
    data = json.loads(js.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == g.number_of_nodes()
    result = runner.invoke(app, ["export", "--graph", str(graph)])
    assert result.exit_code == 1 and "Say what to write" in result.output


def test_unknown_backend(built):
    graph, _ = built
    result = runner.invoke(app, ["stats", "--graph", str(graph), "--backend", "sqlite"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: Unknown backend sqlite: use --backend embedded or --backend neo4j."


def _commands(group, prefix="policygraph"):
    """Every command of the app, with its full name (policygraph neo4j start …)."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):  # a group (typer ships its own click)
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def test_help_teaches_every_command_and_option():
    import typer

    root = typer.main.get_command(app)
    assert "thin glue" not in (root.help or "") and "knowledge graph" in root.help
    commands = list(_commands(root))
    assert len(commands) >= 15
    for name, command in commands:
        assert command.help, name
        assert command.epilog and command.epilog.startswith("Examples:") and f"{name} " in command.epilog + " ", name
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), f"{name} {param.name} has no help"
        rendered = runner.invoke(app, [*name.split()[1:], "--help"])
        assert rendered.exit_code == 0 and "Examples:" in rendered.output, name


def test_measures_zero_prints_no_measures(built):
    graph, _ = built
    some = runner.invoke(app, ["lineage", "晋政办发〔2023〕4号", "--graph", str(graph), "--measures", "2"]).output
    none = runner.invoke(app, ["lineage", "晋政办发〔2023〕4号", "--graph", str(graph), "--measures", "0"]).output
    assert some.count("→") >= 2 and "→" not in none
    assert "晋政办发〔2023〕4号" in none


def test_lineage_starts_without_heavy_libraries(built):
    """No spaCy and no rapidfuzz on the lineage path: a researcher's lookup stays fast."""
    graph, _ = built
    code = ("import sys; from typer.testing import CliRunner; from policygraph.cli import app; "
            f"r = CliRunner().invoke(app, ['lineage', '国办发[2022]30号', '--graph', {str(graph)!r}, '--json']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('spacy', 'rapidfuzz', 'numpy', 'neo4j') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"
