"""Task tables as TAB-separated rows (what the HTML/DOCX/PDF readers emit): header cells in
any order, rowspan continuations, group rows, and page metadata rows that are no table."""
from __future__ import annotations

import pytest

from policygraph.extract.normalise import normalise
from policygraph.extract.read import source_from_string
from policygraph.extract.pipeline import extract_text
from policygraph.extract.tables import column_role, find_tables

# Rows 1–3 of the 天津市2023年优化营商环境责任清单 (seed corpus lines 1700–1740), laid out as the
# HTML reader emits a table: one row per line, cells joined by TAB, a rowspan cell empty below.
TIANJIN = "\n".join([
    "天津市政务服务办关于印发天津市2023年优化营商环境责任清单的通知",
    "各区人民政府，市政府各委、局，各直属单位：",
    "现将《天津市2023年优化营商环境责任清单》印发给你们，请认真贯彻落实。",
    "索引号\t11120000MB1A1234X/2023-00012\t发文字号\t津政务办〔2023〕1号",
    "序号\t重点任务\t主要内容\t牵头部门\t责任单位",
    "1\t优化企业开办服务\t推进电子营业执照在市公共资源交易平台中的应用。\t市市场监管委\t市政务服务办、市委网信办、市大数据管理中心",
    "2\t\t推动电子营业执照在银行开户、税务办理等场景的应用。\t市市场监管委\t人民银行天津分行、市税务局",
    "\t\t\t\t市大数据管理中心",
    "3\t提升工程建设项目审批效率\t推行工程建设项目审批全流程网上办理。\t市住房城乡建设委、市发展改革委\t市规划资源局",
    "附件：天津市2023年优化营商环境责任清单",
])


def test_tab_rows_keep_their_cells_through_normalisation():
    text = normalise(source_from_string(TIANJIN))
    assert text.row_cells(8, *[(s, e) for n, s, e in text.lines() if n == 8][0]) == ["", "", "", "", "市大数据管理中心"]
    assert "\t" not in text.text  # cells are joined like any line; their bounds are kept aside


def test_tab_table_rows_with_rowspan_and_continuation():
    rows = [(m.key, m.parent_key, m.text[:8], m.lead_units, m.responsible_units, m.span.line_start, m.span.line_end)
            for m in extract_text(TIANJIN).measures if m.rule == "table"]
    assert rows == [
        ("1", "优化企业开办服务", "推进电子营业执照", ["市市场监管委"], ["市政务服务办", "市委网信办", "市大数据管理中心"], 6, 6),
        # 重点任务 empty: a rowspan of the row above; the next row holds only one more unit for it
        ("2", "优化企业开办服务", "推动电子营业执照", ["市市场监管委"], ["人民银行天津分行", "市税务局", "市大数据管理中心"], 7, 8),
        ("3", "提升工程建设项目审批效率", "推行工程建设项目", ["市住房城乡建设委", "市发展改革委"], ["市规划资源局"], 9, 9),
    ]


def test_columns_in_any_order_and_units_column_without_lead():
    text = "\n".join([
        "某县人民政府办公室关于印发重点任务清单的通知", "各乡镇人民政府：",
        "完成时限\t责任单位\t工作事项\t序号",
        "2023年6月底前\t县发展改革局、县财政局\t开展政府投资项目评审。\t1",
        "长期\t县市场监管局\t推行个体工商户登记全程电子化。\t2",
    ])
    got = [(m.key, m.text, m.lead_units, m.responsible_units) for m in extract_text(text).measures if m.rule == "table"]
    assert got == [("1", "开展政府投资项目评审。", ["县发展改革局", "县财政局"], []),
                   ("2", "推行个体工商户登记全程电子化。", ["县市场监管局"], [])]


def test_page_metadata_rows_are_not_a_task_table():
    text = normalise(source_from_string("索引号\t000014349/2018-00222\t主题分类\t卫生、体育\n发文机关\t国务院\t发文字号\t国发〔2018〕43号"))
    assert find_tables(text) == []


def test_column_roles():
    assert [column_role(c) for c in ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "责任单位", "完成时限", "备注"]] == [
        "number", "text", "text", "lead", "responsible", "units", "deadline", "note"]


def test_real_web_table_with_group_rows_and_its_own_convention():
    # 丽水市政府工作报告重点工作责任分解（2023年）, a page copied with its table as TAB rows; the
    # 责任单位 cell of row 4 states "(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)".
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "responsibility" / "lishui_2023.txt"
    rows = {m.key: m for m in extract_text(path.read_text(encoding="utf-8"), str(path)).measures if m.rule == "table"}
    assert list(rows) == [str(n) for n in range(1, 11)]
    assert rows["4"].lead_units == ["市发改委"] and rows["4"].responsible_units[:2] == ["市经信局", "市科技局"]
    assert rows["6"].lead_units == ["市人力社保局", "市农业农村局"] and rows["6"].responsible_units == []  # 分别牵头
    assert rows["10"].lead_units == ["市双招双引办"]
    assert rows["10"].responsible_units == ["市发改委", "市经信局", "各县（市、区）政府", "丽水开发区管委会"]
    assert rows["10"].parent_key == "（一）全力以赴拼经济稳增长促发展。"  # the group rows between the rows
    assert rows["1"].parent_key == "一、全市经济社会发展主要预期目标" and rows["1"].span.line_start == 7


def test_markdown_table_rows():
    text = "\n".join([
        "# 某某区2023年优化营商环境重点任务清单", "各街道办事处：",
        "| 序号 | 具体措施 | 牵头单位 | 配合单位 |",
        "|---|---|---|---|",
        "| 1 | 推行企业开办全程网办。 | 区市场监管局 | 区税务局、区人社局 |",
        "| 2 | 压缩工程建设项目审批时间。 | 区住房城乡建设局 | |",
    ])
    got = [(m.key, m.lead_units, m.responsible_units) for m in extract_text(text).measures if m.rule == "table"]
    assert got == [("1", ["区市场监管局"], ["区税务局", "区人社局"]), ("2", ["区住房城乡建设局"], [])]


def test_a_header_cell_stating_the_convention():
    text = "\n".join([
        "某某县优化营商环境任务分工", "各乡镇人民政府：",
        "序号\t工作任务\t责任单位（列第一位的为牵头单位）",
        "1\t推行企业开办全程网办。\t县市场监管局、县税务局、县人社局",
    ])
    [row] = [m for m in extract_text(text).measures if m.rule == "table"]
    assert (row.lead_units, row.responsible_units) == (["县市场监管局"], ["县税务局", "县人社局"])


def test_a_cell_text_on_a_line_of_its_own_continues_the_row():
    text = "\n".join([
        "某某市重点任务分工", "各区人民政府：",
        "序号\t具体措施\t牵头单位\t配合单位",
        "1\t推行企业开办全程网办，\t市市场监管局\t市税务局",
        "压缩开办时间至1个工作日。",
        "2\t深化工程建设项目审批制度改革。\t市住房城乡建设局\t",
    ])
    rows = [(m.key, m.text, m.span.line_end) for m in extract_text(text).measures if m.rule == "table"]
    assert rows == [("1", "推行企业开办全程网办，压缩开办时间至1个工作日。", 5), ("2", "深化工程建设项目审批制度改革。", 6)]


# Two real web pages as the HTML reader of this project emits them (one paragraph per line,
# tables as TAB rows, a rowspan cell empty below its first row): see fixtures/responsibility/README.md.
@pytest.mark.parametrize("fixture, key, lead, responsible", [
    ("lishan_2023_rows.txt", "1", ["区发改局"], ["立山经济开发区", "全区经济运行各专班"]),
    ("lishan_2023_rows.txt", "3", ["区发改局"], ["立山经济开发区", "各街道", "区直各部门"]),
    ("lishan_2023_rows.txt", "6", ["区发改局"], ["各街道", "各相关单位"]),
    # 责任单位 without a 牵头 column: every unit leads; row 2's 类别 cell is a rowspan of row 1's
    ("xuchang_2020_rows.txt", "1", ["市疫情防控指挥部办公室", "市卫生健康委", "各县（市、区）政府（管委会）"], []),
    ("xuchang_2020_rows.txt", "2", ["市疫情防控指挥部办公室", "市卫生健康委", "各县（市、区）政府（管委会）"], []),
    # 牵头负责领导 is a person column; 协同责任单位 is responsible; 各县、市、区政府 is one unit
    ("chuzhou_2020_rows.txt", "2", ["市财政局"],
     ["市税务局", "滁州海关", "市人行", "滁州经开区管委会", "中新苏滁高新区管委会", "各县、市、区政府"]),
])
def test_real_html_tables_as_the_reader_emits_them(fixture, key, lead, responsible):
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "responsibility" / fixture
    rows = {m.key: m for m in extract_text(path.read_text(encoding="utf-8"), str(path)).measures if m.rule == "table"}
    assert (rows[key].lead_units, rows[key].responsible_units) == (lead, responsible)
    assert rows["2"].parent_key.startswith("一、")  # the 类别 group (or the group row above)


def test_a_web_table_copied_one_cell_per_line():
    text = "\n".join([
        "某某市人民政府办公室关于印发重点任务分工的通知", "各区人民政府：",
        "序号", "工作事项", "牵头单位", "配合单位",
        "1", "推行企业开办全程网办，压缩开办时间至1个工作日。", "市市场监管局", "市税务局、市人社局",
        "2", "深化工程建设项目审批制度改革，实现全流程网上办理。", "市住房城乡建设局", "市自然资源局",
    ])
    got = [(m.key, m.lead_units, m.responsible_units) for m in extract_text(text).measures if m.rule == "table"]
    assert got == [("1", ["市市场监管局"], ["市税务局", "市人社局"]), ("2", ["市住房城乡建设局"], ["市自然资源局"])]
