"""Running the researchers' Cypher files (cypher/*.cypher) read-only."""
from __future__ import annotations

import json
import re
from pathlib import Path

from policygraph.errors import InputError, QueryError


def parse_params(pairs: list[str]) -> dict:
    """`name=value` pairs; values are read as JSON when they parse, and a 发文字号 in any printed
    form (国办发[2022]30号, 国办发（2022）第30号 …) becomes the form the graph stores (国办发〔2022〕30号)."""
    from policygraph.extract.docnumber import canonical

    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--param {pair} is not name=value: write it like --param doc_number=国办发〔2022〕30号.")
        name, value = pair.split("=", 1)
        try:
            params[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[name.strip()] = value
        if isinstance(params[name.strip()], str):
            params[name.strip()] = canonical(params[name.strip()]) or params[name.strip()]
    return params


def header(text: str) -> str:
    """The comment block at the top of a Cypher file."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def declared_params(text: str) -> dict:
    """Parameters named in the header as `// :param name => value` (also their defaults)."""
    out = {}
    for m in re.finditer(r"^//\s*:param\s+(\w+)\s*=>\s*(.+)$", text, re.M):
        try:
            out[m.group(1)] = json.loads(m.group(2))
        except json.JSONDecodeError:
            out[m.group(1)] = m.group(2).strip().strip("'\"")
    return out


def _plain(value):
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": value.start_node.get("key"), "end": value.end_node.get("key"),
                **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [n.get("name") for n in value.nodes], "relationships": [r.type for r in value.relationships]}
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_query_text(driver, text: str, params: dict) -> list[dict]:
    from neo4j.exceptions import ClientError

    def work(tx):
        return [dict(r) for r in tx.run(text, params)]

    try:
        with driver.session() as session:
            records = session.execute_read(work)
    except ClientError as exc:
        raise QueryError(f"Neo4j rejected the query ({exc.code}): {exc.message.splitlines()[0]}") from None
    return [{k: _plain(v) for k, v in r.items()} for r in records]


def query_params(path: Path, params: dict) -> dict:
    """The parameters a file runs with: its declared defaults, overridden by `params`."""
    return {**declared_params(_read(path)), **params}


def _read(path: Path) -> str:
    if not path.exists():
        raise InputError(f"{path} does not exist: the query files are in cypher/.")
    return path.read_text(encoding="utf-8")


def run_query_file(path: Path, params: dict, uri: str | None = None) -> list[dict]:
    from policygraph.graph.store_neo4j import connect

    text = _read(path)
    merged = {**declared_params(text), **params}
    driver = connect(uri)
    try:
        return run_query_text(driver, text, merged)
    finally:
        driver.close()


_NAMED_BY = "MATCH (n) WHERE n.key = $value OR n.doc_number = $value OR n.name = $value RETURN count(n) AS n"


def unmatched_params(params: dict, uri: str | None = None) -> list[str]:
    """The string parameters that name no node (by key, doc_number or name): why a query
    returned no rows. Run only after an empty result, so its full scan costs nothing otherwise."""
    from policygraph.graph.store_neo4j import connect

    names = [(k, v) for k, v in params.items() if isinstance(v, str) and v]
    if not names:
        return []
    driver = connect(uri)
    try:
        return [k for k, v in names if not run_query_text(driver, _NAMED_BY, {"value": v})[0]["n"]]
    finally:
        driver.close()


def no_rows_message(params: dict, unmatched: list[str]) -> str:
    if unmatched:
        named = ", ".join(f"{k}={params[k]}" for k in unmatched)
        return (f"No rows: nothing in the graph is named {named} (checked node keys, document numbers and names); "
                "check the value, or load the documents with `policygraph load`.")
    shown = ", ".join(f"{k}={v}" for k, v in params.items()) or "no parameters"
    return f"No rows: the query matched nothing with {shown}."
