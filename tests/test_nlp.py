"""The spaCy pipeline exposed to researchers: policygraph.nlp()."""
from __future__ import annotations

import policygraph


def test_nlp_finds_reforms_numbers_titles_and_places():
    nlp = policygraph.nlp()
    doc = nlp("北京市全面推行“一业一证”改革，依据《北京市推广“一业一证”改革实施方案》（京政办发〔2023〕5号），通过京通办理")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("京政办发〔2023〕5号", "DOC_NUMBER") in ents
    assert ("一业一证", "REFORM") in ents
    assert ("《北京市推广“一业一证”改革实施方案》", "DOC_TITLE") in ents
    assert ("北京市", "GPE") in ents
    assert ("京通", "PLATFORM") in ents
    assert nlp.pipe_names == ["entity_ruler", "policy_doc_numbers"]


def test_nlp_is_extensible_like_any_spacy_pipeline():
    nlp = policygraph.nlp()
    assert nlp.lang == "zh"
    reform = next(e for e in nlp("推行“证照分离”改革").ents if e.label_ == "REFORM")
    assert reform.ent_id_ == "证照分离"
