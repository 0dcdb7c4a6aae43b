"""The entity recogniser as a spaCy pipeline, for researchers' own spaCy code.

`nlp()` returns `spacy.blank("zh")` (character segmentation: no model to download) with an
EntityRuler fed from the lexicon files (REFORM, PLATFORM, GPE for administrative divisions)
and a small component that marks 发文字号 (DOC_NUMBER) and 《titles》 (DOC_TITLE).

    >>> import policygraph
    >>> doc = policygraph.nlp()("全面推行“一业一证”改革，依据京政办发〔2023〕5号")
    >>> [(e.text, e.label_) for e in doc.ents]
    [('一业一证', 'REFORM'), ('京政办发〔2023〕5号', 'DOC_NUMBER')]
"""
from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from policygraph.extract.lexicon import divisions, platforms, reforms
from policygraph.extract.citations import clean_number
from policygraph.extract.docnumber import find_doc_numbers

_TITLE = re.compile(r"《[^《》]{2,120}》")


@Language.component("policy_doc_numbers")
def doc_numbers(doc: Doc) -> Doc:
    """Add DOC_NUMBER and DOC_TITLE entities found by pattern; lexicon entities win ties."""
    spans = list(doc.ents)
    found = [(_number_start(m), m.end(), "DOC_NUMBER") for m in find_doc_numbers(doc.text)]
    found += [(m.start(), m.end(), "DOC_TITLE") for m in _TITLE.finditer(doc.text)]
    for start, end, label in found:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def _number_start(m) -> int:
    """Where the number really starts: running text glues cue words to its prefix (依据京政办发…),
    and the pattern's prefix takes them in; keep the prefix `clean_number` keeps."""
    prefix = m.group("prefix")
    kept = clean_number(f"{prefix}〔").split("〔", 1)[0]
    return m.start("prefix") + len(prefix) - len(kept)


def _patterns() -> list[dict]:
    patterns = []
    for row in reforms():
        for form in {row["label"], *row.get("variants", [])}:
            patterns.append({"label": "REFORM", "pattern": form, "id": row["label"]})
    for row in platforms():
        for form in {row["name"], *row.get("variants", [])}:
            patterns.append({"label": "PLATFORM", "pattern": form, "id": row["name"]})
    for row in divisions():
        if len(row["name"]) >= 3:
            patterns.append({"label": "GPE", "pattern": row["name"], "id": row["name"]})
    return patterns


@lru_cache(maxsize=1)
def nlp() -> Language:
    pipeline = spacy.blank("zh")
    ruler = pipeline.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(_patterns())
    pipeline.add_pipe("policy_doc_numbers", after="entity_ruler")
    return pipeline
