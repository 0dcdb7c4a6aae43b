"""Stage 1 readers, one per format, on real files (tests/fixtures/inputs, see make_fixtures.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.errors import InputError
from policygraph.extract.readers import read_document

INPUTS = Path(__file__).parent / "fixtures" / "inputs"
GOV_PAGE = INPUTS / "gov_cn_guobanfa_2018_123.html"
TIANJIN = "tianjin_2023_responsibility_list"
# The 天津 责任清单 rows as every reader must emit them: TAB-separated cells, the 重点任务 merged
# over rows 1-3 and 4-5 present in its first row and empty below.
TIANJIN_ROWS = [
    "序号\t重点任务\t主要内容\t牵头部门\t责任单位",
    "1\t1.优化企业开办服务\t推进电子营业执照在市公共资源交易平台中的应用。\t市市场监管委\t市政务服务办、市委网信办、市大数据管理中心",
    "2\t\t试点推动企业常用电子证照信息与电子营业执照相关联，拓展电子营业执照服务功能。\t市市场监管委\t"
    "市委网信办、市大数据管理中心、市政务服务办，东疆综合保税区管委会",
]


def test_gov_cn_page_box_first_then_content_without_boilerplate():
    source = read_document(GOV_PAGE)
    assert source.format == "html"
    assert source.lines[:7] == [
        "标题：国务院办公厅关于推进政务新媒体健康有序发展的意见",
        "索引号：000014349/2018-00221",
        "主题分类：综合政务\\政务公开",
        "发文机关：国务院办公厅",
        "成文日期：2018年12月07日",
        "发文字号：国办发〔2018〕123号",
        "发布日期：2018年12月27日",
    ]
    assert "扫一扫在手机打开当前页" not in "".join(source.lines)  # the QR-code box is page furniture
    assert not any("<" in line for line in source.lines)
    # Numbered paragraphs start their own line, so measures can be found.
    assert "（一）推进政务公开，强化解读回应。" in [line[:17] for line in source.lines]
    # origin: the 标题 line points at the box's title row, the body at the content cell's line.
    html_lines = GOV_PAGE.read_text(encoding="utf-8").split("\n")
    assert "标　　题" in html_lines[source.origin[0] - 1]
    i = source.lines.index("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")
    assert "各直属机构：" in html_lines[source.origin[i] - 1]


@pytest.mark.parametrize("suffix", ["html", "docx", "pdf"])
def test_tables_stay_tables_as_tab_rows(suffix):
    source = read_document(INPUTS / f"{TIANJIN}.{suffix}")
    rows = [line for line in source.lines if "\t" in line]
    assert rows[:3] == TIANJIN_ROWS
    assert len(rows) == 6 and all(row.count("\t") == 4 for row in rows)
    assert rows[4].startswith("4\t2.提高项目开工建设效率\t") and rows[5].startswith("5\t\t")
    assert "经市人民政府同意，现将《天津市2023年优化营商环境责任清单》印发给你们，请遵照执行。" in source.lines


def test_pdf_pages_are_marked_and_reach_the_provenance():
    from policygraph.extract.pipeline import extract_corpus

    source = read_document(INPUTS / "gov_cn_guofa_2018_43.pdf")
    assert source.format == "pdf" and source.lines[0] == "# Page 1:"
    doc = next(d for d in extract_corpus([INPUTS / "gov_cn_guofa_2018_43.pdf"]).documents if not d.stub)
    assert doc.doc_number == "国发〔2018〕43号" and doc.date == "2018-12-21" and doc.issuers == ["国务院"]
    assert doc.span.page_start == 1 and doc.span.page_end == 1


def test_pdf_page_numbers_reach_measures_on_later_pages():
    from policygraph.extract.pipeline import extract_corpus

    path = INPUTS / "gov_cn_guobanfa_2018_123.pdf"  # the gov.cn page printed on three pages
    source = read_document(path)
    assert [line for line in source.lines if line.startswith("# Page")] == ["# Page 1:", "# Page 2:", "# Page 3:"]
    extraction = extract_corpus([path])
    doc = extraction.documents[0]
    assert (doc.doc_number, doc.span.page_start, doc.span.page_end) == ("国办发〔2018〕123号", 1, 3)
    pages = {m.text[:9]: m.span.page_start for m in extraction.measures}
    # 一、总体要求 (指导思想 …) is a preamble, no measure; the first measures sit under 二、 on page 1
    assert pages["本意见所称政务新媒"] == 1
    assert pages["开设整合。县级以上"] == 2
    assert pages["加强组织领导。各地"] == 3


def test_docx_origin_counts_body_paragraphs():
    source = read_document(INPUTS / f"{TIANJIN}.docx")
    assert source.format == "docx"
    assert source.lines[0] == "天津市政务服务办关于印发天津市2023年优化营商环境责任清单的通知"
    assert source.origin[:3] == [1, 2, 3]
    first_row = source.lines.index(TIANJIN_ROWS[0])
    assert source.origin[first_row + 1] == source.origin[first_row] + 1  # one per table row


def test_markdown_is_kept_line_for_line():
    path = INPUTS / "law_foreign_central_bank_immunity_2005.md"
    source = read_document(path)
    assert source.format == "markdown" and source.origin is None
    assert source.lines == path.read_text(encoding="utf-8").split("\n")
    assert source.lines[0] == "# 中华人民共和国外国中央银行财产司法强制措施豁免法"


def test_format_is_detected_by_content_not_extension(tmp_path):
    page = tmp_path / "saved-page.txt"
    page.write_bytes(GOV_PAGE.read_bytes())
    assert read_document(page).format == "html"
    pdf = tmp_path / "download"
    pdf.write_bytes((INPUTS / "gov_cn_guofa_2018_43.pdf").read_bytes())
    assert read_document(pdf).format == "pdf"
    word = tmp_path / "notice.bin"
    word.write_bytes((INPUTS / f"{TIANJIN}.docx").read_bytes())
    assert read_document(word).format == "docx"


def test_declared_gbk_charset_is_respected(tmp_path):
    text = GOV_PAGE.read_text(encoding="utf-8")
    page = tmp_path / "gbk.htm"
    page.write_bytes(('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                      f"</head><body>{text}</body></html>").encode("gb18030"))
    source = read_document(page)
    assert source.encoding == "gb18030"
    assert source.lines[0] == "标题：国务院办公厅关于推进政务新媒体健康有序发展的意见"


def test_a_site_name_is_never_the_title(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>天津市人民政府</title></head><body><h1>天津市人民政府门户网站</h1>"
                    + GOV_PAGE.read_text(encoding="utf-8").split("<br>", 1)[1] + "</body></html>", encoding="utf-8")
    assert not read_document(page).lines[0].startswith("标题：")


def test_utf8_page_that_still_declares_gbk_is_read_as_utf8(tmp_path):
    page = tmp_path / "resaved.html"
    page.write_bytes(('<meta charset="gbk">' + GOV_PAGE.read_text(encoding="utf-8")).encode("utf-8"))
    assert read_document(page).lines[3] == "发文机关：国务院办公厅"


def test_whole_page_title_comes_from_title_without_site_name(tmp_path):
    page = tmp_path / "page.html"
    page.write_text((INPUTS / f"{TIANJIN}.html").read_text(encoding="utf-8").replace("<h1>", "<div>").replace("</h1>", "</div>"),
                    encoding="utf-8")
    assert read_document(page).lines[0] == "标题：天津市政务服务办关于印发天津市2023年优化营商环境责任清单的通知"


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Word format, save as .docx"),
        ("sheet.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel workbook"),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("bundle.zip", None, "a zip archive, unpack it"),
        ("cut.docx", "truncated", "a damaged Word file"),
        ("cut.pdf", "truncated-pdf", "not a readable PDF"),
    ],
)
def test_unsupported_or_broken_files_say_what_to_do(tmp_path, name, content, reason):
    import zipfile

    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("a.txt", "x")
    elif content == "truncated":
        path.write_bytes((INPUTS / f"{TIANJIN}.docx").read_bytes()[:400])
    elif content == "truncated-pdf":
        path.write_bytes((INPUTS / "gov_cn_guofa_2018_43.pdf").read_bytes()[:2000])
    else:
        path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as info:
        read_document(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_docx_automatic_numbering_is_printed_like_word_does(tmp_path):
    """Word numbers list paragraphs itself (numbering.xml); the numbers must reach the text, in the
    Chinese style when the list asks for it (一、 二、 …). Text: the gov.cn 国办发〔2018〕123号 page."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("国务院办公厅关于推进政务新媒体健康有序发展的意见")
    for heading in ["总体要求", "明确工作职责", "加强功能建设"]:
        document.add_paragraph(heading, style="List Number")
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    num = next(n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == style_num)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.iterchildren(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    level = next(lvl for lvl in abstract.iterchildren(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == "0")
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    path = tmp_path / "numbered.docx"
    document.save(path)
    assert read_document(path).lines[1:] == ["一、总体要求", "二、明确工作职责", "三、加强功能建设"]
