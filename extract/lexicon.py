"""Lexicons and pattern tables, loaded from the data files in extract/data/.

Researchers extend these files, not the code: see extract/data/README.md for the fields.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _jsonl(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            rows.append(json.loads(line))
    return rows


@lru_cache(maxsize=None)
def reforms() -> list[dict]:
    return _jsonl("reforms.jsonl")


@lru_cache(maxsize=None)
def platforms() -> list[dict]:
    return _jsonl("platforms.jsonl")


@lru_cache(maxsize=None)
def slogans() -> list[dict]:
    return _jsonl("slogans.jsonl")


@lru_cache(maxsize=None)
def agency_abbreviations() -> list[dict]:
    return _jsonl("agency_abbreviations.jsonl")


@lru_cache(maxsize=None)
def divisions() -> list[dict]:
    return _jsonl("divisions.jsonl")


@lru_cache(maxsize=None)
def doc_number_prefixes() -> list[dict]:
    return _jsonl("doc_number_prefixes.jsonl")


@lru_cache(maxsize=None)
def citation_cues() -> dict:
    return json.loads((DATA / "citation_cues.json").read_text(encoding="utf-8"))
