"""Stage 4b: attributions in every format of the corpus, sub-items, tables."""
from __future__ import annotations

import pytest

from policygraph.extract.measures import parse_attribution, split_units

# (text inside the brackets as printed in the corpus, lead units, responsible units)
ATTRIBUTIONS = [
    ("市市场监管局牵头，市政务服务局、各区政府、北京经济技术开发区配合",
     ["市市场监管局"], ["市政务服务局", "各区政府", "北京经济技术开发区"]),
    ("市规划自然资源委负责", ["市规划自然资源委"], []),
    ("牵头单位：市法院；责任单位：各旗县市区、开发区", ["市法院"], ["各旗县市区", "开发区"]),
    ("牵头单位：市公共资源交易中心；责任单位：市发改委、住建局、水务局、交通运输局等行业主管部门，各旗县市区、开发区",
     ["市公共资源交易中心"], ["市发改委", "住建局", "水务局", "交通运输局", "行业主管部门", "各旗县市区", "开发区"]),
    ("牵头单位：市发展和改革委员会、市科学技术局", ["市发展和改革委员会", "市科学技术局"], []),
    ("各区政府、北京经济技术开发区管委会、市市场监管局、市药监局按职责分工负责",
     ["各区政府", "北京经济技术开发区管委会", "市市场监管局", "市药监局"], []),
    ("省审批服务管理局牵头负责，各市人民政府、省直相关部门配合", ["省审批服务管理局"], ["各市人民政府", "省直相关部门"]),
    ("市文旅局牵头，市文物局、市园林局等相关单位按职责分工负责", ["市文旅局"], ["市文物局", "市园林局", "相关单位"]),
    ("市司法局牵头，相关单位按职责分工负责", ["市司法局"], ["相关单位"]),
    ("省商务厅、省住建厅、省文旅厅、省市场监管局按照职责分工负责", ["省商务厅", "省住建厅", "省文旅厅", "省市场监管局"], []),
    ("市金融监管局、北京银保监局按职责分工负责", ["市金融监管局", "北京银保监局"], []),
    ("各县（市、区）政府负责", ["各县（市、区）政府"], []),
]


@pytest.mark.parametrize("content, lead, responsible", ATTRIBUTIONS)
def test_attribution_formats(content, lead, responsible):
    assert parse_attribution(content) == (lead, responsible)


@pytest.mark.parametrize("content", ["2023年版", "含定州、辛集市", "以下简称《通办清单》", "试行", "略"])
def test_brackets_that_are_not_attributions(content):
    assert parse_attribution(content) is None


def test_split_units_keeps_nested_brackets_and_quotes():
    assert split_units("市“双随机、一公开”监管联席会议有关成员单位") == ["市“双随机、一公开”监管联席会议有关成员单位"]
    assert split_units("市政务服务办等市工程建设项目审批制度改革试点工作领导小组有关成员单位") == [
        "市政务服务办", "市工程建设项目审批制度改革试点工作领导小组有关成员单位"]


def _measures(extraction, doc_line):
    doc = next(d for d in extraction.documents if d.span.line_start == doc_line and not d.stub)
    return [m for m in extraction.measures if m.document == doc.id]


def test_one_attribution_after_the_last_sub_item_covers_the_whole_item(extraction):
    # 京发改〔2023〕20号 item 12: （1） and （2） but one attribution after （2） (line 771).
    measures = _measures(extraction, 603)
    twelve = [m for m in measures if m.key == "12."]
    assert len(twelve) == 1 and twelve[0].lead_units == ["北京海关"]
    assert twelve[0].text.startswith("优化进口商品检验及配套服务")


def test_each_attribution_in_one_item_closes_its_own_measure(extraction):
    # 晋政办发〔2023〕4号 （三）: three sentences, each followed by its own attribution (lines 4517-4523).
    measures = _measures(extraction, 4471)
    first = next(m for m in measures if m.key == "（三）")
    assert first.text.startswith("规范实施行政许可和行政备案")
    assert first.lead_units == ["省审批服务管理局"] and first.responsible_units == ["各市人民政府", "省直相关部门"]
    after = measures[measures.index(first) + 1]
    assert after.key is None and after.parent_key == "（三）"
    assert after.text.startswith("研究推动深化告知承诺制改革")
    assert after.lead_units == ["省市场监管局", "省审批服务管理局"]


def test_unattributed_numbered_items_are_measures(extraction):
    measures = _measures(extraction, 603)
    five = next(m for m in measures if m.key == "5.")
    assert five.rule == "unattributed" and five.lead_units == [] and five.text.startswith("持续改进建设工程消防验收")


def test_tianjin_table_rows(extraction):
    # 天津市2023年优化营商环境责任清单: 129 rows flattened cell by cell, wrapping across page breaks.
    rows = [m for m in _measures(extraction, 1673) if m.rule == "table"]
    assert len(rows) == 129
    assert [r.key for r in rows[:3]] == ["1", "2", "3"]
    first = rows[0]
    assert first.parent_key == "优化企业开办服务"
    assert first.text == "推进电子营业执照在市公共资源交易平台中的应用。"
    assert first.lead_units == ["市市场监管委"]
    assert first.responsible_units == ["市政务服务办", "市委网信办", "市大数据管理中心"]
    # Row 4 is cut by the page break after page 140: content and 责任单位 continue after it.
    fourth = rows[3]
    assert fourth.lead_units == ["市住房城乡建设委", "市发展改革委"]
    assert fourth.responsible_units[-1] == "市水务局"
    assert fourth.text.endswith("和轨道建设项目审批优化措施，提升审批效率。")
    # Row 19: two lead units stacked without a separator.
    assert rows[18].lead_units == ["市规划资源局"] and rows[18].responsible_units[0] == "人民银行天津分行"
    # Row 83: an empty lead cell printed as "—".
    assert rows[82].lead_units == [] and rows[82].responsible_units == ["市委依法治市办"]


def test_brackets_listing_people_are_not_attributions():
    # 冀应急〔2023〕4号 line 3358: "三项岗位人员"（主要负责人、安全管理人员、特种作业人员）
    assert parse_attribution("主要负责人、安全管理人员、特种作业人员") is None


def test_and_before_a_collective_splits_units():
    assert split_units("省小企业局等相关部门和各市人民政府") == ["省小企业局", "相关部门", "各市人民政府"]


def test_table_content_wrapped_right_after_the_task_cell(extraction):
    rows = {m.key: m for m in extraction.measures if m.rule == "table"}
    # Row 99: task "20.提高合同执行率" then content whose first line "提高失联被告、" wraps early.
    assert rows["99"].parent_key == "提高合同执行率"
    assert rows["99"].text.startswith("提高失联被告、被执行人送达准确率")
    # Row 94: the task cell itself wraps over three narrow lines, one ending in 、.
    assert rows["94"].parent_key == "加强知识产权创造、保护和运用"


def test_a_table_with_a_deadline_column():
    from policygraph.extract.pipeline import extract_text

    text = "\n".join([
        "某某市人民政府办公室关于印发某某市2023年优化营商环境重点任务分工的通知", "某政办发〔2023〕7号", "各区人民政府：",
        "现将任务分工印发给你们。", "某某市人民政府办公室", "2023年3月1日",
        "序号", "工作任务", "牵头单位", "配合单位", "完成时限",
        "1", "推行企业开办全程网办，压缩开办时", "间至1个工作日。", "市市场监管局", "市税务局、市人", "社局", "2023年6月底前",
        "2", "深化工程建设项目审批制度改革。", "市住房城乡建", "设局", "市自然资源局", "长期",
    ])
    rows = [(m.key, m.text, m.lead_units, m.responsible_units) for m in extract_text(text).measures if m.rule == "table"]
    assert rows == [
        ("1", "推行企业开办全程网办，压缩开办时间至1个工作日。", ["市市场监管局"], ["市税务局", "市人社局"]),
        ("2", "深化工程建设项目审批制度改革。", ["市住房城乡建设局"], ["市自然资源局"]),
    ]
