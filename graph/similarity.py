"""How much one measure restates another: the component scores behind DERIVES_FROM.

- `align`: character-level text reuse, rapidfuzz's Indel ratio and best partial alignment
  (copying, light editing).
- `tfidf`: cosine of character 2–3-gram TF-IDF vectors, the document frequencies taken from a
  fixed background of ordinary policy and legal text (graph/data/ngram_frequencies.tsv, made
  by benchmarks/make_ngram_frequencies.py). It catches restatement in new words that keeps the
  rare terms (一业一证申办系统, 歇业, 过头税费) while the common ones (加强, 应当, 罚款, 以上)
  weigh little; a fixed background keeps a pair's score the same whatever else is in the
  collection.
- `reforms`: the reform labels both measures name.
- `short`: one of the two texts is shorter than PARTIAL_MIN characters (a list item such as
  单位的消防安全责任人、消防安全管理人；or a penalty clause): the same few words then say
  little about derivation, and the fitted weight is negative.
- `copied`: one text, at least MIN_TEXT characters, stands verbatim inside the other (a
  heading copied from the parent, 着力优化工业产品管理制度): copying, whatever the scores of a
  short text against a long one say.

`combined` mixes them with the weights fitted by benchmarks/calibrate_derivation.py
(graph/data/derivation_model.json). `derived_pairs` then decides, per document pair, which
pairs count: high combined scores, each parent measure's best restatement, and a child
measure whose best parent stands out from all the parent document's measures (`stands_out`).
Everything is computed for one document pair at a time, never over all pairs of a collection.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policygraph.graph.candidates import clean, shingle_keys

PARTIAL_MIN = 40  # below this length a best partial alignment says little (a heading matches anything)
MIN_TEXT = 12  # characters: headings such as 主要任务 carry no evidence
STANDOUT_MIN_PARENTS = 3  # parent measures needed before "stands out from the others" means anything
NGRAMS = (2, 3)
# The character alignment (rapidfuzz, ~20 µs a pair of articles) is computed only for each child
# measure's and each parent measure's ALIGN_CANDIDATES nearest measures by TF-IDF cosine (a
# sparse product, cheap); the other cells keep alignment 0, which can only lower their score.
# A law cited by hundreds of regulations made the full matrices 12 million alignments.
ALIGN_CANDIDATES = 4
# A child measure restates at most this many parent measures: of the 113 child measures labelled
# as deriving in tests/fixtures/derivation_pairs_calibration.json, 103 restate one and 10 two.
# Without it, a judicial interpretation's list of offences "derived" from 300 articles of 刑法.
MAX_PARENTS = 2
MODEL = Path(__file__).parent / "data" / "derivation_model.json"
BACKGROUND = Path(__file__).parent / "data" / "ngram_frequencies.tsv"


@lru_cache(maxsize=1)
def background():
    """The background text's n-gram frequencies as (sorted n-gram keys, idf per key, idf of an
    n-gram the background never saw); keys as in candidates.shingle_keys."""
    import numpy as np

    units, keys, counts = 1, [], []
    for line in BACKGROUND.read_text(encoding="utf-8").splitlines():
        gram, _, count = line.partition("\t")
        if gram == "# units":
            units = int(count)
        elif not gram.startswith("#"):
            keys.append(_gram_key(gram))
            counts.append(int(count))
    order = np.argsort(np.array(keys, dtype=np.uint64), kind="stable")
    idf = np.log((units + 1) / (np.array(counts, dtype=np.float64) + 1)) + 1
    return np.array(keys, dtype=np.uint64)[order], idf[order], math.log(units + 1) + 1


def _gram_key(gram: str) -> int:
    return int(shingle_keys(gram, len(gram))[0])


@lru_cache(maxsize=65536)
def _gram_counts(text: str):
    """(keys, counts) of the text's 2- and 3-grams. Cached: a national law's articles are
    scored against every regulation that cites it (read-only arrays)."""
    import numpy as np

    keys, counts = np.unique(np.concatenate([shingle_keys(text, n) for n in NGRAMS]), return_counts=True)
    keys.flags.writeable = counts.flags.writeable = False
    return keys, counts


@lru_cache(maxsize=1)
def model() -> dict:
    """The fitted weights and threshold (written by benchmarks/calibrate_derivation.py)."""
    return json.loads(MODEL.read_text(encoding="utf-8"))


def align_matrix(a: list[str], b: list[str], workers: int = 1, only=None):
    """0-1: the mean of the Indel ratio and the best partial alignment; for short texts
    (headings) the ratio alone; 0 for texts too short to be evidence. With `only` (a boolean
    matrix), just those cells are aligned and the others are 0."""
    import numpy as np
    from rapidfuzz import fuzz, process

    ca, cb = [clean(t) for t in a], [clean(t) for t in b]
    la, lb = np.array([len(t) for t in ca])[:, None], np.array([len(t) for t in cb])[None, :]
    if only is None:
        ratio = process.cdist(ca, cb, scorer=fuzz.ratio, workers=workers)
        partial = process.cdist(ca, cb, scorer=fuzz.partial_ratio, workers=workers)
    else:
        ratio = np.zeros((len(ca), len(cb)), dtype=np.float32)
        partial = np.zeros_like(ratio)
        for i, j in zip(*np.nonzero(only)):
            ratio[i, j] = fuzz.ratio(ca[i], cb[j])
            if min(len(ca[i]), len(cb[j])) >= PARTIAL_MIN:
                partial[i, j] = fuzz.partial_ratio(ca[i], cb[j])
    scores = np.where(np.minimum(la, lb) < PARTIAL_MIN, ratio / 100, (ratio + partial) / 200)
    scores[(la < MIN_TEXT) | (lb < MIN_TEXT)] = 0.0
    return scores


def nearest_cells(scores, k: int):
    """Boolean mask: each row's and each column's `k` highest cells (all cells when small)."""
    import numpy as np

    rows, cols = scores.shape
    mask = np.zeros(scores.shape, dtype=bool)
    if rows == 0 or cols == 0:
        return mask
    if cols <= k or rows <= k:
        mask[:] = True
        return mask
    top_in_row = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    mask[np.arange(rows)[:, None], top_in_row] = True
    top_in_col = np.argpartition(-scores, k - 1, axis=0)[:k, :]
    mask[top_in_col, np.arange(cols)[None, :]] = True
    return mask


def tfidf_matrix(a: list[str], b: list[str]):
    """Cosine of sublinear-tf × background-idf character n-gram vectors."""
    import numpy as np
    from scipy import sparse

    bg_keys, bg_idf, unseen_idf = background()
    grams = [_gram_counts(t) for t in a + b]
    rows = np.repeat(np.arange(len(grams)), [len(k) for k, _ in grams])
    keys = np.concatenate([k for k, _ in grams]) if grams else np.empty(0, dtype=np.uint64)
    tf = 1 + np.log(np.concatenate([c for _, c in grams]).astype(np.float64)) if grams else np.empty(0)
    at = np.minimum(np.searchsorted(bg_keys, keys), max(len(bg_keys) - 1, 0))
    idf = np.where(bg_keys[at] == keys, bg_idf[at], unseen_idf) if len(bg_keys) else np.full(len(keys), unseen_idf)
    columns, col = np.unique(keys, return_inverse=True)
    x = sparse.csr_matrix((tf * idf, (rows, col.ravel())), shape=(len(grams), max(len(columns), 1)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x = (sparse.diags(1 / np.where(norms > 0, norms, 1)) @ x).tocsr()
    scores = (x[:len(a)] @ x[len(a):].T).toarray()
    short_a = np.array([len(clean(t)) < MIN_TEXT for t in a], dtype=bool)[:, None]
    short_b = np.array([len(clean(t)) < MIN_TEXT for t in b], dtype=bool)[None, :]
    scores[short_a | short_b] = 0.0
    return scores


@dataclass
class PairScores:
    """The component scores of every (child, parent) pair of one document pair."""

    align: "object"  # numpy arrays, children × parents
    tfidf: "object"
    reforms: "object"  # shared reform labels, 0/1
    short: "object"  # one text shorter than PARTIAL_MIN, 0/1
    combined: "object"
    copied: "object"  # boolean: one text verbatim inside the other


def pair_scores(children: list, parents: list) -> PairScores:
    """Component and combined scores for measures with `.text` and `.reforms`."""
    import numpy as np

    texts, parent_texts = [m.text for m in children], [p.text for p in parents]
    tfidf = tfidf_matrix(texts, parent_texts)
    nearest = nearest_cells(tfidf, ALIGN_CANDIDATES)
    align = align_matrix(texts, parent_texts, only=nearest)
    reforms = np.array([[1.0 if set(m.reforms) & set(p.reforms) else 0.0 for p in parents] for m in children])
    short = short_matrix(texts, parent_texts)
    return PairScores(align, tfidf, reforms, short,
                      combine({"align": align, "tfidf": tfidf, "reforms": reforms, "short": short}),
                      copied_matrix(texts, parent_texts, nearest))


def copied_matrix(a: list[str], b: list[str], only):
    """True where one cleaned text (at least MIN_TEXT characters) stands verbatim inside the
    other; only the cells of `only` are looked at (verbatim text is always among the nearest
    by TF-IDF)."""
    import numpy as np

    ca, cb = [clean(t) for t in a], [clean(t) for t in b]
    out = np.zeros((len(a), len(b)), dtype=bool)
    for i, j in zip(*np.nonzero(only)):
        shorter, longer = sorted((ca[i], cb[j]), key=len)
        out[i, j] = len(shorter) >= MIN_TEXT and shorter in longer
    return out


def short_matrix(a: list[str], b: list[str]):
    """1 where either text is shorter than PARTIAL_MIN characters (cleaned), else 0."""
    import numpy as np

    short_a = np.array([len(clean(t)) < PARTIAL_MIN for t in a], dtype=bool)[:, None]
    short_b = np.array([len(clean(t)) < PARTIAL_MIN for t in b], dtype=bool)[None, :]
    return (short_a | short_b).astype(np.float64)


def standout_z(scores):
    """Per child (row): how far its best parent's score lies above the scores of all the parent
    document's measures, in standard deviations (a z-score); 0 with fewer than
    STANDOUT_MIN_PARENTS parent measures, where a spread says nothing."""
    import numpy as np

    if scores.shape[1] < STANDOUT_MIN_PARENTS:
        return np.zeros(scores.shape[0])
    spread = scores.std(axis=1)
    return np.where(spread > 0, (scores.max(axis=1) - scores.mean(axis=1)) / np.where(spread > 0, spread, 1), 0.0)


def stands_out(scores, min_z: float):
    """Boolean children × parents: the child's best parent (by `scores`, the TF-IDF cosine)
    when it stands out from the parent document's other measures by at least `min_z`. The
    document pair is known to implement one another, so a measure whose content points at one
    parent measure far more than at any other most likely restates it, even in new words."""
    import numpy as np

    out = np.zeros(scores.shape, dtype=bool)
    if scores.size == 0:
        return out
    z = standout_z(scores)
    best = scores.argmax(axis=1)  # first on ties: document order
    rows = np.flatnonzero((z >= min_z) & (scores[np.arange(len(best)), best] > 0))
    out[rows, best[rows]] = True
    return out


def combine(components: dict, weights: dict | None = None):
    """A logistic model of the component matrices, fitted on the calibration pairs; 0-1."""
    import numpy as np

    w = weights or model()["weights"]
    z = w["bias"] + sum(w[name] * components[name] for name in w if name != "bias")
    return np.where((components["align"] == 0) & (components["tfidf"] == 0), 0.0, 1 / (1 + np.exp(-z)))


def derived_pairs(combined, threshold: float, mutual_threshold: float, near_best: float,
                  standout=None, standout_threshold: float = 1.0, copied=None) -> list[tuple[int, int]]:
    """Which (child i, parent j) pairs count as derivation, given the combined scores of one
    document pair (children × parents):

    - the parent measures close to a child's best match (within `near_best`) scoring at least
      `threshold` (a merged item may restate several parent measures), and
    - for each parent measure, the child measure that restates it best, at the lower
      `mutual_threshold`: a document implementing another restates each of its measures
      somewhere, and being the best of all child measures for it is evidence of its own;
    - mutual best matches that stand out (`standout`, from `stands_out`: the child's best
      parent far above the parent document's other measures, and the child the parent's best
      match) at the still lower `standout_threshold`;
    - pairs where one text is copied verbatim into the other (`copied`, from `copied_matrix`);

    and of these, each child keeps its MAX_PARENTS best (copied text first, then by score).
    """
    import numpy as np

    pairs = set()
    if combined.size == 0:
        return []
    best = combined.max(axis=1)
    for i, j in zip(*np.nonzero((combined >= threshold) & (combined >= best[:, None] - near_best))):
        pairs.add((int(i), int(j)))
    best_child = combined.argmax(axis=0)  # first on ties: document order
    if copied is not None:
        pairs.update((int(i), int(j)) for i, j in zip(*np.nonzero(copied)))
    for j, i in enumerate(best_child):
        if combined[i, j] >= mutual_threshold and combined[i, j] > 0:
            pairs.add((int(i), int(j)))
        if standout is not None and standout[i, j] and combined[i, j] >= standout_threshold and combined[i, j] > 0:
            pairs.add((int(i), int(j)))
    ranked = sorted(pairs, key=lambda p: (p[0], not (copied is not None and copied[p]), -float(combined[p]), p[1]))
    kept, per_child = [], {}
    for i, j in ranked:
        per_child[i] = per_child.get(i, 0) + 1
        if per_child[i] <= MAX_PARENTS:
            kept.append((i, j))
    return kept


def align_pair(a: str, b: str) -> float:
    """`align_matrix` for one pair, without the matrix machinery (shared text scores thousands)."""
    from rapidfuzz import fuzz

    ca, cb = clean(a), clean(b)
    if min(len(ca), len(cb)) < MIN_TEXT:
        return 0.0
    if ca == cb:
        return 1.0
    if min(len(ca), len(cb)) < PARTIAL_MIN:
        return fuzz.ratio(ca, cb) / 100
    return (fuzz.ratio(ca, cb) + fuzz.partial_ratio(ca, cb)) / 200


def shared_passage(a: str, b: str) -> str:
    """The longest run of characters both texts carry (punctuation and digits ignored): the
    passage a reader can search for in both documents."""
    from difflib import SequenceMatcher

    a, b = clean(a), clean(b)
    if a in b or b in a:  # verbatim reuse, the common case of shared text: no alignment needed
        return min(a, b, key=len)
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a:m.a + m.size]
