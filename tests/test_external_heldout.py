"""The held-out external set (tests/fixtures/external_heldout): 12 real documents that nobody tuned
the extraction on, scored exactly as `policygraph eval` scores them.

Its gold was written and committed before the extraction was first run on it, so its first
figures, unlike the dev set's (≈1.000), were an honest estimate of what hidden sets from other
provinces score (kept in the comments below). FLOORS sit just under what the code scored then (commented), so a regression fails; raise
a floor when a fix lifts the figure, never edit the gold to fit the output.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from policygraph.evaluate import evaluate, load_gold

HELDOUT = Path(__file__).parent / "fixtures" / "external_heldout"
DOCS = HELDOUT / "docs"

FLOORS = {
    "documents.found": 0.99,  # 1.000 (12 of 12)
    "documents.title": 0.95,  # 1.000
    # First blind scores in comments; four general fixes came after, so these files are no longer
    # unseen (tests/fixtures/external_heldout2 is the next blind set).
    "documents.date": 0.95,  # 0.917 blind, 1.000 since a bare signature date agreeing with 成文日期 beats an attached rule's meeting
    "documents.doc_number": 0.90,  # 0.833 blind, 0.917 since a title run into the number is cut off; left: scrape damage 〔20212
    "documents.issuers_f1": 0.90,  # 0.917: a masked issuer guessed, a blurb issuer missed
    "citations.f1": 0.95,  # 1.000
    "citations.relation_accuracy": 0.95,  # 0.600 blind, 1.000 since 根据…制定本规则 is a basis wherever it stands and 参照 a reference
    "tasks.f1": 0.95,  # 0.857 blind, 1.000 since a labelled 部门分工：X牵头，Y配合 line is read
    "tasks.canonical_accuracy": 0.95,  # 0.833 blind, 1.000
    "reforms.f1": 0.95,  # 1.000
}


@pytest.fixture(scope="module")
def gold():
    return load_gold([HELDOUT])


@pytest.fixture(scope="module")
def scores(gold):
    from policygraph.extract.export import as_json
    from policygraph.extract.pipeline import extract_corpus

    return evaluate(as_json(extract_corpus([DOCS])), gold).figures


@pytest.mark.parametrize("measure, floor", sorted(FLOORS.items()))
def test_heldout_score_floor(scores, measure, floor):
    assert scores[measure] >= floor, f"{measure} = {scores[measure]:.3f} < {floor}"


def test_heldout_set_is_new_and_varied(gold):
    """Other provinces than the dev set's mainstay, raw pages with their metadata box, no dev file."""
    docs = gold["documents"]["documents"]
    assert 10 <= len(docs) <= 12
    assert len({d["region"] for d in docs}) >= 10
    boxed = [d for d in docs if d["source"].endswith(".html") and re.search(
        r"索\s*引\s*号.*文\s*号.*(成文|生成)日期", (HELDOUT / d["source"]).read_text("utf-8"), re.S)]
    assert len(boxed) >= 2
    fixtures = HELDOUT.parent
    seen = {re.sub(r"\s+", "", p.read_text("utf-8", errors="ignore"))[:400]
            for folder in ("external/docs", "external/src", "web_front", "responsibility")
            for p in (fixtures / folder).glob("*.txt")}
    for d in docs:
        head = re.sub(r"\s+", "", (HELDOUT / d["source"]).read_text("utf-8"))[:400]
        assert head not in seen, d["source"]


def test_heldout_gold_points_at_the_text(gold):
    """Every entry names a file of docs/; lines (txt only) hold the cite; task heads are in the text."""
    for d in gold["documents"]["documents"]:
        path = HELDOUT / d["source"]
        assert path.is_file() and path.parent == DOCS
        if path.suffix != ".txt":
            assert d["line_start"] is None and all(c["line"] is None for c in d["cites"])
            continue
        lines = path.read_text("utf-8").splitlines()
        for c in d["cites"]:
            assert re.sub(r"\s+", "", c["title"])[:6] in re.sub(r"\s+", "", lines[c["line"] - 1]), c
    for t in gold["tasks"]["tasks"]:
        assert t["text_head"] in re.sub(r"\s+", "", (HELDOUT / t["source"]).read_text("utf-8")), t
