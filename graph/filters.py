"""Filters a researcher puts on a report: a date range, a place with its sub-divisions, a level.

`--since 2023-03 --until 2023-06 --jurisdiction 河北省 --level municipal` keeps the documents
dated from 1 March to 30 June 2023, issued for 河北省 or any place inside it (廊坊市, 张家口市 …),
at city level. Dates compare on the digits given (2023, 2023-05 or 2023-05-09).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from policygraph.errors import InputError

LEVELS = ("national", "provincial", "municipal", "district")
_LEVEL_WORDS = {
    "national": "national", "国家": "national", "中央": "national", "全国": "national",
    "provincial": "provincial", "province": "provincial", "省": "provincial", "省级": "provincial",
    "municipal": "municipal", "city": "municipal", "市": "municipal", "市级": "municipal", "地级": "municipal", "地级市": "municipal",
    "district": "district", "county": "district", "区": "district", "县": "district", "区县": "district", "县级": "district",
}
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def parse_level(text: str | None) -> str | None:
    if not text:
        return None
    level = _LEVEL_WORDS.get(text.strip().lower())
    if level is None:
        raise InputError(f"Unknown level {text}: use national, provincial, municipal or district.")
    return level


def parse_date(text: str | None, option: str) -> str | None:
    if not text:
        return None
    value = text.strip().replace("/", "-").replace(".", "-")
    if not _DATE.match(value):
        raise InputError(f"{option} {text} is not a date: write 2023, 2023-05 or 2023-05-09.")
    return value


@dataclass(frozen=True)
class DocumentFilter:
    since: str | None = None
    until: str | None = None
    jurisdiction: str | None = None  # the place as resolved (河北省)
    places: frozenset[str] | None = None  # the place and everything inside it
    level: str | None = None

    @classmethod
    def parse(cls, g: nx.MultiDiGraph | None, since: str | None = None, until: str | None = None,
              jurisdiction: str | None = None, level: str | None = None) -> "DocumentFilter":
        """Read the options as typed; one plain sentence for a value that cannot be read."""
        from policygraph.graph.lookup import places_within, resolve_place

        place = resolve_place(jurisdiction) if jurisdiction else None
        return cls(parse_date(since, "--since"), parse_date(until, "--until"), place,
                   frozenset(places_within(g, place)) if place else None, parse_level(level))

    @property
    def active(self) -> bool:
        return any((self.since, self.until, self.places, self.level))

    def date_ok(self, date: str | None) -> bool:
        if not (self.since or self.until):
            return True
        if not date:
            return False
        if self.since and date[:len(self.since)] < self.since:
            return False
        return not (self.until and date[:len(self.until)] > self.until)

    def place_ok(self, jurisdiction: str | None, level: str | None) -> bool:
        if self.places is not None and jurisdiction not in self.places:
            return False
        return not (self.level and level != self.level)

    def matches(self, attrs: dict) -> bool:
        """Whether a document (its node attributes or report entry) passes every filter."""
        return self.date_ok(attrs.get("date")) and self.place_ok(attrs.get("jurisdiction"), attrs.get("level"))

    def describe(self) -> str:
        parts = []
        if self.since or self.until:
            parts.append(f"dated {self.since or '…'} to {self.until or '…'}")
        if self.jurisdiction:
            parts.append(f"in {self.jurisdiction} or below")
        if self.level:
            parts.append(f"at {self.level} level")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "jurisdiction": self.jurisdiction, "level": self.level}
