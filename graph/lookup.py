"""Finding things in the graph the way people type them.

- Documents: a 发文字号 in any printed form (国办发[2022]30号, 国办发（2022）30号, 国办发〔2022〕第30号,
  full-width digits, spaces) is read with `extract.docnumber.canonical`; a title is matched
  exactly, then as a fragment. Each document is found once, best match first.
- Agencies: any name form — full name, abbreviation (市场监管局 for 市场监督管理局, from
  extract/data/agency_abbreviations.jsonl), with or without the place (北京市, 北京, none).
- Places: a division's name or short form (河北省, 河北), with all its sub-divisions, from the
  graph's PART_OF tree and extract/data/divisions.jsonl.

Light on purpose: no spaCy, no rapidfuzz, so `policygraph lineage` starts fast.
"""
from __future__ import annotations

import re
from functools import lru_cache

import networkx as nx

from policygraph.errors import QueryError
from policygraph.extract.docnumber import canonical

_NOISE = re.compile(r"[\s《》〈〉“”\"'‘’]")


def squash(s: str | None) -> str:
    """Compare names and titles without spaces or quotation marks."""
    return _NOISE.sub("", s or "")


def looks_like_number(query: str) -> bool:
    """Whether a query is a 发文字号 (in any printed form), not a title or a label."""
    return canonical(query) is not None


def document_nodes(g: nx.MultiDiGraph) -> dict[str, dict]:
    return {n: a for n, a in g.nodes(data=True) if a.get("label") == "Document"}


def find_documents(g: nx.MultiDiGraph, query: str) -> tuple[str, list[str]]:
    """(how, [document nodes]) for a query, each document once, best first.

    `how` is "number" (the query is a 发文字号: one document, or none), "title" (the exact title
    or key) or "fragment" (titles containing the query). No match gives ("none", [])."""
    docs = document_nodes(g)
    number = canonical(query)
    if number is not None:
        found = [n for n, a in docs.items() if canonical(a.get("doc_number")) == number or a.get("key") == number]
        return ("number", sorted(found)) if found else ("none", [])
    q = squash(query)
    if not q:
        return "none", []
    exact = [n for n, a in docs.items() if q in (squash(a.get("title")), squash(a.get("key")))]
    if exact:
        return "title", sorted(exact, key=lambda n: (bool(docs[n].get("stub")), n))
    fragment = [n for n, a in docs.items() if q in squash(a.get("title")) or q in squash(a.get("key"))]
    # Documents in the corpus before the stubs that only cite them, then by date.
    fragment.sort(key=lambda n: (bool(docs[n].get("stub")), docs[n].get("date") or "9999", n))
    return ("fragment", fragment) if fragment else ("none", [])


def not_found(query: str, what: str = "document") -> QueryError:
    """The one sentence for a query that names nothing, saying how the query was read."""
    number = canonical(query)
    if number:
        read = f" (read as {number})" if number != query.strip() else ""
        return QueryError(f"No {what} numbered {query.strip()}{read} is in the graph: check the number, "
                          "or give a title fragment.")
    return QueryError(f"Nothing matches “{query}”: give a document number (京政办发〔2023〕5号), "
                      "a title fragment or a reform label.")


# ------------------------------------------------------------------ places


@lru_cache(maxsize=None)
def _division_tree() -> tuple[dict[str, str | None], dict[str, str], dict[str, str], dict[str, list[str]]]:
    """(parent of each division, full name of each written form, level of each division,
    written forms of each division)."""
    from policygraph.extract.lexicon import divisions

    parent, forms, level, written = {}, {}, {}, {}
    for d in divisions():
        parent[d["name"]] = d.get("parent")
        level[d["name"]] = d.get("level")
        for form in [d["name"], d.get("qualified"), *(d.get("short") or [])]:
            if form and len(form) >= 2 and form not in forms:
                forms[form] = d["name"]
                written.setdefault(d["name"], []).append(form)
    return parent, forms, level, written


def resolve_place(name: str) -> str:
    """The full name of a place written as 河北省, 河北 or 北京市顺义区."""
    forms = _division_tree()[1]
    q = squash(name)
    if q in forms:
        return forms[q]
    raise QueryError(f"No place called “{name}” in extract/data/divisions.jsonl: give a province, city or "
                     "district name such as 河北省 or 廊坊市.")


def places_within(g: nx.MultiDiGraph | None, place: str) -> set[str]:
    """The place and every place below it (the graph's PART_OF edges and the divisions data)."""
    parent = _division_tree()[0]
    parent = dict(parent)
    if g is not None:
        for u, v, k in g.edges(keys=True):
            if k == "PART_OF":
                parent.setdefault(g.nodes[u].get("key"), g.nodes[v].get("key"))
    children: dict[str, list[str]] = {}
    for child, up in parent.items():
        if up:
            children.setdefault(up, []).append(child)
    inside, todo = set(), [place]
    while todo:
        p = todo.pop()
        if p not in inside:
            inside.add(p)
            todo.extend(children.get(p, []))
    return inside


def place_level(name: str | None) -> str | None:
    return _division_tree()[2].get(name) if name else None


# ------------------------------------------------------------------ agencies


@lru_cache(maxsize=None)
def _abbreviations() -> list[tuple[str, str]]:
    """(full, short) pairs from agency_abbreviations.jsonl, longest full form first."""
    from policygraph.extract.lexicon import agency_abbreviations

    pairs = {(row["full"], row["short"]) for row in agency_abbreviations()
             if row.get("full") and row.get("short") and row["full"] != row["short"]}
    return sorted(pairs, key=lambda p: (-len(p[0]), p))


def _place_variants(name: str) -> set[str]:
    """The name without its place, and with the place in each of its written forms
    (北京市市场监督管理局 → 市场监督管理局, 北京市场监督管理局)."""
    from policygraph.extract.agencies import leading_place

    found = leading_place(name)
    if not found:
        return set()
    full, written = found
    rest = name[len(written):]
    return {rest} | {form + rest for form in _division_tree()[3].get(full, [])}


def agency_forms(name: str, aliases: list[str] | tuple = ()) -> set[str]:
    """Every written form of an agency: full, abbreviated, with or without its place."""
    forms = {squash(x) for x in [name, *aliases] if x}
    for form in list(forms):
        forms |= _place_variants(form)
    for form in list(forms):
        for full, short in _abbreviations():
            if full in form:
                forms.add(form.replace(full, short))
    forms.discard("")
    return forms


def agency_query_forms(query: str) -> set[str]:
    """The query as written and with its abbreviations spelled out (市场监管局 → 市场监督管理局)."""
    q = squash(query)
    forms = {q}
    for full, short in _abbreviations():
        if short in q and full not in q:
            forms.add(q.replace(short, full))
    return forms


def find_agencies(g: nx.MultiDiGraph, query: str) -> list[str]:
    """Agency nodes whose name, alias or abbreviated form contains the query in any of its forms."""
    wanted = agency_query_forms(query)
    out = []
    for n, a in g.nodes(data=True):
        if a.get("label") != "Agency":
            continue
        forms = agency_forms(a.get("name") or "", a.get("aliases") or [])
        if any(w in f for w in wanted for f in forms):
            out.append(n)
    return sorted(out)
