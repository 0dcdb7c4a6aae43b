"""First loads of big collections into Neo4j with `neo4j-admin database import full`.

The UNWIND loader (store_neo4j.py) MERGEs batch after batch through Bolt: right for adding a
corpus to a database that already holds others. A first load of a national collection is far
faster as CSV files read by Neo4j's own offline importer, run here with the local server's
jars (`org.neo4j.cli.AdminTool`, see server.py):

- one node file per label (`key:ID(<Label>)`: one ID space per label, as node keys are unique
  per label) and one relationship file per (type, start label, end label), each with its
  header in a file of its own;
- columns typed from the values (`:long`, `:double`, `:boolean`, `:string[]`); arrays are
  `;`-separated (another delimiter if a value holds `;`); None is an empty field (no property);
- every node and relationship gets `sources` = [the input], as the UNWIND loader writes.

The import REPLACES the `neo4j` database and needs the server stopped: `bulk_import` stops
the local server if it runs, imports, starts it again and applies cypher/schema.cypher.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import Neo4jUnavailable
from policygraph.files import atomic_write_bytes
from policygraph.graph.schema import LABELS, RELATIONSHIPS, GraphData

ARRAY_DELIMITERS = (";", "|", "\u001f")
DATABASE = "neo4j"  # Community Edition has one user database: the import replaces it
IMPORT_TIMEOUT = 3600  # seconds
C1_ONLY_BELOW = 5_000_000  # nodes + relationships, see _jvm_flags


@dataclass
class CsvExport:
    folder: Path
    nodes: dict[str, tuple[Path, Path]]  # label → (header, data)
    relationships: dict[tuple[str, str, str], tuple[Path, Path]]  # (type, start, end) → (header, data)
    array_delimiter: str
    multiline: bool
    items: int = 0  # nodes + relationships written

    def arguments(self) -> list[str]:
        """The file arguments of `neo4j-admin database import full`."""
        args = [f"--nodes={label}={h},{d}" for label, (h, d) in self.nodes.items()]
        args += [f"--relationships={t}={h},{d}" for (t, _, _), (h, d) in self.relationships.items()]
        args += [f"--array-delimiter={_char_option(self.array_delimiter)}",
                 f"--multiline-fields={'true' if self.multiline else 'false'}"]
        return args


def _char_option(char: str) -> str:
    return char if char.isprintable() else f"U+{ord(char):04X}"


def _column_type(values: list) -> str | None:
    """The import type of a property from all its values (None values left out)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return None
    if kinds <= {list, tuple}:
        return "string[]"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _cell(value, kind: str, array_delimiter: str):
    if value is None:
        return ""
    if kind == "string[]":
        return array_delimiter.join(str(x) for x in value if x is not None and not isinstance(x, (dict, list)))
    if kind == "boolean":
        return "true" if value else "false"
    return value


def _properties(rows: list[dict]) -> list[tuple[str, str]]:
    """(name, type) of every column, in first-seen order; dicts are left out as in the UNWIND loader."""
    seen: dict[str, list] = {}
    for props in rows:
        for k, v in props.items():
            if not isinstance(v, dict):
                seen.setdefault(k, []).append(v)
    return [(k, kind) for k, values in seen.items() if (kind := _column_type(values))]


def _array_delimiter(data: GraphData) -> str:
    used = set()
    for item in (*data.nodes, *data.rels):
        for v in item.props.values():
            if isinstance(v, (list, tuple)):
                used.update(ch for x in v if isinstance(x, str) for ch in ARRAY_DELIMITERS if ch in x)
    free = [ch for ch in ARRAY_DELIMITERS if ch not in used]
    if not free:
        raise Neo4jUnavailable("Every array delimiter the import could use occurs in the data: use `policygraph load` without --bulk.")
    return free[0]


def _csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def export_csv(data: GraphData, folder: str | Path, source: str) -> CsvExport:
    """Write the import files for `data` into `folder` (headers apart from data)."""
    folder = Path(folder)
    delimiter = _array_delimiter(data)
    multiline = False
    by_label: dict[str, list] = defaultdict(list)
    for n in data.nodes:
        if n.label not in LABELS:
            raise ValueError(f"unknown label {n.label}")
        by_label[n.label].append(n)
    by_type: dict[tuple, list] = defaultdict(list)
    for r in data.rels:
        if r.type not in RELATIONSHIPS:
            raise ValueError(f"unknown relationship {r.type}")
        by_type[(r.type, r.start[0], r.end[0])].append(r)
    export = CsvExport(folder, {}, {}, delimiter, False)
    for label, nodes in by_label.items():
        columns = [(k, t) for k, t in _properties([n.props for n in nodes]) if k not in ("key", "sources")]
        header = [f"key:ID({label})", *(f"{k}:{t}" for k, t in columns), "sources:string[]"]
        rows = [[n.key, *(_cell(n.props.get(k), t, delimiter) for k, t in columns), source] for n in nodes]
        multiline |= _has_newline(rows)
        export.nodes[label] = _write(folder, f"nodes_{label}", header, rows)
    for (rel_type, start, end), rels in by_type.items():
        columns = [(k, t) for k, t in _properties([r.props for r in rels]) if k != "sources"]
        header = [f":START_ID({start})", f":END_ID({end})", *(f"{k}:{t}" for k, t in columns), "sources:string[]"]
        rows = [[r.start[1], r.end[1], *(_cell(r.props.get(k), t, delimiter) for k, t in columns), source]
                for r in rels]
        multiline |= _has_newline(rows)
        export.relationships[(rel_type, start, end)] = _write(folder, f"rels_{rel_type}_{start}_{end}", header, rows)
    export.multiline = multiline
    export.items = len(data.nodes) + len(data.rels)
    return export


def _has_newline(rows: list[list]) -> bool:
    return any(isinstance(v, str) and ("\n" in v or "\r" in v) for row in rows for v in row)


def _write(folder: Path, stem: str, header: list[str], rows: list[list]) -> tuple[Path, Path]:
    head, body = folder / f"{stem}_header.csv", folder / f"{stem}.csv"
    atomic_write_bytes(head, _csv_bytes([header]))
    atomic_write_bytes(body, _csv_bytes(rows))
    return head, body


@dataclass
class ImportResult:
    nodes: int
    relationships: int
    seconds_export: float
    seconds_import: float  # neo4j-admin alone
    seconds_total: float  # export, stop, import, start, schema
    report: str


def _jvm_flags(export: CsvExport) -> list[str]:
    """ParallelGC: an offline batch job wants throughput, not short pauses. Below some
    millions of items the import is over in seconds, and the optimising JIT (C2) spends more
    CPU compiling than it gives back (measured on ×50, 372,900 items: 17 CPU-s with C2, 12.5
    with C1 alone); a national collection keeps C2."""
    flags = ["-XX:+UseParallelGC"]
    if export.items < C1_ONLY_BELOW:
        flags.append("-XX:TieredStopAtLevel=1")
    return flags


def run_import(export: CsvExport, home: Path) -> str:
    """Run the offline importer of the server in `home` (which must be stopped); its output."""
    from policygraph.server import local as server

    java = server.find_java()
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cmd = [java, "-Xmx1g", *_jvm_flags(export), "-cp", str(home / "lib" / "*"), server.ADMIN_CLASS, "database", "import", "full",
           "--overwrite-destination=true", "--max-off-heap-memory=1G", f"--report-file={export.folder / 'import.report'}",
           *export.arguments(), DATABASE]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(home),
                              stdin=subprocess.DEVNULL, timeout=IMPORT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        raise Neo4jUnavailable("neo4j-admin could not be run for the bulk import: check Java 17 or 21.") from None
    log = home / "logs" / "bulk-import.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(log, (" ".join(cmd) + "\n" + proc.stdout + proc.stderr).encode("utf-8"))
    if proc.returncode != 0:
        raise Neo4jUnavailable(f"The bulk import failed (neo4j-admin exit code {proc.returncode}): see {log}.")
    return proc.stdout


def bulk_import(data: GraphData, source: str, home: str | Path | None = None, keep_csv: str | Path | None = None) -> ImportResult:
    """Replace the local server's `neo4j` database with `data`, through CSV files and
    `neo4j-admin database import full`, and leave the server running."""
    from policygraph.server import local as server
    from policygraph.graph.store_neo4j import apply_schema

    home = Path(home or server.DEFAULT_HOME).resolve()
    t0 = time.perf_counter()
    info = server.status(home) if home.is_dir() else None
    if info is None or not (home / "lib").is_dir():
        info = server.install(home)
    bolt_port, http_port = server.DEFAULT_BOLT_PORT, server.DEFAULT_HTTP_PORT
    if info.running:  # back on the ports it listened on
        bolt_port, http_port = int(info.bolt_uri.rsplit(":", 1)[1]), int(info.http_url.rsplit(":", 1)[1])
    with tempfile.TemporaryDirectory(prefix="policygraph-bulk-") as tmp:
        folder = Path(keep_csv) if keep_csv else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        export = export_csv(data, folder, source)
        t_export = time.perf_counter() - t0
        if info.running:
            server.stop(home)
        t1 = time.perf_counter()
        try:
            report = run_import(export, home)
        finally:
            t_import = time.perf_counter() - t1
            server.start(home, bolt_port=bolt_port, http_port=http_port, timeout=240)
    driver = _local_driver(home)
    try:
        apply_schema(driver)
    finally:
        driver.close()
    return ImportResult(len(data.nodes), len(data.rels), t_export, t_import, time.perf_counter() - t0, report)


def _local_driver(home: Path):
    from policygraph.server import local as server
    from policygraph.graph.store_neo4j import connect

    info = server.status(home)
    return connect(info.bolt_uri, "neo4j", server.read_password(home))
