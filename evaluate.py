"""Score an extraction (the `extract --json` contract) against hand-checked gold files.

The scoring rules are those of the gold README (tests/fixtures/README.md): documents are
matched by header line (±3) or exact title; citations, tasks (measure responsibility) and
reform labels are scored micro-averaged.

Gold that spans many files (tests/fixtures/external) names its file in a `source` field on
every entry. Such gold is matched file by file (see `_SourceIndex`), and strings are compared
after NFKC folding, since web pages print the same punctuation half- or full-width.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from policygraph.errors import InputError

_LABEL_NOISE = re.compile(r"[、，·“”\s]")


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _fold(s: str | None) -> str:
    """Whitespace removed and half/full-width forms unified (（ → (, ， → ,)."""
    return _squash(unicodedata.normalize("NFKC", s or ""))


@dataclass
class Scores:
    figures: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"scores": self.figures, "counts": self.counts}


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _read_json(path: Path, what: str, hint: str):
    """The JSON in `path`; every way it can fail is one sentence naming the file."""
    from policygraph.files import read_input_bytes

    if not path.exists():
        raise InputError(f"{path} does not exist: {hint}")
    data = read_input_bytes(path)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text, so it is not {what}: {hint}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON (line {exc.lineno}): {hint}") from None
    except RecursionError:
        raise InputError(f"{path} nests too deeply to be {what}: {hint}") from None


# What the scoring reads from an extraction: field → type, for documents, citations, measures.
_EXTRACTION_FIELDS = {
    "documents": {"id": str, "title": (str, type(None)), "source": dict, "cites": list},
    "cites": {"relation": (str, type(None))},
    "measures": {"document": str, "text": str, "lead_units": list, "responsible_units": list},
}


def load_extraction(path: str | Path) -> dict:
    """An `extract --json` file, checked for the fields the scoring reads."""
    p = Path(path)
    hint = f"write it with `policygraph extract INPUT --json {p}`."
    data = _read_json(p, "an extraction", hint)
    if isinstance(data, dict) and "nodes" in data and ("edges" in data or "links" in data):
        raise InputError(f"{p} is a saved graph, not an extraction: {hint}")
    problem = _extraction_problem(data)
    if problem:
        raise InputError(f"{p} is not an extraction ({problem}): {hint}")
    return data


def _extraction_problem(data) -> str | None:
    if not isinstance(data, dict):
        return f"it holds a JSON {type(data).__name__}, not an object"
    if not isinstance(data.get("documents"), list):
        return "no documents list"
    for name in ("measures", "agencies"):
        if not isinstance(data.get(name, []), list):
            return f"{name} is not a list"
    for i, doc in enumerate(data["documents"]):
        problem = _record_problem(doc, "documents", i)
        if problem:
            return problem
        if not isinstance(doc["source"].get("line_start"), int):
            return f"document {i} has no source line_start"
        for j, cite in enumerate(doc["cites"]):
            problem = _record_problem(cite, "cites", j)
            if problem:
                return f"document {i}: {problem}"
    for i, m in enumerate(data.get("measures", [])):
        problem = _record_problem(m, "measures", i)
        if problem:
            return problem
    for i, a in enumerate(data.get("agencies", [])):
        if not (isinstance(a, dict) and isinstance(a.get("id"), str)):
            return f"agency {i} has no id"
    return None


def _record_problem(record, kind: str, i: int) -> str | None:
    singular = kind.rstrip("s")
    if not isinstance(record, dict):
        return f"{singular} {i} is not an object"
    for name, types in _EXTRACTION_FIELDS[kind].items():
        if name not in record:
            return f"{singular} {i} has no {name}"
        if not isinstance(record[name], types):
            return f"{singular} {i} has a {name} of the wrong type"
    return None


# What the scoring reads from each gold file.
_GOLD_FIELDS = {
    "documents": ("line_start", "title", "issuers"),
    "tasks": ("doc_line_start", "text_head", "lead_units", "responsible_units"),
    "reforms": ("doc_line_start", "reforms", "reforms_core"),
}


def load_gold(paths: list[str | Path]) -> dict:
    gold: dict = {}
    for path in paths:
        p = Path(path)
        if p.is_dir():
            gold.update(load_gold(sorted(p.glob("*.json"))))
            continue
        hint = "give the gold JSON files (documents.json, tasks.json, reforms.json; see the gold README)."
        data = _read_json(p, "a gold file", hint)
        if not isinstance(data, dict):
            raise InputError(f"{p} is not a gold file (it holds a JSON {type(data).__name__}): {hint}")
        kind = _gold_kind(data)
        if kind is None:
            continue
        problem = _gold_problem(data, kind)
        if problem:
            raise InputError(f"{p} is not a valid {kind} gold file ({problem}): {hint}")
        gold[kind] = data
    if not gold:
        raise InputError("No gold file was recognised: give documents.json, tasks.json and/or reforms.json.")
    return gold


def _gold_kind(data: dict) -> str | None:
    if "tasks" in data:
        return "tasks"
    documents = data.get("documents")
    if isinstance(documents, list) and documents and isinstance(documents[0], dict) and "reforms_core" in documents[0]:
        return "reforms"
    if "documents" in data:
        return "documents"
    return None


def _gold_problem(data: dict, kind: str) -> str | None:
    entries = data["tasks" if kind == "tasks" else "documents"]
    if not isinstance(entries, list):
        return f"{'tasks' if kind == 'tasks' else 'documents'} is not a list"
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            return f"entry {i} is not an object"
        missing = [f for f in _GOLD_FIELDS[kind] if f not in entry]
        if missing:
            return f"entry {i} has no {missing[0]}"
        line = entry[_GOLD_FIELDS[kind][0]]
        # multi-file gold (a `source` on each entry) has no line for HTML, PDF and DOCX files
        if not isinstance(line, int) and not (line is None and "source" in entry):
            return f"entry {i} has a {_GOLD_FIELDS[kind][0]} that is not a line number"
        cites = entry.get("cites", [])
        if not (isinstance(cites, list) and all(isinstance(c, dict) and "relation" in c for c in cites)):
            return f"entry {i} has citations without a relation"
    canonical = data.get("canonical", [])
    if kind == "tasks" and not (isinstance(canonical, list) and all(
            isinstance(c, dict) and {"doc_line_start", "surface", "canonical"} <= set(c) for c in canonical)):
        return "canonical pairs need doc_line_start, surface and canonical"
    return None


class _DocIndex:
    """Seed gold: one corpus file, documents found by header line (±3) or exact title."""

    fold = staticmethod(_squash)

    def __init__(self, predicted: dict):
        self.docs = [d for d in predicted["documents"] if not d.get("stub")]
        self.measures: dict[str, list[dict]] = {}
        for m in predicted.get("measures", []):
            self.measures.setdefault(m["document"], []).append(m)
        self.agencies = {a["id"]: a for a in predicted.get("agencies", [])}

    def match(self, line_start: int, title: str | None = None) -> dict | None:
        near = [d for d in self.docs if abs(d["source"]["line_start"] - line_start) <= 3]
        if near:
            return min(near, key=lambda d: abs(d["source"]["line_start"] - line_start))
        if title:
            for d in self.docs:
                if _squash(d["title"]) == _squash(title):
                    return d
        return None

    def document(self, g: dict) -> dict | None:
        return self.match(g["line_start"], g["title"])

    def task_document(self, task: dict) -> dict | None:
        return self.match(task["doc_line_start"])

    def reform_document(self, g: dict) -> dict | None:
        return self.match(g["doc_line_start"])

    @staticmethod
    def key(g: dict, line_field: str = "line_start"):
        return g[line_field]


class _SourceIndex(_DocIndex):
    """Gold over many files: each gold entry names its file in `source` (relative to the gold folder).

    A gold document is matched among the predicted documents read from that file (the predicted
    `source.path` ends with it): for .txt/.md by header line (±3), else by title; failing both,
    when the gold holds a single document for that file, by the file alone (its first predicted
    document). Line numbers of HTML, PDF and DOCX depend on the reader, so they are never used.
    """

    fold = staticmethod(_fold)

    def __init__(self, predicted: dict, gold: dict):
        super().__init__(predicted)
        # every trailing part of a predicted path ("a/b/c.txt" → "c.txt", "b/c.txt", …) so that a
        # gold `source` finds its file in one lookup, whatever folder the extraction was run from
        self.by_suffix: dict[str, list[dict]] = {}
        for d in self.docs:
            parts = Path(d["source"]["path"]).parts
            for i in range(len(parts)):
                self.by_suffix.setdefault("/".join(parts[i:]), []).append(d)
        gold_docs = gold.get("documents", {}).get("documents", [])
        self.gold_per_source = Counter(g["source"] for g in gold_docs)

    def _candidates(self, source: str) -> list[dict]:
        found = self.by_suffix.get(Path(source).as_posix(), [])
        return sorted(found, key=lambda d: d["source"]["line_start"] or 0)

    def _find(self, source: str, line_start: int | None, title: str | None) -> dict | None:
        candidates = self._candidates(source)
        if line_start is not None and source.endswith((".txt", ".md")):
            near = [d for d in candidates if abs((d["source"]["line_start"] or 0) - line_start) <= 3]
            if near:
                return min(near, key=lambda d: abs((d["source"]["line_start"] or 0) - line_start))
        for d in candidates:
            if title and _fold(d["title"]) == _fold(title):
                return d
        if candidates and self.gold_per_source.get(source, 1) == 1:
            return candidates[0]
        return None

    def document(self, g: dict) -> dict | None:
        return self._find(g["source"], g.get("line_start"), g.get("title"))

    def task_document(self, task: dict) -> dict | None:
        return self._find(task["source"], task.get("doc_line_start"), task.get("doc_title"))

    def reform_document(self, g: dict) -> dict | None:
        return self._find(g["source"], g.get("doc_line_start"), g.get("title"))

    @staticmethod
    def key(g: dict, line_field: str = "line_start"):
        return (g["source"], g.get(line_field), g.get("title") or g.get("doc_title"))


def _spans_files(gold: dict) -> bool:
    entries = (gold.get("documents", {}).get("documents", []) + gold.get("tasks", {}).get("tasks", [])
               + gold.get("reforms", {}).get("documents", []))
    return any("source" in e for e in entries)


def evaluate(predicted: dict, gold: dict) -> Scores:
    try:
        return _evaluate(predicted, gold)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        # load_extraction and load_gold check the fields the scoring reads; this is the net
        # for a value of an unexpected type deeper inside (a list where a name should be …).
        raise InputError(f"The extraction or a gold file holds a value of an unexpected shape "
                         f"({type(exc).__name__}: {exc}): check them against the gold README.") from None


def _evaluate(predicted: dict, gold: dict) -> Scores:
    scores = Scores()
    index = _SourceIndex(predicted, gold) if _spans_files(gold) else _DocIndex(predicted)
    if "documents" in gold:
        _score_documents(index, gold["documents"]["documents"], scores)
        _score_citations(index, gold["documents"]["documents"], scores)
    if "tasks" in gold:
        _score_tasks(index, gold["tasks"], scores)
    if "reforms" in gold:
        _score_reforms(index, gold["reforms"]["documents"], scores)
    return scores


def _score_documents(index: _DocIndex, gold_docs: list[dict], scores: Scores) -> None:
    right = Counter()
    tp = fp = fn = 0
    misses = []
    fold = index.fold
    found = 0
    for g in gold_docs:
        p = index.document(g)
        doc = index.key(g)
        if p is None:
            fn += len(g["issuers"])
            misses.append({"doc": doc, "field": "document", "gold": g["title"], "predicted": None})
            continue
        found += 1
        for name in ("title", "date", "doc_number"):
            ok = fold(p.get(name)) == fold(g.get(name))
            right[name] += ok
            if not ok:
                misses.append({"doc": doc, "field": name, "gold": g.get(name), "predicted": p.get(name)})
        right["all"] += all(fold(p.get(n)) == fold(g.get(n)) for n in ("title", "date", "doc_number"))
        aliases = {fold(a) for a in g.get("issuer_aliases", [])}
        gold_issuers = {fold(i) for i in g["issuers"]}
        predicted = {fold(i) for i in p.get("issuers", [])}
        hit = {i for i in predicted if i in gold_issuers or i in aliases}
        tp += len(hit)
        fp += len(predicted - hit)
        fn += len(gold_issuers) - min(len(hit), len(gold_issuers))
        if predicted - hit or len(hit) < len(gold_issuers):
            misses.append({"doc": doc, "field": "issuers", "gold": g["issuers"], "predicted": p.get("issuers")})
    n = len(gold_docs)
    for name in ("title", "date", "doc_number", "all"):
        scores.figures[f"documents.{name}"] = right[name] / n if n else 0.0
    scores.figures["documents.issuers_f1"] = _prf(tp, fp, fn)[2]
    if isinstance(index, _SourceIndex):
        scores.figures["documents.found"] = found / n if n else 0.0
    scores.counts["documents.gold"] = n
    scores.misses["documents"] = misses


def _cite_matches(p: dict, g: dict, fold=_squash) -> bool:
    if p.get("doc_number") and g.get("doc_number"):
        return fold(p["doc_number"]) == fold(g["doc_number"])
    pt, gt = fold(p.get("title")), fold(g.get("title"))
    if not pt or not gt:
        return False
    return pt == gt or ((pt in gt or gt in pt) and min(len(pt), len(gt)) > 8)


def _score_citations(index: _DocIndex, gold_docs: list[dict], scores: Scores) -> None:
    tp = fp = fn = relation_ok = 0
    misses = []
    for g in gold_docs:
        p = index.document(g)
        doc = index.key(g)
        predicted = list(p["cites"]) if p else []
        for gc in g.get("cites", []):
            hit = next((pc for pc in predicted if _cite_matches(pc, gc, index.fold)), None)
            if hit is None:
                fn += 1
                misses.append({"doc": doc, "missed": gc})
                continue
            predicted.remove(hit)
            tp += 1
            relation_ok += hit["relation"] == gc["relation"]
            if hit["relation"] != gc["relation"]:
                misses.append({"doc": doc, "relation": gc, "predicted": hit["relation"]})
        fp += len(predicted)
        misses.extend({"doc": doc, "extra": pc} for pc in predicted)
    p_, r_, f_ = _prf(tp, fp, fn)
    scores.figures.update({"citations.precision": p_, "citations.recall": r_, "citations.f1": f_,
                           "citations.relation_accuracy": relation_ok / tp if tp else 0.0})
    scores.counts["citations.gold"] = tp + fn
    scores.misses["citations"] = misses


def _score_tasks(index: _DocIndex, gold: dict, scores: Scores) -> None:
    tp = fp = fn = 0
    misses = []
    fold = index.fold
    doc_cache: dict = {}
    for task in gold["tasks"]:
        key = index.key(task, "doc_line_start")
        doc = doc_cache.setdefault(key, index.task_document(task))
        measures = index.measures.get(doc["id"], []) if doc else []
        head = fold(task["text_head"])
        m = next((m for m in measures if fold(m["text"]).startswith(head)), None)
        gold_triples = Counter(("lead", fold(u)) for u in task["lead_units"])
        gold_triples.update(("responsible", fold(u)) for u in task["responsible_units"])
        if m is None:
            fn += sum(gold_triples.values())
            misses.append({"task": task, "predicted": None})
            continue
        pred = Counter(("lead", fold(u)) for u in m["lead_units"])
        pred.update(("responsible", fold(u)) for u in m["responsible_units"])
        common = sum((gold_triples & pred).values())
        tp += common
        fp += sum(pred.values()) - common
        fn += sum(gold_triples.values()) - common
        if pred != gold_triples:
            misses.append({"task": task, "predicted": {"lead": m["lead_units"], "responsible": m["responsible_units"], "text": m["text"][:30]}})
    p_, r_, f_ = _prf(tp, fp, fn)
    scores.figures.update({"tasks.precision": p_, "tasks.recall": r_, "tasks.f1": f_})
    scores.counts["tasks.gold"] = len(gold["tasks"])
    ok = 0
    canon_misses = []
    for pair in gold.get("canonical", []):
        doc = doc_cache.get(index.key(pair, "doc_line_start")) or index.task_document(pair)
        resolved = None
        for m in index.measures.get(doc["id"], []) if doc else []:
            for units, ids in ((m["lead_units"], m.get("lead_agencies") or []),
                               (m["responsible_units"], m.get("responsible_agencies") or [])):
                for unit, agency_id in zip(units, ids):
                    if fold(unit) == fold(pair["surface"]) and resolved is None:
                        resolved = index.agencies.get(agency_id, {}).get("name")
        ok += fold(resolved) == fold(pair["canonical"]) if resolved is not None else False
        if resolved is None or fold(resolved) != fold(pair["canonical"]):
            canon_misses.append({"pair": pair, "predicted": resolved})
    if gold.get("canonical"):
        scores.figures["tasks.canonical_accuracy"] = ok / len(gold["canonical"])
    scores.misses["tasks"] = misses + canon_misses


def _score_reforms(index: _DocIndex, gold_docs: list[dict], scores: Scores) -> None:
    core_hit = core_total = correct = predicted_total = 0
    misses = []
    def label(r: str) -> str:
        return _LABEL_NOISE.sub("", unicodedata.normalize("NFKC", r) if isinstance(index, _SourceIndex) else r)

    for g in gold_docs:
        p = index.reform_document(g)
        predicted = {label(r) for r in (p["reforms"] if p else [])}
        core = {label(r) for r in g["reforms_core"]}
        allowed = {label(r) for r in g["reforms"]}
        core_hit += len(predicted & core)
        core_total += len(core)
        correct += len(predicted & (allowed | core))
        predicted_total += len(predicted)
        if core - predicted or predicted - allowed - core:
            misses.append({"doc": index.key(g, "doc_line_start"), "missed_core": sorted(core - predicted),
                           "extra": sorted(predicted - allowed - core)})
    precision = correct / predicted_total if predicted_total else 0.0
    recall = core_hit / core_total if core_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores.figures.update({"reforms.precision": precision, "reforms.recall": recall, "reforms.f1": f1})
    scores.counts["reforms.core"] = core_total
    scores.misses["reforms"] = misses
