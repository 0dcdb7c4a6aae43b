"""Candidate pairs of similar texts without comparing all pairs: an inverted index of
character shingles with a document-frequency cut-off.

Each text is cut into character 4-grams (after removing punctuation and digits). A shingle
carried by many documents (加强组织领导, 本条例自…起施行, 各地区各部门要…) is **boilerplate**:
it is dropped from the index instead of linking every document to every other. Two texts
become a candidate pair when they share enough of the remaining (rare) shingles.

The index is a sparse text × shingle matrix (scipy CSR) and the pair counting one sparse
product `X · Xᵀ`, done in C by scipy. Its cost is
Σ over kept shingles of (texts carrying it)², and the cut-off bounds every such count, so the
work grows linearly with the input: `CandidateStats.work` reports it, and
tests/test_derive.py checks that doubling the input about doubles it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SHINGLE = 4  # characters: a Chinese 4-gram is about two words, rare enough to be evidence
BOILERPLATE_MIN_DOCS = 5  # a shingle in more documents than this (or than BOILERPLATE_SHARE of them) is boilerplate
BOILERPLATE_MAX_DOCS = 12  # …but never more: keeps the cost of one shingle bounded on large collections
BOILERPLATE_SHARE = 0.2
BOILERPLATE_TEXT_SHARE = 0.6  # a text whose shingles are mostly boilerplate is boilerplate itself
MAX_TEXTS_PER_SHINGLE = 60  # a shingle repeated in more texts than this (even in one document) is formula
MIN_SHARED = 4  # rare shingles two texts must share to be compared
MIN_SHARED_SHARE = 0.15  # …and this share of the shorter text's rare shingles
_NOISE = re.compile(r"[\s，。；：、（）《》〈〉【】“”‘’\"'！？·—…\-\d]")


def clean(text: str) -> str:
    """The text without spaces, punctuation and digits: what the comparison looks at."""
    return _NOISE.sub("", text)


@dataclass
class CandidateStats:
    texts: int = 0
    shingles: int = 0  # postings: (text, shingle) entries kept in the index
    boilerplate_shingles: int = 0  # distinct shingles dropped by the cut-off
    work: int = 0  # Σ (texts per kept shingle)²: the pair counting's cost, the figure that must grow linearly
    candidates: int = 0  # pairs from different documents sharing enough rare shingles: what gets scored
    doc_cutoff: int = 0


@dataclass
class Candidates:
    pairs: list[tuple[int, int]]  # (i, j), i < j, sorted
    boilerplate: list[bool]  # per text: mostly made of boilerplate shingles
    stats: CandidateStats


def doc_cutoff(n_documents: int) -> int:
    """Documents a shingle may appear in before it counts as boilerplate."""
    return min(BOILERPLATE_MAX_DOCS, max(BOILERPLATE_MIN_DOCS, int(BOILERPLATE_SHARE * n_documents)))


def shingle_keys(text: str, n: int = SHINGLE):
    """The text's character n-grams as 64-bit integers (a polynomial hash of the code points,
    computed in numpy rather than one Python string per n-gram)."""
    import numpy as np

    codes = np.frombuffer(clean(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < n:
        return np.empty(0, dtype=np.uint64)
    keys = np.zeros(len(codes) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            keys = keys * np.uint64(1_000_003) + codes[k:len(codes) - n + 1 + k]
    return keys


def shingle_matrix(texts: list[str]):
    """Sparse binary text × shingle matrix (CSR): the inverted index, one column per shingle."""
    import numpy as np
    from scipy import sparse

    keys = [shingle_keys(t) for t in texts]
    rows = np.repeat(np.arange(len(texts)), [len(k) for k in keys])
    flat = np.concatenate(keys) if keys else np.empty(0, dtype=np.uint64)
    columns, col = np.unique(flat, return_inverse=True)
    x = sparse.csr_matrix((np.ones(len(flat), dtype=np.int32), (rows, col.ravel())),
                          shape=(len(texts), max(len(columns), 1)))
    x.data[:] = 1  # binary: a shingle repeated in one text counts once
    return x


def candidate_pairs(texts: list[str], documents: list[str]) -> Candidates:
    """Pairs of texts from different documents that share enough rare shingles."""
    import numpy as np
    from scipy import sparse

    stats = CandidateStats(texts=len(texts))
    if len(texts) < 2:
        return Candidates([], [False] * len(texts), stats)
    x = shingle_matrix(texts)
    doc_ids = {d: i for i, d in enumerate(sorted(set(documents)))}
    owner = sparse.csr_matrix((np.ones(len(texts), dtype=np.int32), ([doc_ids[d] for d in documents], np.arange(len(texts)))),
                              shape=(len(doc_ids), len(texts)))
    doc_frequency = np.asarray(((owner @ x) > 0).sum(axis=0)).ravel()
    text_frequency = np.asarray(x.sum(axis=0)).ravel()
    stats.doc_cutoff = doc_cutoff(len(doc_ids))
    boiler = (doc_frequency > stats.doc_cutoff) | (text_frequency > MAX_TEXTS_PER_SHINGLE)
    stats.boilerplate_shingles = int(boiler.sum())
    per_text = np.asarray(x.sum(axis=1)).ravel()
    x = x[:, np.flatnonzero(~boiler)]  # the index without its boilerplate shingles
    rare = np.asarray(x.sum(axis=1)).ravel()
    boilerplate_text = (per_text > 0) & (rare < (1 - BOILERPLATE_TEXT_SHARE) * per_text)
    kept = text_frequency * ~boiler
    stats.shingles, stats.work = int(kept.sum()), int((kept.astype(np.int64) ** 2).sum())
    shared = sparse.triu(x @ x.T, k=1).tocoo()
    doc_of = np.array([doc_ids[d] for d in documents])
    need = np.maximum(MIN_SHARED, MIN_SHARED_SHARE * np.minimum(rare[shared.row], rare[shared.col]))
    keep = (shared.data >= need) & (doc_of[shared.row] != doc_of[shared.col])
    pairs = sorted(zip(shared.row[keep].tolist(), shared.col[keep].tolist()))
    stats.candidates = len(pairs)
    return Candidates(pairs, boilerplate_text.tolist(), stats)
