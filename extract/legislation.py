"""Front matter of laws and regulations: the Markdown heading and the enactment history.

A law, 行政法规, 部门规章, 司法解释 or 地方性法规 as the national database prints it starts with
its title as a `#` heading, then the steps of its history, one per line, then the articles:

    # 济南市12345市民服务热线条例
    2018年6月28日 济南市第十六届人民代表大会常务委员会第十六次会议通过
    2018年7月27日山东省第十三届人民代表大会常务委员会第四次会议批准
    <!-- INFO END -->
    第一条 …

From the history: the issuer is the body that passed (通过, 修订, 修正) or promulgated (公布,
发布) the text — a city's own congress for a city regulation, even when the province's congress
批准 it; the date is the latest dated step (通过, 批准, 修订, 修正, 公布; never 施行); the number
is the order as printed (`中华人民共和国国务院令第722号`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from policygraph.extract.models import NormalText

_HEADING = re.compile(r"^#(?!#)\s*(?P<title>\S.*)$")
_HISTORY_END = re.compile(r"<!--\s*INFO\s*END\s*-->")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
# The verb that closes a step; the last one in a step wins ("…修订通过", "…公布自…施行" is split by its date).
_VERB = re.compile(r"通过|批准|修订|修正|修改|公布|发布|施行|实施|生效|废止")
_IN_FORCE = {"施行", "实施", "生效", "废止"}  # dates of effect, not of enactment
_PASSING = {"通过", "修订", "修正", "修改", "公布", "发布"}
_ORDINAL = r"第[一二三四五六七八九十百零\d]{1,5}"
# 济南市第十七届人民代表大会常务委员会 · 第九届全国人民代表大会常务委员会 · 淄博市第十三届人大常委会
_CONGRESS = re.compile(
    rf"(?P<place>(?:(?!第)[\u4e00-\u9fff]){{2,20}}?)?(?:{_ORDINAL}届)?"
    r"(?P<organ>全国人民代表大会常务委员会|全国人民代表大会|人民代表大?会常务委员会|人大常委会|人民代表大?会)"
)
# 中华人民共和国国务院令第722号 · 中华人民共和国国家安全部令第2号 · 海关总署第61号令 · 主席令第三号
_ORDER = re.compile(
    r"(?P<n>[\u4e00-\u9fff、]{2,40}?令(?:〔\d{4}〕)?第[\d一二三四五六七八九十百零]{1,5}号"
    r"|[\u4e00-\u9fff]{2,20}?第\d{1,5}号令)"
)
# Where a body's name ends in a step: its session, order, announcement or the verb.
_BODY_END = re.compile(
    rf"{_ORDINAL}(?:届|次)|第\d{{1,5}}次|令|公告|审判委员会|检察委员会|常务会议|部务会议|委务会议|局务会议"
    r"|审议|讨论|决定|关于|" + _VERB.pattern
)
_ORGAN_SUFFIX = re.compile(r"(?:国务院|委员会|政府|法院|检察院|部|局|署|委|办公厅|办公室|银行|会|院|总局|军委)$")


@dataclass
class Step:
    date: str
    verb: str | None
    bodies: list[str]
    order: str | None
    start: int  # offsets in the document text
    end: int


@dataclass
class LawHeader:
    title: str
    title_end: int  # offset where the heading line ends
    history_end: int  # offset where the history ends (the articles start)
    steps: list[Step] = field(default_factory=list)

    @property
    def date(self) -> str | None:
        dated = [s.date for s in self.steps if s.verb not in _IN_FORCE]
        return max(dated) if dated else None

    @property
    def issuers(self) -> list[str]:
        """The bodies of the latest step that passed or promulgated the text — preferring a body
        of the place the title names (青岛市…规定: 青岛市's congress, even when a later line says
        the province 通过 instead of 批准) —, a 批准 only if nothing else names a body."""
        own = [s for s in self.steps if s.verb in _PASSING and any(_of_title_place(b, self.title) for b in s.bodies)]
        for steps in (own, [s for s in self.steps if s.verb in _PASSING], [s for s in self.steps if s.verb == "批准"],
                      self.steps):
            steps = [s for s in steps if s.bodies]
            if steps:
                return max(steps, key=lambda s: s.date).bodies
        return []

    @property
    def number(self) -> str | None:
        ordered = [s for s in self.steps if s.order]
        return max(ordered, key=lambda s: s.date).order if ordered else None


def _of_title_place(body: str, title: str) -> bool:
    """济南市人民代表大会常务委员会 for 济南市…条例: the body's place starts the title."""
    place = re.split(r"人民代表大会|人民政府", body)[0]
    return len(place) >= 2 and title.startswith(place)


def markdown_title(text: NormalText, within: int = 5) -> tuple[str, int] | None:
    """(title, end offset) of a `# ` heading among the first lines (after a YAML front matter
    block between `---` lines, if any), else None."""
    lines = text.lines()
    if lines and text.text[lines[0][1]:lines[0][2]] == "---":
        closing = next((i for i, (_, a, b) in enumerate(lines[1:40], 1) if text.text[a:b] == "---"), 0)
        lines = lines[closing + 1:]
    for _, start, end in lines[:within]:
        m = _HEADING.match(text.text[start:end])
        if m:
            return m.group("title").strip(), end
    return None


def law_header(text: NormalText) -> LawHeader | None:
    """The title and enactment history of a law or regulation in any of its published shapes —
    the database's Markdown (`# title`, history, `<!-- INFO END -->`), the plain text of a law
    (title, then `（2003年8月27日…通过 根据…修正）`), or a promulgation order (`中华人民共和国
    国务院令 第722号 《优化营商环境条例》已经…通过，现予公布…`) — or None for any other text."""
    return _markdown_law(text) or _promulgation_order(text) or _plain_law(text)


def _with_steps(header: LawHeader, s: str, start: int, end: int) -> LawHeader:
    dates = list(_DATE.finditer(s, start, end))
    for n, m in enumerate(dates):
        header.steps.append(_step(s, m, dates[n + 1].start() if n + 1 < len(dates) else end))
    return header


def _markdown_law(text: NormalText) -> LawHeader | None:
    heading = markdown_title(text)
    if not heading:
        return None
    title, title_end = heading
    s = text.text
    closed = _HISTORY_END.search(s, title_end, title_end + 3000)
    if closed:
        history_end, body_from = closed.start(), closed.end()
    else:
        first = re.search(r"第[一1]条|#", s[title_end:title_end + 3000])
        if not first or not _DATE.search(s, title_end, title_end + first.start()):
            return None
        history_end = body_from = title_end + first.start()
    return _with_steps(LawHeader(title=title, title_end=title_end, history_end=body_from), s, title_end, history_end)


# 中华人民共和国行政许可法 / 专利代理条例 / …实施细则（试行）: the titles laws and regulations have
_LAW_TITLE = re.compile(r"^[^。；：]{2,80}(?:法|法典|条例|规定|办法|细则|规则|决定|解释|规程|准则|章程)(?:[（(][^）)]{1,12}[）)])?$")
_HISTORY_LINE = re.compile(rf"^（(?:(?:19|20)\d{{2}}年|根据).*(?:{_VERB.pattern})[^（）]*）$")


def _plain_law(text: NormalText) -> LawHeader | None:
    """A title line, then the history in brackets on the next line(s)."""
    lines = text.lines()[:8]
    if len(lines) < 2:
        return None
    s = text.text
    title = s[lines[0][1]:lines[0][2]]
    if not _LAW_TITLE.match(title):
        return None
    history = []
    for _, start, end in lines[1:]:
        if not _HISTORY_LINE.match(s[start:end]):
            break
        history.append((start, end))
    if not history:
        return None
    header = LawHeader(title=title, title_end=lines[0][2], history_end=history[-1][1])
    return _with_steps(header, s, history[0][0], history[-1][1])


# 中华人民共和国国务院令 / 第722号 (or on one line) · 《优化营商环境条例》已经2019年10月8日国务院第66次常务会议通过，现予公布
_ORDER_HEAD = re.compile(r"^(?P<org>[\u4e00-\u9fff、]{2,40}?)令(?:第(?P<n>[\d一二三四五六七八九十百零]{1,5})号)?$")
_ORDER_NUMBER = re.compile(r"^第(?P<n>[\d一二三四五六七八九十百零]{1,5})号$")
_PROMULGATED = re.compile(r"《(?P<title>[^《》]{2,80})》已(?:经|由)(?P<how>[^。]{0,160}?)通过，现予公布")
_STANDALONE_DATE = re.compile(rf"^{_DATE.pattern}$")


def _promulgation_order(text: NormalText) -> LawHeader | None:
    lines = text.lines()[:12]
    s = text.text
    if not lines:
        return None
    head = _ORDER_HEAD.match(s[lines[0][1]:lines[0][2]])
    if not head:
        return None
    number, rest = head.group("n"), lines[1:]
    if number is None and rest:
        m = _ORDER_NUMBER.match(s[rest[0][1]:rest[0][2]])
        number, rest = (m.group("n"), rest[1:]) if m else (None, rest)
    promulgated = _PROMULGATED.search(s, lines[0][2], lines[-1][2])
    if not number or not promulgated:
        return None
    signed = next(((start, end) for _, start, end in rest if start > promulgated.end()
                   and _STANDALONE_DATE.match(s[start:end])), None)
    body_from = signed[1] if signed else promulgated.end()
    title = promulgated.group("title")
    # the regulation's title printed again above its first chapter belongs to the order
    following = next(((start, end) for _, start, end in text.lines() if start >= body_from), None)
    if following and s[following[0]:following[1]] == title:
        body_from = following[1]
    header = LawHeader(title=title, title_end=lines[0][2], history_end=body_from)
    passed = _DATE.search(promulgated.group("how"))
    org = re.sub(r"^中华人民共和国(?=.)", "", head.group("org"))
    # 国务院令: 国务院 passed it; 主席令: the congress passed it and the order promulgates it
    bodies = _bodies(_DATE.sub("", promulgated.group("how")).strip("于在")) or [org]
    if passed:
        header.steps.append(Step(_iso(passed), "通过", bodies, None, promulgated.start(), promulgated.end()))
    if signed:
        date = _DATE.match(s, signed[0])
        order = f"{head.group('org')}令第{number}号"
        header.steps.append(Step(_iso(date), "公布", bodies, order, signed[0], signed[1]))
    return header


def _iso(date: re.Match) -> str:
    return f"{int(date.group('y')):04d}-{int(date.group('m')):02d}-{int(date.group('d')):02d}"


def _step(s: str, date: re.Match, end: int) -> Step:
    text = s[date.end():end]
    text = re.sub(r"[（(]?根据$|^[）)]|[）)]$", "", text.strip())
    verbs = [m for m in _VERB.finditer(text) if not _inside_title(text, m.start())]
    verb = verbs[-1].group(0) if verbs else None
    if any(m.group(0) == "批准" for m in verbs):
        verb = "批准"  # 河南省…批准的《郑州市…的决定》修正: the province approved the city's amendment
    order = _ORDER.search(text)
    return Step(_iso(date), verb, _bodies(text), order.group("n") if order else None, date.start(), end)


def _inside_title(text: str, pos: int) -> bool:
    return text.count("《", 0, pos) > text.count("》", 0, pos)


def _bodies(text: str) -> list[str]:
    """The enacting bodies named at the start of a step: a congress, a government, a court, or
    ministries listed with 、."""
    text = re.sub(r"^(?:经|由|根据)", "", text)
    congress = _CONGRESS.match(text)
    if congress:
        organ = re.sub(r"^(?:人大|人民代表会)", "人民代表大会", congress.group("organ")).replace("常委会", "常务委员会")
        place = "" if organ.startswith("全国") else (congress.group("place") or "")
        return [place + organ]
    if text.startswith("《"):  # 《国务院关于修改部分行政法规的决定》第二次修订
        text = text[1:]
    end = _BODY_END.search(text)
    head = text[: end.start()] if end else text
    head = re.sub(r"^中华人民共和国(?=.)", "", head)
    names = [re.sub(r"^中华人民共和国", "", part) for part in re.split(r"[、，]", head)]
    return [n for n in names if 2 <= len(n) <= 30 and _ORGAN_SUFFIX.search(n)]
