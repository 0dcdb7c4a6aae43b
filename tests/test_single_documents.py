"""A single document as published on a government website, and national-level text: the
same extraction applies (hand-made edge cases in the shape of real pages)."""
from __future__ import annotations

from policygraph.extract.pipeline import extract_text

NATIONAL = """国家发展改革委 商务部 市场监管总局关于进一步优化营商环境的通知
发改体改〔2023〕101号
各省、自治区、直辖市人民政府，新疆生产建设兵团：
为贯彻落实《国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见》（国办发〔2022〕30号），现就有关事项通知如下。
一、全面推行“证照分离”改革
（一）深化涉企经营许可改革。在全国范围内推行“证照分离”改革全覆盖。（市场监管总局、商务部等按职责分工负责）
（二）推进“一网通办”。
责任单位：国家发展改革委、各省级人民政府
二、加强组织实施
各地区要高度重视，抓好落实。
国家发展改革委
商务部
市场监管总局
2023年3月1日
"""

ONE_LINE = ("标题：北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知 发文字号：京政办发〔2023〕5号 "
            "成文日期：2023年02月24日 各区人民政府，市政府各委、办、局，各市属机构：经市政府同意，现将《北京市推广“一业一证”改革实施方案》"
            "印发给你们，请结合实际认真贯彻执行。")


def test_national_web_document():
    extraction = extract_text(NATIONAL, "national.txt")
    doc = next(d for d in extraction.documents if not d.stub)
    assert doc.title == "国家发展改革委商务部市场监管总局关于进一步优化营商环境的通知"
    assert doc.doc_number == "发改体改〔2023〕101号" and doc.date == "2023-03-01"
    assert doc.issuers == ["国家发展和改革委员会", "商务部", "国家市场监督管理总局"]
    assert doc.level == "national" and doc.jurisdiction == "全国"
    assert doc.addressees == "各省、自治区、直辖市人民政府，新疆生产建设兵团"
    assert [(c.doc_number, c.relation) for c in doc.cites] == [("国办发〔2022〕30号", "basis")]
    assert "证照分离" in doc.reforms and "一网通办" in doc.reforms
    measures = {m.key: m for m in extraction.measures}
    assert measures["（一）"].lead_units == ["市场监管总局", "商务部"]
    assert measures["（二）"].lead_units == ["国家发展改革委", "各省级人民政府"]
    agencies = {a.name for a in extraction.agencies}
    assert {"国家市场监督管理总局", "商务部", "国家发展和改革委员会"} <= agencies
    assert not any(name.startswith("全国") for name in agencies)


def test_one_line_web_page_with_labelled_fields():
    extraction = extract_text(ONE_LINE, "page.txt")
    doc = next(d for d in extraction.documents if not d.stub)
    assert doc.title == "北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知"
    assert doc.doc_number == "京政办发〔2023〕5号" and doc.date == "2023-02-24"
    assert doc.issuers == ["北京市人民政府办公厅"] and doc.jurisdiction == "北京市"
    assert "北京市推广“一业一证”改革实施方案" in doc.attachments


def test_fragment_without_header_still_yields_measures():
    fragment = "（二）推进“一网通办”。依托政务服务平台，实现全程网办。（市政务服务局牵头，各区政府配合）\n"
    extraction = extract_text(fragment, "fragment.txt")
    assert [(m.lead_units, m.responsible_units) for m in extraction.measures if m.lead_units] == [(["市政务服务局"], ["各区政府"])]
