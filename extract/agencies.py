"""Stage 5a — agencies: one canonical agency for every issuer and responsible unit.

Chinese documents name units relative to the issuing government: in a 北京 document
`市市场监管局` is 北京市市场监督管理局; in a 通辽 document `市法院` is 通辽市中级人民法院 and
`市委宣传部` is 中共通辽市委宣传部. Resolution is three steps, all driven by data files:
1. the jurisdiction prefix (市/省/区/县/旗/自治区/盟, or an explicit place name) is resolved
   against the document's jurisdiction using the hierarchy in divisions.jsonl;
2. the rest is expanded from agency_abbreviations.jsonl (发改委 → 发展和改革委员会), with
   level-dependent forms (法院 → 中级人民法院 for a city) and templates for branches of
   central agencies (北京银保监局 → 中国银行保险监督管理委员会北京监管局);
3. collective units (各区政府, 相关单位, 省直有关单位) are kept as written, as their own kind,
   attached to the jurisdiction they cover.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from policygraph.extract.lexicon import agency_abbreviations, divisions

_COLLECTIVE = re.compile(
    r"^(?:各|有关|相关|其他|其它|全市|全省|全区|[市省区县]直|[市省区县]级|驻[市区])"
    r"|(?:有关|相关|成员|各)(?:单位|部门|机构|企业)$|^(?:行业主管部门|主管部门|责任单位|牵头单位)$|等单位$"
)
_PARTY = re.compile(r"^委(?!员会)")
# a place's own organs: after a short place name (湘西自治州人民政府, 恩施州财政局) the place is
# written in full; other names with a short place (天津港集团, 南昌经开区…办公室) stay as written
_GOVERNMENT_ORGAN = re.compile(r"(?:人民政府|政府)(?:办公厅|办公室)?|[^区县园港]{0,12}(?:委员会|局|厅)")
_OWN_NAME = re.compile(r"(?:海关|公司|集团|银行|分行|支行|大学|学院|医院)$")
_LEVEL_WORD = {"市": "municipal", "省": "provincial", "自治区": "provincial", "区": "district", "县": "district", "旗": "district", "盟": "municipal", "州": "municipal"}


@dataclass(frozen=True)
class Place:
    name: str
    level: str
    parent: str | None


@lru_cache(maxsize=None)
def _places() -> dict[str, Place]:
    return {d["name"]: Place(d["name"], d["level"], d.get("parent")) for d in divisions()}


@lru_cache(maxsize=None)
def _place_forms() -> dict[str, tuple[tuple[str, ...], bool]]:
    """Written form → (the full names it may stand for, whether it is a short form).

    A form stands for several places only when it is the official name of homonyms (鼓楼区 of
    南京市, 徐州市 …, stored as 南京市鼓楼区 with `official` 鼓楼区); the context decides."""
    names: dict[str, set[str]] = {}
    short: set[str] = set()
    for d in divisions():
        names.setdefault(d["name"], set()).add(d["name"])
        if d.get("official"):
            names.setdefault(d["official"], set()).add(d["name"])
        for s in _derived_shorts(d):
            names.setdefault(s, set()).add(d["name"])
            short.add(s)
    return {form: (tuple(sorted(full)), form in short) for form, full in names.items()}


def _derived_shorts(d: dict) -> list[str]:
    """A division's short forms, plus the `X自治州` that documents write beside `X州`
    (湘西土家族苗族自治州: 湘西州 and 湘西自治州)."""
    shorts = [s for s in d.get("short", []) or [] if len(s) >= 2]
    if d["name"].endswith("自治州"):
        shorts += [s[:-1] + "自治州" for s in shorts if s.endswith("州") and len(s) >= 3]
    return shorts


@lru_cache(maxsize=None)
def _forms_by_first_char() -> dict[str, list[str]]:
    """First character → forms starting with it, longest first (one dict lookup per position
    instead of a scan of all 3,000+ divisions)."""
    index: dict[str, list[str]] = {}
    for form in _place_forms():
        index.setdefault(form[0], []).append(form)
    for forms in index.values():
        forms.sort(key=lambda f: (-len(f), f))
    return index


def _place_names() -> list[tuple[str, str]]:
    """(written form, full name) of every form, longest first: 北京市, 北京, 顺义区, 顺义 …"""
    pairs = [(form, full) for form, (fulls, _) in _place_forms().items() for full in fulls]
    return sorted(pairs, key=lambda f: (-len(f[0]), f))


def place(name: str | None) -> Place | None:
    return _places().get(name) if name else None


def ancestors(name: str | None) -> list[Place]:
    """The place itself, then its parent, up to the national level."""
    chain: list[Place] = []
    while name and (p := place(name)) and p not in chain:
        chain.append(p)
        name = p.parent
    return chain


def _choose(fulls: tuple[str, ...], form: str, within: str | None) -> str | None:
    """One place for a form: the only one; else the homonym whose parent is around `within`
    (鼓楼区 in a 南京市 document); else the one that holds the bare name (curated), if any."""
    if len(fulls) == 1:
        return fulls[0]
    around = {p.name for p in ancestors(within)}
    inside = [f for f in fulls if place(f) and place(f).parent in around]
    if len(inside) == 1:
        return inside[0]
    return form if form in fulls else None


def _leading(text: str, context: str | None = None) -> tuple[str, str, bool] | None:
    """(full name, written form, whether the last form was a short form) of the place a name
    starts with. Nested places are followed (北京市 then 顺义区), each inside the one before."""
    text = re.sub(r"^中共", "", text)
    best: tuple[str, str, bool] | None = None
    consumed, rest, within = "", text, context
    while rest:
        found = None
        for form in _forms_by_first_char().get(rest[0], ()):
            if not rest.startswith(form):
                continue
            fulls, is_short = _place_forms()[form]
            full = _choose(fulls, form, within)
            if full and (best is None or best[0] in {p.name for p in ancestors(full)}):
                found = form, full, is_short
                break
        if not found:
            break
        form, full, is_short = found
        # A short form must not eat into the agency name: 北京 in 北京海关 is fine, 市 in 市场 is not.
        consumed += form
        best = (full, consumed, is_short)
        rest, within = rest[len(form):], full
    return best


def leading_place(text: str, context: str | None = None) -> tuple[str, str] | None:
    """(full name, written form) of the place a name starts with: 北京市顺义区… → 顺义区.

    `context` (the document's jurisdiction) decides between homonyms: 鼓楼区 in a 南京市 document."""
    found = _leading(text, context)
    return found[:2] if found else None


@lru_cache(maxsize=None)
def _shorts_of(name: str) -> tuple[str, ...]:
    return tuple(next((d.get("short", []) or [] for d in divisions() if d["name"] == name), []))


def display_prefix(name: str | None) -> str:
    """How an agency name starts for a place: 北京市顺义区 (a district is named with its city),
    北京经济技术开发区 (unless it already carries the city's short name), 通辽市."""
    if not name:
        return ""
    p = place(name)
    if p and p.level == "national":
        return ""  # 商务部, not 全国商务部
    if p and p.level == "district" and not name.endswith("区"):
        return name  # counties, banners and county-level cities are named alone: 镇巴县人民政府, 广水市人民政府
    if p and p.level == "district" and p.parent and place(p.parent):
        parent = place(p.parent)
        shorts = [parent.name, *_shorts_of(parent.name)]
        if not any(name.startswith(s) for s in shorts if len(s) >= 2):
            return parent.name + name
    return name


@lru_cache(maxsize=None)
def _upper_forms_by_first_char() -> dict[str, list[tuple[str, str]]]:
    """Forms of provinces and prefectures only, for places inside a name: a county's name
    there is too often a word (城关, 新华, 长安)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for form, (fulls, _) in _place_forms().items():
        upper = [f for f in fulls if place(f).level in ("provincial", "municipal")]
        if len(upper) == 1 and len(form) >= 2 and form not in ("国家", "中国", "全国"):
            index.setdefault(form[0], []).append((form, upper[0]))
    return index


def _place_inside(name: str) -> str | None:
    """The longest province or prefecture named inside a name (not at its start)."""
    best: tuple[int, int, str] | None = None
    for i in range(1, len(name)):
        for form, full in _upper_forms_by_first_char().get(name[i], ()):
            if name.startswith(form, i) and (best is None or (-len(form), i) < best[:2]):
                best = (-len(form), i, full)
    return best[2] if best else None


def jurisdiction_of_name(name: str) -> str | None:
    found = leading_place(name)
    return found[0] if found else None


def _relative(prefix: str, context: str | None) -> str | None:
    """The place a relative prefix (市, 省, 区, 县, 旗, 自治区, 盟) means inside `context`."""
    level = _LEVEL_WORD[prefix]
    chain = ancestors(context)
    for p in chain:
        if p.level == level or (level == "municipal" and p.level == "provincial" and p.name.endswith("市")):
            if prefix == "自治区" and not p.name.endswith("自治区"):
                continue
            if prefix == "省" and not p.name.endswith("省"):
                continue
            if prefix == "州" and not p.name.endswith("州"):
                continue  # 州司法局 in a 自治州 document
            return p.name
    return None


_DEPTH = {"national": 0, "provincial": 1, "municipal": 2, "district": 3}


def _deeper_than(prefix: str, context: str | None) -> bool:
    """Whether a relative prefix names a level below the document's own (区 in a city's document)."""
    chain = ancestors(context)
    return bool(chain) and _DEPTH.get(_LEVEL_WORD[prefix], 0) > _DEPTH.get(chain[0].level, 0)


def _abbreviation_rows():
    return sorted(agency_abbreviations(), key=lambda r: -len(r["short"]))


_LEXICON_LEVEL = {"provincial": "province", "municipal": "municipal", "district": "district", "national": "national"}


def expand(rest: str, level: str | None, place_name: str | None) -> tuple[str, str, str]:
    """Expand an abbreviated agency name written after its place: 发改委 → 发展和改革委员会.

    Returns (expanded name, kind, prefix); the prefix (中共 for party organs) goes before the
    place. A template row builds the whole name (北京银保监局 → 中国银行保险监督管理委员会北京监管局)
    and then the place is not prefixed again (the returned prefix is the marker "=")."""
    for row in _abbreviation_rows():
        short = row["short"]
        if not (rest == short or (rest.endswith(short) and len(short) >= 3)):
            continue
        kind = row.get("kind", "government")
        head = rest[: len(rest) - len(short)]
        if row.get("template") and not head:
            name = row["template"].replace("{jur_short}", _short_place(place_name)).replace("{jur}", place_name or "")
            return name, kind, "="
        full = row["full"]
        full = (row.get("by_jurisdiction") or {}).get(place_name or "", full)
        full = (row.get("by_level") or {}).get(_LEXICON_LEVEL.get(level or "", ""), full)
        if rest.endswith(full):
            return rest, kind, row.get("prefix", "")
        return head + full, kind, row.get("prefix", "")
    # Written in full already (人民代表大会常务委员会, 中级人民法院): the lexicon still gives its kind.
    for full, row in _full_names():
        if rest.endswith(full) and not row.get("template") and not row.get("prefix"):
            return rest, row.get("kind", "government"), ""
    return rest, "government", ""


@lru_cache(maxsize=None)
def _full_names() -> tuple[tuple[str, dict], ...]:
    """(full name, lexicon row) of the local organs, longest first."""
    pairs = {}
    for row in agency_abbreviations():
        for full in [row["full"], *(row.get("by_level") or {}).values()]:
            if len(full) >= 4 and row.get("scope") != "national":
                pairs.setdefault(full, row)
    return tuple(sorted(pairs.items(), key=lambda p: (-len(p[0]), p[0])))


def _short_place(name: str | None) -> str:
    if not name:
        return ""
    shorts = [s for s in _shorts_of(name) if len(s) >= 2 and s not in ("国家", "中国")]
    return shorts[0] if shorts else name


@dataclass(frozen=True)
class CanonicalUnit:
    name: str
    kind: str
    jurisdiction: str | None


@lru_cache(maxsize=8192)
def canonical_unit(unit: str, context: str | None) -> CanonicalUnit:
    """The full official name of a unit written in a document of jurisdiction `context`."""
    unit = unit.strip()
    if _COLLECTIVE.search(unit) or unit in ("开发区", "经开区", "高新区"):
        return CanonicalUnit(unit, "collective", context)
    party = unit.startswith("中共")
    body = unit[2:] if party else unit
    if not party and body.startswith(("国家", "中国", "国务院", "中央", "全国", "最高人民法院", "最高人民检察院")):
        # Central bodies carry no place prefix: 国家发展改革委 → 国家发展和改革委员会.
        national = next((d["name"] for d in divisions() if d["level"] == "national"), None)
        expanded, kind, _ = expand(body, "national", None)
        return CanonicalUnit(expanded, kind, national)
    place_name, rest, written, short_form = None, body, "", False
    explicit = _leading(body, context)
    if explicit:
        place_name, written, short_form = explicit
        rest = body[len(written):]
    else:
        m = re.match(r"^(市)(?=市)|^(自治区|市(?!场|监局)|省|区|县|旗|盟|州)", body)
        if m:
            prefix = m.group(1) or m.group(2)
            resolved = _relative(prefix, context)
            if resolved:
                place_name, rest = resolved, body[len(prefix):]
            elif _deeper_than(prefix, context):
                # 区司法局 in a 济南市 document: a district's bureau, and the text does not say which
                return CanonicalUnit(unit, "government", context)
        if place_name is None:
            inside = _place_inside(body)
            if inside:
                # 人民银行天津分行, 国网天津市电力公司: the place is inside a national body's name.
                name = ("中国" + body) if body.startswith("人民银行") else body
                return CanonicalUnit(name, "vertical", inside)
            if _OWN_NAME.search(body):
                # 晋阳海关, 某某供电公司: bodies with names of their own are not the city's departments.
                return CanonicalUnit(body, "vertical" if body.endswith("海关") else "other", context)
            place_name = context
    level = place(place_name).level if place(place_name) else None
    expanded, kind, prefix = expand(rest, level, place_name)
    if prefix == "=":
        return CanonicalUnit(expanded, kind, place_name)
    if party or _PARTY.match(rest):
        prefix, kind = "中共", "party"
    if short_form and expanded == rest and kind != "party" and not _GOVERNMENT_ORGAN.fullmatch(rest):
        name = unit  # 天津港集团: a short place name in a proper name stays as written
    else:
        name = f"{prefix}{display_prefix(place_name)}{expanded}"
    if "法院" in expanded:
        kind = "court"
    elif "检察院" in expanded:
        kind = "procuratorate"
    return CanonicalUnit(name, kind, place_name)


@lru_cache(maxsize=None)
def _issuer_starts() -> dict[str, tuple[str, ...]]:
    """What can begin an issuer glued to the previous one: a place name, 中共, or the name of a
    central body from the abbreviation lexicon (商务部, 市场监管总局 …); indexed by first character."""
    starts = {form for form in _place_forms() if len(form) >= 3} | {"中共", "国务院"}
    for row in agency_abbreviations():
        if row.get("scope") == "national":
            starts.update(x for x in (row["short"], row.get("template") or "") if len(x) >= 3 and "{" not in x)
    index: dict[str, list[str]] = {}
    for form in sorted(starts, key=lambda f: (-len(f), f)):
        index.setdefault(form[0], []).append(form)
    return {ch: tuple(forms) for ch, forms in index.items()}


def split_joint_issuers(text: str) -> list[str]:
    """`北京市发展和改革委员会北京市商务局` → [北京市发展和改革委员会, 北京市商务局];
    `国家发展改革委商务部市场监管总局` → three central bodies: a place name or a central body's
    name right after an agency suffix starts a new issuer."""
    starts = _issuer_starts()
    cuts = [0]
    for i in range(1, len(text)):
        if text[i - 1] not in "局委会室厅部院办署府心队行":
            continue
        if any(text.startswith(form, i) for form in starts.get(text[i], ())):
            cuts.append(i)
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b]]
