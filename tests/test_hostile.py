"""The hostile-input catalogue: each row is an input or a fault, the exact message, the exit
code, and whether the graph saved earlier must be left byte for byte as it was.

Every case starts from a real graph (the 北京 part of the corpus, built once) copied to
`graph.json` in the case's own folder; `{tmp}` in an argument or a message is that folder.
The table in HOSTILE_TABLE.md is this list in words.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from policygraph.cli import app
from policygraph.graph.store_nx import load as load_graph

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
BEIJING = HOSTILE / "beijing_1_6.txt"
SHUNYI = HOSTILE / "shunyi_gb18030.txt"
PYTHONPATH = os.environ.get("PYTHONPATH", str(ROOT.parent))
runner = CliRunner()


@pytest.fixture(scope="module")
def base_graph(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("base") / "graph.json"
    result = runner.invoke(app, ["build", str(BEIJING), "--graph", str(out), "--quiet", "--no-lineage"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture(scope="module")
def extraction_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ex") / "extraction.json"
    result = runner.invoke(app, ["extract", str(BEIJING), "--json", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return setup


def _shunyi_with(suffix: bytes, encoding: str = "gb18030") -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        text = SHUNYI.read_bytes().decode("gb18030")
        (tmp / "in.txt").write_bytes(text.encode(encoding) + suffix)
    return setup


def _fifo(name: str) -> Callable[[Path], None]:
    return lambda tmp: os.mkfifo(tmp / name)


def _graph_json(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        import networkx as nx

        data = change(nx.node_link_data(load_graph(tmp / "graph.json"), edges="edges"))
        (tmp / "graph.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return setup


def _json_file(name: str, value) -> Callable[[Path], None]:
    return _write(name, json.dumps(value, ensure_ascii=False))


def _extraction_changed(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        data = json.loads(Path(os.environ["HOSTILE_EXTRACTION"]).read_text(encoding="utf-8"))
        change(data)
        (tmp / "ex.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return setup


def _both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        for s in setups:
            s(tmp)
    return setup


def _limit_file_size():  # runs in the child: writes past 64 KB fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def _no_setup(tmp: Path) -> None:
    return None


@dataclass
class Case:
    id: str
    args: list[str]
    message: str  # the one line on stderr, exactly; "" when the command succeeds
    code: int = 1
    setup: Callable[[Path], None] = _no_setup
    intact: bool = True  # the saved graph keeps its bytes
    env: dict = field(default_factory=dict)
    in_process: bool = True  # False: a real process (env, limits, or a read that could hang)
    preexec: Callable[[], None] | None = None
    check: Callable[[Path, str], None] | None = None  # more assertions on (folder, stdout)


BUILD = ["build", "{tmp}/in.txt", "--graph", "{tmp}/graph.json", "--quiet", "--no-lineage"]
GOLD = str(ROOT / "tests" / "fixtures")
NOT_REGULAR = "is not a regular file (a pipe, device or socket): give a saved file."
EMPTY_QUERY = "Error: The query is empty: give a document number, a title fragment, a reform label or an agency name."
NO_TEXT = "holds no visible text (only blanks or invisible characters): give a file that contains policy text."
BINARY = "looks like a binary file, not text: give a UTF-8 or GB18030 text file."
EXTRACT_HINT = "write it with `policygraph extract INPUT --json {tmp}/ex.json`."
GOLD_HINT = "give the gold JSON files (documents.json, tasks.json, reforms.json; see the gold README)."
SHUNYI_BYTES = len(SHUNYI.read_bytes())
SHUNYI_LINES = SHUNYI.read_bytes().count(b"\n") + 1


def _symlink_kept(tmp: Path, _out: str) -> None:
    assert (tmp / "link.json").is_symlink() and os.readlink(tmp / "link.json") == "graph.json"
    assert b"\xe9\xa1\xba\xe6\x94\xbf\xe5\x8a\x9e\xe5\x8f\x91" in (tmp / "graph.json").read_bytes()  # 顺政办发


def _mode_kept(tmp: Path, _out: str) -> None:
    assert stat.S_IMODE((tmp / "graph.json").stat().st_mode) == 0o644


def _ascii_output(_tmp: Path, out: str) -> None:
    out.encode("ascii")  # nothing that an ascii terminal could not show
    assert "\\u987a" in out or "\\u" in out


def _valid_ascii_json(_tmp: Path, out: str) -> None:
    assert json.loads(out)["doc_number"] == "京政办发〔2023〕5号"


CASES = [
    # ---- inputs that are not policy text: refused, the saved graph untouched
    Case("missing-file", BUILD, "Error: {tmp}/in.txt does not exist: check the path."),
    Case("empty-file", BUILD, "Error: {tmp}/in.txt is empty: give a file that contains policy text.",
         setup=_write("in.txt", b"")),
    Case("ascii-blanks", BUILD, "Error: {tmp}/in.txt is empty: give a file that contains policy text.",
         setup=_write("in.txt", b" \r\n\t\n\n")),
    Case("only-ideographic-spaces", BUILD, "Error: {tmp}/in.txt " + NO_TEXT,
         setup=_write("in.txt", "\u3000" * 2000 + "\n")),
    Case("only-format-characters", BUILD, "Error: {tmp}/in.txt " + NO_TEXT,
         setup=_write("in.txt", "\u200e\u202b\u200b\ufeff\u2066" * 100)),
    Case("only-control-characters", BUILD, "Error: {tmp}/in.txt " + BINARY,
         setup=_write("in.txt", bytes(range(1, 9)) * 500)),
    Case("png-image", BUILD, "Error: {tmp}/in.txt cannot be read (looks like a binary file (a PNG image), not text: run OCR first and give the text).",
         setup=_write("in.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00" + bytes(300))),
    Case("all-byte-values", BUILD, "Error: {tmp}/in.txt " + BINARY, setup=_write("in.txt", bytes(range(256)) * 8)),
    Case("text-then-binary-after-4kb", BUILD, "Error: {tmp}/in.txt " + BINARY,
         setup=_write("in.txt", BEIJING.read_bytes()[:8000] + bytes(range(32)) * 400)),
    Case("fifo-input", BUILD, "Error: {tmp}/in.txt " + NOT_REGULAR, setup=_fifo("in.txt"), in_process=False),
    Case("dev-zero", ["build", "/dev/zero", "--graph", "{tmp}/graph.json", "-q"], "Error: /dev/zero " + NOT_REGULAR,
         in_process=False),
    Case("dev-null", ["extract", "/dev/null", "--json", "{tmp}/out.json"], "Error: /dev/null " + NOT_REGULAR),
    Case("dangling-symlink-input", BUILD, "Error: {tmp}/in.txt does not exist: check the path.",
         setup=lambda tmp: os.symlink(tmp / "nowhere.txt", tmp / "in.txt")),
    Case("folder-without-txt", ["build", "{tmp}/docs", "--graph", "{tmp}/graph.json", "-q"],
         "Error: {tmp}/docs is a folder without files policygraph can read: give .txt, .md, .html, .pdf or .docx files.",
         setup=lambda tmp: (tmp / "docs").mkdir()),
    Case("over-max-size", BUILD + ["--max-size", "4K"],
         f"Error: {{tmp}}/in.txt is {SHUNYI_BYTES // 1024} KB, over the 4 KB limit for one input: "
         "split it, or raise the limit with --max-size.", setup=_shunyi_with(b"")),
    Case("max-size-raised", BUILD + ["--max-size", "1G"], "", code=0, setup=_shunyi_with(b""), intact=False),
    Case("max-size-not-a-size", BUILD + ["--max-size", "lots"],
         "Error: --max-size lots is not a size: give megabytes, e.g. --max-size 500 or --max-size 2G.",
         setup=_shunyi_with(b"")),
    Case("errors-mode-unknown", BUILD + ["--errors", "ignore"],
         "Error: Unknown --errors mode ignore: use --errors strict or --errors replace.", setup=_shunyi_with(b"")),
    # ---- decoding
    Case("gb18030-stray-byte-at-end", BUILD,
         f"Error: {{tmp}}/in.txt is GB18030 except 1 byte that cannot be decoded, the first at byte offset "
         f"{SHUNYI_BYTES} (line {SHUNYI_LINES}): fix it, or pass --errors replace to read each bad byte as U+FFFD.",
         setup=_shunyi_with(b"\xff")),
    Case("gb18030-stray-byte-replaced", BUILD + ["--errors", "replace"], "", code=0,
         setup=_shunyi_with(b"\xff"), intact=False),
    Case("utf8-stray-byte", BUILD,
         f"Error: {{tmp}}/in.txt is UTF-8 except 1 byte that cannot be decoded, the first at byte offset "
         f"{len(SHUNYI.read_bytes().decode('gb18030').encode('utf-8'))} (line {SHUNYI_LINES}): "
         "fix it, or pass --errors replace to read each bad byte as U+FFFD.",
         setup=_shunyi_with(b"\x80", "utf-8")),
    Case("utf16-with-bom", BUILD, "", code=0, setup=_shunyi_with(b"", "utf-16"), intact=False),
    Case("utf16-truncated", BUILD,
         f"Error: {{tmp}}/in.txt starts with a UTF-16 byte-order mark but has a byte that cannot be decoded "
         f"at byte offset {2 + 2 * len(SHUNYI.read_bytes().decode('gb18030'))}: fix it, or pass --errors replace "
         "to read each bad byte as U+FFFD.", setup=_shunyi_with(b"\x00", "utf-16")),
    Case("hello-world-is-no-document", BUILD, "Error: No policy document was found in {tmp}/in.txt: nothing was written.", setup=_write("in.txt", "hello world\n")),
    Case("punctuation-is-no-document", BUILD, "Error: No policy document was found in {tmp}/in.txt: nothing was written.", setup=_write("in.txt", "。。。。\n——\n")),
    # ---- where the graph is saved
    Case("graph-is-a-folder", ["build", str(BEIJING), "--graph", "{tmp}/sub", "-q", "--no-lineage"],
         "Error: Cannot write {tmp}/sub: it is a folder; give a file name.", setup=lambda tmp: (tmp / "sub").mkdir()),
    Case("graph-parent-is-a-file", ["build", str(BEIJING), "--graph", "{tmp}/graph.json/g.json", "-q", "--no-lineage"],
         "Error: Cannot write {tmp}/graph.json/g.json: a part of the path is a file, not a folder; nothing was changed."),
    Case("graph-name-too-long", ["build", str(BEIJING), "--graph", "{tmp}/" + "g" * 300 + ".json", "-q", "--no-lineage"],
         "Error: Cannot write {tmp}/" + "g" * 300 + ".json: the name is too long; nothing was changed."),
    Case("graph-is-a-fifo", ["build", str(BEIJING), "--graph", "{tmp}/fifo.json", "-q", "--no-lineage"],
         "Error: Cannot write {tmp}/fifo.json: it is not a regular file (a pipe, device or socket); give a file name.",
         setup=_fifo("fifo.json"), in_process=False),
    Case("graph-over-file-size-limit", ["build", str(BEIJING), "--graph", "{tmp}/graph.json", "-q", "--no-lineage"],
         "Error: Cannot write {tmp}/graph.json: the file would exceed the largest file size allowed here; nothing was changed.",
         in_process=False, preexec=_limit_file_size),
    Case("graph-symlink-followed", ["build", str(SHUNYI), "--graph", "{tmp}/link.json", "-q", "--no-lineage"], "",
         code=0, intact=False, setup=lambda tmp: os.symlink("graph.json", tmp / "link.json"), check=_symlink_kept),
    Case("graph-mode-kept", ["build", str(SHUNYI), "--graph", "{tmp}/graph.json", "-q", "--no-lineage"], "",
         code=0, intact=False, setup=lambda tmp: os.chmod(tmp / "graph.json", 0o644), check=_mode_kept),
    Case("ascii-stdout-build", ["build", str(SHUNYI), "--graph", "{tmp}/graph.json", "-q"], "", code=0,
         intact=False, env={"PYTHONIOENCODING": "ascii"}, in_process=False, check=_ascii_output),
    Case("ascii-stdout-json", ["show", "京政办发〔2023〕5号", "--graph", "{tmp}/graph.json", "--json"], "", code=0,
         env={"PYTHONIOENCODING": "ascii"}, in_process=False, check=_valid_ascii_json),
    # ---- other outputs
    Case("extract-json-to-folder", ["extract", str(SHUNYI), "--json", "{tmp}/sub"],
         "Error: Cannot write {tmp}/sub: it is a folder; give a file name.", setup=lambda tmp: (tmp / "sub").mkdir()),
    Case("extract-json-parent-is-file", ["extract", str(SHUNYI), "--json", "{tmp}/graph.json/x.json"],
         "Error: Cannot write {tmp}/graph.json/x.json: a part of the path is a file, not a folder; nothing was changed."),
    Case("extract-json-over-size-limit", ["extract", str(BEIJING), "--json", "{tmp}/out.json"],
         "Error: Cannot write {tmp}/out.json: the file would exceed the largest file size allowed here; nothing was changed.",
         in_process=False, preexec=_limit_file_size,
         check=lambda tmp, _o: pytest.fail("out.json written") if (tmp / "out.json").exists() else None),
    Case("export-graphml-to-folder", ["export", "--graph", "{tmp}/graph.json", "--graphml", "{tmp}/sub"],
         "Error: Cannot write {tmp}/sub: it is a folder; give a file name.", setup=lambda tmp: (tmp / "sub").mkdir()),
    Case("export-json-parent-is-file", ["export", "--graph", "{tmp}/graph.json", "--json", "{tmp}/graph.json/x.json"],
         "Error: Cannot write {tmp}/graph.json/x.json: a part of the path is a file, not a folder; nothing was changed."),
    Case("lineage-html-to-folder", ["lineage", "京政办发〔2023〕5号", "--graph", "{tmp}/graph.json", "--html", "{tmp}/sub"],
         "Error: Cannot write {tmp}/sub: it is a folder; give a file name.", setup=lambda tmp: (tmp / "sub").mkdir()),
    Case("lineage-svg-name-too-long", ["lineage", "京政办发〔2023〕5号", "--graph", "{tmp}/graph.json", "--svg",
                                       "{tmp}/" + "s" * 300 + ".svg"],
         "Error: Cannot write {tmp}/" + "s" * 300 + ".svg: the name is too long; nothing was changed."),
    # ---- queries
    Case("show-empty-query", ["show", "", "--graph", "{tmp}/graph.json"], EMPTY_QUERY),
    Case("show-blank-query", ["show", " \u3000\t", "--graph", "{tmp}/graph.json"], EMPTY_QUERY),
    Case("lineage-empty-query", ["lineage", "", "--graph", "{tmp}/graph.json"], EMPTY_QUERY),
    Case("diffusion-empty-label", ["diffusion", "", "--graph", "{tmp}/graph.json"], EMPTY_QUERY),
    Case("agency-empty-name", ["agency", " ", "--graph", "{tmp}/graph.json"], EMPTY_QUERY),
    Case("show-very-long-query", ["show", "国" * 5000, "--graph", "{tmp}/graph.json"],
         "Error: Nothing matches “" + "国" * 59 + "…(5000 characters)”: give a document number (京政办发〔2023〕5号), a title fragment or a reform label."),
    Case("show-ansi-escape-query", ["show", "\x1b[31m红\x1b[0m", "--graph", "{tmp}/graph.json"],
         "Error: Nothing matches “\\x1b[31m红\\x1b[0m”: give a document number (京政办发〔2023〕5号), a title fragment or a reform label."),
    Case("lineage-bidi-override-query", ["lineage", "\u202e号5〕3202〔", "--graph", "{tmp}/graph.json"],
         "Error: Nothing matches “\\u202e号5〕3202〔”: give a document number (京政办发〔2023〕5号), a title fragment or a reform label."),
    # ---- eval inputs
    Case("eval-extraction-missing", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json does not exist: " + EXTRACT_HINT),
    Case("eval-extraction-not-json", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json is not valid JSON (line 1): " + EXTRACT_HINT, setup=_write("ex.json", "{documents: [")),
    Case("eval-extraction-is-a-graph", ["eval", GOLD, "--extraction", "{tmp}/graph.json"],
         "Error: {tmp}/graph.json is a saved graph, not an extraction: "
         "write it with `policygraph extract INPUT --json {tmp}/graph.json`."),
    Case("eval-extraction-is-a-list", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json is not an extraction (it holds a JSON list, not an object): " + EXTRACT_HINT,
         setup=_json_file("ex.json", [])),
    Case("eval-extraction-document-without-source", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json is not an extraction (document 0 has no source): " + EXTRACT_HINT,
         setup=_extraction_changed(lambda d: d["documents"][0].pop("source"))),
    Case("eval-extraction-measure-units-not-a-list", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json is not an extraction (measure 3 has a lead_units of the wrong type): " + EXTRACT_HINT,
         setup=_extraction_changed(lambda d: d["measures"][3].update(lead_units="市市场监管局"))),
    Case("eval-extraction-gb18030", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json is not UTF-8 text, so it is not an extraction: " + EXTRACT_HINT,
         setup=_write("ex.json", '{"documents": [{"title": "京政办发"}]}'.encode("gb18030"))),
    Case("eval-extraction-fifo", ["eval", GOLD, "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/ex.json " + NOT_REGULAR, setup=_fifo("ex.json"), in_process=False),
    Case("eval-gold-is-a-list", ["eval", "{tmp}/gold.json", "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/gold.json is not a gold file (it holds a JSON list): " + GOLD_HINT,
         setup=_both(_json_file("gold.json", []), _extraction_changed(lambda d: None))),
    Case("eval-gold-task-without-text", ["eval", "{tmp}/tasks.json", "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/tasks.json is not a valid tasks gold file (entry 0 has no text_head): " + GOLD_HINT,
         setup=_both(_json_file("tasks.json", {"tasks": [{"doc_line_start": 83, "lead_units": [], "responsible_units": []}]}),
                     _extraction_changed(lambda d: None))),
    Case("eval-gold-line-not-a-number", ["eval", "{tmp}/documents.json", "--extraction", "{tmp}/ex.json"],
         "Error: {tmp}/documents.json is not a valid documents gold file (entry 0 has a line_start that is not a line number): "
         + GOLD_HINT,
         setup=_both(_json_file("documents.json", {"documents": [{"line_start": "83", "title": "x", "issuers": []}]}),
                     _extraction_changed(lambda d: None))),
    # ---- a saved graph that is not one
    Case("saved-graph-is-a-list", ["lineage", "京政办发〔2023〕5号", "--graph", "{tmp}/graph.json"], "Error: The saved graph at {tmp}/graph.json is damaged or not a policygraph graph: run `policygraph build` again.",
         setup=_graph_json(lambda d: []), in_process=False, intact=False),
    Case("saved-graph-nodes-without-label", ["lineage", "京政办发〔2023〕5号", "--graph", "{tmp}/graph.json"], "Error: The saved graph at {tmp}/graph.json is damaged or not a policygraph graph: run `policygraph build` again.",
         setup=_graph_json(lambda d: {**d, "nodes": [{k: v for k, v in n.items() if k != "label"} for n in d["nodes"]]}),
         in_process=False, intact=False),
    Case("saved-graph-dangling-edge", ["stats", "--graph", "{tmp}/graph.json"], "Error: The saved graph at {tmp}/graph.json is damaged or not a policygraph graph: run `policygraph build` again.",
         setup=_graph_json(lambda d: {**d, "edges": d["edges"] + [{"source": "Document:x", "target": "Document:y",
                                                                    "key": "CITES", "type": "CITES"}]}),
         in_process=False, intact=False),
    Case("saved-graph-is-a-fifo", ["show", "京政办发〔2023〕5号", "--graph", "{tmp}/fifo.json"],
         "Error: {tmp}/fifo.json is not a regular file: give the saved graph file to --graph.",
         setup=_fifo("fifo.json"), in_process=False),
]


def _fill(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp))


def _run(case: Case, tmp: Path) -> tuple[int, str, str]:
    args = [_fill(a, tmp) for a in case.args]
    if case.in_process:
        result = runner.invoke(app, args, env=case.env or None)
        return result.exit_code, result.stdout, result.stderr
    env = {**os.environ, "PYTHONPATH": PYTHONPATH, **case.env}
    try:
        proc = subprocess.run([sys.executable, "-m", "policygraph", *args], capture_output=True, env=env,
                              timeout=20, preexec_fn=case.preexec)
    except subprocess.TimeoutExpired:
        pytest.fail("the command hung for 20 s")
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id) for c in CASES
])
def test_hostile(case: Case, tmp_path, base_graph, extraction_file, monkeypatch):
    monkeypatch.setenv("HOSTILE_EXTRACTION", str(extraction_file))
    graph = tmp_path / "graph.json"
    graph.write_bytes(base_graph)
    case.setup(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = _run(case, tmp_path)
    assert code == case.code, err or out
    expected = _fill(case.message, tmp_path)
    lines = err.strip().splitlines()
    if expected:
        assert lines == [expected]
    else:
        assert err.strip() == ""
    assert "Traceback" not in err + out and "unexpected failure" not in err
    if case.intact:
        assert graph.read_bytes() == base_graph
    # Nothing half-written or temporary is left beside the outputs.
    after = sorted(p.name for p in tmp_path.iterdir())
    assert [n for n in after if n.endswith(".tmp") or n.startswith(".")] == []
    if code != 0:
        assert after == before
    if case.check:
        case.check(tmp_path, out)


def test_the_catalogue_has_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


# ------------------------------------------------------------------ faults during a write


def test_sigkill_during_a_save_leaves_the_old_file_and_no_temporary(tmp_path):
    """The writer is killed while the bytes are half written: the old file stays, and no
    temporary file is left in the folder (the bytes went to an unnamed O_TMPFILE file)."""
    target = tmp_path / "graph.json"
    target.write_bytes(b'{"old": true}')
    code = (
        "import sys, time\n"
        "from policygraph.files import atomic_path\n"
        "with atomic_path(sys.argv[1]) as fh:\n"
        "    fh.write(b'x' * 1_000_000); fh.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": PYTHONPATH})
    try:
        assert proc.stdout.readline().strip() == b"writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_bytes() == b'{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]


def test_sigkill_of_a_real_build_at_random_moments(tmp_path, base_graph):
    """A build killed at any moment leaves the old graph or the new one, never a mix, and no
    temporary file."""
    graph = tmp_path / "graph.json"
    graph.write_bytes(base_graph)
    results = set()
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
        proc = subprocess.Popen([sys.executable, "-m", "policygraph", "build", str(SHUNYI), "--graph", str(graph),
                                 "-q", "--no-lineage"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONPATH": PYTHONPATH})
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        data = graph.read_bytes()
        load_graph(graph)  # a whole graph, old or new
        results.add("old" if data == base_graph else "new")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]
    assert results  # at least one outcome observed; both are allowed


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir(exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


@pytest.fixture()
def small_disk(tmp_path):
    where = tmp_path / "disk"
    if not _mount_tmpfs(where, "400k"):
        pytest.skip("mounting a small tmpfs needs root and CAP_SYS_ADMIN")
    yield where
    subprocess.run(["umount", "-l", str(where)], check=True)


def test_full_disk_keeps_the_old_graph_and_leaves_nothing(small_disk, base_graph):
    graph = small_disk / "graph.json"
    graph.write_bytes(base_graph)  # 300 KB of the 400 KB: the new graph cannot fit beside it
    for args in (["build", str(BEIJING), "--graph", str(graph), "-q", "--no-lineage"],
                 ["extract", str(BEIJING), "--json", str(small_disk / "out.json")],
                 ["export", "--graph", str(graph), "--graphml", str(small_disk / "g.graphml")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        target = args[args.index("--graph") + 1] if args[0] == "build" else args[-1]
        assert result.stderr.strip() == f"Error: Cannot write {target}: the disk is full; nothing was changed."
        assert graph.read_bytes() == base_graph
        assert sorted(p.name for p in small_disk.iterdir()) == ["graph.json"]


def test_read_only_disk_keeps_the_old_graph(tmp_path, base_graph):
    where = tmp_path / "ro"
    if not _mount_tmpfs(where, "2m"):
        pytest.skip("mounting a tmpfs needs root and CAP_SYS_ADMIN")
    try:
        (where / "graph.json").write_bytes(base_graph)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        result = runner.invoke(app, ["build", str(SHUNYI), "--graph", str(where / "graph.json"), "-q", "--no-lineage"])
        assert result.exit_code == 1
        assert result.stderr.strip() == (f"Error: Cannot write {where / 'graph.json'}: the file system is read-only; "
                                         "nothing was changed.")
        assert (where / "graph.json").read_bytes() == base_graph
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        result = runner.invoke(app, ["build", str(BEIJING), str(SHUNYI), "--graph", str(path), "-q", "--no-lineage"])
        assert result.exit_code == 0, result.output
    assert paths[0].read_bytes() == paths[1].read_bytes()
