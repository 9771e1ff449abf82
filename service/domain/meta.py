"""The report's metadata: title, agency, year reported on, publication date, 索引号.

Read in named steps, each from one kind of evidence, the more direct first:

1. the title: the short line that names the report (possibly wrapped over two lines), else a
   labelled field (标题: / 名称 of a collector's header or a portal's metadata table), with
   Markdown marks, label prefixes and a site name after the title taken off;
2. the portal's fields: 索引号, 发布机构, 公开日期 …, and a collector's 单位;
3. the closing signature: an agency line above a date line among the last lines;
4. the body: the agency a sentence opens with (2025年，某区坚持…), the compiler of the report
   (区管委会办公室编制…) to complete a title that names only a place, and the year from the
   statistics period (统计期限…2023年1月1日至12月31日) or a cited title.

Every pattern is applied to a slice of bounded length and has no nested repetition, so
matching is linear.
"""

from __future__ import annotations

import re

import msgspec

from service.domain.document import Block, Document
from service.domain.normalize import fold, width_fold

_MAX_LINE = 200
_MAX_TITLE = 60
# How far from the end a signature is looked for: the report's last lines and a page footer.
_SIGNATURE_LINES = 14
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_TITLE = "政府信息公开工作年度报告"
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "О": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_DATE = re.compile(r"([〇零○О一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_FIELD_SEP = "：:"
_AGENCY_SUFFIXES = ("局", "委", "办", "厅", "院", "府", "会", "部", "署", "处", "所", "中心", "站", "队", "室", "馆", "镇", "乡", "街道", "公司", "区", "县", "市",
                    "省", "州", "旗", "关", "行", "社", "联", "协", "组")
# A line of a page's chrome, never a title: a breadcrumb (当前位置：首页 > …), a field.
_NOT_TITLE = ("：", ":", ">", "»", "›", "＞")
# The last characters of those endings: a cheap test before `endswith` in loops over a text.
_SUFFIX_LAST = frozenset(x[-1] for x in _AGENCY_SUFFIXES)
# A name that ends so is a place (平潭综合实验区), not the organ that reports for it.
_PLACE_SUFFIXES = ("区", "县", "市", "省", "州", "旗", "盟", "镇", "乡", "街道")
_VERBS = ("现公布", "现发布", "发布", "公布", "编制", "印发")
# What a line that names the report holds, folded once.
_TITLE_MARKERS = (fold("年度报告"), fold("工作报告"))
# A label before a title or a name in a collector's header or a portal's metadata table.
_TITLE_LABELS = ("标题", "名称", "题目", "文章标题", "信息名称")
_AGENCY_FIELDS = ("发布机构", "发文机关", "发布单位")
_COLLECTOR_AGENCY = ("单位", "来源单位")
_DATE_FIELDS = ("发布日期", "成文日期", "发文日期", "公开日期", "发布时间")
# Markdown marks a converter puts around a title: # headings, ** bold, > quotes.
_MARKDOWN = re.compile(r"^[#>*\s]+|[*\s]+$")
# What separates a page's title from the site's name after it (… 年度报告-沭阳县发改局).
_SITE_SEPARATORS = "-_|—–"
# Where the name a sentence opens with ends: the verbs and adverbs an overview starts with.
_SENTENCE_STOPS = ("坚持", "深入", "认真", "按照", "严格", "始终", "全面", "紧紧", "紧扣", "围绕",
                   "高度", "积极", "持续", "进一步", "不断", "聚焦", "贯彻", "扎实", "切实", "全年",
                   "本年", "依据", "根据", "落实", "强化", "加强", "大力", "着力", "注重", "立足",
                   "继续", "主动", "稳步", "统筹", "在", "以", "把", "将", "共", "政府信息公开")
_SENTENCE_BREAKS = "，,。；;：:、（(《“\"）) \t"


class MetaFacts(msgspec.Struct):
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    index_number: str | None = None
    title_has_agency: bool = False
    title_has_year: bool = False


# ------------------------------------------------------------------ dates


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if len(s) == 3 and s[1] == "十":
        return _CN_DIGITS[s[0]] * 10 + _CN_DIGITS[s[2]]
    if len(s) == 2 and s[1] == "十":
        return _CN_DIGITS[s[0]] * 10
    return _CN_DIGITS[s[0]]


def parse_date(text: str) -> str | None:
    """An ISO date from 2024-01-16, 2024年1月16日 or 二〇二二年一月十四日."""
    s = width_fold(text[:_MAX_LINE])
    m = _ISO_DATE.search(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _CN_DATE.search(s)
        if not m:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


# ------------------------------------------------------------------ fields


Lines = list[tuple[str, str]]  # (line, line without whitespace)


def _block_line(b: Block) -> str:
    if b.cells is None:
        return b.text[:_MAX_LINE]
    return " | ".join(c.text for c in b.cells)[:_MAX_LINE]


def _field(lines: Lines, names: tuple[str, ...], leading: bool = False) -> str | None:
    """The value of a portal field such as 发布日期：2024-01-16 (spaces in the name allowed);
    with `leading`, only a line (or a table row) that starts with the field's name."""
    for line, compact in lines:
        for name in names:
            at = compact.find(name)
            if at < 0 or (leading and at > 0):
                continue
            rest = compact[at + len(name) :]
            if leading and rest[:1] not in _FIELD_SEP + "|":
                continue
            if rest[:1] in _FIELD_SEP:
                rest = rest[1:]
            value = rest.split("|")[0].strip("|")
            if value:
                return value
            # The value is in the next cell on the original line (a | separated scrape).
            parts = [p.strip() for p in line.split("|")]
            for i, p in enumerate(parts):
                if name in "".join(p.split()) and i + 1 < len(parts) and parts[i + 1]:
                    return parts[i + 1]
    return None


def _portal_fields(facts: MetaFacts, lines: Lines) -> None:
    """索引号, the publishing agency and the date from a portal's fields or a collector's
    header; the agency only where the title names none."""
    facts.index_number = _field(lines, ("索引号",))
    agency = _field(lines, _AGENCY_FIELDS) or _field(lines, _COLLECTOR_AGENCY, leading=True)
    if not facts.agency and agency:
        facts.agency = agency
    published = _field(lines, _DATE_FIELDS)
    if published:
        facts.published = parse_date(published)


# ------------------------------------------------------------------ title


def _title_label(text: str) -> str | None:
    """The label (标题, 名称 …) a line starts with, followed by its colon."""
    head = text[:20]
    if "：" not in head and ":" not in head:
        return None
    compact = "".join(head.split())
    for label in _TITLE_LABELS:
        if compact.startswith(label) and compact[len(label) : len(label) + 1] in _FIELD_SEP:
            return label
    return None


def _unmark(text: str) -> str:
    """The text without Markdown marks around it (# heading, ** bold, > quote)."""
    s = text.strip()
    return _MARKDOWN.sub("", s) if s[:1] in "#>*" or s[-1:] == "*" else s


def clean_title(text: str) -> str:
    """A title without Markdown marks, a label (标题:) before it or a site name after it."""
    s = _unmark(text[:_MAX_LINE])
    label = _title_label(s)
    if label is not None:
        compact = "".join(s.split())
        s = s[s.find(compact[len(label)]) + 1 :].strip()  # after the colon, spaces or none
    for marker in ("年度报告", "工作报告"):
        at = s.rfind(marker)
        if at >= 0:
            rest = s[at + len(marker) :].lstrip()
            if rest[:1] and rest[0] in _SITE_SEPARATORS:
                s = s[: at + len(marker)]
            break
    return _unmark(s)


def _names_report(text: str) -> bool:
    folded = fold(text)
    return _TITLE_MARKERS[0] in folded or _TITLE_MARKERS[1] in folded


def _is_title_part(text: str) -> bool:
    """A short line that may be the first half of a title wrapped over two lines."""
    s = text.strip()
    if not s or len(s) > 40 or any(c in s for c in "，。；：:"):
        return False
    return _looks_like_agency(s) or "政府信息公开" in s or _YEAR.search(s) is not None


def _title_candidates(front: list[Block]) -> list[tuple[str, int, bool]]:
    """(title, line, labelled) for each short line of the front matter naming the report;
    a line above it that holds the title's first half (agency, year) is joined to it."""
    out: list[tuple[str, int, bool]] = []
    for i, b in enumerate(front):
        if b.cells is not None or len(b.text) > _MAX_TITLE:
            continue
        text, line = b.text.strip(), b.line
        if not _names_report(text):
            nxt = front[i + 1] if i + 1 < len(front) else None
            if nxt is None or nxt.cells is not None or len(nxt.text) > 10 or not _names_report(text + nxt.text):
                continue
            text += nxt.text.strip()  # 政府信息公开工作年度 / 报告
        labelled = _title_label(_unmark(text)) is not None
        if not labelled and any(c in text for c in _NOT_TITLE):
            continue
        prev = front[i - 1] if i > 0 else None
        if not labelled and prev is not None and prev.cells is None and _is_title_part(prev.text):
            agency, year = _title_facts(text)
            if year is None or agency is None:
                text, line = prev.text.strip() + text, prev.line
        out.append((clean_title(text), line, labelled))
    return out


def _title_facts(title: str) -> tuple[str | None, int | None]:
    """The agency a title names and its year: what precedes its year or 政府信息公开… is the
    agency when it ends as the name of an agency or a place does (not 政府信息公开年报)."""
    agency, year = _agency_from_title(title)
    ok = agency is not None and agency != _REPORT_TITLE and agency.endswith(_AGENCY_SUFFIXES)
    return (agency if ok else None), year


def _find_title(facts: MetaFacts, front: list[Block], lines: Lines) -> None:
    """The title that says most (agency and year), an unlabelled line before a labelled one,
    the first among equals; else a 名称/标题 field of the front matter."""
    best: tuple[int, bool, int] | None = None
    agency: str | None = None
    for n, (title, line, labelled) in enumerate(_title_candidates(front)):
        said = _title_facts(title)
        rank = ((said[0] is not None) + (said[1] is not None), not labelled, -n)
        if title and (best is None or rank > best):
            best, facts.title, facts.title_line = rank, title, line
            agency, facts.year = said
    if facts.title is None:
        field = _field(lines, _TITLE_LABELS, leading=True)
        if field and _names_report(field):
            facts.title = clean_title(field)
            agency, facts.year = _title_facts(facts.title)
    facts.title_has_agency = agency is not None
    facts.title_has_year = facts.year is not None
    facts.agency = agency


def _agency_from_title(title: str) -> tuple[str | None, int | None]:
    s = "".join(title.split())
    m = _YEAR.search(s)
    year = int(m.group(1)) if m else None
    head = s[: m.start()] if m else s.split(_REPORT_TITLE)[0]
    if m and not head:
        # 2021年XX局政府信息公开工作年度报告
        head = s[m.end() :].split("政府信息公开")[0].removeprefix("度")
    head = head.strip("《》\"“”")
    for verb in _VERBS:
        if verb in head:
            head = head.split(verb)[-1]
    return (head or None), year


def _looks_like_agency(line: str) -> bool:
    s = line.strip()
    return 2 <= len(s) <= 30 and s.endswith(_AGENCY_SUFFIXES) and not any(c in s for c in "，。；：:")


# ------------------------------------------------------------------ signature and body


def _short_date(text: str) -> str | None:
    """The date a short line states; `in` tests first, as most lines are no date at all."""
    if len(text) > 20 or not ("年" in text or "-" in text or "/" in text or "." in text):
        return None
    return parse_date(text)


def _signature(facts: MetaFacts, doc: Document) -> None:
    """The closing signature: an agency line above a date line, the last such pair among the
    last lines (a portal's footer may follow it); else a short date line at the very end."""
    tail = [b.text.strip() for b in doc.blocks[-_SIGNATURE_LINES:] if b.cells is None]
    dates = [_short_date(t) for t in tail]
    for n in range(len(tail) - 1, 0, -1):
        date = dates[n]
        if date and not any(c in tail[n] for c in _FIELD_SEP) and _looks_like_agency(tail[n - 1]):
            facts.published = facts.published or date
            facts.agency = facts.agency or tail[n - 1]
            return
    date = next((d for d in dates[-6:] if d), None)
    if date:
        facts.published = facts.published or date


def _opening_blocks(doc: Document, end: int, first_heading_block: int | None) -> list[str]:
    """The compact text of the paragraphs a report opens with: the last of its front matter
    (`end` blocks) and the first paragraph of its overview."""
    out = [b.text for b in doc.blocks[:end] if b.cells is None][-3:]
    if first_heading_block is not None:
        start = first_heading_block + 1
        out += [b.text for b in doc.blocks[start : start + 2] if b.cells is None][:1]
    return ["".join(t[: _MAX_LINE * 4].split()) for t in out]


def agency_from_sentence(text: str) -> str | None:
    """The agency a sentence opens with: 2025年，平潭综合实验区坚持… → 平潭综合实验区;
    市商务局认真贯彻… → 市商务局. None when the opening words are not a name."""
    s = "".join(text[:_MAX_LINE].split())
    m = _YEAR.match(s)
    if m:
        s = s[m.end() :].removeprefix("度").lstrip("，,、")
    if s.startswith(("我", "本", "各", "全", "为", "对", *_SENTENCE_STOPS)):
        return None  # a sentence that opens with a verb or a pronoun names nobody
    for p in range(2, min(len(s), 30) + 1):
        if s[p - 1] not in _SUFFIX_LAST or not s[:p].endswith(_AGENCY_SUFFIXES):
            if s[p - 1] in _SENTENCE_BREAKS:
                return None
            continue
        head, rest = s[:p], s[p:]
        if not rest or rest[0] in _SENTENCE_BREAKS or rest[0].isdigit() or rest.startswith(_SENTENCE_STOPS):
            return head
    return None


def compiler_of(text: str) -> str | None:
    """Who compiled the report, from 区管委会办公室编制完成了本报告 → 区管委会 (the office
    compiles for its agency)."""
    s = "".join(text[: _MAX_LINE * 4].split())
    at = s.find("编制")
    if at <= 0:
        return None
    head = s[max(0, at - 16) : at]
    for c in _SENTENCE_BREAKS:
        head = head.rsplit(c, 1)[-1]
    head = head.rsplit("由", 1)[-1]  # 本报告由县政府办公室编制
    stem = head.removesuffix("办公室")
    if stem != head and stem.endswith(_AGENCY_SUFFIXES):
        head = stem
    return head if 2 <= len(head) and _looks_like_agency(head) else None


def _complete_place(place: str, opening: list[str]) -> str:
    """A title naming only a place (平潭综合实验区) completed with the organ that compiled the
    report when the text names it by the place's last character (区管委会 → 平潭综合实验区管委会)."""
    if not place.endswith(_PLACE_SUFFIXES):
        return place
    for text in opening:
        organ = compiler_of(text)
        if organ is None:
            continue
        if organ.startswith(place) and len(organ) > len(place):
            return organ
        if organ[0] == place[-1] and not organ[1:].endswith(_PLACE_SUFFIXES):
            return place + organ[1:]
    return place


def _body_agency(facts: MetaFacts, doc: Document, end: int, first_heading_block: int | None) -> None:
    """The agency from the opening sentences: the compiler completes a title that names
    only a place; where nothing named the agency, the overview's first words."""
    if facts.agency and not (facts.title_has_agency and facts.agency.endswith(_PLACE_SUFFIXES)):
        return  # the common case: the title or a field named the agency
    opening = _opening_blocks(doc, end, first_heading_block)
    if facts.agency:
        facts.agency = _complete_place(facts.agency, opening)
        return
    for text in reversed(opening):  # the overview's first sentence, then the preamble
        agency = agency_from_sentence(text)
        if agency:
            facts.agency = agency
            return


# ------------------------------------------------------------------ year


def _year_from_text(doc: Document, first_heading_block: int | None) -> int | None:
    """The year reported on, from the statistics period, a cited title, or the first
    sentence of the overview."""
    stop = min(len(doc.blocks), (first_heading_block or 0) + 4)
    # Without whitespace, made once for both searches.
    compact = ["".join(b.text[:_MAX_LINE * 4].split()) for b in doc.blocks[:stop] if b.cells is None]
    for s in compact:
        m = _PERIOD.search(s)
        if m:
            return int(m.group(1))
    for s in compact:
        at = s.find(_REPORT_TITLE)
        if at >= 0:
            years = _YEAR.findall(s[max(0, at - 40) : at])
            if years:
                return int(years[-1])
    # The overview's first sentence: "2019年，市商务局…" (a date such as 2022年1月14日 is not it).
    if first_heading_block is not None:
        for b in doc.blocks[first_heading_block + 1 : first_heading_block + 3]:
            if b.cells is None:
                s = "".join(b.text[:_MAX_LINE].split())
                m = _YEAR.match(s)
                if m and not s[m.end() : m.end() + 1].isdigit():
                    return int(m.group(1))
                break
    return None


def _year(facts: MetaFacts, doc: Document, first_heading_block: int | None) -> None:
    if facts.year is None:
        facts.year = _year_from_text(doc, first_heading_block)
    if facts.year is None and facts.published:
        facts.year = int(facts.published[:4]) - 1


# ------------------------------------------------------------------ all together


def extract(doc: Document, first_heading_block: int | None) -> MetaFacts:
    """Meta data from the front matter, the closing lines and the opening sentences."""
    facts = MetaFacts()
    end = first_heading_block if first_heading_block is not None else min(len(doc.blocks), 12)
    front = doc.blocks[:end]
    lines = [(line, "".join(line.split())) for line in map(_block_line, front)]
    _find_title(facts, front, lines)
    _portal_fields(facts, lines)
    _signature(facts, doc)
    _body_agency(facts, doc, end, first_heading_block)
    _year(facts, doc, first_heading_block)
    if facts.agency:
        facts.agency = clean_title(facts.agency) or None
    return facts
