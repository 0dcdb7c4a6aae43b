"""Stage 4a — document metadata: title, date, 发文字号, issuers, addressees, attachments.

Works on one `Segment`. The front matter of a Chinese official document (公文) comes in a
conventional order — title, 发文字号, 主送 (addressees ending with a colon), body, signature
(署名) and date (成文日期) — but web pages and PDF extractions reorder or glue the parts, so
each field is found by its own shape rather than by position alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from policygraph.extract.docnumber import DOC_NUMBER, find_doc_numbers, format_doc_number, unglued_prefix_start
from policygraph.extract.legislation import law_header, markdown_title
from policygraph.extract.models import Segment
from policygraph.extract.pagefields import label_pattern, parse_line
from policygraph.extract.segment import DATE, HEADER
from policygraph.extract.agencies import leading_place
from policygraph.extract.resolve import place_named_most
from policygraph.extract.webfront import (
    PageFront,
    damaged_date,
    ends_as_title,
    glued_signature_date,
    line_date,
    read_front,
    split_repeated_place,
)

_STANDALONE_DATE = re.compile(rf"^(?P<date>{DATE})$")
_ANY_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})(?:年|-|\.|/)(?P<m>\d{1,2})(?:月|-|\.|/)(?P<d>\d{1,2})日?")
_FIELD = {  # labelled fields of a web page's information box flattened into running text
    "title": r"(?:标\s*题|名\s*称)：(?P<v>[^：]+?)(?=(?:{labels})：|$)",
    "doc_number": r"发文字号：(?P<v>[^：]+?号)",
    "issuer": r"发文机关：(?P<v>[\u4e00-\u9fff、，]+?)(?=(?:{labels})：|$)",
    "date": rf"成文日期：(?P<v>{DATE}|\d{{4}}-\d{{1,2}}-\d{{1,2}})",
}
AGENCY_SUFFIX = re.compile(
    r"(?:委员会|办公厅|办公室|人民政府|政府|管委会|管理委员会|领导小组|委|局|厅|部|院|办|署|中心|总队|支队|行|会|室|所|处)$"
)
_BULLET = re.compile(r"^[•·●▪◆■□\-\*]+")
_ISSUER_BEFORE = re.compile(r"^(?P<issuer>.+?)(?:关于|印发|转发)")
_JOINT_COUNT = re.compile(r"等(?P<n>[一二三四五六七八九十\d]{1,3})(?:个)?(?:部门|单位|委办局)$")


@dataclass
class FrontMatter:
    title: str
    date: str | None
    doc_number: str | None
    issuer_text: str | None  # the issuer part of the title, as written
    signature: list[str] = field(default_factory=list)  # signing bodies, as written
    addressees: str | None = None
    attachments: list[str] = field(default_factory=list)
    body_start: int = 0  # offset in segment.text.text where the body (after front matter) starts
    field_issuers: list[str] = field(default_factory=list)
    doc_number_as_written: str | None = None  # the number as printed, before canonical()
    genre: str | None = None  # "law" for laws and regulations (heading + enactment history)
    history: tuple[int, int] | None = None  # offsets of a law's enactment history
    page: PageFront | None = None  # a single document's front matter as a web page prints it
    place_hint: str | None = None  # where a single document belongs when its issuer and number say nothing


def iso_date(text: str | None) -> str | None:
    if not text:
        return None
    m = _ANY_DATE.search(text)
    if not m:
        return None
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _lines(segment: Segment) -> list[tuple[int, str, int, int]]:
    t = segment.text
    return [(n, t.text[s:e], s, e) for n, s, e in t.lines()]


def front_matter(segment: Segment) -> FrontMatter:
    law = law_header(segment.text)
    if law:
        return FrontMatter(
            title=law.title, date=law.date, doc_number=law.number, issuer_text=None,
            body_start=law.history_end, field_issuers=law.issuers, doc_number_as_written=law.number,
            genre="law", history=(0, law.history_end),  # the heading's 《titles》 are cited too
        )
    text = segment.text.text
    header = HEADER.match(segment.header)
    lines = _lines(segment)
    after_header = [ln for ln in lines if ln[2] >= segment.header_end]
    fields = page_fields(segment)
    page = None
    if header:
        title, date = header.group("title"), iso_date(header.group("date"))
        if fields["date"] and not date:
            date = iso_date(fields["date"])
    else:
        heading = markdown_title(segment.text)
        page = read_front([ln[1] for ln in lines], text, fields["title"])
        guess = _single_title(segment, fields)
        # No title printed (a copy that starts at the number or in the body): none is made up; the
        # document's id falls back to its file name.
        title = heading[0] if heading else page.title or (guess if ends_as_title(guess) else "")
        date = None

    doc_number = None
    number_end = segment.header_end
    if fields["doc_number"]:
        m = DOC_NUMBER.search(fields["doc_number"])
        doc_number = format_doc_number(m) if m else None
    if not doc_number and page and page.number:
        doc_number = page.number  # glued to the headline: 浙政办发〔2019〕7号《…》, …的通知（川办发〔2020〕31号）
    for _, line, start, end in after_header[:8]:
        if doc_number:
            break
        m = DOC_NUMBER.match(line)
        if m and len(line) - m.end() <= 2:  # the 发文字号 stands on a line of its own
            doc_number, number_end = format_doc_number(m), end
    if not doc_number and not header:
        # A one-line web page: the first number that is not inside brackets after a 《title》.
        for m in DOC_NUMBER.finditer(text[:600]):
            before = text[max(0, m.start() - 1):m.start()]
            if before not in ("（", "》", "(", "、", "和"):
                m = DOC_NUMBER.match(text, unglued_prefix_start(m))
                doc_number, number_end = format_doc_number(m), m.end()
                break

    addressees, address_end = _addressees(text, number_end)
    signature, sign_date, sign_end = _signature(lines, address_end)
    if page:
        date = _page_date(page, signature, sign_date, fields["date"], text, address_end)
    elif not date:
        date = sign_date
    issuer_match = _ISSUER_BEFORE.match(title)
    issuer_text = issuer_match.group("issuer") if issuer_match else None
    if page:
        issuer_text = page.title_issuer
    attachments = _attachments(segment, title)
    if page:
        attachments += [a for a in page.issued if a not in attachments and a != title]
    body_start = max(address_end, segment.header_end)
    field_issuers = re.split(r"[、，,\s]+", fields["issuer"]) if fields["issuer"] else []
    fm = FrontMatter(
        title=title,
        date=date,
        doc_number=doc_number,
        issuer_text=issuer_text,
        signature=signature,
        addressees=addressees,
        attachments=attachments,
        body_start=body_start,
        field_issuers=[f for f in field_issuers if f],
        doc_number_as_written=_as_written(text[:3000], doc_number),
        page=page,
    )
    if page:
        fm.place_hint = _place_hint(title, text, issuers_as_written(fm))
    return fm


def _place_hint(title: str, text: str, issuers: list[str]) -> str | None:
    """The place a single document's title starts with (广水市“一业一证”…方案); else, when no issuer
    names a place of its own (none, or only 市人民政府办公室-like ones), the province or prefecture
    its text names most (see resolve.place_named_most)."""
    found = leading_place(re.sub(r"^(?:关于|(?:19|20)\d{2}年度?)", "", title))
    if found:
        return found[0]
    relative = re.compile(r"^(?:中共)?(?:市|省|区|县|州|旗|盟|自治区)")
    if all(relative.match(name) for name in issuers):
        return place_named_most(text)
    return None


def _page_date(page: PageFront, signature: list[str], sign_date: str | None, field_date: str | None,
               text: str, cover_from: int) -> str | None:
    """A single document's date: its signature date, which wins over a metadata 成文日期 that
    contradicts it (sites print their upload date there); for a regulation the last dated step of
    its enactment (the announcement's or the issuing notice's signature when later: a notice
    printing 工作规则 adopted at an earlier meeting); else a signature date glued into a long line."""
    if page.regulation:
        # a date line with no organ above it counts when the 成文日期 box prints the same date
        signed = sign_date if sign_date and (signature or sign_date == iso_date(field_date)) else None
        dates = [page.regulation.date, signed]
        return max(d for d in dates if d) if any(dates) else None
    return (sign_date or page.title_date or iso_date(field_date)
            or glued_signature_date(text, cover_from, cover_from + 1500))


def page_fields(segment: Segment) -> dict[str, str | None]:
    """The document's own metadata from a web page's information box (title, doc_number, issuer,
    date = 成文日期): `label：value` lines near the top (as the HTML reader emits them, or as a
    saved page's text has them), else the same labels flattened into the running text."""
    found: dict[str, str | None] = {k: None for k in _FIELD}
    top = [_BULLET.sub("", line) for _, line, _, _ in _lines(segment)[:60]]
    for i, line in enumerate(top):
        parsed = parse_line(line)
        for n, (field_name, _, value) in enumerate(parsed):
            if (not value and n == len(parsed) - 1 and i + 1 < len(top) and not parse_line(top[i + 1])
                    and len(top[i + 1]) <= 60 and not top[i + 1].endswith("：")):
                value = top[i + 1]  # `• 发文字号：` with its value on the next line
            if field_name in found and value and not found[field_name]:
                found[field_name] = value
    if found["issuer"] and not AGENCY_SUFFIX.search(re.split(r"[、，,\s]+", found["issuer"])[0]):
        found["issuer"] = None  # `发文机构：县政府网站`: the site, not a body
    head = segment.text.text[:3000]
    for key, pattern in _FIELD.items():
        if not found[key]:
            m = re.search(pattern.replace("{labels}", label_pattern()), head)
            found[key] = m.group("v") if m else None
    return found


def _as_written(text: str, number: str | None) -> str | None:
    """The printed form (〔〕 [] （） 【】, 第 …) of the canonical `number` in `text`."""
    for m in find_doc_numbers(text) if number else ():
        if format_doc_number(m).endswith(number):  # the match may start in the words before it
            cut = len(m.group("prefix")) - len(number.split("〔", 1)[0])
            if cut >= 0 and m.group("prefix")[cut:] == number.split("〔", 1)[0]:
                return m.group(0)[cut:]
    return number


def _single_title(segment: Segment, fields: dict) -> str:
    if fields["title"]:
        return fields["title"].strip()
    first = segment.header
    cut = len(first)
    for rx in (DOC_NUMBER, re.compile(r"[^，。；]{2,80}?：")):
        m = rx.search(first)
        if m and m.start() > 4:
            cut = min(cut, m.start())
    title = first[:cut]
    # a notice's own ending first: 关于印发X实施方案的通知 must not stop at 实施方案
    m = (re.match(r"^(.{4,150}?(?:的通知|的意见|的决定|的批复|的复函|的函|的通报))", title)
         or re.match(r"^(.{4,120}?(?:实施方案|工作方案|行动方案|管理办法|实施细则|若干措施|工作要点))", title))
    return (m.group(1) if m else title).strip("：:，。 ")


def _addressees(text: str, start: int) -> tuple[str | None, int]:
    """The 主送 line(s) right after the header or number: text up to the first colon."""
    window = text[start:start + 260]
    m = re.match(r"(?P<a>[^：。《》“”]{2,200}?)：", window)
    if not m:
        return None, start
    candidate = m.group("a")
    if re.match(r"^(?:现将|为|根据|经|按照|近日|联系人|电话|附件)", candidate) or not re.search(
        r"各|单位|政府|局|部门|委|办|机构|厅|处室|管委会|公司|企业", candidate
    ):
        return None, start
    return candidate, start + m.end()


def _signature(lines, after: int) -> tuple[list[str], str | None, int]:
    """The signing bodies: agency-shaped lines just above the first standalone date line."""
    for i, (_, line, start, end) in enumerate(lines):
        if start < after:
            continue
        date = line_date(line)
        if not date and (not re.fullmatch(r"(?:19|20)\d{5,8}", line) or i == 0 or not _is_body(lines[i - 1][1])):
            continue
        date = date or damaged_date(line)  # 2019116 right under a signing body
        bodies: list[str] = []
        j = i - 1
        while j >= 0 and len(bodies) < 30 and _is_body(lines[j][1]):
            bodies.insert(0, lines[j][1])
            j -= 1
        return bodies, date, end
    return [], None, after


def _is_body(line: str) -> bool:
    """A signing body on its own line: 北京市人民政府办公厅, 河南省优化营商环境工作领导小组."""
    return (len(line) <= 40 and bool(AGENCY_SUFFIX.search(line)) and not re.search(r"[，。；：、《》]", line)
            and not parse_line(line))


_ATTACHMENT_LIST = re.compile(r"附\s*件\s*\d?\s*[：:](?P<rest>.{2,800})")
_ISSUED = re.compile(r"(?:关于)?(?:印发|转发)(?P<what>.+?)的通知$")


def _attachments(segment: Segment, title: str) -> list[str]:
    """What the document issues (关于印发《X》的通知, 现将《X》印发) and what its 附件 lines list."""
    text = segment.text.text
    found: list[str] = []
    m = _ISSUED.search(title)
    if m:
        found.append(m.group("what"))
    for m in re.finditer(r"现将《(?P<t>[^《》]{2,120})》(?:（以下简称[^）]*）)?(?:印发|转发)", text[:3000]):
        found.append(m.group("t"))
    for m in re.finditer(r"《(?P<t>[^《》]{2,120})》(?:已经[^。，]{1,20}同意，)?现(?:印发|转发)", text[:3000]):
        found.append(m.group("t"))
    for m in re.finditer(r"(?:所附|随附)《(?P<t>[^《》]{2,120})》", text):
        found.append(m.group("t"))
    lines = _lines(segment)
    for i, (_, line, _, _) in enumerate(lines):
        m = line.startswith("附") and re.match(r"^附\s*件\s*(?P<n>\d{0,2})\s*：(?P<t>.+)$", line)
        if not m:
            continue
        first = m.group("t")
        if re.match(r"^1[\.．、](?!\d{2,}\D)", first) or re.match(r"^1[\.．、]\d{4}年", first):
            found.append(first[2:])
            for _, nxt, _, _ in lines[i + 1:i + 30]:
                item = re.match(r"^\d{1,2}[\.．、](?P<t>.+)$", nxt)
                if not item or HEADER.match(nxt):
                    break
                found.append(item.group("t"))
        else:
            found.append(first)
    cleaned = []
    for item in found:
        item = re.sub(r"[（(]略[）)]$", "", item.strip())
        item = re.sub(r"^《(.*)》$", r"\1", item)
        if 2 <= len(item) <= 120 and item not in cleaned:
            cleaned.append(item)
    return cleaned


def issuers_as_written(fm: FrontMatter) -> list[str]:
    """Issuer names as printed, before splitting glued joint issuers."""
    if fm.page:
        return [_clean_issuer(n) for n in _page_issuers(fm) if _clean_issuer(n)]
    issuer = fm.issuer_text
    if fm.field_issuers:
        return fm.field_issuers
    if issuer and _JOINT_COUNT.search(issuer) and fm.signature:
        return fm.signature  # "X等九部门": the signature block names them all
    if issuer:
        return [issuer]
    return fm.signature


def _page_issuers(fm: FrontMatter) -> list[str]:
    """A single document's issuers: the signature wins over a page's metadata box (whose 发布机构
    is often the uploading office), over a regulation header, over the title's issuer and over a
    news lead."""
    page = fm.page
    for found in (fm.signature, fm.field_issuers, page.regulation.issuers if page.regulation else [],
                  [fm.issuer_text] if fm.issuer_text else [], [page.organ] if page.organ else [], page.lead_issuers, [page.source] if page.source else []):
        if found:
            return [part for name in found for part in split_repeated_place(name)]
    return []


def _clean_issuer(name: str) -> str:
    """Markup a scrape left around a name (`</b></td><td colspan="3">国务院`) is not part of it."""
    return re.sub(r"<[^<>]*>|^[^<>]*>|<[^<>]*$", "", name).strip()
