"""Links the text only implies: inferred implementation, measure derivation, shared text.

- **Inferred implementation** (LIKELY_IMPLEMENTS): a document that adopts a parent's reforms
  without citing it — it shares reform labels with the parent (weighted by rarity: 放管服 is
  everywhere, 一业一证 is not), its jurisdiction lies inside the parent's, at a lower level,
  and it is dated later. Always stored apart from cited links, with its evidence and score.
- **Measure derivation** (DERIVES_FROM): for a document linked to a parent (cited or
  inferred), each measure's most similar parent measure by character-level text reuse
  (rapidfuzz's Indel ratio and best partial alignment), with the shared reform labels as
  evidence. Only along the link's direction, never up the hierarchy.
- **Shared text** (SHARES_TEXT_WITH): measures of documents that do not implement each other
  but carry the same text (two 北京 plans both carry 优化食品经营许可证办理流程).

Thresholds were picked on hand-labelled pairs (tests/fixtures/derivation_pairs.json).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz, process

from policygraph.extract.agencies import ancestors
from policygraph.extract.models import Document, Extraction, Measure

LEVEL_RANK = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}
INFER_MIN_SCORE = 0.20  # cosine of the two documents' reform labels, weighted by rarity (idf)
DERIVE_MIN_SCORE = 0.40  # picked on tests/fixtures/derivation_pairs.json (P 0.94, R 0.75 there)
DERIVE_NEAR_BEST = 0.30  # a merged item may restate several parent measures: keep those close to the best
PARTIAL_MIN = 40  # below this length a best partial alignment says little (a heading matches anything)
SHARED_TEXT_MIN_SCORE = 0.60  # text_similarity, 0-1
MIN_TEXT = 12  # characters: headings such as 主要任务 carry no evidence
_NOISE = re.compile(r"[\s，。；：、（）《》“”\"'！？·—\-\d]")


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


@dataclass
class MeasureLink:
    measure: str
    other: str
    score: float
    evidence: str
    shared_reforms: list[str]


def contained(inner: str | None, outer: str | None) -> bool:
    return bool(inner and outer) and any(p.name == outer for p in ancestors(inner))


def infer_links(docs: list[DocView], only_label: str | None = None, top: int = 1,
                min_score: float = INFER_MIN_SCORE) -> list[InferredLink]:
    """For each document, its likeliest uncited parent (or none)."""
    real = [d for d in docs if not d.stub]
    corpus_ids = {d.id for d in real}
    df: dict[str, int] = {}
    for d in real:
        for label in set(d.reforms):
            df[label] = df.get(label, 0) + 1
    n = max(len(real), 1)

    def idf(label: str) -> float:
        return math.log(1 + n / df.get(label, 1))

    links: list[InferredLink] = []
    for child in real:
        if not child.reforms or not child.date or child.level not in LEVEL_RANK:
            continue
        if only_label and only_label not in child.reforms:
            continue
        if child.bases & corpus_ids:
            continue  # already placed under a cited parent in the input
        weight = math.sqrt(sum(idf(label) ** 2 for label in set(child.reforms)))
        candidates = []
        for parent in real:
            if parent.id == child.id or not parent.date or parent.level not in LEVEL_RANK:
                continue
            if only_label and only_label not in parent.reforms:
                continue
            if parent.id in child.cites or child.id in parent.cites:
                continue
            if LEVEL_RANK[parent.level] >= LEVEL_RANK[child.level] or parent.date >= child.date:
                continue
            if not contained(child.jurisdiction, parent.jurisdiction):
                continue
            shared = sorted(set(child.reforms) & set(parent.reforms), key=lambda lab: (-idf(lab), lab))  # ties by name: deterministic
            if not shared:
                continue
            parent_weight = math.sqrt(sum(idf(label) ** 2 for label in set(parent.reforms)))
            score = sum(idf(label) ** 2 for label in shared) / (weight * parent_weight)
            if score >= min_score:
                candidates.append((score, parent, shared))
        candidates.sort(key=lambda c: (-c[0], c[1].date or ""))
        for score, parent, shared in candidates[:top]:
            evidence = (f"shares {'、'.join(shared)}; {child.jurisdiction} is in {parent.jurisdiction}; "
                        f"dated {child.date}, after {parent.date}; no citation")
            links.append(InferredLink(child.id, parent.id, round(score, 3), shared, evidence))
    return links


def _clean(text: str) -> str:
    return _NOISE.sub("", text)


def text_similarity(a: str, b: str) -> float:
    """0-1: the mean of the Indel ratio and the best partial alignment of the two texts; for
    short texts (headings) the ratio alone. One pair of `similarity_matrix`."""
    return float(similarity_matrix([a], [b], workers=1)[0, 0])  # one pair: no thread pool


def _evidence(a: str, b: str, shared: list[str]) -> str:
    a, b = _clean(a), _clean(b)
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    common = a[m.a:m.a + m.size]
    parts = [f"longest common run {m.size} chars: “{common[:40]}{'…' if m.size > 40 else ''}”"]
    if shared:
        parts.append("shared reforms " + "、".join(shared))
    return "; ".join(parts)


def similarity_matrix(a: list[str], b: list[str], workers: int = -1) -> np.ndarray:
    """text_similarity for every pair, computed in bulk by rapidfuzz (0-1)."""
    ca, cb = [_clean(t) for t in a], [_clean(t) for t in b]
    ratio = process.cdist(ca, cb, scorer=fuzz.ratio, workers=workers)
    partial = process.cdist(ca, cb, scorer=fuzz.partial_ratio, workers=workers)
    la, lb = np.array([len(t) for t in ca])[:, None], np.array([len(t) for t in cb])[None, :]
    scores = np.where(np.minimum(la, lb) < PARTIAL_MIN, ratio / 100, (ratio + partial) / 200)
    scores[(la < MIN_TEXT) | (lb < MIN_TEXT)] = 0.0
    return scores


def derive_measures(children: list[Measure], parents: list[Measure], min_score: float = DERIVE_MIN_SCORE,
                    near_best: float = DERIVE_NEAR_BEST) -> list[MeasureLink]:
    """For each child measure, the parent measures it restates: score ≥ min_score and close to
    its best match. Shared reform labels are reported as evidence."""
    if not children or not parents:
        return []
    scores = similarity_matrix([m.text for m in children], [p.text for p in parents])
    links = []
    for i, m in enumerate(children):
        best = float(scores[i].max())
        for j in np.argsort(-scores[i]):
            score = float(scores[i, j])
            if score < min_score or score < best - near_best:
                break
            parent = parents[int(j)]
            shared = sorted(set(m.reforms) & set(parent.reforms))
            links.append(MeasureLink(m.id, parent.id, round(score, 3), _evidence(m.text, parent.text, shared), shared))
    return links


def _head(text: str) -> str:
    """The measure's title sentence (up to the first full stop), cleaned."""
    return _clean(re.split(r"[。；]", text, maxsplit=1)[0])[:40]


def shared_text(measures: list[Measure], linked_docs: set[frozenset],
                min_score: float = SHARED_TEXT_MIN_SCORE) -> list[MeasureLink]:
    """Pairs of measures in documents that do not implement each other but carry the same text.

    Comparing every pair in full is quadratic, so candidates come from two cheap passes (the
    same title sentence, or similar opening 60 characters) and are then scored in full."""
    usable = [m for m in measures if len(_clean(m.text)) >= 30]
    if len(usable) < 2:
        return []
    candidates: set[tuple[int, int]] = set()
    for texts, cutoff in (([_head(m.text) for m in usable], 80), ([_clean(m.text)[:60] for m in usable], 55)):
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, dtype=np.uint8, score_cutoff=cutoff, workers=-1)
        candidates |= {(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(scores, k=1)))}
    out = []
    for i, j in sorted(candidates):
        a, b = usable[i], usable[j]
        if a.document == b.document or frozenset((a.document, b.document)) in linked_docs:
            continue
        score = text_similarity(a.text, b.text)
        if score >= min_score:
            shared = sorted(set(a.reforms) & set(b.reforms))
            out.append(MeasureLink(a.id, b.id, round(score, 3), _evidence(a.text, b.text, shared), shared))
    return out


@dataclass
class Derivations:
    inferred: list[InferredLink]
    derived: list[MeasureLink]
    shared: list[MeasureLink]


def doc_views(documents: list[Document]) -> list[DocView]:
    return [DocView(d.id, d.jurisdiction, d.level, d.date, d.reforms,
                    {c.target for c in d.cites if c.target}, d.stub,
                    {c.target for c in d.cites if c.target and c.relation == "basis"}) for d in documents]


def derive(extraction: Extraction) -> Derivations:
    docs = {d.id: d for d in extraction.documents}
    inferred = infer_links(doc_views(extraction.documents))
    by_doc: dict[str, list[Measure]] = {}
    for m in extraction.measures:
        by_doc.setdefault(m.document, []).append(m)
    pairs = {(d.id, c.target) for d in extraction.documents for c in d.cites if c.relation == "basis" and c.target}
    pairs |= {(link.child, link.parent) for link in inferred}
    derived = []
    for child, parent in sorted(pairs):
        c, p = docs.get(child), docs.get(parent)
        if not c or not p or LEVEL_RANK.get(c.level, 9) < LEVEL_RANK.get(p.level, 9):
            continue  # never up the hierarchy
        derived += derive_measures(by_doc.get(child, []), by_doc.get(parent, []))
    linked = {frozenset((d.id, c.target)) for d in extraction.documents for c in d.cites if c.target}
    linked |= {frozenset(pair) for pair in pairs}
    shared = shared_text(extraction.measures, linked)
    return Derivations(inferred, derived, shared)
