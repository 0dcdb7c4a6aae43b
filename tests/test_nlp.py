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


def test_nlp_keeps_the_cue_word_out_of_the_number():
    nlp = policygraph.nlp()
    cases = {
        "全面推行“一业一证”改革，依据京政办发〔2023〕5号": "京政办发〔2023〕5号",
        "根据国办发[2022]30号文件精神": "国办发[2022]30号",
        "按照冀政办字（2022）第152号要求": "冀政办字（2022）第152号",
        "为贯彻落实京市监发〔2023〕15号": "京市监发〔2023〕15号",
        "京政办发〔2023〕5号": "京政办发〔2023〕5号",
    }
    for text, number in cases.items():
        assert [e.text for e in nlp(text).ents if e.label_ == "DOC_NUMBER"] == [number], text
