"""Links the text only implies: inferred implementation, measure derivation, shared text.

- **Inferred implementation** (LIKELY_IMPLEMENTS): graph/inference.py.
- **Measure derivation** (DERIVES_FROM): for a document linked to a parent (cited or
  inferred), the parent measures each measure restates, by the calibrated mix of alignment,
  TF-IDF cosine and shared reform labels (graph/similarity.py; weights and threshold fitted on
  tests/fixtures/derivation_pairs_calibration.json by benchmarks/calibrate_derivation.py).
  Only along the link's direction, never up the hierarchy, and never from a document issued
  after the child unless the child names it as its basis (`may_derive`).
- **Shared text** (SHARES_TEXT_WITH): measures of documents that do not implement each other
  but carry the same text (two 北京 plans both carry 优化食品经营许可证办理流程); candidates
  from an inverted index of rare shingles (graph/candidates.py), boilerplate flagged, not linked.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from policygraph.extract.models import Document, Extraction, Measure
from policygraph.graph.inference import LEVEL_RANK, DocView, InferredLink, contained, infer_links  # noqa: F401 (re-exported)

SHARED_TEXT_MIN_SCORE = 0.60  # text_similarity, 0-1
_NOISE = re.compile(r"[\s，。；：、（）《》“”\"'！？·—\-\d]")


@dataclass
class MeasureLink:
    measure: str
    other: str
    score: float
    evidence: str
    shared_reforms: list[str]
    components: dict = field(default_factory=dict)  # the component scores, as flat graph properties


def _clean(text: str) -> str:
    return _NOISE.sub("", text)


def text_similarity(a: str, b: str) -> float:
    """0-1: the mean of the Indel ratio and the best partial alignment of the two texts; for
    short texts (headings) the ratio alone. One pair of `similarity_matrix`."""
    from policygraph.graph.similarity import align_pair

    return align_pair(a, b)


def _evidence(a: str, b: str, shared: list[str]) -> str:
    from policygraph.graph.similarity import shared_passage

    common = shared_passage(a, b)
    parts = [f"longest common run {len(common)} chars: “{common[:40]}{'…' if len(common) > 40 else ''}”"]
    if shared:
        parts.append("shared reforms " + "、".join(shared))
    return "; ".join(parts)


def similarity_matrix(a: list[str], b: list[str], workers: int = -1):
    """text_similarity for every pair, computed in bulk by rapidfuzz (0-1)."""
    from policygraph.graph.similarity import align_matrix

    return align_matrix(a, b, workers=workers)


def derive_measures(children: list, parents: list, min_score: float | None = None,
                    near_best: float | None = None) -> list[MeasureLink]:
    """The parent measures each child measure restates (`similarity.derived_pairs`), scored by
    the calibrated mix of alignment, TF-IDF cosine, shared reform labels and text length
    (graph/similarity.py). Pass all measures of both documents: a parent measure's best match
    among the child's measures, and how far a child measure's best parent stands out from the
    parent's other measures, are part of the evidence. Each link keeps the component scores
    and the shared passage as evidence."""
    from policygraph.graph.similarity import derived_pairs, model, pair_scores, shared_passage, stands_out, standout_z

    if not children or not parents:
        return []
    calibrated = model()
    threshold = calibrated["threshold"] if min_score is None else min_score
    mutual = calibrated["mutual_threshold"] if min_score is None else min(min_score, calibrated["mutual_threshold"])
    standout_threshold = calibrated["standout_threshold"] if min_score is None else min(min_score, calibrated["standout_threshold"])
    near_best = calibrated["near_best"] if near_best is None else near_best
    scores = pair_scores(children, parents)
    standout = stands_out(scores.tfidf, calibrated["standout_z"])
    z = standout_z(scores.tfidf)
    links = []
    for i, j in derived_pairs(scores.combined, threshold, mutual, near_best, standout, standout_threshold, scores.copied):
        m, parent = children[i], parents[j]
        shared = sorted(set(m.reforms) & set(parent.reforms))
        align, tfidf = round(float(scores.align[i, j]), 3), round(float(scores.tfidf[i, j]), 3)
        passage = shared_passage(m.text, parent.text)
        evidence = f"{_evidence(m.text, parent.text, shared)}; alignment {align}, TF-IDF cosine {tfidf}"
        if scores.copied[i, j]:
            evidence += "; the shorter text stands verbatim in the other"
        elif standout[i, j] and scores.combined[i, j] < mutual:  # only the stand-out rule admits it: say why
            evidence += (f"; its closest of the parent's {len(parents)} measures by TF-IDF, "
                         f"{float(z[i]):.1f} standard deviations above their mean")
        links.append(MeasureLink(m.id, parent.id, round(float(scores.combined[i, j]), 3), evidence, shared,
                                 {"align_score": align, "tfidf_score": tfidf, "shared_passage": passage}))
    return links


def shared_text(measures: list[Measure], linked_docs: set[frozenset],
                min_score: float = SHARED_TEXT_MIN_SCORE) -> tuple[list[MeasureLink], list[str], object]:
    """Pairs of measures in documents that do not implement each other but carry the same text.

    Candidates come from an inverted index of rare character shingles (graph/candidates.py),
    never from all pairs; text that many documents carry is boilerplate and is not linked."""
    from policygraph.graph.candidates import candidate_pairs

    usable = [m for m in measures if len(_clean(m.text)) >= 30]
    found = candidate_pairs([m.text for m in usable], [m.document for m in usable])
    out = []
    for i, j in found.pairs:
        a, b = usable[i], usable[j]
        if frozenset((a.document, b.document)) in linked_docs:
            continue
        score = text_similarity(a.text, b.text)
        if score >= min_score:
            a, b = sorted((a, b), key=lambda m: m.id)
            shared = sorted(set(a.reforms) & set(b.reforms))
            out.append(MeasureLink(a.id, b.id, round(score, 3), _evidence(a.text, b.text, shared), shared))
    boilerplate = sorted(m.id for m, flag in zip(usable, found.boilerplate) if flag)
    return sorted(out, key=lambda link: (link.measure, link.other)), boilerplate, found.stats


@dataclass
class Derivations:
    inferred: list[InferredLink]
    derived: list[MeasureLink]
    shared: list[MeasureLink]
    boilerplate: list[str] = field(default_factory=list)  # ids of measures made mostly of boilerplate shingles
    candidate_stats: object = None  # graph/candidates.CandidateStats of the shared-text pass


def doc_views(documents: list[Document]) -> list[DocView]:
    return [DocView(d.id, d.jurisdiction, d.level, d.date, d.reforms,
                    {c.target for c in d.cites if c.target}, d.stub,
                    {c.target for c in d.cites if c.target and c.relation == "basis"}) for d in documents]


_PAIRS: list = []  # the document pairs of one derive() call, inherited by forked workers
PARALLEL_FROM = 200  # document pairs: below this a process pool costs more than it saves


def _derive_pair(index: int) -> list[MeasureLink]:
    return derive_measures(*_PAIRS[index])


def _map_pairs(work: list[tuple[list, list]]) -> list[list[MeasureLink]]:
    """derive_measures over the document pairs, on every core for a big collection; results in
    the pairs' order, so the graph is the same whatever the number of processes."""
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(work) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [derive_measures(children, parents) for children, parents in work]
    from concurrent.futures import ProcessPoolExecutor

    global _PAIRS
    _PAIRS = work
    try:
        with ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_derive_pair, range(len(work)), chunksize=max(1, len(work) // (cores * 16))))
    finally:
        _PAIRS = []


def may_derive(child: Document, parent: Document, basis: bool) -> bool:
    """Whether the child document's measures may restate the parent's at all: never up the
    hierarchy, and never from a document issued after the child, unless the child names it as
    its basis. The exception is needed: a collection holds a law as last revised, so a 2018
    regulation made under 安全生产法 cites a copy dated 2021 (1,188 of the 3,224 cited bases in
    the laws corpus are dated after the document citing them)."""
    if LEVEL_RANK.get(child.level, 9) < LEVEL_RANK.get(parent.level, 9):
        return False
    return basis or not (child.date and parent.date and parent.date > child.date)


def derive(extraction: Extraction) -> Derivations:
    docs = {d.id: d for d in extraction.documents}
    inferred = infer_links(doc_views(extraction.documents))
    by_doc: dict[str, list[Measure]] = {}
    for m in extraction.measures:
        by_doc.setdefault(m.document, []).append(m)
    bases = {(d.id, c.target) for d in extraction.documents for c in d.cites if c.relation == "basis" and c.target}
    pairs = bases | {(link.child, link.parent) for link in inferred}
    work = [(by_doc.get(child, []), by_doc.get(parent, [])) for child, parent in sorted(pairs)
            if docs.get(child) and docs.get(parent) and may_derive(docs[child], docs[parent], (child, parent) in bases)]
    derived = [link for links in _map_pairs(work) for link in links]
    linked = {frozenset((d.id, c.target)) for d in extraction.documents for c in d.cites if c.target}
    linked |= {frozenset(pair) for pair in pairs}
    shared, boilerplate, stats = shared_text(extraction.measures, linked)
    return Derivations(inferred, derived, shared, boilerplate, stats)
