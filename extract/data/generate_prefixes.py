"""Regenerate the generated rows of doc_number_prefixes.jsonl: for each of the 31 mainland
provinces, the 发文字号 prefixes of its party committee and of the departments whose official
names are the same in every province, built from the province's number abbreviation.

    python3 extract/data/generate_prefixes.py     # rewrites extract/data/doc_number_prefixes.jsonl
    python3 -m pytest -q tests/test_lexicons.py tests/test_divisions.py

The number abbreviation is the stem of the province's curated government prefix (京政发 → 京,
粤府 → 粤, 内政发 → 内, 云政发 → 云), not its 简称, since numbers do not always use the 简称.
Curated rows (no `generated` field) are kept as they are and win: a generated prefix that a
curated row already has, for any jurisdiction, is left out. Generated rows carry
`"confidence": "pattern"` and `"generated": true`: they follow the national convention
(冀发改发, 晋市监函, 浙卫健发 …) and should be checked against a real number when first seen.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "doc_number_prefixes.jsonl"
NOT_MAINLAND = {"台湾省", "香港特别行政区", "澳门特别行政区"}
# stem → (department in a province, the same department in a 直辖市); names identical nationwide
DEPARTMENTS = {
    "发改": ("发展和改革委员会", "发展和改革委员会"),
    "市监": ("市场监督管理局", "市场监督管理局"),
    "卫健": ("卫生健康委员会", "卫生健康委员会"),
    "医保": ("医疗保障局", "医疗保障局"),
    "财": ("财政厅", "财政局"),
    "人社": ("人力资源和社会保障厅", "人力资源和社会保障局"),
    "应急": ("应急管理厅", "应急管理局"),
}
SUFFIXES = ("发", "函", "规")
PARTY = {"发": "委员会", "办发": "委员会办公厅"}  # 冀发: 中共河北省委员会; 冀办发: its 办公厅


def _rows(path: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (path.parent / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    divisions = {d["name"]: d for d in _rows(OUT, "divisions.jsonl")}
    curated = [r for r in _rows(OUT, OUT.name) if not r.get("generated")]
    taken = {r["prefix"] for r in curated}
    generated: list[dict] = []

    def add(prefix: str, issuer: str, province: dict) -> None:
        if prefix not in taken:
            taken.add(prefix)
            generated.append({"prefix": prefix, "issuer": issuer, "jurisdiction": province["name"],
                              "level": "provincial", "confidence": "pattern", "generated": True})

    for row in curated:
        province = divisions.get(row["jurisdiction"])
        if not province or province["level"] != "provincial" or province["name"] in NOT_MAINLAND:
            continue
        if row["issuer"] != province["name"] + "人民政府":
            continue
        stem = re.match(r"^(.+?)(?:政|府)", row["prefix"])
        if not stem or any(g["jurisdiction"] == province["name"] for g in generated):
            continue
        a = stem.group(1)
        for suffix, organ in PARTY.items():
            add(f"{a}{suffix}", f"中共{province['name']}{organ}", province)
        for dept, (in_province, in_city) in DEPARTMENTS.items():
            name = in_city if province.get("type") == "直辖市" else in_province
            for suffix in SUFFIXES:
                add(f"{a}{dept}{suffix}", province["name"] + name, province)
        add(f"{a}发改", province["name"] + DEPARTMENTS["发改"][0], province)
    rows = curated + generated
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(curated)} curated + {len(generated)} generated = {len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
