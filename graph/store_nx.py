"""The embedded store: a networkx MultiDiGraph in memory, saved as one SQLite file.

Node ids are `Label:key`; each node has `label`, `key` and its properties; each edge has
`type` and its properties, keyed by type so a re-build never doubles an edge.

On disk (chosen by measurement on the ×50 graph, 67k nodes and 229k relationships: node-link
JSON is 126 MB and takes 2.8 s to open whole, which no lineage query can afford): SQLite with
one row per node and per edge (properties as compact JSON), indexes on both edge ends, and a
lookup table (document number, title, reform label → node). `load` still reads everything
into networkx; `load_lineage_scope` reads only what one lineage report needs, in milliseconds.
The file is built in memory and written atomically; the same graph gives the same bytes.
A node-link JSON file (`policygraph export --json`, graphs of earlier versions) loads too.
"""
from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import networkx as nx
import orjson

from policygraph.errors import GraphStoreError
from policygraph.files import atomic_write_bytes
from policygraph.graph.schema import GraphData, Node, Rel

FORMAT = "policygraph-sqlite-1"
SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE nodes (id INTEGER PRIMARY KEY, node TEXT NOT NULL, attrs BLOB NOT NULL);
CREATE TABLE edges (id INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL,
                    type TEXT NOT NULL, attrs BLOB NOT NULL);
CREATE TABLE lookup (kind TEXT NOT NULL, term TEXT NOT NULL, node INTEGER NOT NULL);
"""
_INDEXES = """
CREATE UNIQUE INDEX nodes_by_name ON nodes(node);
CREATE INDEX edges_by_src ON edges(src, type);
CREATE INDEX edges_by_dst ON edges(dst, type);
CREATE INDEX lookup_by_term ON lookup(kind, term);
"""
_CHUNK = 900  # bound variables per IN (...) query


def to_networkx(data: GraphData) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in data.nodes:
        g.add_node(n.node_id, label=n.label, key=n.key, **n.props)
    for r in data.rels:
        g.add_edge(r.start_id, r.end_id, key=r.type, type=r.type, **r.props)
    return g


def from_networkx(g: nx.MultiDiGraph) -> GraphData:
    nodes = [
        Node(attrs["label"], attrs["key"], {k: v for k, v in attrs.items() if k not in ("label", "key")})
        for _, attrs in g.nodes(data=True)
    ]
    rels = []
    for u, v, attrs in g.edges(data=True):
        start, end = g.nodes[u], g.nodes[v]
        rels.append(Rel(attrs["type"], (start["label"], start["key"]), (end["label"], end["key"]),
                        {k: val for k, val in attrs.items() if k != "type"}))
    return GraphData(nodes, rels)


def counts(g: nx.MultiDiGraph) -> dict:
    return from_networkx(g).counts()


# ------------------------------------------------------------------ save


def save(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the graph as the SQLite store, atomically (symlinks followed, mode kept)."""
    path = Path(path)
    atomic_write_bytes(path, to_sqlite_bytes(g))
    return path


def to_sqlite_bytes(g: nx.MultiDiGraph) -> bytes:
    from policygraph.graph.lookup import squash

    db = sqlite3.connect(":memory:")
    try:
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        number = {n: i for i, n in enumerate(g.nodes, start=1)}
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?)",
                       ((number[n], n, _dumps(a)) for n, a in g.nodes(data=True)))
        db.executemany("INSERT INTO edges (src, dst, type, attrs) VALUES (?, ?, ?, ?)",
                       ((number[u], number[v], k, _dumps(a)) for u, v, k, a in g.edges(keys=True, data=True)))
        db.executemany("INSERT INTO lookup VALUES (?, ?, ?)", _lookup_rows(g, number, squash))
        db.executescript(_INDEXES)
        db.commit()
        return _serialize(db)
    finally:
        db.close()


def _lookup_rows(g: nx.MultiDiGraph, number: dict, squash):
    from policygraph.extract.docnumber import canonical

    for n, a in g.nodes(data=True):
        if a.get("label") == "Document":
            if a.get("doc_number"):  # keyed as lookups read it: the canonical form of any printed form
                yield "number", canonical(a["doc_number"]) or squash(a["doc_number"]), number[n]
            yield "title", squash(a.get("title")), number[n]
        elif a.get("label") == "Reform":
            for term in dict.fromkeys(squash(v) for v in [a.get("name"), *a.get("variants", [])]):
                yield "reform", term, number[n]


def _dumps(attrs: dict) -> bytes:
    return orjson.dumps(attrs, option=orjson.OPT_NON_STR_KEYS)


def _serialize(db: sqlite3.Connection) -> bytes:
    if hasattr(db, "serialize"):  # Python ≥ 3.11
        return db.serialize()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = sqlite3.connect(Path(tmp) / "g.db")
        db.backup(copy)
        copy.close()
        return (Path(tmp) / "g.db").read_bytes()


# ------------------------------------------------------------------ load


def _damaged(path: Path) -> GraphStoreError:
    return GraphStoreError(f"The saved graph at {path} is damaged or not a policygraph graph: "
                           "run `policygraph build` again.")


def _check_file(path: Path) -> bytes:
    """The first bytes of a regular file; one sentence for anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise GraphStoreError(f"No graph has been built yet at {path}: run `policygraph build` first.") from None
    except OSError as exc:
        raise GraphStoreError(f"The saved graph at {path} cannot be read ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise GraphStoreError(f"{path} is a folder, not a saved graph: give the graph file to --graph.")
    if not stat.S_ISREG(info.st_mode):
        raise GraphStoreError(f"{path} is not a regular file: give the saved graph file to --graph.")
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise GraphStoreError(f"The saved graph at {path} cannot be read ({exc.strerror}).") from None


def load(path: str | Path) -> nx.MultiDiGraph:
    """The whole saved graph (SQLite store, or node-link JSON) as a networkx graph."""
    path = Path(path)
    if _check_file(path) != SQLITE_MAGIC:
        return _load_json(path)
    with SavedGraph(path) as saved:
        return saved.everything()


def saved_counts(path: str | Path) -> dict:
    """`counts` of a saved graph, from the store's tables without loading it (JSON: loaded)."""
    path = Path(path)
    if _check_file(path) != SQLITE_MAGIC:
        return counts(_load_json(path))
    with SavedGraph(path) as saved:
        nodes = saved._rows("SELECT substr(node, 1, instr(node, ':') - 1) AS label, count(*) FROM nodes GROUP BY label")
        rels = saved._rows("SELECT type, count(*) FROM edges GROUP BY type")
    return {"nodes": dict(sorted(nodes)), "relationships": dict(sorted(rels))}


def _load_json(path: Path) -> nx.MultiDiGraph:
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        raise _damaged(path) from None
    except OSError as exc:
        raise GraphStoreError(f"The saved graph at {path} cannot be read ({exc.strerror}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) \
            or not isinstance(data.get("edges", data.get("links", [])), list):
        raise _damaged(path)
    g = nx.MultiDiGraph()
    for n in data["nodes"]:
        if not isinstance(n, dict) or "id" not in n or not isinstance(n.get("label"), str) or "key" not in n:
            raise _damaged(path)
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in data.get("edges", data.get("links", [])):
        if not isinstance(e, dict) or e.get("source") not in g or e.get("target") not in g \
                or not isinstance(e.get("type"), str):
            raise _damaged(path)
        g.add_edge(e["source"], e["target"], key=e.get("key", e["type"]),
                   **{k: v for k, v in e.items() if k not in ("source", "target", "key")})
    return g


class SavedGraph:
    """Read access to a saved SQLite graph: whole, or the part around some nodes."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.db = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro&immutable=1", uri=True)
            found = self.db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        except sqlite3.Error:
            raise _damaged(path) from None
        if not found or found[0] != FORMAT:
            self.db.close()
            raise _damaged(path)

    def __enter__(self) -> "SavedGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()

    def _rows(self, query: str, args=()) -> list:
        try:
            return self.db.execute(query, args).fetchall()
        except sqlite3.Error:
            raise _damaged(self.path) from None

    def everything(self) -> nx.MultiDiGraph:
        names = {}
        g = nx.MultiDiGraph()
        try:
            for i, name, attrs in self._rows("SELECT id, node, attrs FROM nodes ORDER BY id"):
                names[i] = name
                g.add_node(name, **orjson.loads(attrs))
            g.add_edges_from((names[s], names[d], t, orjson.loads(a)) for s, d, t, a in
                             self._rows("SELECT src, dst, type, attrs FROM edges ORDER BY id"))
        except (KeyError, orjson.JSONDecodeError, TypeError):
            raise _damaged(self.path) from None
        return g

    def lookup(self, kind: str, term: str) -> list[int]:
        return [i for (i,) in self._rows("SELECT node FROM lookup WHERE kind = ? AND term = ? ORDER BY node", (kind, term))]

    def lookup_containing(self, kind: str, fragment: str) -> list[int]:
        return [i for (i,) in self._rows(
            "SELECT node FROM lookup WHERE kind = ? AND instr(term, ?) > 0 ORDER BY node", (kind, fragment))]

    def node_id(self, name: str) -> int | None:
        found = self._rows("SELECT id FROM nodes WHERE node = ?", (name,))
        return found[0][0] if found else None

    def sources(self, targets: set[int], types: tuple[str, ...]) -> set[int]:
        """Nodes with an edge of one of `types` into one of `targets`."""
        marks = ",".join("?" * len(types))
        return {s for chunk in _chunks(sorted(targets))
                for (s,) in self._rows(f"SELECT src FROM edges WHERE dst IN ({','.join('?' * len(chunk))}) "
                                       f"AND type IN ({marks})", (*chunk, *types))}

    def targets(self, starts: set[int], types: tuple[str, ...] | None = None) -> set[int]:
        where = f" AND type IN ({','.join('?' * len(types))})" if types else ""
        return {d for chunk in _chunks(sorted(starts))
                for (d,) in self._rows(f"SELECT dst FROM edges WHERE src IN ({','.join('?' * len(chunk))}){where}",
                                       (*chunk, *(types or ())))}

    def labels(self, ids: set[int]) -> dict[int, str]:
        return {i: n.split(":", 1)[0] for chunk in _chunks(sorted(ids))
                for i, n in self._rows(f"SELECT id, node FROM nodes WHERE id IN ({','.join('?' * len(chunk))})", chunk)}

    def subgraph(self, ids: set[int]) -> nx.MultiDiGraph:
        """The nodes `ids` and every edge between them, in the saved order (as `everything`)."""
        g = nx.MultiDiGraph()
        names: dict[int, str] = {}
        rows = sorted(r for chunk in _chunks(sorted(ids)) for r in self._rows(
            f"SELECT id, node, attrs FROM nodes WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        for i, name, attrs in rows:
            names[i] = name
            g.add_node(name, **orjson.loads(attrs))
        edges = sorted(r for chunk in _chunks(sorted(ids)) for r in self._rows(
            f"SELECT id, src, dst, type, attrs FROM edges WHERE src IN ({','.join('?' * len(chunk))})", chunk)
            if r[2] in names)
        g.add_edges_from((names[s], names[d], t, orjson.loads(a)) for _, s, d, t, a in edges)
        return g


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(os.path.abspath(path))


def _chunks(items: list) -> list[list]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


_LINKS_DOWN = ("IMPLEMENTS", "LIKELY_IMPLEMENTS")


def load_lineage_scope(path: str | Path, query: str) -> nx.MultiDiGraph:
    """The part of the saved graph a lineage report of `query` reads, found through the saved
    indexes: the document a 发文字号 (any printed form) names, everything implementing it down
    the tree, their measures and what those point at. `lineage_report` on it equals the report
    on the whole graph. Other queries, and a JSON graph, read the whole graph."""
    from policygraph.extract.docnumber import canonical

    path = Path(path)
    if _check_file(path) != SQLITE_MAGIC:
        return _load_json(path)
    number = canonical(query)
    if number is None:
        # titles, fragments and reforms rank and match on the whole graph (graph/lookup.py);
        # only a document number names its root through the saved index
        return load(path)
    with SavedGraph(path) as saved:
        roots = set(saved.lookup("number", number))
        if not roots:
            return load(path)  # lineage says plainly that nothing matches, with the same words
        scope, frontier = set(roots), set(roots)
        while frontier:  # down the tree: whatever implements what is in scope
            frontier = saved.sources(frontier, _LINKS_DOWN) - scope
            scope |= frontier
        scope |= saved.targets(scope)  # measures, reforms, cited and implemented documents …
        scope |= saved.targets(scope, ("MENTIONS",))  # … and the reforms the measures name
        return saved.subgraph(scope)


# ------------------------------------------------------------------ exports


def _flat(value):
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return orjson.dumps(value).decode()
    return value


def export_graphml(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """GraphML for Gephi: list and dict properties become JSON strings, missing values ''."""
    flat = nx.MultiDiGraph()
    for n, attrs in g.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in attrs.items()})
    for u, v, k, attrs in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **{a: _flat(b) for a, b in attrs.items()})
    path = Path(path)
    atomic_write_bytes(path, "\n".join(nx.generate_graphml(flat)).encode("utf-8"))
    return path


def export_json(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Node-link JSON (readable by `load` too)."""
    path = Path(path)
    atomic_write_bytes(path, orjson.dumps(nx.node_link_data(g, edges="edges"), option=orjson.OPT_INDENT_2))
    return path
