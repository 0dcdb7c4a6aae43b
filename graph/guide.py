"""A guided tour in Neo4j Browser: tracing 国办发〔2022〕30号 and the diffusion of 一业一证
with the project's own Cypher files.

The bundled Browser (neo4j-browser 5.24.0, server/pom.xml) plays remote guides with
`:guide <url>` (or `:play <url>`): it fetches the HTML, takes each `<slide>` element as one
page and the `<title>` as the guide's name, strips scripts, and turns every `<pre class="runnable">`
into a block that a click copies into the editor. It fetches only from hosts in the server
setting `browser.remote_content_hostname_whitelist` (default `guides.neo4j.com,localhost`) and
needs CORS headers, so `policygraph neo4j guide` serves the file on http://localhost:PORT/ with them.

The guide is generated from the .cypher files (their headers and bodies), so it never drifts
from them; `cypher/guide/policygraph.html` is the generated file, checked by the tests.
"""
from __future__ import annotations

import html
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path

from policygraph.graph.queries import header

CYPHER = Path(__file__).resolve().parent.parent / "cypher"
GUIDE_FILE = CYPHER / "guide" / "policygraph.html"
GUIDE_NAME = "policygraph.html"
DEFAULT_GUIDE_PORT = 8474


@dataclass(frozen=True)
class Step:
    title: str
    lead: str  # what the researcher learns on this page
    params: str | None  # a Browser :param / :params command, or None
    query: str | None  # a cypher/ file name, or None
    after: str = ""  # what to look at in the result


STEPS = (
    Step("Tracing a policy with policygraph",
         "This tour follows a national opinion, 国办发〔2022〕30号, down to the provincial, city and district "
         "documents that implement it, then follows one reform, 一业一证, across jurisdictions. Every step runs a "
         "query from the project's cypher/ folder. First load the graph (policygraph neo4j start, then "
         "policygraph load) and apply the style: drag cypher/style.grass onto this window. Then check what is loaded:",
         None, None,
         "Documents, agencies, measures, reforms and jurisdictions, with their counts. Click a block to copy it "
         "into the editor, then run it."),
    Step("1. Choose the document",
         "Queries take parameters. Set the document number once; every later query of the tour uses it. "
         "The graph stores numbers as 国办发〔2022〕30号 (policygraph query also reads 国办发[2022]30号).",
         ':param doc_number => "国办发〔2022〕30号"', None),
    Step("2. Its lineage, level by level",
         "One row per document that implements it, at any depth: the provincial plans cite it, the district "
         "plans cite the provincial ones.",
         None, "lineage_to_district.cypher",
         "depth 1 rows are provincial (京政办发〔2023〕5号, 晋政办发〔2023〕4号 …), depth 2 district (顺政办发〔2023〕2号)."),
    Step("3. The lineage as a picture",
         "The same lineage as paths, with the agencies that issued each document: switch the result to the "
         "graph view. IMPLEMENTS edges point from the implementing document to its parent.",
         None, "lineage_picture.cypher"),
    Step("4. Who cites it as their basis, in which words",
         "A cited link comes from the text: the preamble says 为贯彻落实 / 根据 / 依据 … the parent. Here for the "
         "北京 plan, which 顺义区 implements.",
         ':param doc_number => "京政办发〔2023〕5号"', "implementing_documents.cypher",
         "The cue word and the line number point back to the source text."),
    Step("5. Choose a reform",
         "Reforms are labels from extract/data/reforms.jsonl that documents and measures name. Follow 一业一证 "
         "(one licence per industry).",
         ':param label => "一业一证"', None),
    Step("6. Where and when it spread",
         "For each jurisdiction, the first document naming the reform, its date and level, and how many of its "
         "measures carry it.",
         None, "reform_diffusion.cypher",
         "山西省 and 北京市 first (February 2023), then 通州区, 顺义区 and the 北京经济技术开发区."),
    Step("7. Two jurisdictions side by side",
         "The province and one of its districts on the same reform: documents, first date, measures and the "
         "agencies leading them.",
         ':params {label: "一业一证", a: "北京市", b: "顺义区"}', "compare_jurisdictions.cypher"),
    Step("8. Who does the work",
         "The agencies that lead (牵头) or share (配合) the most measures across the corpus.",
         ':param limit => 15', "agency_workload.cypher"),
    Step("9. Parents still to collect",
         "Documents that are cited but not in the corpus (stubs), most cited first: the next ones to add.",
         ':param limit => 10', "external_parents.cypher",
         "The same answers on the command line: policygraph lineage 国办发〔2022〕30号, policygraph diffusion 一业一证, "
         "policygraph agency 市场监管, each with --csv for a spreadsheet."),
)

_COUNTS = ("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS nodes\nORDER BY label;")


def query_body(name: str) -> str:
    """A Cypher file without its comment header: what the Browser should run."""
    lines = (CYPHER / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//")).strip()


def _question(name: str) -> str:
    about = header((CYPHER / name).read_text(encoding="utf-8"))
    text = about.split("Parameters:")[0].replace("Question:", "").strip()
    return " ".join(text.split())


def _runnable(code: str) -> str:
    return f'<pre class="runnable">{html.escape(code)}</pre>'


def _slide(step: Step) -> str:
    parts = [f"<h3>{html.escape(step.title)}</h3>", f'<p class="lead">{html.escape(step.lead)}</p>']
    if step.params:
        parts.append(_runnable(step.params))
    if step.query:
        parts.append(f"<p>From <code>cypher/{html.escape(step.query)}</code>: {html.escape(_question(step.query))}</p>")
        parts.append(_runnable(query_body(step.query)))
    elif not step.params:
        parts.append(_runnable(_COUNTS))
    if step.after:
        parts.append(f"<p>{html.escape(step.after)}</p>")
    return '<slide class="row-fluid">\n<div class="col-sm-12">\n' + "\n".join(parts) + "\n</div>\n</slide>"


def build_guide() -> str:
    """The guide as HTML for `:guide <url>` / `:play <url>` in Neo4j Browser 5.x."""
    slides = "\n".join(_slide(step) for step in STEPS)
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            "<title>policygraph: tracing policy lineage</title></head>\n<body>\n"
            "<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            f"{slides}\n</carousel>\n</article>\n</body></html>\n")


def write_guide(path: Path = GUIDE_FILE) -> Path:
    from policygraph.files import atomic_write_text

    atomic_write_text(path, build_guide())
    return path


class _GuideHandler(http.server.BaseHTTPRequestHandler):
    """Serves the guide (and nothing else) with the CORS headers Browser's fetch needs: Browser
    sends extra headers (pragma, cache-control, sentry-trace, baggage …), so a preflight OPTIONS
    comes first, and it is answered by allowing the headers it asks for."""

    body = b""

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        asked = self.headers.get("Access-Control-Request-Headers")
        self.send_header("Access-Control-Allow-Headers", asked or "pragma, cache-control, content-type")

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?")[0].split("#")[0] not in ("/", f"/{GUIDE_NAME}"):
            self.send_error(404, "Only the policygraph guide is served here.")
            return
        self.send_response(200)
        self._cors()
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:  # quiet: the CLI says what it serves
        pass


def guide_server(port: int = DEFAULT_GUIDE_PORT, host: str = "localhost") -> http.server.ThreadingHTTPServer:
    """A server for the guide on http://localhost:PORT/policygraph.html (not yet serving)."""
    from policygraph.errors import InputError

    handler = type("GuideHandler", (_GuideHandler,), {"body": build_guide().encode("utf-8")})
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise InputError(f"Port {port} is not free for the guide ({exc.strerror}): pass --port with another one.") from None


def guide_url(port: int) -> str:
    # `localhost`, not 127.0.0.1: the Browser's default allowlist names localhost only.
    return f"http://localhost:{port}/{GUIDE_NAME}"


def serve_in_background(port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start the guide server in a thread (for tests and notebooks); returns it and its URL."""
    server = guide_server(port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, guide_url(server.server_address[1])
