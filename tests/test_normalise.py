"""Stage 2: undoing the PDF's line breaks and spaces while keeping line numbers."""
from __future__ import annotations

import pytest

from policygraph.extract.normalise import clean_line, normalise
from policygraph.extract.read import source_from_string


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("2023 年5 月12 日", "2023年5月12日"),
        ("京市监发〔2023〕15 号", "京市监发〔2023〕15号"),
        ("登录 e 窗通 平台", "登录e窗通平台"),
        ("5G 基站超过6 万个", "5G基站超过6万个"),
        ("(市司法局牵头)", "（市司法局牵头）"),
        ("委各相关单位:", "委各相关单位："),
        ("Windows 10 系统", "Windows 10系统"),
        ("http://tzxm.beijing.gov.cn/", "http://tzxm.beijing.gov.cn/"),
    ],
)
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


def test_rejoins_broken_words_and_maps_lines(corpus_lines):
    # Lines 7-9 of the corpus: a header broken mid-word (营|商环境) and mid-date (2023|年).
    text = normalise(source_from_string("\n".join(corpus_lines[:12])))
    assert "全面优化营商环境助力企业高质量发展改革重点任务清单》的通知（2023年5月12日）" in text.text
    assert "# Page" not in text.text
    offset = text.text.index("商环境助力")
    assert text.line_of(offset) == 8
    assert text.pages[7] == 103


def test_page_marker_inside_a_sentence(corpus_lines):
    # 京政办发〔2023〕5号: a page marker (page 112) sits between the header and the number.
    text = normalise(source_from_string("\n".join(corpus_lines[348:356])))
    assert "的通知（2023年2月24日）京政办发〔2023〕5号各区人民政府" in text.text
