"""The `policygraph` command line.

Each command parses its arguments, calls the library API (policygraph.api, graph/*) and renders
the result. Domain errors become one plain `Error: …` line and exit code 1, never a traceback.
"""
from __future__ import annotations

import functools
import json
import os
import re
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from policygraph import api
from policygraph.errors import PolicyGraphError
from policygraph.files import DEFAULT_MAX_INPUT_BYTES
from policygraph.server.local import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, ServerError

def examples(*lines: str) -> str:
    """The epilog of a command's --help: its examples, one per paragraph."""
    return "Examples:\n\n" + "\n\n".join(lines)


APP_HELP = ("Trace Chinese government policy documents through the hierarchy of government.\n\n"
            "policygraph reads policy documents (通知, 方案, 意见, 责任清单 …) and builds a knowledge graph of "
            "documents, issuing agencies, measures, responsible units, reform labels and citations. It answers "
            "a researcher's questions: which provincial, city and district documents implement a national "
            "policy (lineage), where and when a reform spread (diffusion), what an agency issues and leads "
            "(agency). Every answer points back to the file and lines it came from.\n\n"
            "The graph lives in a file (no server needed) or in Neo4j (policygraph neo4j start, then load).")

APP_EPILOG = examples(
    "policygraph build",
    "policygraph lineage 国办发〔2022〕30号",
    "policygraph diffusion 一业一证 --jurisdiction 北京市",
    "policygraph lineage --help   (every command has its own examples)")

app = typer.Typer(add_completion=False, no_args_is_help=True, help=APP_HELP, epilog=APP_EPILOG)
console = Console()
err = Console(stderr=True)


def friendly(fn):
    """Turn domain errors into one plain sentence and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _safe_streams()
        try:
            return fn(*args, **kwargs)
        except (PolicyGraphError, ServerError) as exc:
            typer.echo(f"Error: {_shown_message(str(exc))}", err=True)  # one plain line, never wrapped or styled
            raise typer.Exit(1) from None
        except BrokenPipeError:  # `policygraph … | head`: the reader has what it wanted
            sys.stderr.close()
            raise typer.Exit(1) from None
        except OSError as exc:  # the OS refused a read or a write we did not foresee
            from policygraph.files import describe_os_error

            where = f" ({shown(str(exc.filename), 120)})" if exc.filename else ""
            typer.echo(f"Error: {describe_os_error(exc)}{where}: nothing was changed.", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted: nothing was saved.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `policygraph … --csv | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must still reach the user as one sentence
            if os.environ.get("POLICYGRAPH_DEBUG"):
                raise
            typer.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}); "
                       "rerun with POLICYGRAPH_DEBUG=1 for details and report it.", err=True)
            raise typer.Exit(2) from None

    return wrapper


def _safe_streams() -> None:
    """A terminal or pipe that cannot show Chinese (PYTHONIOENCODING=ascii, LANG=C) gets
    \\uXXXX escapes instead of a UnicodeEncodeError halfway through a command."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _stdout_is_unicode() -> bool:
    return (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-").startswith("utf")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str, limit: int = 80) -> str:
    """Text from the user (a query, a path) as it may be echoed: control characters and ANSI
    escapes made visible (\\x1b), and cut to `limit` characters with the full length said."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) > limit:
        text = f"{text[:limit - 1]}…({len(text)} characters)"
    return text


def _shown_message(message: str) -> str:
    """An error sentence with each quoted query (“…”) shortened and every control character visible."""
    message = re.sub(r"“([^”]*)”", lambda m: f"“{shown(m.group(1), 60)}”", message)
    return shown(message, 10_000)


def _query(text: str) -> str:
    """A lookup query: refused when blank (it would match every document)."""
    from policygraph.errors import QueryError

    if not text.strip():
        raise QueryError("The query is empty: give a document number, a title fragment, a reform label or an agency name.")
    return text.strip()


MAX_SIZE_HELP = "Largest input file read, e.g. 500M or 2G."
ERRORS_HELP = "strict: refuse a file with undecodable bytes (default); replace: read each as U+FFFD."


def _inputs(inputs: Optional[List[Path]]) -> list[Path]:
    from policygraph.extract.read import expand_inputs

    return expand_inputs(inputs) if inputs else [api.DEFAULT_CORPUS]


def _write_csv(rows: list[dict]) -> None:
    """Rows as CSV on stdout (a header row first; lists and dicts as JSON)."""
    import csv

    if not rows:
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(rows[0].keys())
    for row in rows:
        writer.writerow(["" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                         for v in row.values()])


GRAPH_HELP = "The saved graph to read (written by `policygraph build`)."
BACKEND_HELP = "Where the graph is: embedded (the saved file) or neo4j (the server `policygraph load` filled)."
JSON_HELP = "Print the report as JSON (for scripts and notebooks)."
CSV_HELP = "Print the report as CSV, one row per item (for spreadsheets, pandas, R)."
SINCE_HELP = "Only documents dated on or after this date: 2023, 2023-05 or 2023-05-09."
UNTIL_HELP = "Only documents dated on or before this date: 2023, 2023-06 or 2023-06-30."
PLACE_HELP = "Only documents (or agencies) of this place or any place inside it, e.g. 河北省 (includes 廊坊市, 张家口市 …)."
LEVEL_HELP = "Only documents (or agencies) at this level: national, provincial, municipal or district."


# Options several commands share, declared once (typer reads them, never changes them).
GRAPH_OPTION = typer.Option(api.DEFAULT_GRAPH, "--graph", help=GRAPH_HELP)
BACKEND_OPTION = typer.Option("embedded", "--backend", help=BACKEND_HELP)
SINCE_OPTION = typer.Option(None, "--since", help=SINCE_HELP)
UNTIL_OPTION = typer.Option(None, "--until", help=UNTIL_HELP)
PLACE_OPTION = typer.Option(None, "--jurisdiction", help=PLACE_HELP)
LEVEL_OPTION = typer.Option(None, "--level", help=LEVEL_HELP)
JSON_OPTION = typer.Option(False, "--json", help=JSON_HELP)


def _filters(g, since, until, jurisdiction, level):
    from policygraph.graph.filters import DocumentFilter

    return DocumentFilter.parse(g, since, until, jurisdiction, level)


def _write_json(data, out: Optional[Path]) -> None:
    to_stdout = out is None or str(out) == "-"
    # \uXXXX escapes keep the JSON valid on a stdout that cannot encode Chinese.
    text = json.dumps(data, ensure_ascii=to_stdout and not _stdout_is_unicode(), indent=2)
    if to_stdout:
        sys.stdout.write(text + "\n")
    else:
        from policygraph.files import atomic_write_text

        atomic_write_text(out, text + "\n")


WORKERS_HELP = "Processes extracting files in parallel (default: one per core; the graph is the same for any number)."
DASK_HELP = "Extract on a Dask cluster: local, or the scheduler address tcp://host:8786 (inputs must be readable there)."


@app.command(epilog=examples(
    "policygraph build   (the bundled corpus)",
    "policygraph build my_documents/ --lineage 一业一证",
    "policygraph build a.txt b.txt --graph /tmp/g.json --no-lineage"))
@friendly
def build(
    inputs: Optional[List[Path]] = typer.Argument(None, help="Files (.txt, .md, .html, .pdf, .docx) or folders of them, read recursively (default: the bundled corpus)."),
    graph: Path = typer.Option(api.DEFAULT_GRAPH, "--graph", help="Where to save the graph (the other commands read it from there)."),
    strict: bool = typer.Option(False, "--strict", help="Fail if any input file cannot be read, instead of skipping it."),
    lineage: Optional[str] = typer.Option(None, "--lineage", help="Document number, title or reform to report (default: the most implemented document)."),
    no_lineage: bool = typer.Option(False, "--no-lineage", help="Print only the summary."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    max_size: str = typer.Option(f"{DEFAULT_MAX_INPUT_BYTES // 2**20}M", "--max-size", help=MAX_SIZE_HELP),
    errors: str = typer.Option("strict", "--errors", help=ERRORS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
    dask: Optional[str] = typer.Option(None, "--dask", help=DASK_HELP),
):
    """Extract the documents, build the graph, save it, print a summary and a lineage report."""
    from policygraph.extract.pipeline import Timer, extract_corpus
    from policygraph.extract.read import input_summary
    from policygraph.files import parse_size
    from policygraph.graph.build import graph_data
    from policygraph.graph.store_nx import counts, save, to_networkx

    given = list(inputs) if inputs else [api.DEFAULT_CORPUS]
    paths = _inputs(inputs)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=err, disable=quiet, transient=True) as progress:
        task = progress.add_task("extracting", total=len(paths) + 2)
        timer = Timer()
        extraction = extract_corpus(given, timer, workers=workers, dask=dask, strict=strict,
                                    progress=lambda _: progress.advance(task),
                                    read_options={"max_bytes": parse_size(max_size), "errors": errors})
        progress.update(task, description="building graph")
        g = to_networkx(graph_data(extraction))
        progress.advance(task)
        progress.update(task, description="saving")
        saved = save(g, graph)
        progress.advance(task)
    summary = counts(g)
    table = Table(title=f"policygraph: {len(extraction.sources)} file(s) → {saved}")
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
    typer.echo(input_summary(extraction.sources, extraction.skipped))  # plain: never wrapped
    if not no_lineage:
        from policygraph.graph.lineage import lineage_report, most_implemented

        query = lineage or most_implemented(g)
        if query:
            _print_lineage(lineage_report(g, query, measures_per_document=3))


@app.command(epilog=examples(
    "policygraph extract data/north_china_2023.txt --json out.json",
    "policygraph extract my_documents/ --json - | jq '.documents[].doc_number'"))
@friendly
def extract(
    inputs: List[Path] = typer.Argument(..., help="Files (.txt, .md, .html, .pdf, .docx) or folders of them (read recursively)."),
    json_out: Path = typer.Option(..., "--json", help="Where to write the extraction (JSON; - for stdout)."),
    include_stubs: bool = typer.Option(False, "--include-stubs", help="Also list cited documents outside the input."),
    strict: bool = typer.Option(False, "--strict", help="Fail if any input file cannot be read, instead of skipping it."),
    max_size: str = typer.Option(f"{DEFAULT_MAX_INPUT_BYTES // 2**20}M", "--max-size", help=MAX_SIZE_HELP),
    errors: str = typer.Option("strict", "--errors", help=ERRORS_HELP),
    workers: Optional[int] = typer.Option(None, "--workers", help=WORKERS_HELP),
    dask: Optional[str] = typer.Option(None, "--dask", help=DASK_HELP),
):
    """Extract typed records and write them as one JSON object (the scoring contract)."""
    from policygraph.extract.export import as_json
    from policygraph.extract.pipeline import extract_corpus
    from policygraph.extract.read import input_summary
    from policygraph.files import parse_size

    extraction = extract_corpus(inputs, workers=workers, dask=dask, strict=strict,
                                read_options={"max_bytes": parse_size(max_size), "errors": errors})
    data = as_json(extraction, include_stubs=include_stubs)
    _write_json(data, json_out)
    summary = input_summary(extraction.sources, extraction.skipped)
    if str(json_out) != "-":
        console.print(f"Wrote {len(data['documents'])} documents and {len(data['measures'])} measures to {json_out}.")
        typer.echo(summary)
    elif extraction.skipped:
        typer.echo(summary, err=True)


URI_HELP = "Neo4j URI for --backend neo4j (default: NEO4J_URI, else the local server)."
URI_OPTION = typer.Option(None, "--uri", help=URI_HELP)


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


@app.command(epilog=examples(
    "policygraph lineage 国办发〔2022〕30号", "policygraph lineage 国办发[2022]30号   (any printed form)",
    "policygraph lineage 一业一证 --jurisdiction 北京市 --since 2023-03",
    "policygraph lineage 国办发〔2022〕30号 --level district --csv > lineage.csv",
    "policygraph lineage 国办发〔2022〕30号 --html lineage.html"))
@friendly
def lineage(
    query: str = typer.Argument(..., help="Document number (any printed form), title or title fragment, or reform label."),
    graph: Path = GRAPH_OPTION,
    backend: str = BACKEND_OPTION,
    uri: Optional[str] = URI_OPTION,
    since: Optional[str] = SINCE_OPTION,
    until: Optional[str] = UNTIL_OPTION,
    jurisdiction: Optional[str] = PLACE_OPTION,
    level: Optional[str] = LEVEL_OPTION,
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per document: depth, parent, link type, score, evidence, source lines."),
    measures: int = typer.Option(5, "--measures", min=0, help="Measures shown per document in the tree (0: none)."),
    html_out: Optional[Path] = typer.Option(None, "--html", help="Write an interactive, self-contained page (click a document for its measures)."),
    svg_out: Optional[Path] = typer.Option(None, "--svg", help="Write the tree as SVG (for papers)."),
    png_out: Optional[Path] = typer.Option(None, "--png", help="Write the tree as PNG (needs Chromium)."),
):
    """Trace a policy from the national level down to the documents that implement it.

    Cited links come from the text (为贯彻落实 / 根据 / 依据 … the parent); inferred links from
    shared reforms, always marked with their score and evidence. Filters keep the documents
    that pass them, with the documents that lead to them as context."""
    from policygraph.graph.lineage import lineage_report

    query = _query(query)
    # Without filters only the part of the saved graph that the report reads is loaded.
    scoped = not any((since, until, jurisdiction, level))
    g = _load(graph, backend, uri, lineage_of=query if scoped else None)
    filters = _filters(g, since, until, jurisdiction, level)
    pictures = html_out or svg_out or png_out
    report = lineage_report(g, query, measures_per_document=None if (as_json or pictures) else measures,
                            filters=filters, every_measure=bool(pictures))
    if filters.active and not report.get("matching_documents"):
        err.print(f"No document of this lineage is {filters.describe()}.", highlight=False)
    if pictures:
        from policygraph.graph.picture import write

        for path in write(report, html_out, svg_out, png_out):
            console.print(f"Wrote {path} ({report['documents']} documents)")
    elif as_json:
        _write_json(report, None)
    elif as_csv:
        from policygraph.graph.report import lineage_rows

        _write_csv(lineage_rows(report))
    else:
        _print_lineage(report, derivations=measures)


@app.command(epilog=examples(
    "policygraph diffusion 一业一证",
    "policygraph diffusion 双随机、一公开 --jurisdiction 河北省 --since 2023-03",
    "policygraph diffusion 一件事一次办 --level district --csv > diffusion.csv"))
@friendly
def diffusion(
    label: str = typer.Argument(..., help="A reform label or any written variant, e.g. 一业一证 (see extract/data/reforms.jsonl)."),
    graph: Path = GRAPH_OPTION,
    backend: str = BACKEND_OPTION,
    uri: Optional[str] = URI_OPTION,
    since: Optional[str] = SINCE_OPTION,
    until: Optional[str] = UNTIL_OPTION,
    jurisdiction: Optional[str] = PLACE_OPTION,
    level: Optional[str] = LEVEL_OPTION,
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per jurisdiction: first date, first document, measures, lead units."),
):
    """Per jurisdiction, the first document that adopts a reform, its date, level and measures."""
    from policygraph.graph.report import diffusion_report, diffusion_rows

    g = _load(graph, backend, uri)
    report = diffusion_report(g, _query(label), _filters(g, since, until, jurisdiction, level))
    if not report["jurisdictions"]:
        err.print(f"No dated document names {report['reform']} with these filters.", highlight=False)
    if as_json:
        return _write_json(report, None)
    if as_csv:
        return _write_csv(diffusion_rows(report))
    t = Table("first date", "jurisdiction", "level", "first document", "docs", "measures carrying it",
              title=f"Diffusion of {report['reform']}")
    for row in report["jurisdictions"]:
        doc = row["document"]
        t.add_row(row["first_date"], row["jurisdiction"], row["level"] or "?",
                  f"{doc.get('doc_number') or ''} {(doc.get('title') or '')[:28]}", str(row["documents"]),
                  "\n".join(f"{m['numbering'] or ''}{(m['text'] or '')[:24]}… → {'、'.join(m['lead_units']) or '—'}"
                            for m in row["measures"][:3]) + (f"\n(+{len(row['measures']) - 3} more)" if len(row["measures"]) > 3 else ""))
    console.print(t)


@app.command(epilog=examples(
    "policygraph agency 市场监管   (finds every 市场监督管理局)",
    "policygraph agency 北京市商务局 --json",
    "policygraph agency 发改委 --jurisdiction 河北省 --since 2023 --csv > agencies.csv"))
@friendly
def agency(
    name: str = typer.Argument(..., help="An agency name in any form: full (北京市市场监督管理局), abbreviated (市场监管局), with or without the place, or part of it."),
    graph: Path = GRAPH_OPTION,
    backend: str = BACKEND_OPTION,
    uri: Optional[str] = URI_OPTION,
    since: Optional[str] = SINCE_OPTION,
    until: Optional[str] = UNTIL_OPTION,
    jurisdiction: Optional[str] = PLACE_OPTION,
    level: Optional[str] = LEVEL_OPTION,
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per agency: issued, leads, responsible, partners."),
):
    """What an agency issues, leads and shares, across jurisdictions, with counts."""
    from policygraph.graph.report import agency_report, agency_rows

    g = _load(graph, backend, uri)
    report = agency_report(g, _query(name), _filters(g, since, until, jurisdiction, level))
    if as_json:
        return _write_json(report, None)
    if as_csv:
        return _write_csv(agency_rows(report))
    totals = report["totals"]
    t = Table("agency", "jurisdiction", "issued", "leads", "responsible", "documents", "works most with",
              title=f"{escape(shown(report['query']))}: {totals['agencies']} agencies in {totals['jurisdictions']} jurisdictions "
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


def _print_lineage(report: dict, derivations: int = 3) -> None:
    filters = report.get("filters")
    note = ""
    if filters:
        active = ", ".join(f"{k} {v}" for k, v in filters.items() if v)
        note = f"; filtered ({escape(active)}): {report.get('matching_documents', 0)} match, [dim]dim[/] ones lead to them"
    root = Tree(f"Lineage of [bold]{escape(shown(report['query']))}[/] ({report['kind']}, {report['documents']} documents; "
                f"[green]cited[/] links come from the text, [yellow]inferred[/] ones from shared reforms{note})")

    def add(tree: Tree, entry: dict) -> None:
        link = entry.get("link")
        prefix = ""
        if link:
            prefix = ("[green]cited[/] " if link["type"] == "cited"
                      else f"[yellow]inferred (score {link['score']:.2f})[/] ")
        label = _label(entry)
        if entry.get("matches_filter") is False:
            label = f"[dim]{label}[/]"
        branch = tree.add(prefix + label)
        if link and link["type"] == "inferred":
            branch.add(f"[yellow dim]evidence: {link['evidence']}[/]")
        for m in entry.get("measures", []):
            leads = "、".join(m["lead_units"]) or "—"
            branch.add(f"[dim]{m.get('path') or m.get('numbering') or ''}{(m['text'] or '')[:40]}… → {leads}[/]")
        derived = entry.get("derived") or []
        if derived:
            more = branch.add(f"[magenta]{len(derived)} measure link(s) derive from the parent's measures "
                              f"(best {max(d['score'] for d in derived):.2f})[/]")
            for d in derived[:derivations]:
                more.add(f"[magenta dim]{d.get('measure_path') or ''}{(d.get('measure_text') or '')[:16]}… ⇐ "
                         f"{d.get('parent_path') or ''}{(d.get('parent_text') or '')[:16]}… ({d['score']:.2f})[/]")
        for child in entry["children"]:
            add(branch, child)

    for entry in report["roots"]:
        add(root, entry)
    console.print(root)


@app.command(epilog=examples(
    "policygraph show 京政办发〔2023〕5号",
    "policygraph show 国办发[2022]30号   (what cites and implements it)",
    "policygraph show 顺义区推行 --csv > measures.csv"))
@friendly
def show(
    doc: str = typer.Argument(..., help="Document number (any printed form), exact title, or a title fragment naming one document."),
    graph: Path = GRAPH_OPTION,
    backend: str = BACKEND_OPTION,
    uri: Optional[str] = URI_OPTION,
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per measure: outline path, text, units, the parent measures it restates."),
):
    """One document: what it cites, what cites it, what implements it, and its measures.

    Each measure is shown by its outline path (二、（二）, unambiguous in the document) with its
    lead and responsible units and the parent measures it restates, by path and text."""
    from policygraph.graph.report import document_report, document_rows

    report = document_report(_load(graph, backend, uri), _query(doc))
    if as_json:
        _write_json(report, None)
        return
    if as_csv:
        _write_csv(document_rows(report))
        return
    console.print(_label(report))
    src = report["source"]
    console.print(f"source: {src['path']} lines {src['line_start']}–{src['line_end']}", highlight=False)
    if report["cites"]:
        t = Table("cites", "title", "relation", "line", title="What it cites")
        for c in report["cites"]:
            t.add_row(c["target"], (c.get("title") or "")[:40], c["relation"], str(c["line"]))
        console.print(t)
    for link in report["implements"]:
        how = "cited" if link["type"] == "cited" else f"inferred, score {link['score']:.2f}"
        console.print(f"implements {link['target']} ({how}): {link['evidence']}", highlight=False)
    if report["cited_by"]:
        t = Table("cited by", "title", "relation", "line", title="What cites it")
        for c in report["cited_by"]:
            t.add_row(c["source"], (c.get("title") or "")[:40], c["relation"], str(c["line"]))
        console.print(t)
    if report["implemented_by"]:
        t = Table("document", "level", "jurisdiction", "date", "link", "evidence", title="What implements it")
        for c in report["implemented_by"]:
            how = "cited" if c["type"] == "cited" else f"inferred {c['score']:.2f}"
            t.add_row(c["source"], c["level"] or "?", c["jurisdiction"] or "?", c["date"] or "?", how,
                      (c["evidence"] or "")[:50])
        console.print(t)
    if report["reforms"]:
        console.print("reforms: " + "、".join(report["reforms"]))
    from policygraph.graph.picture import clip

    console.print(f"[bold]Measures ({len(report['measures'])})[/], by outline path; "
                  "⇐ the parent measure each restates", highlight=False)
    for m in report["measures"]:
        units = "、".join(m["lead_units"]) + (f" (配合 {'、'.join(m['responsible_units'])})" if m["responsible_units"] else "")
        console.print(f"  [bold]{m['path'] or ''}[/] {clip(m['text'], 60)}" + (f" → {units}" if units else ""),
                      highlight=False, soft_wrap=True)
        for d in m["derives_from"]:
            console.print(f"      [magenta]⇐ {d['document']} {d['path'] or ''} {clip(d['text'], 40)} "
                          f"({d['score']:.2f})[/]", highlight=False, soft_wrap=True)


@app.command(epilog=examples("policygraph stats", "policygraph stats --backend neo4j --json", "policygraph stats --csv > counts.csv"))
@friendly
def stats(
    graph: Path = GRAPH_OPTION,
    backend: str = BACKEND_OPTION,
    uri: Optional[str] = URI_OPTION,
    as_json: bool = JSON_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print one CSV row per label and relationship type."),
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
    if as_csv:
        from policygraph.graph.report import stats_rows

        _write_csv(stats_rows(summary))
        return
    t = Table("kind", "name", "count")
    for label, n in summary["nodes"].items():
        t.add_row("node", label, str(n))
    for rel, n in summary["relationships"].items():
        t.add_row("relationship", rel, str(n))
    console.print(t)


@app.command("eval", epilog=examples(
    "policygraph extract data/north_china_2023.txt --json out.json && policygraph eval tests/fixtures --extraction out.json",
    "policygraph eval tests/fixtures --extraction out.json --misses --json"))
@friendly
def eval_(
    gold: List[Path] = typer.Argument(..., help="Gold files or a folder of them (format: tests/fixtures/README.md)."),
    extraction: Path = typer.Option(..., "--extraction", help="The output of `policygraph extract --json`."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the scores as CSV (measure, score)."),
    misses: bool = typer.Option(False, "--misses", help="Also list every miss."),
):
    """Score an extraction against gold files and print a table."""
    from policygraph.evaluate import evaluate, load_extraction, load_gold

    scores = evaluate(load_extraction(extraction), load_gold(gold))
    if as_json:
        _write_json({**scores.as_dict(), **({"misses": scores.misses} if misses else {})}, None)
        return
    if as_csv:
        _write_csv([{"measure": name, "score": round(value, 4)} for name, value in scores.figures.items()])
        return
    t = Table("measure", "score", title="policygraph eval")
    for name, value in scores.figures.items():
        t.add_row(name, f"{value:.3f}")
    console.print(t)
    if misses:
        console.print_json(json.dumps(scores.misses, ensure_ascii=False))


@app.command(epilog=examples("policygraph export --graphml policy.graphml   (open in Gephi)",
                             "policygraph export --json graph.json"))
@friendly
def export(
    graph: Path = GRAPH_OPTION,
    graphml: Optional[Path] = typer.Option(None, "--graphml", help="Write GraphML (Gephi, Cytoscape); lists become JSON strings."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write node-link JSON (networkx, D3)."),
):
    """Export the saved graph to GraphML and/or JSON."""
    from policygraph.errors import InputError
    from policygraph.graph.store_nx import export_graphml, export_json

    if not graphml and not json_out:
        raise InputError("Say what to write: --graphml FILE and/or --json FILE.")
    g = api.load_graph(graph)
    if graphml:
        console.print(f"Wrote {_atomic_export(export_graphml, g, graphml)}")
    if json_out:
        console.print(f"Wrote {export_json(g, json_out)}")


def _atomic_export(writer, g, path: Path) -> Path:
    """Run a writer that wants a path (networkx's GraphML) on a private scratch file, then
    replace `path` atomically with its bytes: a crash or a full disk never leaves half a file."""
    import tempfile

    from policygraph.files import atomic_write_bytes

    with tempfile.TemporaryDirectory(prefix="policygraph-") as scratch:
        tmp = Path(scratch) / "export"
        writer(g, tmp)
        return atomic_write_bytes(path, tmp.read_bytes())


# ------------------------------------------------------------------ Neo4j

neo4j_app = typer.Typer(no_args_is_help=True, help="Manage the local Neo4j server (127.0.0.1) and its Browser guide.",
                        epilog=examples("policygraph neo4j start && policygraph load", "policygraph neo4j guide"))
app.add_typer(neo4j_app, name="neo4j")


def _server_table(info) -> None:
    state = "[green]running[/]" if info.running else "[red]stopped[/]"
    console.print(f"Neo4j {state}  bolt: {info.bolt_uri}  browser: {info.http_url}/browser/  "
                  f"user: neo4j  password file: {info.password_file}", highlight=False)


@neo4j_app.command("start", epilog=examples("policygraph neo4j start", "policygraph neo4j start --bolt-port 7787 --http-port 7574"))
@friendly
def neo4j_start(
    bolt_port: int = typer.Option(DEFAULT_BOLT_PORT, "--bolt-port", help="Port of the Bolt protocol (what drivers and `load` use)."),
    http_port: int = typer.Option(DEFAULT_HTTP_PORT, "--http-port", help="Port of Neo4j Browser (http://127.0.0.1:PORT/browser/)."),
    timeout: float = typer.Option(180, "--timeout", help="Seconds to wait for Bolt."),
):
    """Start the local server (installs it from Maven Central on first use)."""
    from policygraph.server import local as server

    with console.status("starting Neo4j (the first start fetches the jars, a few minutes)…"):
        info = server.start(bolt_port=bolt_port, http_port=http_port, timeout=timeout)
    _server_table(info)


@neo4j_app.command("stop", epilog=examples("policygraph neo4j stop"))
@friendly
def neo4j_stop():
    """Stop the local server."""
    from policygraph.server import local as server

    _server_table(server.stop())


@neo4j_app.command("status", epilog=examples("policygraph neo4j status"))
@friendly
def neo4j_status():
    """Where the local server listens and where its password is."""
    from policygraph.server import local as server

    _server_table(server.status())


@neo4j_app.command("guide", epilog=examples(
    "policygraph neo4j guide            (then, in Neo4j Browser: :guide http://localhost:8474/policygraph.html)",
    "policygraph neo4j guide --port 8575",
    "policygraph neo4j guide --write /var/www/guides/policygraph.html"))
@friendly
def neo4j_guide(
    port: int = typer.Option(8474, "--port", help="Port to serve the guide on (http://localhost:PORT/policygraph.html)."),
    write: Optional[Path] = typer.Option(None, "--write", help="Write the guide's HTML to this file instead of serving it."),
):
    """Serve the Neo4j Browser guide: a tour tracing 国办发〔2022〕30号 and the spread of 一业一证.

    Neo4j Browser fetches guides only from allowed hosts (server setting
    browser.remote_content_hostname_whitelist, default guides.neo4j.com,localhost), so the guide is
    served on localhost, with the CORS headers Browser needs, until Ctrl-C."""
    from policygraph.graph.guide import guide_server, guide_url, write_guide

    if write:
        console.print(f"Wrote {write_guide(write)}: host it and run :guide <its URL> in Neo4j Browser "
                      "(its host must be in browser.remote_content_hostname_whitelist).", highlight=False)
        return
    server = guide_server(port)
    url = guide_url(server.server_address[1])
    console.print(f"Serving the guide on {url} (Ctrl-C to stop).\n"
                  f"In Neo4j Browser, run:  :guide {url}", highlight=False)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@app.command(epilog=examples("policygraph neo4j start && policygraph load",
                             "policygraph load more_documents/ --replace",
                             "NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io NEO4J_PASSWORD=… policygraph load"))
@friendly
def load(
    inputs: Optional[List[Path]] = typer.Argument(None, help="Text files or folders of them (default: the bundled corpus)."),
    uri: Optional[str] = typer.Option(None, "--uri", help="Neo4j URI (default: NEO4J_URI, else the local server)."),
    replace: bool = typer.Option(False, "--replace", help="First remove what an earlier load of the same files wrote."),
    batch_size: int = typer.Option(1000, "--batch-size", help="Rows per UNWIND batch (one transaction each)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
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


@app.command(epilog=examples(
    "policygraph query cypher/lineage_to_district.cypher --param doc_number=国办发[2022]30号",
    "policygraph query cypher/reform_diffusion.cypher --param label=一业一证 --csv > diffusion.csv",
    "policygraph query cypher/agency_workload.cypher --json"))
@friendly
def query(
    file: Path = typer.Argument(..., help="A .cypher file (see cypher/; its header names its parameters and their defaults)."),
    param: List[str] = typer.Option([], "--param", help="name=value, repeatable; values are read as JSON when they parse, document numbers in any printed form."),
    uri: Optional[str] = typer.Option(None, "--uri", help="Neo4j URI (default: NEO4J_URI, else the local server)."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the rows as CSV."),
):
    """Run a Cypher file in a read-only transaction and print the rows.

    When no row comes back, a line on stderr says which parameter named nothing in the graph."""
    from policygraph.graph.queries import no_rows_message, parse_params, query_params, run_query_file, unmatched_params

    params = parse_params(param)
    rows = run_query_file(file, params, uri)
    if not rows:
        merged = query_params(file, params)
        err.print(no_rows_message(merged, unmatched_params(merged, uri)), highlight=False)
    if as_json:
        _write_json(rows, None)
    elif as_csv:
        _write_csv(rows)
    elif rows:
        t = Table(*rows[0].keys(), title=str(file))
        for row in rows:
            t.add_row(*[json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v) for v in row.values()])
        console.print(t)


def main() -> None:  # pragma: no cover - console entry point
    app()
