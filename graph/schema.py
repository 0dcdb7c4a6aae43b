"""The graph schema: node labels, relationship types and the interchange records between the
graph builder and the stores (networkx and Neo4j read the same `GraphData`)."""
from __future__ import annotations

from dataclasses import dataclass, field

# Labels and the property that identifies a node of that label (a uniqueness constraint in Neo4j).
LABELS = ("Document", "Agency", "Jurisdiction", "Measure", "Reform", "Platform")
KEY = "key"

# Relationship types: (type, start label(s), end label(s), meaning)
RELATIONSHIPS = {
    "ISSUED": ("Agency", "Document", "the agency issued (signed) the document"),
    "CITES": ("Document", "Document", "the document cites the other; relation = basis | reference"),
    "IMPLEMENTS": ("Document", "Document", "the document implements the other (a basis citation)"),
    "HAS_MEASURE": ("Document", "Measure", "the document assigns the measure"),
    "LEADS": ("Agency", "Measure", "the agency leads (牵头) the measure"),
    "RESPONSIBLE_FOR": ("Agency", "Measure", "the agency shares responsibility (配合/责任单位)"),
    "MENTIONS": ("Document|Measure", "Reform|Platform", "the text names the reform or platform"),
    "IN_JURISDICTION": ("Document|Agency", "Jurisdiction", "where the document applies / the agency sits"),
    "PART_OF": ("Jurisdiction", "Jurisdiction", "administrative hierarchy (district → city → province → 全国)"),
    "LIKELY_IMPLEMENTS": ("Document", "Document", "inferred, not cited: shared reforms, inside the parent's jurisdiction, later; {score, evidence}"),
    "DERIVES_FROM": ("Measure", "Measure", "the measure restates a measure of the document its document implements; {score, evidence}"),
    "SHARES_TEXT_WITH": ("Measure", "Measure", "the same text in documents that do not implement each other; {score, evidence}"),
}


@dataclass
class Node:
    label: str
    key: str
    props: dict = field(default_factory=dict)

    @property
    def node_id(self) -> str:
        return f"{self.label}:{self.key}"


@dataclass
class Rel:
    type: str
    start: tuple[str, str]  # (label, key)
    end: tuple[str, str]
    props: dict = field(default_factory=dict)

    @property
    def start_id(self) -> str:
        return f"{self.start[0]}:{self.start[1]}"

    @property
    def end_id(self) -> str:
        return f"{self.end[0]}:{self.end[1]}"


@dataclass
class GraphData:
    nodes: list[Node]
    rels: list[Rel]

    def counts(self) -> dict:
        nodes: dict[str, int] = {}
        for n in self.nodes:
            nodes[n.label] = nodes.get(n.label, 0) + 1
        rels: dict[str, int] = {}
        for r in self.rels:
            rels[r.type] = rels.get(r.type, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items()))}
