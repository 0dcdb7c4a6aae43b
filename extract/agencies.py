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
def _place_names() -> list[tuple[str, str]]:
    """(written form, full name), longest first: 北京市, 北京, 顺义区, 顺义 …"""
    forms: list[tuple[str, str]] = []
    for d in divisions():
        forms.append((d["name"], d["name"]))
        for short in d.get("short", []) or []:
            if len(short) >= 2:
                forms.append((short, d["name"]))
    return sorted(set(forms), key=lambda f: -len(f[0]))


def place(name: str | None) -> Place | None:
    return _places().get(name) if name else None


def ancestors(name: str | None) -> list[Place]:
    """The place itself, then its parent, up to the national level."""
    chain: list[Place] = []
    while name and (p := place(name)) and p not in chain:
        chain.append(p)
        name = p.parent
    return chain


def leading_place(text: str) -> tuple[str, str] | None:
    """(full name, written form) of the place a name starts with: 北京市顺义区… → 北京市顺义区?

    Nested places are followed (北京市 then 顺义区), so the most specific wins."""
    text = re.sub(r"^中共", "", text)
    best: tuple[str, str] | None = None
    consumed = ""
    rest = text
    while True:
        match = next(((form, full) for form, full in _place_names() if rest.startswith(form)), None)
        if not match:
            break
        form, full = match
        # A short form must not eat into the agency name: 北京 in 北京海关 is fine, 市 in 市场 is not.
        consumed += form
        best = (full, consumed)
        rest = rest[len(form):]
    return best


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
        shorts = [parent.name] + [s for d in divisions() if d["name"] == parent.name for s in d.get("short", []) or []]
        if not any(name.startswith(s) for s in shorts if len(s) >= 2):
            return parent.name + name
    return name


def _place_inside(name: str) -> str | None:
    for form, full in _place_names():
        if len(form) >= 2 and form in name[1:] and form not in ("国家", "中国", "全国"):
            return full
    return None


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
    return rest, "government", ""


def _short_place(name: str | None) -> str:
    if not name:
        return ""
    for d in divisions():
        if d["name"] == name:
            shorts = [s for s in d.get("short", []) or [] if len(s) >= 2 and s not in ("国家", "中国")]
            return shorts[0] if shorts else name
    return name


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
    if not party and body.startswith(("国家", "中国", "国务院", "中央", "全国")):
        # Central bodies carry no place prefix: 国家发展改革委 → 国家发展和改革委员会.
        national = next((d["name"] for d in divisions() if d["level"] == "national"), None)
        expanded, kind, _ = expand(body, "national", None)
        return CanonicalUnit(expanded, kind, national)
    place_name, rest, written = None, body, ""
    explicit = leading_place(body)
    if explicit:
        place_name, written = explicit
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
    if written and written != place_name and expanded == rest and kind != "party":
        name = unit  # 天津港集团: a short place name in a proper name stays as written
    else:
        name = f"{prefix}{display_prefix(place_name)}{expanded}"
    if "法院" in expanded:
        kind = "court"
    elif "检察院" in expanded:
        kind = "procuratorate"
    return CanonicalUnit(name, kind, place_name)


@lru_cache(maxsize=None)
def _issuer_starts() -> tuple[str, ...]:
    """What can begin an issuer glued to the previous one: a place name, 中共, or the name of a
    central body from the abbreviation lexicon (商务部, 市场监管总局 …)."""
    starts = {form for form, _ in _place_names() if len(form) >= 3} | {"中共", "国务院"}
    for row in agency_abbreviations():
        if row.get("scope") == "national":
            starts.update(x for x in (row["short"], row.get("template") or "") if len(x) >= 3 and "{" not in x)
    return tuple(sorted(starts, key=len, reverse=True))


def split_joint_issuers(text: str) -> list[str]:
    """`北京市发展和改革委员会北京市商务局` → [北京市发展和改革委员会, 北京市商务局];
    `国家发展改革委商务部市场监管总局` → three central bodies: a place name or a central body's
    name right after an agency suffix starts a new issuer."""
    starts = _issuer_starts()
    cuts = [0]
    for i in range(1, len(text)):
        if text[i - 1] not in "局委会室厅部院办署府心队行":
            continue
        if any(text.startswith(form, i) for form in starts):
            cuts.append(i)
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b]]
