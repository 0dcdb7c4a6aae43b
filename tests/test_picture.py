"""Lineage pictures: the HTML page opens offline in headless Chromium (Debian's package) with
no console message and shows every document of the tree; SVG and PNG for papers."""
from __future__ import annotations

import re
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from policygraph.graph.lineage import flatten, lineage_report
from policygraph.graph.picture import chromium, chromium_args, to_html, to_svg, write_png


@pytest.fixture(scope="module")
def report(graph):
    return lineage_report(graph, "国办发〔2022〕30号", every_measure=True)


def _dump_dom(page, tmp_path, fragment: str = "") -> tuple[str, list[str]]:
    """The page's DOM after its scripts ran in headless Chromium, and the console messages."""
    browser = chromium()
    assert browser, "Chromium is required for this test (scripts/test.sh installs Debian's chromium)"
    proc = subprocess.run([browser, *chromium_args(str(tmp_path / "profile")), "--enable-logging=stderr", "--v=0",
                           "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def test_page_is_self_contained(report):
    page = to_html(report)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script>" in page and "<style>" in page


def test_page_loads_in_headless_chromium_without_console_messages(report, tmp_path):
    browser = chromium()
    assert browser, "Chromium is required for this test (scripts/test.sh installs Debian's chromium)"
    page = tmp_path / "lineage.html"
    page.write_text(to_html(report), encoding="utf-8")
    proc = subprocess.run([browser, *chromium_args(str(tmp_path / "profile")), "--enable-logging=stderr", "--v=0",
                           "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    # The script ran and counted every document of the tree.
    assert f'data-rendered-nodes="{report["documents"]}"' in proc.stdout
    for number in ("京市监发〔2023〕15号", "京政办发〔2023〕5号", "晋政办发〔2023〕4号", "顺政办发〔2023〕2号"):
        assert number in proc.stdout


def test_clicking_a_document_lists_its_measures_and_derivations(report, tmp_path):
    """#doc=<id> makes the page click that document (the same handler a mouse click runs)."""
    page = tmp_path / "lineage.html"
    page.write_text(to_html(report), encoding="utf-8")
    before, console = _dump_dom(page, tmp_path)
    assert console == [] and 'class="measure"' not in before  # nothing listed until a click
    shunyi = next(r for r in flatten(report) if r["id"] == "顺政办发〔2023〕2号")
    dom, console = _dump_dom(page, tmp_path, "#doc=" + urllib.parse.quote(shunyi["id"]))
    assert console == []
    assert 'data-document="顺政办发〔2023〕2号"' in dom
    assert len(re.findall(r'<li class="measure"', dom)) == len(shunyi["measures"]) >= 20
    # Derivations name both sides by outline path and text, never by bare ids.
    derivations = re.findall(r'<li class="derivation"[^>]*>(.*?)</li>', dom)
    assert len(derivations) == len(shunyi["derived"]) >= 8
    assert any("二、（二）" in d and "⇐ parent 二、" in d and "一业一证" in d for d in derivations)
    assert "京政办发〔2023〕5号/m" not in "".join(derivations)


def test_svg_marks_inferred_links_dashed(graph):
    report = lineage_report(graph, "一业一证")  # a reform lineage: inferred links among its adopters
    svg = to_svg(report)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    nodes = root.findall(f"{ns}g")
    assert len(nodes) == len(flatten(report)) == report["documents"]
    edges = root.findall(f"{ns}path")
    inferred = [e for e in edges if "inferred" in e.get("class", "")]
    assert inferred and all(e.get("stroke-dasharray") for e in inferred)
    assert all(not e.get("stroke-dasharray") for e in edges if "cited" in e.get("class", ""))


def test_png(report, tmp_path):
    path = write_png(report, tmp_path / "lineage.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
