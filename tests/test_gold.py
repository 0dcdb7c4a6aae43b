"""Regression floor on the development gold (scored exactly as `policygraph eval` does)."""
from __future__ import annotations

import pytest

from policygraph.evaluate import evaluate, load_gold
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def scores(extraction_json):
    return evaluate(extraction_json, load_gold([FIXTURES])).figures


@pytest.mark.parametrize(
    "measure, floor",
    [
        ("documents.title", 0.95),
        ("documents.date", 0.95),
        ("documents.doc_number", 0.95),
        ("documents.issuers_f1", 0.95),
        ("citations.f1", 0.90),
        ("citations.relation_accuracy", 0.90),
        ("tasks.f1", 0.90),
        ("tasks.canonical_accuracy", 0.90),
        ("reforms.f1", 0.90),
    ],
)
def test_score_floor(scores, measure, floor):
    assert scores[measure] >= floor, f"{measure} = {scores[measure]:.3f} < {floor}"


def test_scoring_detects_a_wrong_extraction(extraction_json):
    """The scorer itself can fail: blank out the units and the task score collapses."""
    broken = {**extraction_json, "measures": [{**m, "lead_units": [], "responsible_units": []}
                                              for m in extraction_json["measures"]]}
    assert evaluate(broken, load_gold([FIXTURES])).figures["tasks.f1"] == 0.0
