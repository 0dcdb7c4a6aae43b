"""Reform diffusion and agency profiles, checked against values read in the corpus text."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policygraph.errors import QueryError
from policygraph.graph.report import agency_report, diffusion_report

# (jurisdiction, first date, first document, documents naming it there), verified by reading
# the corpus: grep of the label in each document's lines, dates from the document headers.
DIFFUSION = {
    "一业一证": [
        ("山西省", "2023-02-09", "晋政办发〔2023〕4号", 1),
        ("北京市", "2023-02-24", "京政办发〔2023〕5号", 1),
        ("通州区", "2023-04-10", "通政办发〔2023〕5号", 1),
        ("顺义区", "2023-05-09", "顺政办发〔2023〕2号", 1),
        ("北京经济技术开发区", "2023-06-23", "京技管发〔2023〕13号", 1),
    ],
    "一件事一次办": [
        ("天津市", "2023-01-06", None, 1),
        ("北京市", "2023-01-09", "京发改〔2023〕20号", 1),
        ("通辽市", "2023-02-07", "通党办发〔2023〕1号", 2),
        ("山西省", "2023-02-09", "晋政办发〔2023〕4号", 1),
        ("通州区", "2023-04-10", "通政办发〔2023〕5号", 1),
        ("太原市", "2023-05-05", "并政办发〔2023〕13号", 1),
        ("北京经济技术开发区", "2023-06-23", "京技管发〔2023〕13号", 1),
    ],
    "双随机、一公开": [
        ("天津市", "2023-01-06", None, 1),
        ("河北省", "2023-01-13", "冀市监办〔2023〕2号", 2),
        ("通辽市", "2023-02-07", "通党办发〔2023〕1号", 2),
        ("山西省", "2023-02-09", "晋政办发〔2023〕4号", 2),
        ("通州区", "2023-04-10", "通政办发〔2023〕5号", 1),
        ("廊坊市", "2023-04-14", None, 1),
        ("北京市", "2023-04-25", "京市监发〔2023〕15号", 1),
        ("太原市", "2023-05-05", "并政办发〔2023〕13号", 1),
        ("张家口市", "2023-05-25", "张政办函〔2023〕86号", 1),
    ],
}


@pytest.mark.parametrize("label", sorted(DIFFUSION))
def test_diffusion_matches_the_text(graph, label):
    rows = diffusion_report(graph, label)["jurisdictions"]
    got = [(r["jurisdiction"], r["first_date"], r["document"]["doc_number"], r["documents"]) for r in rows]
    assert got == DIFFUSION[label]


def test_diffusion_lists_the_measures_that_carry_the_reform(graph):
    rows = {r["jurisdiction"]: r for r in diffusion_report(graph, "一业一证")["jurisdictions"]}
    assert len(rows["顺义区"]["measures"]) >= 10
    assert all("一业一证" in m["text"] or "一业一证" in m["text"].replace("“", "").replace("”", "")
               for m in rows["北京市"]["measures"])


def test_diffusion_of_an_unknown_label(graph):
    with pytest.raises(QueryError, match="No document names the reform"):
        diffusion_report(graph, "不存在的改革")


def test_agency_profile_across_jurisdictions(graph):
    report = agency_report(graph, "市场监督管理局")
    by_place = {r["jurisdiction"]: r for r in report["agencies"]}
    assert {"北京市", "河北省", "山西省", "通辽市"} <= set(by_place)
    assert by_place["北京市"]["agency"] == "北京市市场监督管理局"
    assert by_place["北京市"]["issued"] == ["京市监发〔2023〕15号"]
    assert set(by_place["河北省"]["issued"]) == {"冀市监办〔2023〕2号", "冀市监函〔2023〕113号"}
    assert by_place["北京市"]["leads"] >= 5 and "市市场监管局" in by_place["北京市"]["aliases"]
    assert report["totals"]["leads"] == sum(r["leads"] for r in report["agencies"])


def test_cli_diffusion_and_agency_json(tmp_path):
    from policygraph.cli import app
    from pathlib import Path

    CORPUS = Path(__file__).resolve().parent.parent / "data" / "north_china_2023.txt"

    runner = CliRunner()
    graph = tmp_path / "g.json"
    assert runner.invoke(app, ["build", str(CORPUS), "--graph", str(graph), "--quiet", "--no-lineage"]).exit_code == 0
    result = runner.invoke(app, ["diffusion", "一业一证", "--graph", str(graph), "--json"])
    assert [r["jurisdiction"] for r in json.loads(result.output)["jurisdictions"]][:2] == ["山西省", "北京市"]
    result = runner.invoke(app, ["agency", "北京市商务局", "--graph", str(graph), "--json"])
    assert json.loads(result.output)["agencies"][0]["agency"] == "北京市商务局"
