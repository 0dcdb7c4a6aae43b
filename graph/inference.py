"""Inferred implementation (LIKELY_IMPLEMENTS): a document that adopts a parent's reforms
without citing it.

A candidate parent lies in one of the child's enclosing jurisdictions at a higher level, is
dated earlier and shares at least one reform label. Its score is the cosine of the two
documents' reform labels weighted by rarity (idf: 放管服 is everywhere, 一业一证 is not); the
threshold is fitted on labelled document pairs (tests/fixtures/inference_pairs.json) by
benchmarks/calibrate_inference.py and stored in graph/data/inference_model.json.

An explicit basis outranks any inference: a document that names its basis (为贯彻落实 / 根据 …
《…》), even one missing from the collection (a stub), gets no inferred parent.

Candidates come from an index by (jurisdiction, reform label), never from all pairs of documents.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from policygraph.extract.agencies import ancestors

LEVEL_RANK = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}
MODEL = Path(__file__).parent / "data" / "inference_model.json"


@lru_cache(maxsize=1)
def min_score() -> float:
    return float(json.loads(MODEL.read_text(encoding="utf-8"))["threshold"])


@dataclass
class DocView:
    """What inference needs of a document; built from records or from graph nodes."""

    id: str
    jurisdiction: str | None
    level: str | None
    date: str | None
    reforms: list[str]
    cites: set[str] = field(default_factory=set)  # every document it cites
    stub: bool = False
    bases: set[str] = field(default_factory=set)  # the documents it cites as its basis


@dataclass
class InferredLink:
    child: str
    parent: str
    score: float
    shared_reforms: list[str]
    evidence: str


def contained(inner: str | None, outer: str | None) -> bool:
    return bool(inner and outer) and any(p.name == outer for p in ancestors(inner))


class ReformIndex:
    """Documents by (jurisdiction, reform label), with each label's document frequency."""

    def __init__(self, docs: list[DocView]):
        self.n = max(len(docs), 1)
        self.df: dict[str, int] = {}
        self.by_place_label: dict[tuple[str, str], list[DocView]] = {}
        for d in docs:
            for label in sorted(set(d.reforms)):
                self.df[label] = self.df.get(label, 0) + 1
                if d.jurisdiction:
                    self.by_place_label.setdefault((d.jurisdiction, label), []).append(d)

    def idf(self, label: str) -> float:
        return math.log(1 + self.n / self.df.get(label, 1))

    def weight(self, labels: set[str]) -> float:
        return math.sqrt(sum(self.idf(label) ** 2 for label in labels))

    def candidates(self, child: DocView) -> list[DocView]:
        """Documents in an enclosing jurisdiction that share a label with the child."""
        found: dict[str, DocView] = {}
        for place in ancestors(child.jurisdiction):
            for label in sorted(set(child.reforms)):
                for d in self.by_place_label.get((place.name, label), []):
                    found.setdefault(d.id, d)
        return [found[k] for k in sorted(found)]


def plausible_parent(child: DocView, parent: DocView) -> bool:
    """Higher level, earlier, enclosing jurisdiction, and no citation either way."""
    return (parent.id != child.id and bool(parent.date) and parent.level in LEVEL_RANK
            and LEVEL_RANK[parent.level] < LEVEL_RANK[child.level] and parent.date < child.date
            and contained(child.jurisdiction, parent.jurisdiction)
            and parent.id not in child.cites and child.id not in parent.cites)


def score_pair(index: ReformIndex, child: DocView, parent: DocView) -> tuple[float, list[str]]:
    """Rarity-weighted cosine of the two documents' reform labels, and the shared labels (rarest first)."""
    shared = sorted(set(child.reforms) & set(parent.reforms), key=lambda lab: (-index.idf(lab), lab))
    if not shared:
        return 0.0, []
    score = sum(index.idf(label) ** 2 for label in shared) / (
        index.weight(set(child.reforms)) * index.weight(set(parent.reforms)))
    return score, shared


def explain(index: ReformIndex, child: DocView, parent: DocView, shared: list[str]) -> str:
    """Why the link was inferred, in words a reader can check against the documents."""
    def rarity(label: str) -> str:
        return f"{label} (in {index.df.get(label, 1)} of {index.n} documents)"

    return (f"shares {', '.join(rarity(lab) for lab in shared)}; {child.jurisdiction} lies in {parent.jurisdiction}; "
            f"{child.level} under {parent.level}; dated {child.date}, after {parent.date}; "
            f"no citation either way and no cited basis")


def infer_links(docs: list[DocView], only_label: str | None = None, top: int = 1,
                min_score: float | None = None) -> list[InferredLink]:
    """For each document without a cited basis, its likeliest uncited parent (or none)."""
    threshold = globals()["min_score"]() if min_score is None else min_score
    real = [d for d in docs if not d.stub]
    index = ReformIndex(real)
    links: list[InferredLink] = []
    for child in sorted(real, key=lambda d: d.id):
        if not child.reforms or not child.date or child.level not in LEVEL_RANK:
            continue
        if only_label and only_label not in child.reforms:
            continue
        if child.bases:
            continue  # an explicit basis, even a stub, outranks any inferred parent
        candidates = []
        for parent in index.candidates(child):
            if (only_label and only_label not in parent.reforms) or not plausible_parent(child, parent):
                continue
            score, shared = score_pair(index, child, parent)
            if shared and score >= threshold:
                candidates.append((score, parent, shared))
        candidates.sort(key=lambda c: (-c[0], c[1].date or "", c[1].id))
        for score, parent, shared in candidates[:top]:
            links.append(InferredLink(child.id, parent.id, round(score, 3), shared, explain(index, child, parent, shared)))
    return links
