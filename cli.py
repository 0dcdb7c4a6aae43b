"""The `policygraph` command: thin glue (typer + rich) over the library API.

Each command parses its arguments, calls the library and renders the result. Domain errors
become one plain `Error: …` line and exit code 1, never a traceback.
"""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from policygraph import api
from policygraph.errors import PolicyGraphError
from policygraph.graph.server import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, ServerError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.splitlines()[0])
console = Console()
err = Console(stderr=True)


def friendly(fn):
    """Turn domain errors into one plain sentence and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (PolicyGraphError, ServerError) as exc:
            typer.echo(f"Error: {exc}", err=True)  # one plain line, never wrapped or styled
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted: nothing was saved.", err=True)
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must still reach the user as one sentence
            if os.environ.get("POLICYGRAPH_DEBUG"):
                raise
            typer.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); "
                       "rerun with POLICYGRAPH_DEBUG=1 for details and report it.", err=True)
            raise typer.Exit(2) from None

    return wrapper


def _inputs(inputs: Optional[List[Path]]) -> list[Path]:
    from policygraph.extract.read import expand_inputs

    return expand_inputs(inputs) if inputs else [api.DEFAULT_CORPUS]


def _write_json(data, out: Optional[Path]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out is None or str(out) == "-":
        sys.stdout.write(text + "\n")
    else:
        from policygraph.files import atomic_write_text

        atomic_write_text(out, text + "\n")


WORKERS_HELP = "Processes extracting files in parallel (default: one per core; the graph is the same for any number)."
DASK_HELP = "Extract on a Dask cluster: local, or the scheduler address tcp://host:8786 (inputs must be readable there)."


@app.command()
@friendly
def build(
    inputs: Optional[List[Path]] = typer.Argument(None, help="Text files or folders of them (default: the bundled corpus)."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph", help="Where to save the graph."),
    lineage: Optional[str] = typer.Option(None, "--lineage", help="Document number, title or reform to report (default: the most implemented document)."),
    no_lineage: bool = typer.Option(False, "--no-lineage", help="Print only the summary."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
    dask: Optional[str] = typer.Option(None, "--dask", help=DASK_HELP),
):
    """Extract the documents, build the graph, save it, print a summary and a lineage report."""
    from policygraph.extract.pipeline import Timer, extract_corpus
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import counts, save, to_networkx

    paths = _inputs(inputs)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, disable=quiet, transient=True) as progress:
        task = progress.add_task("extracting", total=len(paths) + 2)
        timer = Timer()
        extraction = extract_corpus(paths, timer, workers=workers, dask=dask,
                                    progress=lambda _: progress.advance(task))
        progress.update(task, description="building graph")
        g = to_networkx(graph_data(extraction))
        progress.advance(task)
        progress.update(task, description="saving")
        saved = save(g, graph)
        progress.advance(task)
    summary = counts(g)
    table = Table(title=f"policygraph: {len(paths)} file(s) → {saved}")
    table.add_column("nodes")
    table.add_column("count", justify="right")
    table.add_column("relationships")
    table.add_column("count", justify="right")
    node_rows, rel_rows = list(summary["nodes"].items()), list(summary["relationships"].items())
    for i in range(max(len(node_rows), len(rel_rows))):
        n = node_rows[i] if i < len(node_rows) else ("", "")
        r = rel_rows[i] if i < len(rel_rows) else ("", "")
        table.add_row(n[0], str(n[1]), r[0], str(r[1]))
    console.print(table)
    corpus_docs = sum(1 for d in extraction.documents if not d.stub)
    console.print(f"{corpus_docs} documents, {len(extraction.measures)} measures, "
                  f"{len(extraction.agencies)} agencies, {sum(len(d.cites) for d in extraction.documents)} citations.")
    for skipped in extraction.skipped:
        typer.echo(f"Skipped: {skipped.reason}", err=True)
    if not no_lineage:
        from policygraph.graph.lineage import lineage_report, most_implemented

        query = lineage or most_implemented(g)
        if query:
            _print_lineage(lineage_report(g, query, measures_per_document=3))


@app.command()
@friendly
def extract(
    inputs: List[Path] = typer.Argument(..., help="Text files, or folders of .txt files, to extract."),
    json_out: Path = typer.Option(..., "--json", help="Where to write the extraction (JSON; - for stdout)."),
    include_stubs: bool = typer.Option(False, "--include-stubs", help="Also list cited documents outside the input."),
):
    """Extract typed records and write them as one JSON object (the scoring contract)."""
    from policygraph.extract.export import as_json

    data = as_json(api.extract(inputs), include_stubs=include_stubs)
    _write_json(data, json_out)
    if str(json_out) != "-":
        console.print(f"Wrote {len(data['documents'])} documents and {len(data['measures'])} measures to {json_out}.")


URI_HELP = "Neo4j URI for --backend neo4j (default: NEO4J_URI, else the local server)."


def _check_backend(backend: str) -> str:
    from policygraph.errors import InputError

    if backend not in ("embedded", "neo4j"):
        raise InputError(f"Unknown backend {backend}: use --backend embedded or --backend neo4j.")
    return backend


def _load(graph: Path, backend: str = "embedded", uri: Optional[str] = None, lineage_of: Optional[str] = None):
    if _check_backend(backend) == "neo4j":
        from policygraph.graph.store_neo4j import fetch_graph

        return fetch_graph(uri)
    if lineage_of is not None:
        return api.load_lineage_graph(lineage_of, graph)  # only what the report reads
    return api.load_graph(graph)


@app.command()
@friendly
def lineage(
    query: str = typer.Argument(..., help="Document number, title fragment or reform label."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    backend: str = typer.Option("embedded", "--backend", help="embedded or neo4j."),
    uri: Optional[str] = typer.Option(None, "--uri", help=URI_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    measures: int = typer.Option(5, "--measures", help="Measures shown per document (tree view)."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write an interactive, self-contained page."),
    svg_out: Optional[Path] = typer.Option(None, "--svg", help="Write the tree as SVG (for papers)."),
    png_out: Optional[Path] = typer.Option(None, "--png", help="Write the tree as PNG (needs Chromium)."),
):
    """Trace a policy from the national level down to the documents that implement it."""
    from policygraph.graph.lineage import lineage_report

    pictures = html_out or svg_out or png_out
    report = lineage_report(_load(graph, backend, uri, lineage_of=query), query,
                            measures_per_document=None if (as_json or pictures) else measures)
    if pictures:
        from policygraph.graph.picture import write

        for path in write(report, html_out, svg_out, png_out):
            console.print(f"Wrote {path} ({report['documents']} documents)")
    elif as_json:
        _write_json(report, None)
    else:
        _print_lineage(report)


@app.command()
@friendly
def diffusion(
    label: str = typer.Argument(..., help="A reform label, e.g. 一业一证."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    backend: str = typer.Option("embedded", "--backend", help="embedded or neo4j."),
    uri: Optional[str] = typer.Option(None, "--uri", help=URI_HELP),
    as_json: bool = typer.Option(False, "--json"),
):
    """Per jurisdiction, the first document that adopts a reform, its date, level and measures."""
    from policygraph.graph.report import diffusion_report

    report = diffusion_report(_load(graph, backend, uri), label)
    if as_json:
        return _write_json(report, None)
    t = Table("first date", "jurisdiction", "level", "first document", "docs", "measures carrying it",
              title=f"Diffusion of {report['reform']}")
    for row in report["jurisdictions"]:
        doc = row["document"]
        t.add_row(row["first_date"], row["jurisdiction"], row["level"] or "?",
                  f"{doc.get('doc_number') or ''} {(doc.get('title') or '')[:28]}", str(row["documents"]),
                  "\n".join(f"{m['numbering'] or ''}{(m['text'] or '')[:24]}… → {'、'.join(m['lead_units']) or '—'}"
                            for m in row["measures"][:3]) + (f"\n(+{len(row['measures']) - 3} more)" if len(row["measures"]) > 3 else ""))
    console.print(t)


@app.command()
@friendly
def agency(
    name: str = typer.Argument(..., help="An agency name or part of it, e.g. 市场监督管理局."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    backend: str = typer.Option("embedded", "--backend", help="embedded or neo4j."),
    uri: Optional[str] = typer.Option(None, "--uri", help=URI_HELP),
    as_json: bool = typer.Option(False, "--json"),
):
    """What an agency issues, leads and shares, across jurisdictions, with counts."""
    from policygraph.graph.report import agency_report

    report = agency_report(_load(graph, backend, uri), name)
    if as_json:
        return _write_json(report, None)
    totals = report["totals"]
    t = Table("agency", "jurisdiction", "issued", "leads", "responsible", "documents", "works most with",
              title=f"{report['query']}: {totals['agencies']} agencies in {totals['jurisdictions']} jurisdictions "
                    f"(issued {totals['issued']}, leads {totals['leads']}, responsible {totals['responsible']})")
    for row in report["agencies"]:
        t.add_row(row["agency"], row["jurisdiction"] or "?", str(len(row["issued"])), str(row["leads"]),
                  str(row["responsible"]), str(len(row["documents"])),
                  "、".join(f"{p}({n})" for p, n in row["partners"][:3]))
    console.print(t)


def _label(entry: dict) -> str:
    issuer = "、".join(entry.get("issuers") or []) or "?"
    number = entry.get("doc_number") or "无文号"
    stub = " [dim](not in corpus)[/]" if entry.get("stub") else ""
    return (f"[bold]{entry.get('title') or entry['id']}[/] {number}{stub}\n"
            f"[cyan]{entry.get('level') or '?'}[/] · {entry.get('jurisdiction') or '?'} · {issuer} · {entry.get('date') or '?'}")


def _print_lineage(report: dict) -> None:
    root = Tree(f"Lineage of [bold]{report['query']}[/] ({report['kind']}, {report['documents']} documents; "
                "[green]cited[/] links come from the text, [yellow]inferred[/] ones from shared reforms)")

    def add(tree: Tree, entry: dict) -> None:
        link = entry.get("link")
        prefix = ""
        if link:
            prefix = ("[green]cited[/] " if link["type"] == "cited"
                      else f"[yellow]inferred (score {link['score']:.2f})[/] ")
        branch = tree.add(prefix + _label(entry))
        if link and link["type"] == "inferred":
            branch.add(f"[yellow dim]evidence: {link['evidence']}[/]")
        for m in entry.get("measures", []):
            leads = "、".join(m["lead_units"]) or "—"
            branch.add(f"[dim]{m.get('numbering') or ''}{(m['text'] or '')[:40]}… → {leads}[/]")
        derived = entry.get("derived") or []
        if derived:
            branch.add(f"[magenta]{len(derived)} measure link(s) derive from the parent's measures "
                       f"(best {max(d['score'] for d in derived):.2f})[/]")
        for child in entry["children"]:
            add(branch, child)

    for entry in report["roots"]:
        add(root, entry)
    console.print(root)


@app.command()
@friendly
def show(
    doc: str = typer.Argument(..., help="Document number or title fragment."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Show one document: metadata, citations, measures and their units."""
    from policygraph.graph.report import document_report

    report = document_report(api.load_graph(graph), doc)
    if as_json:
        _write_json(report, None)
        return
    console.print(_label(report))
    src = report["source"]
    console.print(f"source: {src['path']} lines {src['line_start']}–{src['line_end']}")
    if report["cites"]:
        t = Table("cites", "relation", "line", title="Citations")
        for c in report["cites"]:
            t.add_row(c["target"], c["relation"], str(c["line"]))
        console.print(t)
    for link in report["implements"]:
        how = "cited" if link["type"] == "cited" else f"inferred, score {link['score']:.2f}"
        console.print(f"implements {link['target']} ({how}): {link['evidence']}", highlight=False)
    if report["reforms"]:
        console.print("reforms: " + "、".join(report["reforms"]))
    t = Table("#", "measure", "lead", "responsible", "derives from", title=f"Measures ({len(report['measures'])})")
    for m in report["measures"]:
        t.add_row(m["numbering"] or "", (m["text"] or "")[:50], "、".join(m["lead_units"]), "、".join(m["responsible_units"]),
                  "、".join(f"{d['measure']} ({d['score']:.2f})" for d in m["derives_from"]))
    console.print(t)


@app.command()
@friendly
def stats(
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    backend: str = typer.Option("embedded", "--backend", help="embedded or neo4j."),
    uri: Optional[str] = typer.Option(None, "--uri", help=URI_HELP),
    as_json: bool = typer.Option(False, "--json"),
):
    """Node counts per label and relationship counts per type."""
    if _check_backend(backend) == "neo4j":
        from policygraph.graph.store_neo4j import neo4j_counts

        summary = neo4j_counts(uri)
    else:
        from policygraph.graph.store_nx import saved_counts

        summary = saved_counts(graph)  # from the store's tables: no need to load the graph
    if as_json:
        _write_json(summary, None)
        return
    t = Table("kind", "name", "count")
    for label, n in summary["nodes"].items():
        t.add_row("node", label, str(n))
    for rel, n in summary["relationships"].items():
        t.add_row("relationship", rel, str(n))
    console.print(t)


@app.command("eval")
@friendly
def eval_(
    gold: List[Path] = typer.Argument(..., help="Gold files or a folder of them."),
    extraction: Path = typer.Option(..., "--extraction", help="The output of `policygraph extract --json`."),
    as_json: bool = typer.Option(False, "--json"),
    misses: bool = typer.Option(False, "--misses", help="Also list every miss."),
):
    """Score an extraction against gold files and print a table."""
    from policygraph.errors import InputError
    from policygraph.evaluate import evaluate, load_gold

    if not extraction.exists():
        raise InputError(f"{extraction} does not exist: run `policygraph extract INPUT --json {extraction}` first.")
    try:
        predicted = json.loads(extraction.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        raise InputError(f"{extraction} is not valid JSON: write it with `policygraph extract --json`.") from None
    scores = evaluate(predicted, load_gold(gold))
    if as_json:
        _write_json({**scores.as_dict(), **({"misses": scores.misses} if misses else {})}, None)
        return
    t = Table("measure", "score", title="policygraph eval")
    for name, value in scores.figures.items():
        t.add_row(name, f"{value:.3f}")
    console.print(t)
    if misses:
        console.print_json(json.dumps(scores.misses, ensure_ascii=False))


@app.command()
@friendly
def export(
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph"),
    graphml: Optional[Path] = typer.Option(None, "--graphml", help="Write GraphML (Gephi)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write node-link JSON."),
):
    """Export the saved graph to GraphML and/or JSON."""
    from policygraph.errors import InputError
    from policygraph.graph.store_nx import export_graphml, export_json

    if not graphml and not json_out:
        raise InputError("Say what to write: --graphml FILE and/or --json FILE.")
    g = api.load_graph(graph)
    if graphml:
        console.print(f"Wrote {export_graphml(g, graphml)}")
    if json_out:
        console.print(f"Wrote {export_json(g, json_out)}")


# ------------------------------------------------------------------ Neo4j

neo4j_app = typer.Typer(no_args_is_help=True, help="Manage the local Neo4j server (127.0.0.1).")
app.add_typer(neo4j_app, name="neo4j")


def _server_table(info) -> None:
    state = "[green]running[/]" if info.running else "[red]stopped[/]"
    console.print(f"Neo4j {state}  bolt: {info.bolt_uri}  browser: {info.http_url}/browser/  "
                  f"user: neo4j  password file: {info.password_file}", highlight=False)


@neo4j_app.command("start")
@friendly
def neo4j_start(
    bolt_port: int = typer.Option(DEFAULT_BOLT_PORT, "--bolt-port"),
    http_port: int = typer.Option(DEFAULT_HTTP_PORT, "--http-port"),
    timeout: float = typer.Option(180, "--timeout", help="Seconds to wait for Bolt."),
):
    """Start the local server (installs it from Maven Central on first use)."""
    from policygraph.graph import server

    with console.status("starting Neo4j (the first start fetches the jars, a few minutes)…"):
        info = server.start(bolt_port=bolt_port, http_port=http_port, timeout=timeout)
    _server_table(info)


@neo4j_app.command("stop")
@friendly
def neo4j_stop():
    """Stop the local server."""
    from policygraph.graph import server

    _server_table(server.stop())


@neo4j_app.command("status")
@friendly
def neo4j_status():
    """Where the local server listens and where its password is."""
    from policygraph.graph import server

    _server_table(server.status())


@app.command()
@friendly
def load(
    inputs: Optional[List[Path]] = typer.Argument(None, help="Text files or folders of them (default: the bundled corpus)."),
    uri: Optional[str] = typer.Option(None, "--uri", help="Neo4j URI (default: NEO4J_URI, else the local server)."),
    replace: bool = typer.Option(False, "--replace", help="First remove what an earlier load of the same files wrote."),
    batch_size: int = typer.Option(1000, "--batch-size"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    bulk: bool = typer.Option(False, "--bulk", help="First load of a big collection: REPLACE the local server's "
                              "database by an offline neo4j-admin import (the server is stopped meanwhile)."),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
):
    """Write the graph of INPUT... into Neo4j (idempotent: loading twice changes nothing)."""
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_neo4j import connect, counts, load_graph_data

    paths = _inputs(inputs)
    if bulk and (uri or os.environ.get("NEO4J_URI")):
        from policygraph.errors import InputError

        raise InputError("--bulk imports into the local server only: drop --uri/NEO4J_URI, or load without --bulk.")
    data = graph_data(api.extract(paths, workers=workers))
    if bulk:
        from policygraph.graph.bulk_import import bulk_import

        with console.status("importing with neo4j-admin (the server restarts)…"):
            result = bulk_import(data, ",".join(str(p) for p in paths))
        console.print(f"Imported {result.nodes} nodes and {result.relationships} relationships with neo4j-admin "
                      f"in {result.seconds_import:.1f} s ({result.seconds_total:.1f} s with the restart); "
                      "the neo4j database was replaced.")
        return
    driver = connect(uri)
    try:
        total = len(data.nodes) + len(data.rels)
        with Progress(TextColumn("loading"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err, disable=quiet, transient=True) as progress:
            task = progress.add_task("load", total=total)
            source = ",".join(str(p) for p in paths)
            written = load_graph_data(driver, data, source, replace=replace, batch_size=batch_size,
                                      progress=lambda n: progress.advance(task, n))
        summary = counts(driver)
    finally:
        driver.close()
    console.print(f"Loaded {len(data.nodes)} nodes and {len(data.rels)} relationships "
                  f"({written.get('nodes_created', 0)} nodes and {written.get('relationships_created', 0)} relationships new).")
    console.print_json(json.dumps(summary, ensure_ascii=False))


@app.command()
@friendly
def query(
    file: Path = typer.Argument(..., help="A .cypher file (see cypher/)."),
    param: List[str] = typer.Option([], "--param", help="name=value (values are read as JSON when they parse)."),
    uri: Optional[str] = typer.Option(None, "--uri"),
    as_json: bool = typer.Option(False, "--json"),
    as_csv: bool = typer.Option(False, "--csv"),
):
    """Run a Cypher file in a read-only transaction and print the rows."""
    from policygraph.graph.queries import parse_params, run_query_file

    rows = run_query_file(file, parse_params(param), uri)
    if as_json:
        _write_json(rows, None)
    elif as_csv:
        import csv

        writer = csv.writer(sys.stdout)
        if rows:
            writer.writerow(rows[0].keys())
            for row in rows:
                writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for v in row.values()])
    else:
        t = Table(*(rows[0].keys() if rows else ["(no rows)"]), title=str(file))
        for row in rows:
            t.add_row(*[json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v) for v in row.values()])
        console.print(t)


def main() -> None:  # pragma: no cover - console entry point
    app()
