"""Responsibility nationwide (issue 7): attribution forms of other provinces on real text,
task tables, the first-unit convention, and what is not a measure."""
from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.extract.pipeline import extract_text
from policygraph.extract.units import states_first_leads

FIXTURES = Path(__file__).parent / "fixtures" / "responsibility"


def _measures(name: str):
    path = FIXTURES / name
    return extract_text(path.read_text(encoding="utf-8"), str(path)).measures


def _task(measures, head: str):
    found = [m for m in measures if m.text.startswith(head)]
    assert found, [m.text[:15] for m in measures]
    return found[0]


# (fixture, first characters of the task, lead units, responsible units) — read off the page by hand
REAL_TASKS = [
    # 厦门: "责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）" — the document's own convention
    ("xiamen_2019.txt", "推进完善PPP健康运行", ["市发改委"], ["市财政局"]),
    ("xiamen_2019.txt", "严格落实全省统一的招投标政策", ["市建设局"], []),
    # 湘西: the deadline inside the brackets is not a unit; 及 joins two units
    ("xiangxi_2020.txt", "加大简政放权力度", ["州行政审批服务局"],
     ["州司法局", "州委编办", "州直相关单位", "各县市人民政府", "湘西经开区管委会"]),
    # 济南钢城: 〔…〕 brackets, roles separated by a comma
    ("jinan_gangcheng_2021.txt", "及时承接落实国务院", ["区政府办公室"], ["区政府有关部门", "各街道（功能区）"]),
    ("jinan_gangcheng_2021.txt", "严格落实行政许可设定审查制度",
     ["区政府办公室", "区司法局", "区行政审批服务局"], ["区政府有关部门"]),
    ("jinan_gangcheng_2021.txt", "规范行政备案事项管理", ["区政府办公室"], ["区司法局", "有关部门"]),
    # 四川: a web page copied as one line, items kept apart by spaces; 〔X牵头，Y及Z按职责分工负责〕
    ("sichuan_2020.txt", "完善权责清单制度", ["省委编办"], ["省直有关部门（单位）", "各市（州）人民政府"]),
    # 辽宁: a note on the list ("以下不再列出") and the words before the units ("各项政策措施均需") are no units
    ("liaoning_2025.txt", "优化政策制定机制", ["省发展改革委", "省司法厅", "省市场监管局", "有关部门"],
     ["各市政府", "省沈抚示范区管委会"]),
    ("liaoning_2025.txt", "提高相关领域立法质效", ["省人大法制委", "省人大财经委", "省司法厅", "省数据局（省营商局）", "有关部门"], []),
    # 广州: （牵头单位：X，配合单位：Y、Z，各区、县级市）; item 11. names a project "121人才梯队项目"
    ("guangzhou_rencai.txt", "战略性主导产业紧缺人才开", ["市发展改革委"],
     ["市委组织部", "市人力资源和社会保障局", "各区", "县级市"]),
    ("guangzhou_rencai.txt", "121人才梯队项目", ["市人力资源和社会保障局"], ["各区", "县级市"]),
    ("guangzhou_rencai.txt", "“羊城学者”特聘岗位项目", ["市委组织部"], ["各有关单位"]),
    # 山东: a lead unit alone
    ("shandong_2022.txt", "提升银行开户效率", ["人民银行济南分行"], []),
    # 浙江: a 牵头单位 line with five units, no 配合: all five lead
    ("zhejiang_2019.txt", "稳企业、防风险", ["省发展改革委", "省经信厅", "省财政厅", "省商务厅", "省地方金融监管局"], []),
    # 上海: 责任单位 / 责任部门 with no 牵头: every unit leads; a unit with its alias in brackets stays whole
    ("shanghai_2023.txt", "（八）提升涉案信息线下查询渠道便利度",  # a fragment: （八） comes first
     ["市高院", "市公安局", "市规划资源局", "上海银保监局", "上海证监局", "市税务局", "市人力资源社会保障局",
      "市住房城乡建设管理委", "市通信管理局", "各区政府"], []),
    ("shanghai_2023.txt", "完善综合竣工验收制度",
     ["市住房城乡建设管理委", "市规划资源局", "市水务局", "市绿化市容局", "市卫生健康委", "市国动办",
      "市交通委（市道运局）", "市交警总队", "市气象局"], []),
]


@pytest.mark.parametrize("fixture, head, lead, responsible", REAL_TASKS)
def test_real_attributions_of_other_provinces(fixture, head, lead, responsible):
    m = _task(_measures(fixture), head)
    assert (m.lead_units, m.responsible_units) == (lead, responsible)


def test_section_headings_are_outline_not_measures():
    # 山东 2022: "一、工作目标" (preamble), "二、主要任务", "（一）开办企业领域。" are headings
    measures = _measures("shandong_2022.txt")
    assert [m.key for m in measures] == ["1.", "2.", "3."]
    assert all(m.heading == "（一）开办企业领域。" for m in measures)
    # 厦门: "一、坚决破除各种不合理门槛和限制，…" is the heading of （一）（二）
    xiamen = _measures("xiamen_2019.txt")
    assert [m.key for m in xiamen] == ["（一）", "（二）"]
    assert xiamen[0].heading.startswith("一、坚决破除各种不合理门槛")


@pytest.mark.parametrize("phrase", [
    "列第一位者为牵头单位", "排在第一位的为牵头单位", "第一个为牵头单位", "第一责任单位为牵头单位",
    "（各项任务中列第一位的为牵头单位，其他为配合单位）",
])
def test_convention_phrases(phrase):
    assert states_first_leads(phrase)


@pytest.mark.parametrize("text", ["市发展改革委牵头", "第一批试点单位", "排在全国第一位"])
def test_not_convention_phrases(text):
    assert not states_first_leads(text)


_PLAN = "\n".join([
    "某某市人民政府办公室关于印发某某市优化营商环境实施方案的通知",
    "各区人民政府，市政府各部门：",
    "现将方案印发给你们，请认真贯彻执行。",
    "一、总体要求",
    "（一）指导思想",
    "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
    "（二）工作目标",
    "到2023年底，营商环境明显改善。",
    "二、主要任务",
    "（一）准备阶段（2023年3月至5月）",
    "1.制定方案。结合实际，形成实施方案。",
    "2.统一标准。逐一明确改革实施细则。",
    "（二）优化流程，简化材料",
    "对同一行业涉及的行政审批事项，编制行业综合办事指南，实现一次告知。",
    "对具备条件的行业，将多个申请表整合为一表，实现一表申请。",
    "（三）搭建平台，集成服务",
    "建设一业一证申办系统，统一申办入口。（市政务服务局、市市场监管局按职责分工负责）",
    "{convention}",
])


def test_paragraphs_under_a_heading_are_measures_and_headings_are_not():
    measures = extract_text(_PLAN.format(convention="")).measures
    assert [(m.key, m.text[:6]) for m in measures] == [
        ("1.", "制定方案。结"), ("2.", "统一标准。逐"), (None, "对同一行业涉"), (None, "对具备条件的"),
        ("（三）", "搭建平台，集")]  # an attribution closes its item from the label on, title included
    assert measures[0].heading == "（一）准备阶段（2023年3月至5月）"
    assert measures[2].heading == "（二）优化流程，简化材料" and measures[2].parent_key == "（二）"
    # no 牵头: both units lead
    assert measures[4].lead_units == ["市政务服务局", "市市场监管局"] and measures[4].responsible_units == []


def test_a_document_stating_its_convention_makes_the_first_unit_lead():
    measures = extract_text(_PLAN.format(convention="注：各项任务列第一位者为牵头单位。")).measures
    last = [m for m in measures if m.lead_units][-1]
    assert (last.lead_units, last.responsible_units) == (["市政务服务局"], ["市市场监管局"])


def test_inline_attribution_in_running_text():
    text = "\n".join([
        "某某市人民政府关于推进政务服务改革的通知", "各区人民政府：",
        "1.建立企业开办一网通办平台，由市市场监管局牵头，市税务局、市人社局配合。",
        "2.区政务服务局负责制发综合许可凭证，由相关部门按照规定发放单项证件。",
        "3.建立重大项目审批联合会商机制，市发展改革委牵头，市自然资源局配合。",
        "4.成立工作专班，由区政府主管副区长牵头，加强统筹协调。",
    ])
    measures = extract_text(text).measures
    assert (measures[0].lead_units, measures[0].responsible_units, measures[0].rule) == (
        ["市市场监管局"], ["市税务局", "市人社局"], "inline")
    assert measures[1].lead_units == [] and measures[1].rule == "unattributed"  # 负责 + verb: a sentence about X
    assert (measures[2].lead_units, measures[2].responsible_units) == (["市发展改革委"], ["市自然资源局"])
    assert measures[3].lead_units == []  # a person, not a unit


def test_bracket_forms():
    text = "\n".join([
        "某某市优化营商环境若干措施", "各区人民政府：",
        "1.推行企业开办全程网办。〔责任单位：市市场监管局、市商务局〕",
        "2.深化工程建设项目审批制度改革。【牵头单位：市住房城乡建设局；配合单位：市自然资源局】",
        "3.推进不动产登记便利化。（省发展改革委牵头，省财政厅、省商务厅配合）",
        "4.压缩企业注销时间。",
        "牵头单位：市市场监管局",
        "配合单位：市税务局、市人社局",
    ])
    got = [(m.key, m.lead_units, m.responsible_units) for m in extract_text(text).measures]
    assert got == [
        ("1.", ["市市场监管局", "市商务局"], []),
        ("2.", ["市住房城乡建设局"], ["市自然资源局"]),
        ("3.", ["省发展改革委"], ["省财政厅", "省商务厅"]),
        ("4.", ["市市场监管局"], ["市税务局", "市人社局"]),
    ]


def test_numbering_past_999():
    lines = ["某某市政务服务事项清单", "各区人民政府："]
    lines += [f"（{n}）办理事项{n}。（市政务服务局负责）" for n in range(1, 1206)]
    measures = extract_text("\n".join(lines)).measures
    assert len(measures) == 1205 and measures[-1].key == "（1205）"


def test_one_bracket_after_a_group_of_numbered_measures_covers_each(extraction):
    # 廊坊 61条 (corpus lines 4136-4150): "（五）持续提升市场主体登记便利度" then 10.–13., then one
    # 〔市市场监管局、市税务局等市有关部门及各县（市、区）政府…按职责分工负责〕 for the group.
    doc = next(d for d in extraction.documents if d.span.line_start == 4045 and not d.stub)
    measures = [m for m in extraction.measures if m.document == doc.id]
    assert [m.key for m in measures] == [f"{n}." for n in range(1, 62)]
    twelve = next(m for m in measures if m.key == "12.")
    assert twelve.text.startswith("进一步健全市场主体歇业制度") and twelve.heading == "（五）持续提升市场主体登记便利度"
    assert twelve.lead_units[:2] == ["市市场监管局", "市税务局"] and twelve.responsible_units == []


def test_a_title_sentence_with_a_paragraph_is_one_measure_a_bare_title_heads_its_paragraphs():
    text = "\n".join([
        "某某区推行改革实施方案", "各街道办事处：",
        "一、主要任务",
        "（一）加快推进连锁零售行业证照办理便利化改革。",
        "对连锁企业实行“一照多址”，简化门店登记手续。",
        "（二）发展基础",
        "“十三五”期间，全区改革取得明显成效。",
        "（三）强化宣传培训",
        "加强宣传。",
        "运用政府网站、政务大厅显示屏等渠道宣传改革政策。",
        "组织窗口人员业务培训，提升服务水平。",
    ])
    got = [(m.key, m.text[:10], m.heading) for m in extract_text(text).measures]
    assert got == [
        ("（一）", "加快推进连锁零售行业", "一、主要任务"),  # a title sentence and its paragraph: one measure
        # （二）发展基础 is background (outline_headings.json), not a measure
        (None, "加强宣传。运用政府网", "（三）强化宣传培训"),  # a short titling sentence reads with its paragraph
        (None, "组织窗口人员业务培训", "（三）强化宣传培训"),
    ]


def test_a_labelled_line_that_names_lead_and_partners_in_words():
    """广东's 重点任务分工方案 (external held-out set) writes each task's units on a labelled line
    after a 分管省领导 line: `部门分工:省发展改革委牵头,各地、各部门配合。` The label's value names
    the lead and the partners in words, so the lead is 省发展改革委, not `省发展改革委牵头`."""
    from pathlib import Path

    from policygraph.extract.pipeline import extract_corpus

    source = Path(__file__).parent / "fixtures" / "external_heldout" / "docs" / "guangdong_zhengfu_gongzuo_baogao_fengong_2021.txt"
    task = next(m for m in extract_corpus([source]).measures if m.text.startswith("地区生产总值增长6%以上"))
    assert task.lead_units == ["省发展改革委"]
    assert task.responsible_units == ["各地", "各部门"]

