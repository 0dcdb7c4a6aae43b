"""The Neo4j Browser guide: generated from the Cypher files, served with CORS on localhost, and
played by the bundled Browser (neo4j-browser 5.24.0) itself in headless Chromium."""
from __future__ import annotations

import re
import subprocess
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

from policygraph.graph.guide import GUIDE_FILE, STEPS, build_guide, query_body, serve_in_background
from policygraph.graph.picture import chromium, chromium_args


class _Slides(HTMLParser):
    """What Browser takes from a guide: the <title>, each <slide>, the runnable blocks in each."""

    def __init__(self):
        super().__init__()
        self.title, self.slides, self.tags = "", [], set()
        self._in_title = self._in_runnable = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        assert not any(name.startswith("on") for name in attrs), attrs  # Browser strips handlers
        if tag == "title":
            self._in_title = True
        elif tag == "slide":
            self.slides.append([])
        elif tag == "pre" and "runnable" in (attrs.get("class") or ""):
            self._in_runnable = True
            self.slides[-1].append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "pre":
            self._in_runnable = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._in_runnable:
            self.slides[-1][-1] += data


def test_the_shipped_guide_is_the_generated_one():
    assert GUIDE_FILE.read_text(encoding="utf-8") == build_guide(), (
        "regenerate it: python3 -c 'from policygraph.graph.guide import write_guide; write_guide()'")


def test_guide_has_a_slide_per_step_running_the_projects_cypher_files():
    parsed = _Slides()
    parsed.feed(build_guide())
    assert parsed.title == "policygraph: tracing policy lineage"
    assert len(parsed.slides) == len(STEPS) and "script" not in parsed.tags
    runnable = [code for slide in parsed.slides for code in slide]
    for step in STEPS:
        if step.query:
            assert query_body(step.query) in runnable, step.query
    assert ':param doc_number => "国办发〔2022〕30号"' in runnable
    assert ':param label => "一业一证"' in runnable
    assert all(code.strip() for slide in parsed.slides for code in slide) and all(parsed.slides)


def test_guide_is_served_with_cors():
    server, url = serve_in_background(0)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert response.read().decode("utf-8") == build_guide()
        preflight = urllib.request.Request(url, method="OPTIONS", headers={
            "Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "pragma,cache-control,sentry-trace"})
        with urllib.request.urlopen(preflight, timeout=10) as response:
            assert response.status == 204
            assert "sentry-trace" in response.headers["Access-Control-Allow-Headers"]
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url.replace("policygraph.html", "etc/passwd"), timeout=10)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", ["guide", "play"])
def test_the_bundled_browser_plays_the_guide(neo4j_server, tmp_path, command):
    """Open Neo4j Browser from the local server with `?cmd=guide&arg=<url>` (the same as typing
    :guide <url>; :play shows it in the stream instead of the drawer) and read what it rendered."""
    browser = chromium()
    assert browser, "Chromium is required for this test (scripts/test.sh installs Debian's chromium)"
    server, url = serve_in_background(0)
    try:
        page = f"{neo4j_server.http_url}/browser/?cmd={command}&arg={urllib.parse.quote(url, safe='')}"
        proc = subprocess.run([browser, *chromium_args(str(tmp_path / "profile")), "--enable-logging=stderr", "--v=0",
                               "--virtual-time-budget=20000", "--dump-dom", page],
                              capture_output=True, text=True, timeout=180)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert "Remote guide error" not in dom and "Hostname is not allowed" not in dom
    assert STEPS[0].title in dom
    # Browser made one page per <slide> and turned the runnable block into a play button.
    if command == "guide":
        shown = dom[dom.index('data-testid="guidesDrawer"'):]
        assert "policygraph: tracing policy lineage" in shown
        pages = re.findall(r'data-testid="pagination-(\d+)"', shown)
    else:
        shown = dom[max(0, dom.index(STEPS[0].title) - 5000):]
        pages = re.findall(r'<li aria-label="(\d+)"', shown)
    assert max(map(int, pages)) == len(STEPS)
    assert re.search(r'<pre class="runnable"><i class="fa fa-play-circle-o"', shown)


def test_cli_writes_the_guide_and_refuses_a_busy_port(tmp_path):
    from typer.testing import CliRunner

    from policygraph.cli import app

    out = tmp_path / "guide.html"
    result = CliRunner().invoke(app, ["neo4j", "guide", "--write", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == build_guide()
    server, url = serve_in_background(0)
    try:
        busy = server.server_address[1]
        result = CliRunner().invoke(app, ["neo4j", "guide", "--port", str(busy)])
        assert result.exit_code == 1
        assert result.output.startswith(f"Error: Port {busy} is not free for the guide")
    finally:
        server.shutdown()
        server.server_close()
