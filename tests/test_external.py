"""The external dev set (tests/fixtures/external): real documents from other provinces, in every
format, scored against hand-checked gold exactly as `policygraph eval` scores it.

FLOORS are what this branch reached before the readers for HTML/PDF/DOCX and the nationwide
attribution forms were merged (only the .txt files of docs/ were read then), measured again after
the nine full documents with responsibility tables and national citations were added (title and
tasks went down: those documents are harder). The integrator raises them to the merged figures;
the target is ≥ 0.90 for document fields, citations, responsibility and reforms (issue 7, acceptance 1).
"""
from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from policygraph.evaluate import evaluate, load_gold

EXTERNAL = Path(__file__).parent / "fixtures" / "external"
DOCS = EXTERNAL / "docs"

FLOORS = {
    "documents.found": 0.60,
    "documents.title": 0.95,  # branch meta after merging main: 1.000 (38 of 38)
    "documents.date": 0.95,  # 1.000
    "documents.doc_number": 0.95,  # 1.000
    "documents.issuers_f1": 0.95,  # 1.000
    "citations.f1": 0.95,  # 1.000
    "citations.relation_accuracy": 0.95,
    "tasks.f1": 0.25,
    "tasks.canonical_accuracy": 0.90,  # 1.000 with the resp branch merged (12 of 12)
    "reforms.f1": 0.85,
}


@pytest.fixture(scope="module")
def gold():
    return load_gold([EXTERNAL])


@pytest.fixture(scope="module")
def external_json():
    from policygraph.extract.export import as_json
    from policygraph.extract.pipeline import extract_corpus

    return as_json(extract_corpus([DOCS]))


@pytest.fixture(scope="module")
def scores(external_json, gold):
    return evaluate(external_json, gold).figures


@pytest.mark.parametrize("measure, floor", sorted(FLOORS.items()))
def test_external_score_floor(scores, measure, floor):
    assert scores[measure] >= floor, f"{measure} = {scores[measure]:.3f} < {floor}"


# --- the dev set itself: the shape issue 7 asks for, and gold that points at real text -----

def test_dev_set_covers_provinces_and_formats(gold):
    docs = gold["documents"]["documents"]
    regions = {d["region"] for d in docs}
    formats = {Path(d["source"]).suffix for d in docs}
    assert len(docs) >= 25
    assert "全国" in regions and len(regions - {"全国"}) >= 12
    assert {".txt", ".md", ".html", ".pdf", ".docx"} <= formats
    raw_gov_pages = [d for d in docs if d["source"].endswith(".html")
                     and re.search(r"索\s*引\s*号.*发文机关.*成文日期.*发文字号",
                                   (EXTERNAL / d["source"]).read_text("utf-8"), re.S)]
    assert len(raw_gov_pages) >= 3


def _tasks_by_source(gold) -> Counter:
    return Counter(t["source"] for t in gold["tasks"]["tasks"])


def test_dev_set_has_full_documents_with_responsibility_tables(gold):
    """What the hidden sets hold most: tasks in a real table, in every format that has tables."""
    header = re.compile(r"牵头|责任单位|配合单位")
    tabled = {}
    for source in _tasks_by_source(gold):
        path = EXTERNAL / source
        if path.suffix == ".html":
            text = path.read_text("utf-8")
            if re.search(r"<th>[^<]*(牵头|责任单位)", text):
                tabled[source] = "rowspan" if "rowspan=" in text else "html"
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                body = package.read("word/document.xml").decode("utf-8")
            first_rows = re.findall(r"<w:tbl>.*?</w:tr>", body, re.S)
            if any(header.search(re.sub(r"<[^>]+>", "", row)) for row in first_rows):
                tabled[source] = "docx"
        elif path.suffix == ".txt":
            rows = [line for line in path.read_text("utf-8").splitlines() if line.count("\t") >= 2]
            if rows and header.search(rows[0]):
                tabled[source] = "tsv"
    assert len(tabled) >= 4, tabled
    assert {"rowspan", "docx", "tsv"} <= set(tabled.values()), tabled
    # every table row with units is a gold task
    assert sum(_tasks_by_source(gold)[s] for s in tabled) >= 15


def test_dev_set_has_local_documents_citing_national_ones(gold):
    national = re.compile(r"^国(发|办发|办函|函|令)")
    citing = {d["region"] for d in gold["documents"]["documents"] if d["region"] != "全国"
              and any(c["relation"] == "basis" and national.match(c["doc_number"] or "") for c in d["cites"])}
    assert len(citing) >= 4, citing


def test_dev_set_has_a_document_stating_its_own_lead_convention(gold):
    convention = re.compile(r"(列|排在?)第一(位|个)[^,，。;；]{0,4}为牵头|第一责任单位为牵头单位")
    stated = [s for s in _tasks_by_source(gold) if (EXTERNAL / s).suffix in (".txt", ".md", ".html")
              and convention.search((EXTERNAL / s).read_text("utf-8"))]
    assert len(stated) >= 2, stated
    # there the first unit leads and the rest are responsible
    assert any(t["responsible_units"] and len(t["lead_units"]) == 1
               for t in gold["tasks"]["tasks"] if t["source"] in stated)


def test_every_gold_entry_names_an_existing_file(gold):
    entries = (gold["documents"]["documents"] + gold["tasks"]["tasks"] + gold["tasks"]["canonical"]
               + gold["reforms"]["documents"])
    assert all((EXTERNAL / e["source"]).is_file() for e in entries)
    assert {e["source"] for e in entries} <= {str(p.relative_to(EXTERNAL)) for p in DOCS.iterdir()}


def _text(path: Path) -> str:
    return re.sub(r"\s+", "", path.read_text("utf-8"))


def test_gold_lines_point_at_the_text(gold):
    """Line numbers (txt/md only) name the line that holds the cited number or title and the task."""
    for d in gold["documents"]["documents"]:
        path = EXTERNAL / d["source"]
        if path.suffix not in (".txt", ".md"):
            assert d["line_start"] is None and all(c["line"] is None for c in d["cites"])
            continue
        lines = path.read_text("utf-8").splitlines()
        printed = [n for n, line in enumerate(lines, 1) if line.strip()]
        assert (d["line_start"], d["line_end"]) == (printed[0], printed[-1]), d["source"]
        for c in d["cites"]:
            line = re.sub(r"\s+", "", lines[c["line"] - 1])
            needle = re.sub(r"\s+", "", c["title"])[:6]
            assert needle in line or (c["doc_number"] or "@")[:3] in line, (d["source"], c)
    for t in gold["tasks"]["tasks"]:
        path = EXTERNAL / t["source"]
        if path.suffix in (".txt", ".md", ".html"):
            assert t["text_head"] in _text(path), t


def test_tasks_and_reforms_belong_to_gold_documents(gold):
    titles = {(d["source"], d["title"]) for d in gold["documents"]["documents"]}
    assert all((t["source"], t["doc_title"]) in titles for t in gold["tasks"]["tasks"] + gold["tasks"]["canonical"])
    assert Counter(r["source"] for r in gold["reforms"]["documents"]) == Counter(
        d["source"] for d in gold["documents"]["documents"])


# --- the scorer on multi-file gold ------------------------------------------------------

def test_scorer_matches_documents_by_their_file(external_json, gold):
    """A document read from another file is never taken for the gold one, even with the same title."""
    moved = json.loads(json.dumps(external_json))
    for d in moved["documents"]:
        d["source"]["path"] = "elsewhere/" + Path(d["source"]["path"]).name + ".copy"
    figures = evaluate(moved, gold).figures
    assert figures["documents.found"] == 0.0 and figures["tasks.f1"] == 0.0


def test_scorer_detects_a_wrong_extraction(external_json, gold):
    broken = {**external_json, "measures": [{**m, "lead_units": [], "responsible_units": []}
                                            for m in external_json["measures"]]}
    assert evaluate(broken, gold).figures["tasks.f1"] == 0.0
    undated = {**external_json, "documents": [{**d, "date": None} for d in external_json["documents"]]}
    assert evaluate(undated, gold).figures["documents.date"] < evaluate(external_json, gold).figures["documents.date"]
