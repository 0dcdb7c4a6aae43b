"""Document metadata of single documents as web pages, PDFs and re-hosted copies print them.

Table-driven: a real page text (tests/fixtures/web_front, sources in its README; and files of
the external dev set) → the title, date, 发文字号 and issuers a researcher would write down.
Each row names the page shape it stands for, so a failure says which shape broke.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from policygraph.extract.pipeline import extract_corpus
from policygraph.extract.webfront import chinese_date, clean_headline, damaged_date, split_repeated_place

FIXTURES = Path(__file__).parent / "fixtures"
WEB = FIXTURES / "web_front"
DEV = FIXTURES / "external" / "docs"


def _fold(s):
    return unicodedata.normalize("NFKC", s) if isinstance(s, str) else s


CASES = [
    # file, shape, title, date, doc_number, issuers
    (WEB / "yunnan_lincang_tongzhi_2006.txt", "database page: chrome, organ line, title thrice, date in 二OO六 numerals",
     "临沧市人民政府关于印发临沧市道路交通安全管理特别规定(试行)的通知", "2006-02-20", None, ["临沧市人民政府"]),
    (WEB / "hebei_zhengfuling_2010.txt", "government order: 政府令 number, signed by 省长, organ line as issuer",
     "河北省人工影响天气管理规定", "2010-12-25", "政府令〔2010〕15号", ["河北省人民政府"]),
    (WEB / "yunnan_lufeng_yishi_guize_2024.txt", "starts at the addressees: title = heading of what the cover issues",
     "禄丰市人民政府常务会议议事规则", "2024-11-20", None, ["禄丰市人民政府"]),
    (WEB / "shaanxi_zhenba_gongzuo_guize_2024.txt", "bulleted metadata box, values on the next line; a site is no issuer",
     "镇巴县人民政府工作规则", "2024-04-06", "镇政发〔2024〕7号", []),
    (WEB / "shanxi_zhongbu_jueqi_2017.txt", "headline = number + title; a site that dropped 的通知 is followed as printed",
     "山西省人民政府办公厅关于印发山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案", "2017-05-15",
     "晋政办发〔2017〕55号", ["山西省人民政府办公厅"]),
    (WEB / "guangdong_minjian_touzi_2023.txt", "title wrapped over three lines after a truncated, unclosed headline",
     "广东省人民政府办公厅关于印发广东省进一步加鼎力度支持民间投资生长实行方案的通知", "2023-03-17",
     "粤府办〔2023〕5号", ["广东省人民政府办公厅"]),
    (WEB / "sichuan_xiandai_liutong_2022.txt", "starts at the addressees; 经…同意，现将《X》印发",
     "四川省“十四五”现代流通体系建设实施方案", "2022-10-18", None, ["四川省发展和改革委员会"]),
    (WEB / "hunan_xiangzhengban_2009.txt", "letterhead (XX文件), number, wrapped title; no date printed",
     "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知", None, "湘政办发〔2009〕24号", ["湖南省人民政府办公厅"]),
    (WEB / "guizhou_yuye_tiaoli_2005.txt", "regulation: one-step header under the title, 人大常委会 as issuer",
     "贵州省渔业条例", "2005-11-25", None, ["贵州省人民代表大会常务委员会"]),
    (WEB / "neimenggu_baotou_lifa_tiaoli_2001.txt", "regulation: 【题注】 header, passed by the city's congress, approved later",
     "包头市人民代表大会及其常务委员会制定地方性法规条例", "2001-06-03", None, ["包头市人民代表大会"]),
    (WEB / "hubei_xianning_juedin_2022.txt", "gazette page: bulleted box, gazette heading, 市人民政府关于… title",
     "市人民政府关于聘任咸宁市人民政府第四届咨询委员会委员的决定", "2022-04-21", "咸政发〔2022〕3号", ["咸宁市人民政府"]),
    (WEB / "hunan_changsha_wending_jingji_2020.txt", "【规范性文件】 site label before the headline; no date printed",
     "长沙市人民政府办公厅关于印发长沙市有效降低疫情影响稳定经济运行实施方案的通知", None, None, ["长沙市人民政府办公厅"]),
    (WEB / "henan_xuchang_chengshi_guanli_2016.txt", "starts at the addressees, date without a signature",
     "许昌市提升县(市、区)城市管理水平三年行动计划", "2016-06-22", None, []),
    (WEB / "national_guofa_neimenggu_2023.txt", "re-hosted State Council opinion: chrome row, title wrapped, no signature",
     "国务院关于推动内蒙古高质量发展奋力书写中国式现代化新篇章的意见", None, "国发〔2023〕16号", ["国务院"]),
    (WEB / "anhui_taihu_gongzuo_guize_2019.txt", "two labels a row; 生成日期/发文日期 and 发布机构 lose to the signature",
     "太湖县人民政府关于印发《太湖县人民政府工作规则》的通知", "2019-01-17", None, ["太湖县人民政府"]),
    (WEB / "hubei_tongshan_zhongdian_renwu_2022.txt", "labels spaced out (名  称), an empty 发文日期 before the addressees",
     "县人民政府关于分解落实2022年县政府重点工作任务的通知", None, None, ["通山县人民政府"]),
    # the external dev set: one row per page shape (the whole set is scored in test_external.py)
    (DEV / "henan_yingshang_youhua_2022.txt", "chrome line, then a one-line page with the signature date glued in",
     "河南省优化营商环境工作领导小组关于印发《河南省营商环境优化提升行动方案(2022版)》的通知", "2022-03-05", None,
     ["河南省优化营商环境工作领导小组"]),
    (DEV / "jiangsu_changzhou_youhua_yingshang_tiaoli.txt", "人大常委会公告 promulgating a regulation; date = last step",
     "常州市优化营商环境条例", "2025-10-15", None, ["常州市人民代表大会常务委员会"]),
    (DEV / "fujian_xiamen_yingshang_ruogan_cuoshi_2019.txt", "signature date with 年/月/日 lost: 2019116",
     "厦门市人民政府办公厅关于印发聚焦企业关切进一步落实优化营商环境政策若干措施的通知", "2019-01-16",
     "厦府办〔2019〕10号", ["厦门市人民政府办公厅"]),
    (DEV / "chongqing_kaizhou_zhengfu_touzi_xiangmu.txt", "[label]|value rows; 成文日期 contradicted by the signature",
     "重庆市开州区人民政府办公室关于印发重庆市开州区政府投资项目管理办法的通知", "2018-02-27",
     "开州府办发〔2018〕13号", ["重庆市开州区人民政府办公室"]),
    (DEV / "chongqing_xiancheng_chengzhenhua_2023.txt", "news lead: 近日，X、Y印发了《Z》",
     "重庆市推进以区县城为重要载体的城镇化建设实施方案", None, None, ["中共重庆市委办公厅", "重庆市人民政府办公厅"]),
    (DEV / "sichuan_fangguanfu_yaodian_2020.txt", "headline with （number） after the title; signature glued into a long line",
     "四川省人民政府办公厅关于印发四川省深化“放管服”改革优化营商环境2020年工作要点的通知", "2020-03-30",
     "川办发〔2020〕31号", ["四川省人民政府办公厅"]),
    (DEV / "tianjin_wenzhu_jingji_shishi_fangan_2022.txt", "column name and English chrome before the addressees",
     "天津市贯彻落实《扎实稳住经济的一揽子政策措施》实施方案", "2022-05-30", None, ["天津市人民政府"]),
    (DEV / "guizhou_liupanshui_xinjijian_2022.txt", "metadata rows with | cells: 名称 is the title, 生成日期 the date",
     "市人民政府办公室关于印发六盘水市新型基础设施建设三年行动方案(2022—2024年)的通知", "2022-12-02",
     "六盘水府办发〔2022〕10号", ["六盘水市人民政府办公室"]),
    (DEV / "zhejiang_lishui_zhongdian_gongzuo_2023.txt", "breadcrumb line over the title; 信息来源 as the only issuer",
     "市政府工作报告重点工作责任分解(2023年)", None, None, ["丽水市人民政府"]),
    (DEV / "henan_xuchang_zhengfu_gongzuo_baogao_2020.html", "starts at the number, prints no title: none is made up",
     "", None, "许政〔2020〕20号", []),
]


@pytest.fixture(scope="module")
def extracted():
    extraction = extract_corpus([case[0] for case in CASES])
    return {Path(d.span.path).name: d for d in extraction.documents if not d.stub}


@pytest.mark.parametrize("path, shape, title, date, number, issuers", CASES, ids=[c[0].stem for c in CASES])
def test_front_matter_of_real_pages(extracted, path, shape, title, date, number, issuers):
    doc = extracted[path.name]
    got = (_fold(doc.title), doc.date, doc.doc_number, doc.issuers)
    assert got == (_fold(title), date, number, issuers), shape


def test_own_title_with_a_quoted_title_inside_is_not_a_citation(extracted):
    """山西省贯彻落实《促进中部地区崛起“十三五”规划》工作方案: the 《规划》 is named in the title and
    cited once, with its number, where the plan gives it."""
    doc = extracted["shanxi_zhongbu_jueqi_2017.txt"]
    assert [(c.title, c.doc_number) for c in doc.cites] == [("促进中部地区崛起“十三五”规划", "国函〔2016〕204号")]


def test_what_the_cover_issues_is_an_attachment_not_a_citation(extracted):
    doc = extracted["sichuan_xiandai_liutong_2022.txt"]
    assert "四川省“十四五”现代流通体系建设实施方案" in doc.attachments
    assert not any("流通体系" in (c.title or "") for c in doc.cites)


@pytest.mark.parametrize("printed, iso", [
    ("2019116", "2019-01-16"), ("20190116", "2019-01-16"), ("2019123", "2019-01-23"), ("2019121", "2019-01-21"),
])
def test_damaged_dates(printed, iso):
    assert damaged_date(printed) == iso


@pytest.mark.parametrize("printed, iso", [
    ("二〇二〇年三月五日", "2020-03-05"), ("二OO六年二月二十日", "2006-02-20"), ("二○一○年十二月二十五日", "2010-12-25"),
    ("二〇一九年十月三十一日", "2019-10-31"),
])
def test_dates_in_chinese_numerals(printed, iso):
    assert chinese_date(printed) == iso


@pytest.mark.parametrize("headline, title, number", [
    ("浙政办发〔2019〕7号《浙江省人民政府办公厅关于印发2019年政府工作报告重点工作责任分解的通知》",
     "浙江省人民政府办公厅关于印发2019年政府工作报告重点工作责任分解的通知", "浙政办发〔2019〕7号"),
    ("四川省人民政府办公厅关于印发四川省2020年工作要点的通知（川办发〔2020〕31号）",
     "四川省人民政府办公厅关于印发四川省2020年工作要点的通知", "川办发〔2020〕31号"),
    ("#滁州市优化营商环境条例", "滁州市优化营商环境条例", None),
    ("【规范性文件】长沙市人民政府办公厅关于印发长沙市实施方案的通知", "长沙市人民政府办公厅关于印发长沙市实施方案的通知", None),
    ("“十四五”数字经济发展规划", "“十四五”数字经济发展规划", None),
    ("《A办法》《B办法》", "《A办法》《B办法》", None),
])
def test_clean_headline(headline, title, number):
    assert clean_headline(headline) == (title, number)


def test_joint_issuers_sharing_their_place_are_split():
    assert split_repeated_place("中共静安区委办公室静安区人民政府办公室") == ["中共静安区委办公室", "静安区人民政府办公室"]
    assert split_repeated_place("北京市人民政府办公厅") == ["北京市人民政府办公厅"]


@pytest.mark.parametrize("written, context, canonical", [
    ("湘西自治州人民政府", None, "湘西土家族苗族自治州人民政府"),  # X自治州 beside the data's X州
    ("恩施州财政局", None, "恩施土家族苗族自治州财政局"),
    ("州政府办公室", "湘西土家族苗族自治州", "湘西土家族苗族自治州人民政府办公室"),  # 州 as a relative prefix
    ("区司法局", "济南市", "区司法局"),  # a district's bureau in a city document: not 济南市区司法局
    ("区司法局", "钢城区", "济南市钢城区司法局"),  # a city district is named with its city
    ("县政府办公室", "镇巴县", "镇巴县人民政府办公室"),  # a county is named alone
    ("南昌经开区党工委管委会办公室", "南昌市", "南昌经开区党工委管委会办公室"),  # a zone's own name stays
    ("天津港集团", "天津市", "天津港集团"),
])
def test_canonical_names_by_jurisdiction(written, context, canonical):
    from policygraph.extract.agencies import canonical_unit

    assert canonical_unit(written, context).name == canonical


def test_one_line_page_title_glued_to_the_addressees():
    """The 河南 page's notice, title to date, is one line (line 7 of the dev file): the title runs
    straight into the addressees, the signature date into the attachment's name."""
    from policygraph.extract.pipeline import extract_text

    line = (DEV / "henan_yingshang_youhua_2022.txt").read_text("utf-8").splitlines()[6][:3000]
    doc = next(d for d in extract_text(line, "one_line.txt").documents if not d.stub)
    assert _fold(doc.title) == _fold("河南省优化营商环境工作领导小组关于印发《河南省营商环境优化提升行动方案（2022版）》的通知")
    assert (doc.date, doc.issuers) == ("2022-03-05", ["河南省优化营商环境工作领导小组"])
    assert not any("优化提升行动方案" in (c.title or "") for c in doc.cites)


def test_a_letterhead_glued_into_a_sentence_is_no_citation():
    """`…重许昌市人民政府文件许政〔2020〕21号大工作…` in the 许昌 page is another page's header."""
    from policygraph.extract.pipeline import extract_corpus

    doc = next(d for d in extract_corpus([DEV / "henan_xuchang_zhengfu_gongzuo_baogao_2020.html"]).documents if not d.stub)
    assert not any("21号" in (c.doc_number or "") for c in doc.cites)
    assert [(c.title, c.relation) for c in doc.cites] == [("政府工作报告", "basis")]
