"""The extraction pipeline: read → normalise → segment → extract, one file at a time, then
one deterministic merge (agencies by id, citations resolved across all files).

Each file is extracted by a pure function (`extract_file`), so files can be mapped over a
process pool (`workers`) or a Dask cluster (`dask`, see distributed.py) and the merged result
is the same, byte for byte, whatever the worker count or the order the files were given in:
results are merged in the order of their paths, never in the order they finished.

    >>> from policygraph.extract.pipeline import extract_corpus
    >>> result = extract_corpus(["data/north_china_2023.txt"], workers=2)
    >>> len(result.documents)   # 27 corpus documents + cited stubs
"""
from __future__ import annotations

import gc
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from policygraph.errors import InputError
from policygraph.extract import reforms as reform_stage
from policygraph.extract.agencies import canonical_unit, split_joint_issuers
from policygraph.extract.citations import extract_citations
from policygraph.extract.lexicon import platforms, reforms
from policygraph.extract.measures import extract_measures
from policygraph.extract.metadata import front_matter, issuers_as_written
from policygraph.extract.models import Agency, Document, Extraction, Measure, Skipped, SourceText
from policygraph.extract.normalise import normalise
from policygraph.extract.read import check_skips, expand_inputs, no_document_found, read_source, short_reason
from policygraph.extract.resolve import (
    AgencyResolver,
    CitationResolver,
    document_jurisdiction,
    jurisdictions_used,
    level_of,
)
from policygraph.extract.segment import segment
from policygraph.extract.tables import find_tables

NO_DOCUMENT = "no policy document found in it"  # the skip reason of a file read but holding no document
Progress = Callable[[str], None]  # called with each file's path once it is extracted


class Timer:
    """Seconds spent per stage, for the benchmark. Per-file stages are summed over files (CPU
    seconds of all workers together), the merge stages are the parent's wall time."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] += now - self._t
        self._t = now

    def add(self, seconds: dict[str, float]) -> None:
        for stage, s in seconds.items():
            self.seconds[stage] += s
        self._t = time.perf_counter()


@dataclass
class FileResult:
    """What one input file contributes: its records (no whole texts), the agencies it named
    (in the order it named them), or why it was skipped."""

    path: str
    size: int = 0  # characters extracted, for throughput figures
    documents: list[Document] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    skipped: Skipped | None = None
    error: str | None = None  # the full sentence, raised when this file was the whole input
    seconds: dict[str, float] = field(default_factory=dict)


# ------------------------------------------------------------------ one file (pure)


def extract_file(path: str | Path, read_options: dict | None = None) -> FileResult:
    """Read and extract one file. A file that cannot be read becomes a skip, not a crash.
    `read_options` go to read_source (e.g. max_bytes)."""
    timer = Timer()
    p = Path(path)
    try:
        source = read_source(p, **(read_options or {}))
    except InputError as exc:
        return FileResult(str(path), skipped=Skipped(str(path), short_reason(exc, p)), error=str(exc))
    except (RecursionError, MemoryError, ValueError, OSError) as exc:
        # A reader library choking on a hostile file must not end the batch either.
        return FileResult(str(path), skipped=Skipped(str(path), f"could not be read ({type(exc).__name__})"),
                          error=f"{path} could not be read ({type(exc).__name__}): check the file.")
    timer.lap("read")
    return extract_source(source, timer)


def extract_source(source: SourceText, timer: Timer | None = None) -> FileResult:
    timer = timer or Timer()
    agencies = AgencyResolver()
    seen_ids: set[str] = set()
    result = FileResult(source.path, size=sum(len(line) + 1 for line in source.lines))
    text = normalise(source)
    timer.lap("normalise")
    segments = segment(text) if text.text else []
    timer.lap("segment")
    if not segments:
        result.skipped = Skipped(source.path, NO_DOCUMENT)
        result.error = no_document_found([source.path])
    for seg in segments:
        fm = front_matter(seg)
        written = issuers_as_written(fm)
        split = [part for name in written for part in split_joint_issuers(name)]
        jurisdiction = document_jurisdiction(split, fm.doc_number, seg.region or fm.place_hint,
                                             law_title=fm.title if fm.genre == "law" else None)
        issuers = [canonical_unit(name, jurisdiction).name for name in split]
        doc_id = _unique(fm.doc_number or fm.title or Path(seg.text.path).stem, seen_ids)
        own_titles = [fm.title, *fm.attachments]
        tables = find_tables(seg.text, fm.body_start)
        cites = extract_citations(seg.text, fm.body_start, fm.doc_number, own_titles, tables, history=fm.history)
        timer.lap("metadata+citations")
        hits = reform_stage.find_labels(seg.text.text)
        timer.lap("reforms")
        span = seg.text.span(0, len(seg.text.text))
        doc = Document(
            id=doc_id,
            title=fm.title,
            date=fm.date,
            doc_number=fm.doc_number,
            doc_number_as_written=fm.doc_number_as_written,
            issuers=issuers,
            issuers_as_written=[w for w in split if w not in issuers] + [w for w in written if w not in split],
            addressees=fm.addressees,
            attachments=fm.attachments,
            jurisdiction=jurisdiction,
            level=level_of(jurisdiction),
            region=seg.region,
            cites=cites,
            reforms=reform_stage.labels(hits, "reform"),
            platforms=reform_stage.labels(hits, "platform"),
            span=type(span)(span.path, seg.header_line, seg.line_end,
                            seg.text.pages.get(seg.header_line), seg.text.pages.get(seg.line_end)),
        )
        # HTML and DOCX lines map back to the lines of the original file
        doc.span = source.source_span(doc.span)
        for cite in doc.cites:
            cite.span = source.source_span(cite.span)
        for issuer in split:
            agencies.resolve(issuer, jurisdiction, doc.span)
        doc_measures = extract_measures(seg, doc_id, fm.body_start, tables)
        for m in doc_measures:
            m.span = source.source_span(m.span)
            agencies.resolve_measure(m, jurisdiction)
            m.reforms = reform_stage.labels(reform_stage.find_labels(m.text), "reform")
        timer.lap("measures+agencies")
        result.documents.append(doc)
        result.measures.extend(doc_measures)
    result.agencies = list(agencies.agencies.values())
    result.seconds = dict(timer.seconds)
    return result


# ------------------------------------------------------------------ many files


def extract_corpus(paths: Iterable[str | Path], timer: Timer | None = None, workers: int | None = None,
                   dask: str | None = None, progress: Progress | None = None,
                   read_options: dict | None = None, strict: bool = False) -> Extraction:
    """Extract every file (a folder stands for every readable file in it, recursively) and merge.

    Unreadable files are skipped with their reason (`Extraction.skipped`); `strict` makes any
    skip an error; a lone file given on its own that cannot be read raises its own sentence.

    `workers`: processes on this machine (default: one per core; 1 = in this process).
    `dask`: "local" or a scheduler address (tcp://host:8786) to map the files over a Dask
    cluster instead; the input paths must be readable on its workers.
    `read_options`: keyword arguments of read_source for every file (e.g. max_bytes)."""
    timer = timer or Timer()
    given = list(paths)
    files = _distinct(expand_inputs(given))
    extract_one = partial(extract_file, read_options=read_options) if read_options else extract_file
    if dask:
        from policygraph.extract.distributed import map_on_dask

        results = map_on_dask(files, dask, progress, extract_one)
    else:
        results = map_files(files, workers, progress, extract_one)
    lone = len(files) == 1 and len(given) == 1 and not Path(given[0]).is_dir()
    return merge(results, timer, strict=strict, lone=lone)


def extract_text(text: str, path: str = "<string>") -> Extraction:
    """For notebooks: extract from text already in memory."""
    from policygraph.extract.read import source_from_string

    return extract_sources([source_from_string(text, path)])


def extract_sources(sources: list[SourceText], timer: Timer | None = None,
                    skipped: list[Skipped] | None = None, strict: bool = False) -> Extraction:
    """Texts already read (notebooks, tests): extracted here, in this process. `skipped`: files
    the caller could not read, reported with the result."""
    results = [extract_source(s) for s in sources]
    results += [FileResult(s.path, skipped=s, error=f"{s.path} {s.reason}.") for s in skipped or []]
    return merge(results, timer or Timer(), strict=strict, lone=len(results) == 1)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_files(files: list[str], workers: int | None = None, progress: Progress | None = None,
              extract_one: Callable[[str], FileResult] = extract_file) -> list[FileResult]:
    """`extract_file` over the files: in this process for one worker or one file, else in a
    process pool. Results come back in the files' order."""
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise InputError(f"--workers must be at least 1, not {workers}.")
    if workers == 1 or len(files) <= 1:
        results = []
        for f in files:
            results.append(extract_one(f))
            if progress:
                progress(f)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    warm_up()  # forked workers inherit the loaded lexicons and automata instead of each building them
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    chunk = max(1, len(files) // (workers * 8))
    results = []
    with _collector_paused(), ProcessPoolExecutor(max_workers=min(workers, len(files)), mp_context=context,
                                                  initializer=gc.enable) as pool:
        for f, result in zip(files, pool.map(extract_one, files, chunksize=chunk)):
            results.append(result)
            if progress:
                progress(f)
    return results


@contextmanager
def _collector_paused():
    """No cyclic garbage collection in this process while the pool's results come in.

    The records hold no reference cycles, but unpickling them creates hundreds of thousands
    of objects, and every collection that triggers rescans the whole growing heap: on the laws
    corpus unpickling took 2.3 s with collections, 0.6 s without. The heap is frozen first so the
    forked workers, which collect as usual (`initializer=gc.enable`), never rescan the
    lexicons and automata they inherit either."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        # Freezing again, then thawing, puts every object, the results too, in the oldest
        # generation: else the first collection after this would scan all of them as young.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def warm_up() -> None:
    """Load the lexicons, automata and lazily imported stages once."""
    from policygraph.extract.read import source_from_string

    extract_source(source_from_string("北京市人民政府办公厅关于推行“一业一证”改革的通知\n京政办发〔2023〕5号\n"
                                      "一、优化流程。（市政务服务局牵头）\n", "<warm-up>"))


def merge(results: list[FileResult], timer: Timer, strict: bool = False, lone: bool = False) -> Extraction:
    """One Extraction from per-file results, independent of the order they came in: files
    in path order, document ids made unique across files, agencies merged by id, then
    citations resolved across all files."""
    results = sorted(results, key=lambda r: r.path)
    for r in results:
        timer.add(r.seconds)
    skipped = [r.skipped for r in results if r.skipped]
    if lone and skipped:
        raise InputError(results[0].error or skipped[0].reason)
    if not any(r.documents for r in results):
        if all(r.error and r.skipped and r.skipped.reason == NO_DOCUMENT for r in results):
            raise InputError(no_document_found([r.path for r in results]))
        check_skips(skipped, strict, nothing_read=True)
    check_skips(skipped, strict, nothing_read=False)
    documents: list[Document] = []
    measures: list[Measure] = []
    agencies: dict[str, Agency] = {}
    seen_ids: set[str] = set()
    for r in results:
        by_doc: dict[str, list[Measure]] = defaultdict(list)
        for m in r.measures:
            by_doc[m.document].append(m)
        for doc in r.documents:
            unique = _unique(doc.doc_number or doc.title or doc.id, seen_ids)
            if unique != doc.id:
                _rename(doc, by_doc[doc.id], unique)
            documents.append(doc)
        measures.extend(r.measures)
        for agency in r.agencies:
            _merge_agency(agencies, agency)
    timer.lap("merge")
    stubs = CitationResolver(documents).resolve_all(documents)
    timer.lap("resolve")
    used = {label for d in documents for label in d.reforms}
    used_platforms = {p for d in documents for p in d.platforms}
    agency_list = sorted(agencies.values(), key=lambda a: a.id)
    return Extraction(
        documents=documents + stubs,
        measures=measures,
        agencies=agency_list,
        reforms=[r for r in reforms() if r["label"] in used],
        platforms=[p for p in platforms() if p["name"] in used_platforms],
        jurisdictions=jurisdictions_used(documents + stubs, agency_list),
        sources=[r.path for r in results if not r.skipped],
        skipped=skipped,
    )


def _merge_agency(agencies: dict[str, Agency], agency: Agency) -> None:
    """The same as resolving every file's mentions in one resolver, file after file: the
    first file fixes name, kind and jurisdiction; aliases and (up to 50) spans accumulate."""
    known = agencies.get(agency.id)
    if known is None:
        agencies[agency.id] = agency
        return
    known.aliases.extend(a for a in agency.aliases if a not in known.aliases)
    known.spans.extend(agency.spans[: max(0, 50 - len(known.spans))])


def _rename(doc: Document, doc_measures: list[Measure], new_id: str) -> None:
    old = doc.id
    doc.id = new_id
    for m in doc_measures:
        m.id = new_id + m.id[len(old):]
        m.document = new_id


def _distinct(paths: list[Path]) -> list[str]:
    """Each file once (inputs are read once), as strings."""
    out: dict[str, None] = {}
    for p in paths:
        out.setdefault(str(p), None)
    return list(out)


def _unique(candidate: str, seen: set[str]) -> str:
    doc_id, n = candidate, 2
    while doc_id in seen:
        doc_id = f"{candidate}#{n}"
        n += 1
    seen.add(doc_id)
    return doc_id
