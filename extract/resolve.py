"""Stage 5 — resolve: turn what was written into what it refers to.

Pluggable resolvers, tried in order, as in eyecite:
- citations → a document of the input by 发文字号, then by title (also the titles a document
  issues as attachments), then a stub shared by every citation of the same number or title;
- units and issuers → canonical agencies (see agencies.py);
- documents → their jurisdiction and level.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from policygraph.extract.agencies import (
    ancestors,
    canonical_unit,
    jurisdiction_of_name,
    leading_place,
)
from policygraph.extract.lexicon import divisions, doc_number_prefixes
from policygraph.extract.models import Agency, Citation, Document, Jurisdiction, Measure, Span

LEVELS = ("national", "provincial", "municipal", "district")


def title_key(title: str | None) -> str:
    if not title:
        return ""
    return re.sub(r"[《》〈〉“”\"'‘’\s（）()]", "", title)


def issued_title_key(key: str) -> str | None:
    """For 关于印发X的通知 (a title key), the key of X: the attachment the notice issues."""
    issued = re.search(r"(?:关于)?(?:印发|转发)(.+?)的通知$", key)
    return issued.group(1) if issued else None


def level_of(jurisdiction: str | None) -> str | None:
    chain = ancestors(jurisdiction)
    return chain[0].level if chain else None


def _prefix_row(number: str | None) -> dict | None:
    if not number:
        return None
    prefix = number.split("〔", 1)[0]
    rows = [r for r in doc_number_prefixes() if r["prefix"] == prefix]
    return rows[0] if len(rows) == 1 else None


_MINISTRY = ("部", "总署", "总局", "银行")
_CENTRAL = ("国务院", "中共中央", "全国人大", "全国人民代表大会", "国家", "最高人民法院", "最高人民检察院", "中央")


def document_jurisdiction(issuers: list[str], number: str | None, region: str | None,
                          law_title: str | None = None) -> str | None:
    """Where a document applies: from its issuers, its number's prefix, its region heading; for a
    law or regulation (`law_title`) without any of these, from its title — local regulations
    carry their place in the title (济南市…条例), national ones do not (专利代理条例)."""
    for issuer in issuers:
        found = jurisdiction_of_name(issuer)
        if found:
            return found
        if issuer.startswith(_CENTRAL) or (law_title and issuer.endswith(_MINISTRY)):
            return _national()  # 交通部令第8号: a law's issuer without a place is a central body
    row = _prefix_row(number)
    if row:
        return row.get("jurisdiction")
    if region:
        found = leading_place(region)
        return found[0] if found else None
    if law_title:
        found = leading_place(law_title)
        return found[0] if found else _national()
    return None


def _national() -> str | None:
    for d in divisions():
        if d["level"] == "national":
            return d["name"]
    return None


class CitationResolver:
    """Resolves citations to documents of the input, or to shared stubs."""

    def __init__(self, documents: list[Document]):
        self.by_number = {d.doc_number: d for d in documents if d.doc_number}
        self.by_title: dict[str, Document] = {}
        self.versions: dict[str, list[Document]] = {}  # one title, several versions (修订 2020, 2024)
        for d in documents:
            self.by_title.setdefault(title_key(d.title), d)
            self.versions.setdefault(title_key(d.title), []).append(d)
        # 《行政许可法》 for 中华人民共和国行政许可法 and back, only where one title answers
        short: dict[str, set[str]] = {}
        for key in self.by_title:
            for alias in _title_aliases(key):
                short.setdefault(alias, set()).add(key)
        self.by_alias = {alias: next(iter(keys)) for alias, keys in short.items()
                         if len(keys) == 1 and alias not in self.by_title}
        self.by_attachment: dict[str, Document] = {}
        for d in documents:
            for a in d.attachments:
                self.by_attachment.setdefault(title_key(a), d)
        self.stubs: dict[str, Document] = {}
        self.stub_by_number: dict[str, Document] = {}
        self.stub_by_title: dict[str, Document] = {}

    def resolve_all(self, documents: list[Document]) -> list[Document]:
        # Numbered citations first, so a title-only citation of the same document finds the stub
        # that its numbered twin created (京市监发〔2023〕15号 cites 国办发〔2022〕30号 by title only).
        pending = [(d, c) for d in documents for c in d.cites]
        pending.sort(key=lambda dc: dc[1].doc_number is None)
        for doc, cite in pending:
            target = self._find(cite, doc.date) or self._stub(doc, cite)
            cite.target = None if target is doc else target.id
        return list(self.stubs.values())

    def _find(self, cite: Citation, when: str | None = None) -> Document | None:
        if cite.doc_number:
            found = self.by_number.get(cite.doc_number) or self.stub_by_number.get(cite.doc_number)
            if found:
                self._remember_title(found, cite)
                return found
        key = title_key(cite.title)
        key = self.by_alias.get(key, key)
        if key in self.versions:
            return _version_at(self.versions[key], when)
        if key:
            for index in (self.by_attachment, self.stub_by_title):
                if key in index:
                    return index[key]
            issued = issued_title_key(key)
            if issued and issued in self.by_attachment:
                return self.by_attachment[issued]
        return None

    def _remember_title(self, doc: Document, cite: Citation) -> None:
        if cite.title and doc.stub:
            self.stub_by_title.setdefault(title_key(cite.title), doc)

    def _stub(self, citing: Document, cite: Citation) -> Document:
        issuer = _issuer_from(cite, citing.jurisdiction)
        jurisdiction = document_jurisdiction([issuer] if issuer else [], cite.doc_number, None)
        if jurisdiction is None and cite.title:
            # "2023年全国知识产权…方案", "北京市全面优化…方案": the title names its place.
            found = leading_place(re.sub(r"^(?:19|20)\d{2}年(?:度)?", "", cite.title))
            jurisdiction = found[0] if found else None
            if jurisdiction is None and re.search(r"(?:法|法典|条例)(?:[（(][^（）()]*[）)])?$", cite.title):
                jurisdiction = _national()  # laws and 条例 without a place in their title are national
        stub = Document(
            id=cite.doc_number or cite.title or "unknown",
            title=cite.title or "",
            date=None,
            doc_number=cite.doc_number,
            doc_number_as_written=cite.doc_number_as_written,
            issuers=[issuer] if issuer else [],
            issuers_as_written=[],
            addressees=None,
            attachments=[],
            jurisdiction=jurisdiction,
            level=level_of(jurisdiction),
            region=None,
            cites=[],
            reforms=[],
            platforms=[],
            span=cite.span,
            stub=True,
        )
        self.stubs[stub.id] = stub
        if cite.doc_number:
            self.stub_by_number[cite.doc_number] = stub
        if cite.title:
            self.stub_by_title[title_key(cite.title)] = stub
        return stub


def _title_aliases(key: str) -> list[str]:
    """Other ways a title is cited: without or with 中华人民共和国 (laws are cited both ways)."""
    if key.startswith("中华人民共和国"):
        return [key[len("中华人民共和国"):]]
    if key.endswith("法"):
        return ["中华人民共和国" + key]
    return []


def _version_at(versions: list[Document], when: str | None) -> Document:
    """The version in force at `when`: the latest dated on or before it; else the earliest."""
    if len(versions) == 1:
        return versions[0]
    dated = sorted((d for d in versions if d.date), key=lambda d: d.date)
    before = [d for d in dated if when and d.date <= when]
    if before:
        return before[-1]
    return dated[0] if dated else versions[0]


def _issuer_from(cite: Citation, context: str | None) -> str | None:
    if cite.issuer:
        return canonical_unit(cite.issuer, context).name
    row = _prefix_row(cite.doc_number)
    if row:
        return row.get("issuer")
    if cite.title:
        m = re.match(r"^(.{4,40}?)(?:关于|印发)", cite.title)
        if m and re.search(r"(?:厅|局|委员会|委|部|院|政府|办公室|署|总局)$", m.group(1)):
            return m.group(1)
    return None


class AgencyResolver:
    """Collects one Agency per canonical name, with every written form as an alias."""

    def __init__(self):
        self.agencies: dict[str, Agency] = {}

    def resolve(self, written: str, context: str | None, span: Span) -> str:
        unit = canonical_unit(written, context)
        agency_id = f"{unit.jurisdiction}/{unit.name}" if unit.kind == "collective" else unit.name
        agency = self.agencies.get(agency_id)
        if agency is None:
            agency = Agency(agency_id, unit.name, [], unit.jurisdiction, unit.kind)
            self.agencies[agency_id] = agency
        if written != unit.name and written not in agency.aliases:
            agency.aliases.append(written)
        if len(agency.spans) < 50:
            agency.spans.append(span)
        return agency_id

    def resolve_measure(self, measure: Measure, context: str | None) -> None:
        measure.lead_agencies = [self.resolve(u, context, measure.span) for u in measure.lead_units]
        measure.responsible_agencies = [self.resolve(u, context, measure.span) for u in measure.responsible_units]


def jurisdictions_used(documents: list[Document], agencies: list[Agency]) -> list[Jurisdiction]:
    names = {d.jurisdiction for d in documents} | {a.jurisdiction for a in agencies}
    out: dict[str, Jurisdiction] = {}
    for name in names:
        for p in ancestors(name):
            out.setdefault(p.name, Jurisdiction(p.name, p.level, p.parent))
    return sorted(out.values(), key=lambda j: (LEVELS.index(j.level) if j.level in LEVELS else 9, j.name))


@lru_cache(maxsize=None)
def _upper_places() -> dict[str, list[tuple[str, str]]]:
    """First character → (written form, full name) of provinces and prefectures, longest first.
    Counties are left out: their names are too often ordinary words (城关, 新华, 长安)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for d in divisions():
        if d["level"] not in ("provincial", "municipal"):
            continue
        for form in [d["name"], *(d.get("short") or [])]:
            if len(form) >= 2 and form not in ("国家", "中国", "全国"):
                index.setdefault(form[0], []).append((form, d["name"]))
    for forms in index.values():
        forms.sort(key=lambda f: (-len(f[0]), f[0]))
    return index


def place_named_most(text: str, limit: int = 4000) -> str | None:
    """The province or prefecture a text names most often (广州 in a 广州 document that prints no
    issuer: 中共广州市委, 赢在广州, 把广州建设成为 …), when it is named at least twice and more often
    than any other; None otherwise. A last resort for units written 市发展改革委 in a document
    whose issuer, number and title name no place."""
    counts: Counter = Counter()
    i, end = 0, min(len(text), limit)
    while i < end:
        hit = next(((form, full) for form, full in _upper_places().get(text[i], ()) if text.startswith(form, i)), None)
        if hit:
            counts[hit[1]] += 1
            i += len(hit[0])
        else:
            i += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]
