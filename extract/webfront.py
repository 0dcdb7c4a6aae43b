"""Front matter of one document as a web page, a PDF or a re-hosted copy prints it.

What a researcher saves from a government site is rarely the clean 公文: the page starts with
chrome (`首页 未命名 正文`, `您的位置：`, `浏览量：时间：…`), a metadata box, a headline that
glues the number to the title (`浙政办发〔2019〕7号《…的通知》`), sometimes a news lead
(`近日，…印发了《…》`), then the notice (title wrapped over lines, number, addressees, cover
text, signature, date) and the text it issues under its own heading. Copies often start at
the number or the addressees, or promulgate a regulation under an announcement
(`XX市人大常委会公告 第19号 … 现予公布`).

Every field is read by its shape, never by its position alone:
- a **title** is a line, or a run of wrapped lines, that ends in a document genre word
  (data/page_front.json); the notice's own title (before its cover text) wins, then the heading
  of what the cover issues (`现将《X》印发给你们`), then the document a news lead names;
- the **date** of the signature may stand on its own line, be glued to a long line, or be
  damaged (`2019116`); a regulation's header gives the last dated step of its enactment;
- the **issuers** are the signature's bodies, else the body a regulation header names, else
  the title's issuer, else the bodies a news lead names.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from policygraph.extract.agencies import leading_place
from policygraph.extract.docnumber import DOC_NUMBER, format_doc_number
from policygraph.extract.lexicon import DATA
from policygraph.extract.pagefields import parse_line

DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE = re.compile(r"(?P<y>[〇○零Oo0Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
_OUTLINE = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|第[一二三四五六七八九十百零]{1,5}[条章节]|\d{1,3}[\.．、](?!\d))")
_SENTENCE = re.compile(r"[。；！？：]")
# names that end a signing body or an issuer: 办公厅, 委员会, 领导小组, 管委会, 人民政府 …
ISSUER_SUFFIX = re.compile(
    r"(?:委员会|办公厅|办公室|人民政府|政府|管委会|管理委员会|领导小组|小组|委|局|厅|部|院|办|署|中心|总队|支队|行|会|室|所|处)$"
)
_TITLE_STARTS = ("关于", "中共", "国务院", "中华人民共和国", "全国", "国家")
_OPEN_ENDINGS = ("关于", "印发", "转发", "的", "和", "及", "与", "《", "、")


@lru_cache(maxsize=None)
def shapes() -> dict:
    return json.loads((DATA / "page_front.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _title_end() -> re.Pattern:
    genres = "|".join(sorted(map(re.escape, shapes()["title_genres"]), key=len, reverse=True))
    return re.compile(rf"(?:{genres})(?:[（(][^（）()]{{1,30}}[）)])*$")


@lru_cache(maxsize=None)
def _chrome_word() -> re.Pattern:
    return re.compile("|".join(map(re.escape, shapes()["chrome"])))


def fold(text: str | None) -> str:
    """For comparing titles: width-folded, without whitespace or 《》〈〉."""
    return re.sub(r"[\s《》〈〉]", "", unicodedata.normalize("NFKC", text or ""))


# ------------------------------------------------------------------ dates

def iso(y: int, m: int, d: int) -> str | None:
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None


def split_repeated_place(name: str) -> list[str]:
    """Joint issuers glued without a separator share their place: `中共静安区委办公室静安区人民政府
    办公室` → two bodies, cut where the first one's place name (静安区) starts again after a body's
    last character, with or without 中共."""
    head = re.match(r"^(?:中共)?(?P<p>[\u4e00-\u9fff]{2,8}?[省市区县州旗盟])", name)
    if not head:
        return [name]
    place = head.group("p")
    cuts = [0] + [i for i in range(len(place) + 2, len(name))
                  if ISSUER_SUFFIX.search(name[:i]) and name.startswith((place, "中共" + place), i)]
    return [name[a:b] for a, b in zip(cuts, cuts[1:] + [len(name)])]


def chinese_date(text: str) -> str | None:
    """二〇二〇年三月五日 → 2020-03-05 (how many signatures print their date)."""
    m = _CN_DATE.search(text)
    if not m:
        return None
    y = int("".join(str(_CN_DIGIT[c]) for c in m.group("y")))
    return iso(y, _cn_small(m.group("m")), _cn_small(m.group("d")))


def _cn_small(text: str) -> int:
    if "十" not in text:
        return _CN_DIGIT.get(text, 0)
    tens, _, units = text.partition("十")
    return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)


def damaged_date(line: str) -> str | None:
    """A signature date whose 年/月/日 the scrape lost: `2019116`, `20190116`.

    Three digits after the year are ambiguous (1-16 or 11-6); a one-digit month with a two-digit
    day is by far the likelier reading (9 of 12 months have one digit, 22 of 31 days two)."""
    m = re.fullmatch(r"((?:19|20)\d{2})(\d{2,4})", line)
    if not m:
        return None
    y, rest = int(m.group(1)), m.group(2)
    if len(rest) == 4:
        return iso(y, int(rest[:2]), int(rest[2:]))
    if len(rest) == 2:
        return iso(y, int(rest[0]), int(rest[1]))
    return iso(y, int(rest[0]), int(rest[1:])) or iso(y, int(rest[:2]), int(rest[2]))


def line_date(line: str) -> str | None:
    """The date of a line that is nothing but a date, in any form a signature prints."""
    m = re.fullmatch(rf"(?P<y>(?:19|20)\d{{2}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日", line)
    if m:
        return iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if _CN_DATE.fullmatch(line):
        return chinese_date(line)
    return None


_GLUED_DATE = re.compile(rf"(?P<y>(?:19|20)\d{{2}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日")


def glued_signature_date(text: str, start: int, end: int) -> str | None:
    """A signature date run into a long line (`…请认真组织实施。2022年4月7日广水市…`,
    `…四川省人民政府办公厅2020年3月30日`): a date that no sentence holds — not after 于/自/经/为 …,
    not followed by ，/起/前/召开 …"""
    for m in _GLUED_DATE.finditer(text, start, end):
        head = text[max(0, m.start() - 40):m.start()]
        after = text[m.end():m.end() + 2]
        signed = (not head or head[-1] in "。；！" or bool(ISSUER_SUFFIX.search(head))
                  or bool(_title_end().search(head)))  # after a sentence, a signing body, or an attachment's title
        if not signed or (after and (after[0] in "，、。；起前后以至到止召举的（" or after in ("完成", "开始", "印发", "发布", "施行", "实施", "通过"))):
            continue
        return iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return None


# ------------------------------------------------------------------ lines

def is_chrome(line: str) -> bool:
    """Page furniture: breadcrumbs, counters, column names, a metadata row, Latin-only lines."""
    if parse_line(line) or re.match(r"^[\[【]?\s*(?:索\s*引\s*号|发文字号|主题分类)", line):
        return True
    if not re.search(r"[\u4e00-\u9fff]", line) or line.strip("【】[]") in shapes()["columns"]:
        return True
    if re.search(r">>|»|＞|(?<![\u4e00-\u9fff])>|>(?![\u4e00-\u9fff])", line) or line.startswith(">"):
        return True  # a breadcrumb: 首页 > 政务公开 > …, >>专题专栏>>…
    chrome = _chrome_word()
    if chrome.match(line) and re.match(r"^[^：]{1,8}：", line):
        return True  # 您的位置：首页»…, 来源：…, 下载地址：点击此处下载
    labels = re.findall(r"([\u4e00-\u9fff]{1,6})：", line)
    if len(labels) >= 2 and sum(bool(chrome.search(label)) for label in labels) >= 2:
        return True  # 作者：法律资料网 时间：… 浏览：8903 来源：…
    return len(line) <= 20 and bool(chrome.search(line)) and not ends_as_title(line)


def _outside_titles(line: str) -> str:
    return re.sub(r"《[^《》]*》|〈[^〈〉]*〉", "", line)


def ends_as_title(line: str) -> bool:
    core = re.sub(r"》+$", "", line)
    core = re.sub(r"[（(][^（）()]*〔\d{4}〕[^（）()]*[）)]$", "", core)  # （川办发〔2020〕31号）
    return bool(_title_end().search(core)) and len(core) >= 5


def _title_shaped(line: str) -> bool:
    bare = _outside_titles(line)
    return (4 <= len(line) <= 250 and not _SENTENCE.search(bare) and "，" not in bare
            and not _OUTLINE.match(line) and not line.startswith("各") and not is_chrome(line))


def _title_start(text: str) -> bool:
    text = text.lstrip("#")
    return (text.startswith(_TITLE_STARTS) or bool(re.match(r"(?:19|20)\d{2}年", text))
            or bool(DOC_NUMBER.match(text)) or leading_place(text) is not None)


def _may_precede(previous: str, group: str) -> bool:
    """Whether a line is the wrapped start of the title that the next lines continue."""
    if len(previous) > 80 or not _title_shaped(previous) or line_date(previous):
        return False
    if DOC_NUMBER.fullmatch(previous):
        return False
    if ends_as_title(previous) and not previous.endswith("》"):
        return False  # a complete title of its own
    if previous.endswith(_OPEN_ENDINGS):
        return True
    if group.startswith(("关于", "印发", "转发")):
        return bool(ISSUER_SUFFIX.search(previous))  # 云南省财政厅云南省科技厅 / 关于印发…
    return not _title_start(group)


@dataclass
class TitleGroup:
    title: str  # cleaned: no number glued in front, no wrapping 《》, no trailing （number）
    number: str | None  # a 发文字号 glued to the headline
    first: int  # index of its first and last line
    last: int


def clean_headline(text: str) -> tuple[str, str | None]:
    """`浙政办发〔2019〕7号《X的通知》` → (X的通知, 浙政办发〔2019〕7号); `X的通知（川办发〔2020〕31号）`
    → (X的通知, 川办发〔2020〕31号); `# X` → X."""
    text = text.lstrip("#").strip()
    label = re.match(r"^(?:【[^【】]{1,12}】|“[^“”]{2,12}”|[\u4e00-\u9fff]{2,12}\s*[丨|｜])", text)
    if label and _title_start(text[label.end():]):
        text = text[label.end():]  # 【规范性文件】…, “党政混合信息公开”…, 政务服务丨…: a site's label, not the title
    number = None
    m = DOC_NUMBER.match(text)
    if m and len(text) - m.end() >= 4:
        number, text = format_doc_number(m), text[m.end():]
    m = re.search(rf"[（(]({DOC_NUMBER.pattern})[）)]$", text)
    if m:
        number = number or format_doc_number(m)
        text = text[:m.start()]
    if text.startswith("《") and text.endswith("》") and text.count("《") == text.count("》"):
        inner = text[1:-1]
        if "》" not in inner or inner.index("》") > inner.find("《") >= 0:
            text = inner
    return text.strip(), number


def title_groups(lines: list[str]) -> list[TitleGroup]:
    """Titles printed on a line of their own or wrapped over several lines, in text order."""
    groups: list[TitleGroup] = []
    taken = -1
    for i, line in enumerate(lines):
        if i <= taken or not _title_shaped(line) or not ends_as_title(line):
            continue
        first, text = i, line
        while first - 1 > taken and _may_precede(lines[first - 1], text):
            first -= 1
            text = lines[first] + text
        last = i
        while (re.search(r"(?:印发|转发|》|、|和|及)《[^《》]*》$", text) and last + 1 < len(lines)
               and lines[last + 1].startswith("《") and _title_shaped(lines[last + 1])):
            last += 1  # 关于印发《A办法》 / 《B办法》 / 《C办法》的通知
            text += lines[last]
        if (last + 1 < len(lines) and re.fullmatch(r"[（(][^（）()]{2,30}[）)]", lines[last + 1])
                and not re.search(DATE, lines[last + 1]) and "此件" not in lines[last + 1]):
            last += 1  # 安徽省“数字政府”建设规划 / （2020—2025年）
            text += lines[last]
        title, number = clean_headline(text)
        groups.append(TitleGroup(title, number, first, last))
        taken = last
    return groups


def _glued_title(line: str) -> tuple[str | None, str | None]:
    """A title run into the addressees or the number on one line (a page flattened to one line):
    `XX关于印发《…》的通知各省辖市人民政府、…：现将…`, `XX的通知XX〔2022〕6号各镇…`."""
    cut = re.search(rf"各[^。：]{{1,150}}：|{DOC_NUMBER.pattern}", line)
    if not cut or cut.start() < 6:
        return None, None
    head = line[:cut.start()]
    m = DOC_NUMBER.match(line, cut.start())
    if _title_shaped(head) and ends_as_title(head):
        return clean_headline(head)[0], format_doc_number(m) if m else None
    return None, None


def is_addressee_line(line: str) -> bool:
    m = re.match(r"^(?P<a>[^。《》：]{2,200})：", line)
    return bool(m) and bool(re.search(r"各|有关|单位|政府|部门|委|局|厅|机构", m.group("a")))


def cover_start(lines: list[str]) -> int:
    """Index of the first line of the notice's text (addressees, or the first sentence)."""
    for i, line in enumerate(lines):
        if is_chrome(line):
            continue
        if is_addressee_line(line) or _SENTENCE.search(_outside_titles(line).rstrip("：")) or _OUTLINE.match(line):
            return i
    return len(lines)


# ------------------------------------------------------------------ what the cover issues, leads, announcements

def issued_titles(text: str) -> list[str]:
    """Titles a cover text issues: 现将《X》印发给你们 · 《X》已经市政府同意，现印发给你们 ·
    拟定的《A》和《B》已经国务院同意，现印发 · 制定了《A》《B》。现印发 · 现将X印发给你们 (a title
    with 《》 inside, unbracketed) · a line `附件：《X》`."""
    found: list[str] = []
    for sentence in re.split(r"(?<=。)", text):
        issuing = any(p in sentence for p in shapes()["issuing"])
        follows = re.match(r"^现(?:予)?(?:印发|转发)", text[text.find(sentence) + len(sentence):][:4])
        if not (issuing or follows):
            continue
        whole = re.search(r"现将(?P<t>[^，。《》]{0,60}《[^》]{2,120}》[^，。《》]{1,40}?)(?:印发|转发)", sentence)
        if whole:
            found.append(whole.group("t"))
            continue
        for m in re.finditer(r"《(?P<t>[^《》]{2,150})》", sentence):
            clause = re.split(r"[，；]", sentence[:m.start()])[-1]
            if re.search(r"根据|按照|依据|依照|贯彻|落实|参照", clause):
                continue  # the basis of the cover, not what it issues
            if re.match(r"^[（(][^（）()]*\d+号", sentence[m.end():]):
                continue  # a numbered document: cited
            found.append(m.group("t"))
        bare = re.search(r"现将(?P<t>[^，。《》]{4,120}?)(?:印发|转发)给", sentence)
        if bare and not found:
            found.append(bare.group("t"))
    for m in re.finditer(r"(?m)^附件[：:]?\s*(?:1[\.．、])?《(?P<t>[^《》]{4,150})》$", text):
        found.append(m.group("t"))
    return found


def promulgated_title(text: str) -> str | None:
    """The regulation an announcement promulgates: `《X》已由…通过，…现予公布`."""
    words = "|".join(map(re.escape, shapes()["promulgating"]))
    m = re.search(rf"《(?P<t>[^《》]{{4,150}})》[^《》。]{{0,300}}?(?:{words})", text)
    return m.group("t") if m else None


_WRAPPER = re.compile(r"^(?!.*关于)[\u4e00-\u9fff]{2,40}?(?:公告|令)$")

_LEAD = re.compile(
    rf"^(?:[^，。《》]{{0,30}}?(?:讯|报道|获悉))?(?:[（(][^（）()]{{0,20}}[）)])?(?:近日|日前|最近|近期|{DATE})，(?P<who>[^，。《》]{{2,120}}?)(?:联合)?(?:正式)?(?:印发|发布|出台|公布|制定)了?"
    r"《(?P<t>[^《》]{4,150})》"
)


def news_lead(lines: list[str]) -> tuple[list[str], str] | None:
    """(issuers, title) of a news lead such as `近日，中共重庆市委办公厅、重庆市人民政府办公厅印发了《…》`."""
    for line in lines[:5]:
        m = _LEAD.match(line)
        if m:
            who = [w for w in re.split(r"[、，]|和|与|及", m.group("who")) if ISSUER_SUFFIX.search(w)]
            return who, m.group("t")
    return None


# ------------------------------------------------------------------ regulations

_STEP_VERB = re.compile(r"通过|批准|修订|修正|公布|发布|施行")
_CONGRESS = re.compile(
    r"(?:根据|经|由|在)?(?P<place>(?:(?!第)[\u4e00-\u9fff]){2,20}?)(?:第[一二三四五六七八九十百]{1,4}届)?"
    r"(?P<organ>人民代表大会常务委员会|人民代表大会|人大常委会)"
)


@dataclass
class RegulationHeader:
    date: str | None
    issuers: list[str] = field(default_factory=list)


def regulation_header(lines: list[str]) -> RegulationHeader | None:
    """The enactment note under a regulation's title: `（2019年3月28日XX市第十五届人民代表大会
    常务委员会第十一次会议通过 2019年5月31日XX省…批准）`. The date is the last dated step that
    enacted it (not 施行); the issuer the congress that passed it (a city's own congress, even
    when the province 批准)."""
    for line in lines[:15]:
        line = re.sub(r"^【[^【】]{1,6}】", "", line)  # 【题注】（…通过）
        if not (line.startswith(("（", "(")) and re.search(DATE, line) and _STEP_VERB.search(line)):
            continue
        dates = list(_GLUED_DATE.finditer(line))
        steps = []
        for n, m in enumerate(dates):
            part = line[m.end():dates[n + 1].start() if n + 1 < len(dates) else len(line)]
            if not _CONGRESS.search(part):  # （XX市人大常委会第十一次会议于2019年3月28日通过）
                part = line[dates[n - 1].end() if n else 0:m.start()] + part
            verbs = _STEP_VERB.findall(part)
            steps.append((iso(int(m.group("y")), int(m.group("m")), int(m.group("d"))), verbs[-1] if verbs else None, part))
        enacted = [s for s in steps if s[0] and s[1] != "施行"]
        if not enacted:
            continue
        passing = [s for s in enacted if s[1] in ("通过", "修订", "修正", "公布", "发布")] or enacted
        issuer = None
        m = _CONGRESS.search(passing[-1][2])
        if m:
            organ = m.group("organ").replace("人大常委会", "人民代表大会常务委员会")
            issuer = m.group("place") + organ
        return RegulationHeader(max(s[0] for s in enacted), [issuer] if issuer else [])
    return None


# ------------------------------------------------------------------ the title, all rules together

@dataclass
class PageFront:
    title: str | None = None
    number: str | None = None  # a number glued to the headline
    title_issuer: str | None = None
    lead_issuers: list[str] = field(default_factory=list)
    regulation: RegulationHeader | None = None
    issued: list[str] = field(default_factory=list)  # what the cover issues (own attachments)
    organ: str | None = None  # a body printed alone above the notice: a letterhead (XX文件), a database's 发布机关 line
    source: str | None = None  # the body a page's 来源/信息来源 names, when it is one
    title_date: str | None = None  # `（2021年1月4日）` printed under the title (中共中央 国务院 documents)


def issuer_of_title(title: str) -> str | None:
    """`XX市人民政府办公室关于…` → XX市人民政府办公室; None when what precedes 关于/印发 is no body."""
    m = re.match(r"^(?P<i>.+?)(?:关于|印发|转发)", title)
    if m and ISSUER_SUFFIX.search(m.group("i")) and not re.search(r"[《》“”，。]", m.group("i")):
        return m.group("i")
    return None


def read_front(lines: list[str], text: str, field_title: str | None) -> PageFront:
    """The title and what goes with it, from the first lines of a single document."""
    front = lines[:60]
    start = cover_start(front)
    groups = title_groups(front)
    cover = "".join(front[start:start + 25])
    front_out = PageFront(issued=issued_titles(cover), regulation=regulation_header(front))
    lead = news_lead(front)
    if lead:
        front_out.lead_issuers = lead[0]
    in_groups = {i for g in groups for i in range(g.first, g.last + 1)}
    for i, line in enumerate(front[:start]):
        organ = re.sub(r"文件$", "", line)
        if (i not in in_groups and len(organ) <= 40 and ISSUER_SUFFIX.search(organ) and not is_chrome(line)
                and not re.search(r"[，。；：、《》“”]", organ) and not DOC_NUMBER.search(organ)):
            front_out.organ = organ
            break
    for line in front[:start + 3]:
        m = re.search(r"(?:信息来源|来源)：(?P<s>[\u4e00-\u9fff]{2,30}?)(?=$|[^\u4e00-\u9fff]|发布|时间|作者|浏览|阅读|日期)", line)
        if m and ISSUER_SUFFIX.search(m.group("s")):
            front_out.source = m.group("s")
            break
    title = None
    if field_title:
        title, front_out.number = clean_headline(field_title)
    before = [g for g in groups if g.last < start]
    if not title and before:
        title, front_out.number = before[0].title, before[0].number
        if _WRAPPER.match(title):
            title = promulgated_title(text[:3000]) or title
    if not title and start < len(front):
        title, number = _glued_title(front[start])
        front_out.number = front_out.number or number
    if not title and front_out.issued:
        wanted = fold(front_out.issued[0])
        printed = [g for g in groups if g.first >= start and fold(g.title) == wanted]
        title = printed[0].title if printed else front_out.issued[0]
    if not title and lead:
        title = lead[1]
    if not title and groups:
        title, front_out.number = groups[0].title, groups[0].number
    glued = re.search(rf"[（(](?P<d>{DATE})[）)]$", title or "")
    if glued:  # 中共中央 国务院关于…的意见（2021年9月22日）
        title, front_out.title_date = title[:glued.start()], line_date(glued.group("d"))
    front_out.title = title
    chosen = next((g for g in groups if g.title == title), None)
    if chosen and chosen.last + 1 < len(front):
        m = re.fullmatch(rf"[（(](?P<d>{DATE})[）)]", front[chosen.last + 1])
        if m:
            front_out.title_date = line_date(m.group("d"))
    if title:
        front_out.title_issuer = issuer_of_title(title)
    return front_out
