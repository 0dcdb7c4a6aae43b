"""The extraction pipeline: read → normalise → segment → extract → resolve.

    >>> from policygraph.extract.pipeline import extract_corpus
    >>> result = extract_corpus(["data/north_china_2023.txt"])
    >>> len(result.documents)   # 27 corpus documents + cited stubs
"""
from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from policygraph.errors import InputError
from policygraph.extract import reforms as reform_stage
from policygraph.extract.agencies import split_joint_issuers, canonical_unit
from policygraph.extract.citations import extract_citations
from policygraph.extract.lexicon import platforms, reforms
from policygraph.extract.measures import extract_measures
from policygraph.extract.tables import find_tables
from policygraph.extract.metadata import front_matter, issuers_as_written
from policygraph.extract.models import Document, Extraction, Skipped, SourceText
from policygraph.extract.normalise import normalise
from policygraph.extract.read import check_skips, no_document_found, read_inputs
from policygraph.extract.resolve import (
    AgencyResolver,
    CitationResolver,
    document_jurisdiction,
    jurisdictions_used,
    level_of,
)
from policygraph.extract.segment import segment


class Timer:
    """Seconds spent per stage, for the benchmark."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self._t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] += now - self._t
        self._t = now


def extract_corpus(paths: list[str | Path], timer: Timer | None = None, strict: bool = False) -> Extraction:
    """Read files and folders (unreadable files are skipped, see extract/read.py) and extract."""
    timer = timer or Timer()
    sources, skipped = read_inputs(paths, strict=strict)
    timer.lap("read")
    return extract_sources(sources, timer, skipped=skipped, strict=strict)


def extract_text(text: str, path: str = "<string>") -> Extraction:
    """For notebooks: extract from text already in memory."""
    from policygraph.extract.read import source_from_string

    return extract_sources([source_from_string(text, path)])


def extract_sources(
    sources: list[SourceText], timer: Timer | None = None, skipped: list[Skipped] | None = None, strict: bool = False
) -> Extraction:
    timer = timer or Timer()
    skipped = list(skipped or [])
    documents: list[Document] = []
    measures = []
    agencies = AgencyResolver()
    seen_ids: set[str] = set()
    for source in sources:
        text = normalise(source)
        timer.lap("normalise")
        if not text.text:
            skipped.append(Skipped(source.path, "no document text found in it"))
            continue
        segments = segment(text)
        timer.lap("segment")
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
            documents.append(doc)
            measures.extend(doc_measures)
    if strict or (not documents and skipped):
        check_skips(skipped, strict, nothing_read=not documents)
    if not documents:
        raise InputError(no_document_found([s.path for s in sources]))
    stubs = CitationResolver(documents).resolve_all(documents)
    timer.lap("resolve")
    used = {label for d in documents for label in d.reforms}
    used_platforms = {p for d in documents for p in d.platforms}
    agency_list = sorted(agencies.agencies.values(), key=lambda a: a.id)
    return Extraction(
        documents=documents + stubs,
        measures=measures,
        agencies=agency_list,
        reforms=[r for r in reforms() if r["label"] in used],
        platforms=[p for p in platforms() if p["name"] in used_platforms],
        jurisdictions=jurisdictions_used(documents + stubs, agency_list),
        sources=[s.path for s in sources],
        skipped=skipped,
    )


def _unique(candidate: str, seen: set[str]) -> str:
    doc_id, n = candidate, 2
    while doc_id in seen:
        doc_id = f"{candidate}#{n}"
        n += 1
    seen.add(doc_id)
    return doc_id
