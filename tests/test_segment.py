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


# ---------------------------------------------------------------- linear work (issue 8)

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from policygraph.extract import pipeline  # noqa: E402
from policygraph.extract.pipeline import extract_text  # noqa: E402

_EXTRACT_DIR = str(Path(pipeline.__file__).parent)  # as the interpreter names it (no symlinks resolved)


def _work(text: str) -> int:
    """Python lines executed inside extract/ while extracting the text: a count of work done,
    not a time, so it is the same on any machine and under any load."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if not frame.f_code.co_filename.startswith(_EXTRACT_DIR):
            return None
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        extract_text(text)
    finally:
        sys.settrace(None)
    return count


def _same_label(n: int) -> str:
    # the case: many （一） items, each restarting the count
    return "某某方案\n各区：\n" + "\n".join(f"（一）任务{k}说明。" for k in range(n))


def _attributed(n: int) -> str:
    return "某某方案\n各区：\n" + "\n".join(
        f"{k}.推进第{k}项改革。（市发展改革委牵头，市商务局配合）" if k % 3 else f"{k}.研究第{k}项措施。"
        for k in range(1, n + 1))


def _table(n: int) -> str:
    rows = [f"{k}\t任务{k}\t推进第{k}项改革。\t市发展改革委\t市商务局" if k % 4 else f"\t\t细化第{k}项。\t\t市财政局"
            for k in range(1, n + 1)]
    return "某某清单\n各区：\n序号\t重点任务\t具体措施\t牵头单位\t配合单位\n" + "\n".join(rows)


import pytest  # noqa: E402


@pytest.mark.parametrize("make", [_same_label, _attributed, _table])
def test_doubling_the_input_at_most_doubles_the_work(make):
    small, large = _work(make(450)), _work(make(900))
    assert small > 10_000 and large <= 2.2 * small, (small, large)


def test_outline_sets_subtree_ends_without_rescanning():
    from policygraph.extract.normalise import normalise
    from policygraph.extract.read import source_from_string

    text = normalise(source_from_string(_same_label(2000)))
    items = outline(text)
    assert len(items) == 2000 and all(i.tree_end == j.start for i, j in zip(items, items[1:]))
