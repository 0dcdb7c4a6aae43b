"""Stage 3: documents, regions and outlines of the real corpus, and single web documents."""
from __future__ import annotations

from policygraph.extract.normalise import normalise
from policygraph.extract.read import source_from_string
from policygraph.extract.segment import chinese_number, outline, segment


def _segments(lines):
    return segment(normalise(source_from_string("\n".join(lines))))


def test_corpus_has_27_documents_with_gold_line_spans(corpus_lines, gold):
    segs = _segments(corpus_lines)
    assert len(segs) == 27
    spans = {s.header_line: s.line_end for s in segs}
    for doc in gold["documents"]["documents"]:
        assert spans[doc["line_start"]] == doc["line_end"], doc["title"]
    assert [s.region for s in segs].count("天津") == 1
    assert {s.region for s in segs} == {"北京", "天津", "河北", "山西", "内蒙古"}


def test_attachment_list_items_are_not_document_headers(corpus_lines):
    # Lines 8257-8261: "附件：1.…" then "2. …清单", "3. …", "4. …调度表", then a real header "5. 中共通辽…".
    segs = _segments(corpus_lines)
    starts = [s.header_line for s in segs]
    assert 8261 in starts and not {8258, 8259, 8260} & set(starts)


def test_website_document_is_one_document():
    page = (
        "北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知\n"
        "京政办发〔2023〕5号\n各区人民政府，市政府各委、办、局，各市属机构：\n"
        "经市政府同意，现将《北京市推广“一业一证”改革实施方案》印发给你们，请结合实际认真贯彻执行。\n"
        "北京市人民政府办公厅\n2023年2月24日\n"
    )
    segs = _segments(page.split("\n"))
    assert len(segs) == 1 and segs[0].header_line == 1


def test_outline_nests_labels_in_order_of_appearance(corpus_lines):
    # 京发改〔2023〕20号: 二、 > （一） > 5. > （1）（2）, the （1） mid-line after a comma.
    segs = _segments(corpus_lines)
    doc = next(s for s in segs if s.header_line == 603)
    items = outline(doc.text, doc.header_end)
    five = next(i for i in items if i.label == "5." and doc.text.line_of(i.start) == 702)
    children = [i for i in items if i.parent == items.index(five)]
    assert [c.label for c in children] == ["（1）", "（2）"]
    assert doc.text.line_of(children[0].start) == 708


def test_chinese_numbers():
    assert [chinese_number(x) for x in ["一", "十", "十二", "二十", "二十二", "一百零八", "217"]] == [1, 10, 12, 20, 22, 108, 217]
