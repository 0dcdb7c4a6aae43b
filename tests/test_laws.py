"""Laws and regulations (tests/fixtures/laws: nine real files of the national database of laws,
in the folder layout of shared/corpus/laws): heading, enactment history, articles, citations."""
import re
from pathlib import Path

import pytest

from policygraph.extract.pipeline import extract_corpus, extract_sources
from policygraph.extract.read import expand_inputs, read_source, source_from_string

LAWS = Path(__file__).parent / "fixtures" / "laws"


@pytest.fixture(scope="module")
def extraction():
    return extract_corpus([LAWS])


@pytest.fixture(scope="module")
def by_file(extraction):
    return {Path(d.span.path).relative_to(LAWS).as_posix(): d for d in extraction.documents if not d.stub}


def test_a_folder_of_markdown_is_read_recursively(extraction):
    files = sorted(p.relative_to(LAWS).as_posix() for p in LAWS.rglob("*.md"))
    assert len(files) == 9
    assert sorted(p.relative_to(LAWS).as_posix() for p in expand_inputs([LAWS])) == files
    assert len([d for d in extraction.documents if not d.stub]) == 9


# file → (title, date, issuers, jurisdiction, level, number as printed)
FRONT_MATTER = [
    ("行政法规/专利代理条例(2018-11-06).md",
     ("专利代理条例", "2018-11-06", ["国务院"], "全国", "national", "中华人民共和国国务院令第706号")),
    ("行政法/行政许可法(2019-04-23).md",
     ("中华人民共和国行政许可法", "2019-04-23", ["全国人民代表大会常务委员会"], "全国", "national", None)),
    # a city regulation approved (批准) by the province: the city's congress, the approval date
    ("DLC/山东地方法规/地方性法规/山东/济南市12345市民服务热线条例(2018-07-27).md",
     ("济南市12345市民服务热线条例", "2018-07-27", ["济南市人民代表大会常务委员会"], "济南市", "municipal", None)),
    # 河南省…批准的《郑州市人民代表大会常务委员会关于修改部分地方性法规的决定》修正
    ("DLC/河南地方法规/地方性法规/河南/郑州市城市养犬管理条例(2022-01-01).md",
     ("郑州市城市养犬管理条例", "2021-11-27", ["郑州市人民代表大会常务委员会"], "郑州市", "municipal", None)),
    ("DLC/北京地方法规/地方性法规/北京/北京市优化营商环境条例(2024-11-29).md",
     ("北京市优化营商环境条例", "2024-11-29", ["北京市人民代表大会常务委员会"], "北京市", "provincial", None)),
    ("司法解释/最高人民法院关于审理行政许可案件若干问题的规定(2009-12-14).md",
     ("最高人民法院关于审理行政许可案件若干问题的规定", "2009-12-14", ["最高人民法院"], "全国", "national", None)),
    ("司法解释/最高人民法院、最高人民检察院关于办理伪造、贩卖伪造的高等院校学历、学位证明刑事案件如何适用法律问题的解释(2001-07-03).md",
     (None, "2001-07-03", ["最高人民法院", "最高人民检察院"], "全国", "national", None)),
]


@pytest.mark.parametrize("name,expected", FRONT_MATTER, ids=[f[0].split("/")[-1][:12] for f in FRONT_MATTER])
def test_front_matter_from_heading_and_history(by_file, name, expected):
    doc = by_file[name]
    title, date, issuers, jurisdiction, level, number = expected
    heading = next(line[2:] for line in (LAWS / name).read_text(encoding="utf-8").splitlines() if line.startswith("# "))
    assert doc.title == (title or heading) == heading
    assert (doc.date, doc.issuers, doc.jurisdiction, doc.level) == (date, issuers, jurisdiction, level)
    assert doc.doc_number == doc.doc_number_as_written == number


def test_articles_are_the_measures(extraction, by_file):
    name = "行政法规/专利代理条例(2018-11-06).md"
    lines = (LAWS / name).read_text(encoding="utf-8").splitlines()
    printed = [(n, re.match(r"^(第[一二三四五六七八九十百]+条)", line).group(1))
               for n, line in enumerate(lines, 1) if re.match(r"^第[一二三四五六七八九十百]+条", line)]
    doc = by_file[name]
    measures = [m for m in extraction.measures if m.document == doc.id]
    assert [(m.span.line_start, m.key) for m in measures] == printed
    assert len(measures) == 32 and {m.rule for m in measures} == {"article"}
    first = measures[0]
    assert first.text.startswith("为了规范专利代理行为") and first.text.endswith("制定本条例。")
    # an article ends before the next chapter heading
    assert "第二章" not in measures[6].text and not measures[6].text.startswith("第")


def test_citations_resolve_to_the_documents_they_name(by_file):
    law = by_file["行政法/行政许可法(2019-04-23).md"]
    rules = by_file["司法解释/最高人民法院关于审理行政许可案件若干问题的规定(2009-12-14).md"]
    cite = next(c for c in rules.cites if c.title == "中华人民共和国行政许可法")
    assert cite.target == law.id and cite.relation == "basis" and cite.cue == "根据"
    # the national 优化营商环境条例 is not in the folder: one stub, national, cited by both
    binzhou = by_file["DLC/山东地方法规/地方性法规/山东/滨州市工程建设项目并联审批管理规定(2020-06-16).md"]
    beijing = by_file["DLC/北京地方法规/地方性法规/北京/北京市优化营商环境条例(2020-03-27).md"]
    targets = {c.target for d in (binzhou, beijing) for c in d.cites if c.title == "优化营商环境条例"}
    assert targets == {"优化营商环境条例"}


def test_history_titles_are_references_never_basis(by_file):
    law = by_file["行政法/行政许可法(2019-04-23).md"]
    history = [c for c in law.cites if c.span.line_start < 7]
    assert [c.title for c in history] == ["关于修改<中华人民共和国建筑法>等八部法律的决定"]
    assert history[0].relation == "reference"


def _with_fixtures(text: str, name: str = "citing.txt"):
    sources = [read_source(p) for p in expand_inputs([LAWS])] + [source_from_string(text, name)]
    extraction = extract_sources(sources)
    return extraction, next(d for d in extraction.documents if d.span.path == name)


def test_one_basis_citation_per_title_and_titles_without_the_country_name():
    text = ("关于进一步规范行政许可的通知\n各区人民政府：\n"
            "根据《中华人民共和国行政许可法》《优化营商环境条例》等法律法规，结合本市实际，现就有关事项通知如下。\n"
            "一、依照《行政许可法》的规定，公布许可事项。\n")
    extraction, doc = _with_fixtures(text)
    law = next(d for d in extraction.documents if d.title == "中华人民共和国行政许可法")
    basis = [(c.title, c.relation) for c in doc.cites if c.relation == "basis"]
    assert basis == [("中华人民共和国行政许可法", "basis"), ("优化营商环境条例", "basis")]
    short = next(c for c in doc.cites if c.title == "行政许可法")
    assert short.target == law.id  # 《行政许可法》 names 中华人民共和国行政许可法 unambiguously


def test_the_version_in_force_is_cited():
    text = "关于落实营商环境条例的通知\n2022年3月1日\n各区：\n根据《北京市优化营商环境条例》，现通知如下。\n"
    extraction, doc = _with_fixtures(text)
    versions = {d.date: d.id for d in extraction.documents if d.title == "北京市优化营商环境条例"}
    assert sorted(versions) == ["2020-03-27", "2024-11-29"]
    assert doc.cites[0].target == versions["2020-03-27"]


@pytest.mark.parametrize("printed,canonical", [
    ("国办发〔2022〕30号", "国办发〔2022〕30号"),
    ("国办发[2022]第30号", "国办发〔2022〕30号"),
    ("国办发（２０２２）30号", "国办发〔2022〕30号"),
    ("国办发【2022】 30号", "国办发〔2022〕30号"),
])
def test_numbers_after_a_title_in_every_printed_form(printed, canonical):
    from policygraph.extract.pipeline import extract_text

    text = f"关于优化服务的通知\n各单位：\n为贯彻落实《国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见》（{printed}），现通知如下。\n"
    doc = extract_text(text).documents[0]
    cite = doc.cites[0]
    assert cite.doc_number == canonical and cite.relation == "basis"
    assert cite.doc_number_as_written.replace("（", "(").replace("）", ")") in {printed.replace("（", "(").replace("）", ")").replace("２０２２", "2022").replace(" ", "")}


def test_own_number_as_written_is_kept_in_the_graph():
    from policygraph.extract.pipeline import extract_text
    from policygraph.graph.build import graph_data

    extraction = extract_text("北京市人民政府办公厅关于印发某方案的通知\n京政办发[2023]第5号\n各区人民政府：\n"
                              "按照国办发（2022）第30号要求，现印发给你们。\n")
    doc = extraction.documents[0]
    assert doc.doc_number == "京政办发〔2023〕5号" and doc.doc_number_as_written == "京政办发[2023]第5号"
    nodes = {n.key: n.props for n in graph_data(extraction).nodes if n.label == "Document"}
    assert nodes["京政办发〔2023〕5号"]["doc_number_as_written"] == "京政办发[2023]第5号"
    assert nodes["国办发〔2022〕30号"]["doc_number_as_written"] == "国办发（2022）第30号"


def test_lineage_of_a_national_regulation_shows_the_local_ones():
    import policygraph as pg

    report = pg.lineage(pg.build([LAWS]), "优化营商环境条例")
    root = next(r for r in report["roots"] if r["title"] == "优化营商环境条例")
    children = {(c["title"], c["level"]) for c in root["children"]}
    assert ("北京市优化营商环境条例", "provincial") in children
    assert ("滨州市工程建设项目并联审批管理规定", "municipal") in children
    assert root["level"] == "national"


# The same genres as gov.cn and npc.gov.cn print them (real texts, the header and first articles).
ORDER_722 = """中华人民共和国国务院令
第722号
《优化营商环境条例》已经2019年10月8日国务院第66次常务会议通过，现予公布，自2020年1月1日起施行。
总理　李克强
2019年10月22日
优化营商环境条例
第一章　总　　则
第一条　为了持续优化营商环境，不断解放和发展社会生产力，加快建设现代化经济体系，推动高质量发展，制定本条例。
第二条　本条例所称营商环境，是指企业等市场主体在市场经济活动中所涉及的体制机制性因素和条件。
"""
PLAIN_LAW = """中华人民共和国行政许可法
（2003年8月27日第十届全国人民代表大会常务委员会第四次会议通过　根据2019年4月23日第十三届全国人民代表大会常务委员会第十次会议《关于修改〈中华人民共和国建筑法〉等八部法律的决定》修正）
目　　录
第一章　总　　则
第二章　行政许可的设定
第一章　总　　则
第一条　为了规范行政许可的设定和实施，保护公民、法人和其他组织的合法权益，维护公共利益和社会秩序，保障和监督行政机关有效实施行政管理，根据宪法，制定本法。
第二条　本法所称行政许可，是指行政机关根据公民、法人或者其他组织的申请，经依法审查，准予其从事特定活动的行为。
"""
ORDER_84 = """中华人民共和国主席令
第八十四号
《中华人民共和国数据安全法》已由中华人民共和国第十三届全国人民代表大会常务委员会第二十九次会议于2021年6月10日通过，现予公布，自2021年9月1日起施行。
中华人民共和国主席　习近平
2021年6月10日
"""


@pytest.mark.parametrize("text,expected", [
    (ORDER_722, ("优化营商环境条例", "2019-10-22", "中华人民共和国国务院令第722号", ["国务院"], ["第一条", "第二条"])),
    (PLAIN_LAW, ("中华人民共和国行政许可法", "2019-04-23", None, ["全国人民代表大会常务委员会"], ["第一条", "第二条"])),
    (ORDER_84, ("中华人民共和国数据安全法", "2021-06-10", "中华人民共和国主席令第八十四号", ["全国人民代表大会常务委员会"], [])),
], ids=["国务院令", "plain law", "主席令"])
def test_promulgation_orders_and_plain_laws(text, expected):
    from policygraph.extract.pipeline import extract_text

    extraction = extract_text(text)
    doc = extraction.documents[0]
    title, date, number, issuers, keys = expected
    assert (doc.title, doc.date, doc.doc_number, doc.issuers, doc.level) == (title, date, number, issuers, "national")
    assert [m.key for m in extraction.measures] == keys
