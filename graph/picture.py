"""Pictures of a lineage report: a self-contained interactive HTML page, SVG, and PNG.

The layout is a top-down tree (the national document on top, each level of implementing
documents below), computed here so the page needs no library and no network: all styles and
scripts are inline. Documents are coloured by level; cited links are solid, inferred links
dashed; hovering a document shows its issuer, date, number and how it is linked; clicking it
lists its measures (by outline path) and the parent measures they restate. `page.html#doc=<id>`
opens with that document clicked, so a link can point at one document's measures.
"""
from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from policygraph.errors import PolicyGraphError
from policygraph.files import atomic_write_bytes, atomic_write_text

LEVEL_COLOURS = {"national": "#c0392b", "provincial": "#2870c2", "municipal": "#27ae60", "district": "#e67e22", None: "#95a5a6"}
LEVEL_NAMES = {"national": "national 国家", "provincial": "provincial 省级", "municipal": "municipal 地级市",
               "district": "district 区县", None: "unknown"}
NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 190, 58, 30, 90, 30


class PictureError(PolicyGraphError):
    """A picture could not be written."""


def layout(report: dict) -> tuple[list[dict], list[dict], int, int]:
    """Node boxes (x, y by depth and leaf order) and edges of the report's trees."""
    nodes: list[dict] = []
    edges: list[dict] = []
    next_x = [0]

    def place(entry: dict, depth: int, parent: dict | None) -> dict:
        kids = [place(child, depth + 1, None) for child in entry["children"]]
        if kids:
            x = (kids[0]["x"] + kids[-1]["x"]) / 2
        else:
            x = next_x[0]
            next_x[0] += NODE_W + GAP_X
        node = {"id": entry["id"], "x": x, "y": depth * (NODE_H + GAP_Y), "entry": entry}
        nodes.append(node)
        for kid in kids:
            link = kid["entry"].get("link") or {}
            edges.append({"from": node, "to": kid, "type": link.get("type", "cited"),
                          "evidence": link.get("evidence") or "", "score": link.get("score")})
        return node

    for root in report["roots"]:
        place(root, 0, None)
    width = max((n["x"] for n in nodes), default=0) + NODE_W + 2 * MARGIN
    height = max((n["y"] for n in nodes), default=0) + NODE_H + 2 * MARGIN + 60
    return nodes, edges, int(width), int(height)


def clip(text: str | None, n: int) -> str:
    """At most n characters, an ellipsis marking a cut."""
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _tooltip(entry: dict) -> str:
    link = entry.get("link") or {}
    lines = [entry.get("title") or entry["id"],
             f"文号 number: {entry.get('doc_number') or '—'}",
             f"发文机关 issuer: {'、'.join(entry.get('issuers') or []) or '—'}",
             f"日期 date: {entry.get('date') or '—'}",
             f"level: {entry.get('level') or '—'} · {entry.get('jurisdiction') or '—'}"]
    if link:
        lines.append(f"link: {link.get('type')}" + (f" (score {link['score']:.2f})" if link.get("score") is not None else ""))
        if link.get("evidence"):
            lines.append(f"evidence: {link['evidence']}")
    if entry.get("derived"):
        lines.append(f"{len(entry['derived'])} measure(s) derive from the parent's measures")
    if entry.get("stub"):
        lines.append("(cited, not in the corpus)")
    return "\n".join(lines)


def to_svg(report: dict, interactive: bool = False) -> str:
    nodes, edges, width, height = layout(report)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="lineage" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
           f'<text x="{MARGIN}" y="22" font-size="15" font-weight="bold">{html.escape(_title(report))}</text>']
    for e in edges:
        x1, y1 = e["from"]["x"] + MARGIN + NODE_W / 2, e["from"]["y"] + MARGIN + 40 + NODE_H
        x2, y2 = e["to"]["x"] + MARGIN + NODE_W / 2, e["to"]["y"] + MARGIN + 40
        dash = ' stroke-dasharray="7 5"' if e["type"] == "inferred" else ""
        tip = f"{e['type']}" + (f" (score {e['score']:.2f})" if e["score"] is not None else "") + (f": {e['evidence']}" if e["evidence"] else "")
        out.append(f'<path class="edge {e["type"]}" d="M {x1} {y1} C {x1} {y1 + 45}, {x2} {y2 - 45}, {x2} {y2}" '
                   f'fill="none" stroke="#555" stroke-width="{2.2 if e["type"] == "cited" else 1.6}"{dash} '
                   f'marker-end="url(#arrow)"><title>{html.escape(tip)}</title></path>')
    for n in nodes:
        entry = n["entry"]
        x, y = n["x"] + MARGIN, n["y"] + MARGIN + 40
        colour = LEVEL_COLOURS.get(entry.get("level"), LEVEL_COLOURS[None])
        dash = ' stroke-dasharray="4 3"' if entry.get("stub") else ""
        label = entry.get("doc_number") or clip(entry.get("title"), 12)
        sub = f"{entry.get('jurisdiction') or ''} · {entry.get('date') or '日期不详'}"
        out.append(f'<g class="node" data-id="{html.escape(entry["id"])}" data-level="{entry.get("level") or ""}" '
                   f'transform="translate({x},{y})"><title>{html.escape(_tooltip(entry))}</title>'
                   f'<rect width="{NODE_W}" height="{NODE_H}" rx="8" fill="{colour}" fill-opacity="0.92" '
                   f'stroke="#222" stroke-width="1"{dash}/>'
                   f'<text x="{NODE_W / 2}" y="24" text-anchor="middle" font-size="13" fill="#fff" font-weight="bold">{html.escape(label)}</text>'
                   f'<text x="{NODE_W / 2}" y="44" text-anchor="middle" font-size="11" fill="#fff">{html.escape(clip(sub, 24))}</text></g>')
    legend_y = height - 14
    lx = MARGIN
    for level in ("national", "provincial", "municipal", "district"):
        out.append(f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{LEVEL_COLOURS[level]}"/>'
                   f'<text x="{lx + 16}" y="{legend_y}" font-size="11">{LEVEL_NAMES[level]}</text>')
        lx += 130
    out.append(f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 30}" y2="{legend_y - 4}" stroke="#555" stroke-width="2"/>'
               f'<text x="{lx + 36}" y="{legend_y}" font-size="11">cited</text>'
               f'<line x1="{lx + 80}" y1="{legend_y - 4}" x2="{lx + 110}" y2="{legend_y - 4}" stroke="#555" stroke-dasharray="7 5"/>'
               f'<text x="{lx + 116}" y="{legend_y}" font-size="11">inferred</text>')
    out.append("</svg>")
    return "\n".join(out)


def _title(report: dict) -> str:
    return f"Lineage of {report['query']} — {report['documents']} documents"


_SCRIPT = """
(function () {
  var report = JSON.parse(document.getElementById('report').textContent);
  var byId = {};
  (function index(entries) {
    entries.forEach(function (e) { byId[e.id] = e; index(e.children || []); });
  })(report.roots);
  var svg = document.getElementById('lineage');
  var hover = document.getElementById('hover');
  var panel = document.getElementById('details');
  var nodes = svg.querySelectorAll('g.node');

  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) el.textContent = text;
    if (cls) el.className = cls;
    parent.appendChild(el);
    return el;
  }
  function score(x) { return (x === null || x === undefined) ? '' : ' (score ' + x.toFixed(2) + ')'; }

  // The measures of one document and the parent measures they restate, built with
  // textContent only: the page shows document text, never runs it.
  function show(id) {
    var e = byId[id];
    if (!e) return;
    panel.textContent = '';
    panel.setAttribute('data-document', id);
    add(panel, 'h2', (e.doc_number ? e.doc_number + ' ' : '') + (e.title || e.id));
    add(panel, 'p', [e.level || '?', e.jurisdiction || '?', (e.issuers || []).join('、') || '?', e.date || '?'].join(' · '));
    if (e.link) add(panel, 'p', 'Linked to its parent: ' + e.link.type + score(e.link.score) + (e.link.evidence ? ' — ' + e.link.evidence : ''), 'link');
    var measures = e.measures || [];
    add(panel, 'h3', 'Measures (' + measures.length + ')');
    var list = add(panel, 'ol', null, 'measures');
    measures.forEach(function (m) {
      var li = add(list, 'li', null, 'measure');
      li.setAttribute('data-measure', m.id);
      add(li, 'b', (m.path || m.numbering || '') + ' ');
      add(li, 'span', m.text || '');
      if ((m.lead_units || []).length) add(li, 'span', ' → ' + m.lead_units.join('、'), 'lead');
    });
    var derived = e.derived || [];
    add(panel, 'h3', "Derived from the parent's measures (" + derived.length + ')');
    var dl = add(panel, 'ul', null, 'derived');
    derived.forEach(function (d) {
      var li = add(dl, 'li', null, 'derivation');
      li.setAttribute('data-measure', d.measure);
      li.setAttribute('data-parent-measure', d.parent_measure);
      add(li, 'b', (d.measure_path || '') + ' ');
      add(li, 'span', d.measure_text || '');
      add(li, 'span', ' ⇐ parent ' + (d.parent_path || '') + ' ', 'arrow');
      add(li, 'span', d.parent_text || '');
      add(li, 'span', score(d.score) + (d.evidence ? ' — ' + d.evidence : ''), 'evidence');
    });
    nodes.forEach(function (g) {
      g.querySelector('rect').setAttribute('stroke-width', g.getAttribute('data-id') === id ? '4' : '1');
    });
  }

  nodes.forEach(function (g) {
    g.style.cursor = 'pointer';
    g.addEventListener('mouseenter', function () { hover.textContent = g.querySelector('title').textContent; });
    g.addEventListener('click', function () {
      show(g.getAttribute('data-id'));
      history.replaceState(null, '', '#doc=' + encodeURIComponent(g.getAttribute('data-id')));
    });
  });
  var box = svg.viewBox.baseVal, start = null;
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var k = ev.deltaY > 0 ? 1.1 : 0.9;
    box.x += box.width * (1 - k) / 2; box.y += box.height * (1 - k) / 2;
    box.width *= k; box.height *= k;
  }, {passive: false});
  svg.addEventListener('mousedown', function (ev) { start = [ev.clientX, ev.clientY]; });
  window.addEventListener('mouseup', function () { start = null; });
  window.addEventListener('mousemove', function (ev) {
    if (!start) return;
    var scale = box.width / svg.clientWidth;
    box.x -= (ev.clientX - start[0]) * scale; box.y -= (ev.clientY - start[1]) * scale;
    start = [ev.clientX, ev.clientY];
  });
  // A link to the page with #doc=<id> opens that document's measures, by clicking it.
  var wanted = decodeURIComponent((location.hash.match(/^#doc=(.+)$/) || [])[1] || '');
  nodes.forEach(function (g) {
    if (wanted && g.getAttribute('data-id') === wanted) g.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  });
  document.body.setAttribute('data-rendered-nodes', String(nodes.length));
})();
"""


def to_html(report: dict) -> str:
    svg = to_svg(report)
    data = json.dumps(report, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{html.escape(_title(report))}</title>
<style>
body {{ font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; }}
header {{ padding: 10px 16px; background: #f4f6f8; border-bottom: 1px solid #ddd; font-size: 14px; }}
#wrap {{ overflow: auto; }}
#hover {{ white-space: pre-wrap; font-size: 12px; color: #555; padding: 6px 16px; min-height: 2em; border-top: 1px solid #ddd; }}
#details {{ font-size: 13px; padding: 10px 16px; border-top: 1px solid #ddd; background: #fbfbfb; }}
#details h2 {{ font-size: 15px; margin: 4px 0; }} #details h3 {{ font-size: 14px; margin: 10px 0 4px; }}
#details li {{ margin: 3px 0; }} .lead {{ color: #2870c2; }} .arrow {{ color: #8e44ad; }} .evidence {{ color: #777; }}
svg {{ display: block; }}
</style></head>
<body data-documents="{report['documents']}">
<header>{html.escape(_title(report))}. Click a document for its measures and the parent measures they
restate; hover for its issuer, date and link; scroll to zoom, drag to pan. Solid arrows: cited (the text
names the parent); dashed: inferred.</header>
<div id="wrap">{svg}</div>
<div id="hover">Hover a document.</div>
<div id="details">Click a document to list its measures.</div>
<script type="application/json" id="report">{data}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(user_dir: str) -> list[str]:
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={user_dir}"]


def write_png(report: dict, path: Path) -> Path:
    """Render the SVG in headless Chromium and screenshot it (Chromium renders the Chinese)."""
    browser = chromium()
    if browser is None:
        raise PictureError("Chromium is needed for --png: install it (apt-get install chromium fonts-wqy-microhei) or use --svg.")
    _, _, width, height = layout(report)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "lineage.html"
        page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{{margin:0;background:#fff}}</style>'
                        f"</head><body>{to_svg(report)}</body></html>", encoding="utf-8")
        cmd = [browser, *chromium_args(str(Path(tmp) / "profile")), f"--screenshot={Path(tmp) / 'lineage.png'}",
               f"--window-size={width},{height}", "--hide-scrollbars", page.as_uri()]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=90)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise PictureError(f"Chromium could not render the picture: try --svg, or check `{browser} --version`.") from None
        shot = Path(tmp) / "lineage.png"
        if not shot.exists():
            raise PictureError("Chromium wrote no picture: try --svg instead.")
        atomic_write_bytes(path, shot.read_bytes())
    return path


def write(report: dict, html_path: Path | None = None, svg_path: Path | None = None, png_path: Path | None = None) -> list[Path]:
    written = []
    for path, render in ((html_path, to_html), (svg_path, to_svg)):
        if path:
            atomic_write_text(path, render(report))
            written.append(path)
    if png_path:
        written.append(write_png(report, png_path))
    return written
