"""Content checks for the hand-edited lexicons in extract/data/.

Every check here looks at real file content, so a malformed line, a
duplicate entry, a dangling parent or an unknown jurisdiction makes a
test fail.
"""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "extract" / "data"
FILES = [
    "reforms.jsonl",
    "platforms.jsonl",
    "slogans.jsonl",
    "agency_abbreviations.jsonl",
    "divisions.jsonl",
    "doc_number_prefixes.jsonl",
]

REQUIRED = {
    "reforms.jsonl": {"label": str, "variants": list, "kind": str, "description": str, "examples": list},
    "platforms.jsonl": {"name": str, "variants": list, "jurisdiction": str, "description": str},
    "slogans.jsonl": {"phrase": str, "why": str},
    "agency_abbreviations.jsonl": {"short": str, "full": str, "kind": str},
    "divisions.jsonl": {"name": str, "qualified": str, "short": list, "level": str, "parent": (str, type(None))},
    "doc_number_prefixes.jsonl": {"prefix": str, "issuer": str, "jurisdiction": str, "level": str},
}

AGENCY_KINDS = {"government", "party", "court", "procuratorate", "vertical", "other"}
DIVISION_LEVELS = {"national", "provincial", "municipal", "district"}
BY_LEVEL_KEYS = {"province", "municipal", "district"}
TEMPLATE_FIELDS = {"jur", "jur_short"}


def load(name):
    path = DATA / name
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                raise AssertionError(f"{name}:{lineno}: blank line")
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                raise AssertionError(f"{name}:{lineno}: invalid JSON: {exc}") from exc
            assert isinstance(obj, dict), f"{name}:{lineno}: not a JSON object"
            rows.append((lineno, obj))
    return rows


@pytest.fixture(scope="module")
def lex():
    return {name: [obj for _, obj in load(name)] for name in FILES}


def dups(values):
    return sorted(v for v, c in Counter(values).items() if c > 1)


# ---------------------------------------------------------------- generic


@pytest.mark.parametrize("name", FILES)
def test_lines_are_json_with_required_fields(name):
    rows = load(name)
    assert rows, f"{name} is empty"
    for lineno, obj in rows:
        for field, typ in REQUIRED[name].items():
            assert field in obj, f"{name}:{lineno}: missing field {field!r}"
            assert isinstance(obj[field], typ), f"{name}:{lineno}: {field!r} has type {type(obj[field]).__name__}"
            if isinstance(obj[field], str):
                assert obj[field].strip() == obj[field] and obj[field], f"{name}:{lineno}: empty/padded {field!r}"
            if isinstance(obj[field], list):
                for item in obj[field]:
                    assert isinstance(item, str) and item.strip() == item and item, f"{name}:{lineno}: bad item in {field!r}"


@pytest.mark.parametrize("name", FILES)
def test_files_are_utf8_not_ascii_escaped(name):
    text = (DATA / name).read_text(encoding="utf-8")
    assert "\\u" not in text, f"{name} contains \\u escapes: write with ensure_ascii=False"


# ---------------------------------------------------------------- reforms


def reform_forms(reforms):
    return [f for r in reforms for f in [r["label"], *r["variants"]]]


def test_reforms_kind_and_unique_forms(lex):
    reforms = lex["reforms.jsonl"]
    assert len(reforms) >= 100
    for r in reforms:
        assert r["kind"] == "reform", r["label"]
        assert r["label"] not in r["variants"], f"{r['label']}: label repeated in variants"
    assert dups(r["label"] for r in reforms) == []
    assert dups(reform_forms(reforms)) == [], "a written form belongs to two reform entries"


def test_reform_variants_at_least_three_chars(lex):
    short = [(r["label"], v) for r in lex["reforms.jsonl"] for v in r["variants"] if len(v) < 3]
    assert short == []
    assert [r["label"] for r in lex["reforms.jsonl"] if len(r["label"]) < 2] == []


def test_reform_examples_contain_the_label(lex):
    for r in lex["reforms.jsonl"]:
        assert r["examples"], f"{r['label']}: no example"
        forms = [r["label"], *r["variants"]]
        for ex in r["examples"]:
            assert any(f in ex for f in forms), f"{r['label']}: example {ex!r} contains no form"


def test_required_reform_labels_present(lex):
    forms = set(reform_forms(lex["reforms.jsonl"]))
    for label in ["一业一证", "双随机、一公开", "双随机一公开", "双随机", "6+4一体化综合监管", "一网通办",
                  "跨省通办", "全区通办", "放管服", "证照分离", "一件事一次办", "一件事", "最多跑一次",
                  "告知承诺制", "免申即享", "即申即享", "好差评", "证明事项告知承诺制", "接诉即办"]:
        assert label in forms, label


# ---------------------------------------------------------------- platforms / slogans


def test_platforms_unique_and_not_reforms(lex):
    platforms = lex["platforms.jsonl"]
    forms = [f for p in platforms for f in [p["name"], *p["variants"]]]
    assert dups(p["name"] for p in platforms) == []
    assert dups(forms) == []
    overlap = set(forms) & set(reform_forms(lex["reforms.jsonl"]))
    assert overlap == set(), f"both platform and reform: {overlap}"
    assert "一网通办" not in forms


def test_platform_jurisdictions_exist(lex):
    known = {d["name"] for d in lex["divisions.jsonl"]}
    bad = [(p["name"], p["jurisdiction"]) for p in lex["platforms.jsonl"] if p["jurisdiction"] not in known]
    assert bad == []


def test_slogans_unique_and_disjoint(lex):
    phrases = [s["phrase"] for s in lex["slogans.jsonl"]]
    assert dups(phrases) == []
    platform_forms = {f for p in lex["platforms.jsonl"] for f in [p["name"], *p["variants"]]}
    assert set(phrases) & set(reform_forms(lex["reforms.jsonl"])) == set()
    assert set(phrases) & platform_forms == set()
    for must in ["一把手", "最后一公里", "开鲁红干椒", "四不两直", "看得懂", "用得上"]:
        assert must in phrases, must


# ---------------------------------------------------------------- agencies


def test_agency_abbreviations(lex):
    rows = lex["agency_abbreviations.jsonl"]
    assert len(rows) >= 100
    assert dups(r["short"] for r in rows) == []
    for r in rows:
        assert r["kind"] in AGENCY_KINDS, r
        if "by_level" in r:
            assert set(r["by_level"]) <= BY_LEVEL_KEYS and r["by_level"], r
        if "template" in r:
            fields = set(re.findall(r"{(\w+)}", r["template"]))
            assert fields <= TEMPLATE_FIELDS, r
            # a template without placeholders is a complete name: only for national organs
            assert fields or r.get("scope") == "national", r
        if "prefix" in r:
            assert r["prefix"] in {"中共", "国家税务总局", "共青团"}, r
        if r["kind"] == "party" and r.get("scope") != "national":
            assert r.get("prefix") == "中共" or r.get("template", "").startswith("中共"), \
                f"local party organ without 中共 prefix: {r}"
        if "scope" in r:
            assert r["scope"] == "national", r


def test_agency_expansions_known_cases(lex):
    by_short = {r["short"]: r for r in lex["agency_abbreviations.jsonl"]}
    assert by_short["发改委"]["full"] == "发展和改革委员会"
    assert by_short["发展改革委"]["full"] == "发展和改革委员会"
    assert by_short["住房城乡建设委"]["full"] == "住房和城乡建设委员会"
    assert by_short["市场监管局"]["full"] == "市场监督管理局"
    assert by_short["法院"]["by_level"] == {"province": "高级人民法院", "municipal": "中级人民法院", "district": "人民法院"}
    assert by_short["委宣传部"]["prefix"] == "中共"
    assert by_short["税务局"]["kind"] == "vertical"


# ---------------------------------------------------------------- divisions


def test_divisions_hierarchy(lex):
    divs = lex["divisions.jsonl"]
    names = {d["name"] for d in divs}
    # the resolver keys places by name: a second 朝阳区 would be silently merged
    assert dups(d["name"] for d in divs) == []
    assert dups(d["qualified"] for d in divs) == []
    national = [d for d in divs if d["level"] == "national"]
    assert [d["name"] for d in national] == ["全国"]
    for d in divs:
        assert d["level"] in DIVISION_LEVELS, d
        if d["level"] == "national":
            assert d["parent"] is None
            continue
        assert d["parent"] in names, f"{d['name']}: parent {d['parent']!r} missing"
        parent = next(p for p in divs if p["name"] == d["parent"] and p["level"] != "district")
        order = ["national", "provincial", "municipal", "district"]
        assert order.index(parent["level"]) < order.index(d["level"]), d
        assert d["qualified"].endswith(d["name"]), d


def test_division_short_forms_unambiguous(lex):
    divs = lex["divisions.jsonl"]
    shorts = [s for d in divs for s in d["short"]]
    assert dups(shorts) == []
    names = {d["name"] for d in divs}
    assert [s for s in shorts if s in names] == []
    assert [s for s in shorts if len(s) < 2] == []


def test_provincial_divisions(lex):
    prov = [d for d in lex["divisions.jsonl"] if d["level"] == "provincial"]
    assert len(prov) == 34
    abbrs = [d["abbr"] for d in prov]
    assert all(isinstance(a, str) and len(a) == 1 for a in abbrs)
    assert dups(abbrs) == []
    by_name = {d["name"]: d["abbr"] for d in prov}
    assert by_name["北京市"] == "京" and by_name["内蒙古自治区"] == "蒙" and by_name["河北省"] == "冀"


def _children(divs, parent, level=None):
    return {d["name"] for d in divs if d["parent"] == parent and (level is None or d["level"] == level)}


def test_division_coverage(lex):
    divs = lex["divisions.jsonl"]
    assert len(_children(divs, "北京市", "district") - {"北京经济技术开发区"}) == 16
    assert len(_children(divs, "天津市", "district")) == 16
    assert len(_children(divs, "河北省", "municipal") - {"雄安新区", "辛集市", "定州市"}) == 11
    assert len(_children(divs, "山西省", "municipal")) == 11
    assert len(_children(divs, "内蒙古自治区", "municipal")) == 12
    for city, n in [("张家口市", 16), ("廊坊市", 10), ("太原市", 10), ("忻州市", 14), ("通辽市", 8), ("呼和浩特市", 9)]:
        assert len(_children(divs, city)) == n, city
    prefecture = [d for d in divs if d["level"] == "municipal" and d.get("type") in {"地级市", "盟", "自治州", "地区"}]
    assert len(prefecture) == 333
    names = {d["name"] for d in divs}
    for must in ["北京经济技术开发区", "雄安新区", "滨海新区", "石家庄市", "深圳市", "大连市", "青岛市", "宁波市", "厦门市"]:
        assert must in names, must


# ---------------------------------------------------------------- document-number prefixes

CORPUS_PREFIXES = [
    "京发改", "京市监发", "京建发", "京建法", "京技管发", "京政办发", "冀办发", "冀市监函", "冀市监办",
    "冀应急", "冀政办字", "冀自然资字", "内政办发", "呼政办发", "国办发", "并政办发", "张政办函", "张政办字",
    "忻政办发", "晋政办发", "通党办发", "通政办发", "通政办字", "顺政办发",
]


def test_prefix_rows(lex):
    rows = lex["doc_number_prefixes.jsonl"]
    divs = lex["divisions.jsonl"]
    by_key = {d["name"]: d for d in divs}  # jurisdiction must be a division *name*
    assert dups((r["prefix"], r["jurisdiction"]) for r in rows) == []
    for r in rows:
        assert r["jurisdiction"] in by_key, f"{r['prefix']}: unknown jurisdiction {r['jurisdiction']!r} (use the division name)"
        div = by_key[r["jurisdiction"]]
        assert r["level"] == div["level"], f"{r['prefix']}: level {r['level']} != division level {div['level']}"
        assert "〔" not in r["prefix"] and not re.search(r"\d", r["prefix"]), r
        if r["level"] != "national":
            assert div["name"] in r["issuer"] or div["qualified"] in r["issuer"], \
                f"{r['prefix']}: issuer {r['issuer']!r} does not name {div['name']}"


def test_corpus_prefixes_present(lex):
    have = {r["prefix"] for r in lex["doc_number_prefixes.jsonl"]}
    assert [p for p in CORPUS_PREFIXES if p not in have] == []
    tongzheng = {r["jurisdiction"] for r in lex["doc_number_prefixes.jsonl"] if r["prefix"] == "通政办发"}
    assert tongzheng == {"通辽市", "通州区"}


def test_provincial_government_prefix_for_every_province(lex):
    rows = lex["doc_number_prefixes.jsonl"]
    provinces = {d["name"] for d in lex["divisions.jsonl"] if d["level"] == "provincial"}
    mainland = provinces - {"台湾省", "香港特别行政区", "澳门特别行政区"}
    with_gov = {r["jurisdiction"] for r in rows if r["issuer"] == r["jurisdiction"] + "人民政府"}
    with_office = {r["jurisdiction"] for r in rows if r["issuer"] == r["jurisdiction"] + "人民政府办公厅"}
    assert mainland - with_gov == set()
    assert mainland - with_office == set()
