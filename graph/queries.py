"""Running the researchers' Cypher files (cypher/*.cypher) read-only."""
from __future__ import annotations

import json
import re
from pathlib import Path

from policygraph.errors import InputError, QueryError


def parse_params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--param {pair} is not name=value: write it like --param doc_number=国办发〔2022〕30号.")
        name, value = pair.split("=", 1)
        try:
            params[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            params[name.strip()] = value
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


def run_query_file(path: Path, params: dict, uri: str | None = None) -> list[dict]:
    from policygraph.graph.store_neo4j import connect

    if not path.exists():
        raise InputError(f"{path} does not exist: the query files are in cypher/.")
    text = path.read_text(encoding="utf-8")
    merged = {**declared_params(text), **params}
    driver = connect(uri)
    try:
        return run_query_text(driver, text, merged)
    finally:
        driver.close()
