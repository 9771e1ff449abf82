"""The report's metadata: title, agency, year reported on, publication date, 索引号.

Read from the lines before the first section (title, portal fields such as 发布机构 and
成文日期) and from the closing signature (agency and date under the text). Every pattern
here is applied to one line of bounded length and has no nested repetition, so matching is
linear.
"""

from __future__ import annotations

import re

import msgspec

from service.domain.document import Document
from service.domain.normalize import fold, width_fold

_MAX_LINE = 200
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REPORT_TITLE = "政府信息公开工作年度报告"
_ISO_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "О": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_DATE = re.compile(r"([〇零○О一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_FIELD_SEP = "：:"
_AGENCY_SUFFIXES = ("局", "委", "办", "厅", "院", "府", "会", "部", "署", "处", "所", "中心", "站", "队", "室", "馆", "镇", "乡", "街道", "公司", "区", "县", "市")
_VERBS = ("现公布", "现发布", "发布", "公布", "编制", "印发")
# What a line that names the report holds, folded once.
_TITLE_MARKERS = (fold("年度报告"), fold("工作报告"))


class MetaFacts(msgspec.Struct):
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    index_number: str | None = None
    title_has_agency: bool = False
    title_has_year: bool = False


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


def _field(lines: list[tuple[str, str]], names: tuple[str, ...]) -> str | None:
    """The value of a portal field such as 发布日期：2024-01-16 (spaces in the name allowed).

    `lines` are (line, line without whitespace) pairs, made once for every field looked up.
    """
    for line, compact in lines:
        for name in names:
            at = compact.find(name)
            if at < 0:
                continue
            rest = compact[at + len(name) :]
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


def extract(doc: Document, first_heading_block: int | None) -> MetaFacts:
    """Meta data from the front matter and the closing lines."""
    facts = MetaFacts()
    end = first_heading_block if first_heading_block is not None else min(len(doc.blocks), 12)
    front = doc.blocks[:end]
    front_lines: list[tuple[str, str]] = []
    for b in front:
        if b.cells is None:
            line = b.text[:_MAX_LINE]
        else:
            line = " | ".join(c.text for c in b.cells)[:_MAX_LINE]
        front_lines.append((line, "".join(line.split())))

    # Title: the short line that names the report, with the line above it when that line is
    # the agency on a line of its own.
    for i, b in enumerate(front):
        if b.cells is not None or len(b.text) > 60:
            continue
        folded = fold(b.text)
        if _TITLE_MARKERS[0] in folded or _TITLE_MARKERS[1] in folded:
            title = b.text.strip()
            if i > 0 and front[i - 1].cells is None and _looks_like_agency(front[i - 1].text):
                title = front[i - 1].text.strip() + title
                facts.title_line = front[i - 1].line
            else:
                facts.title_line = b.line
            facts.title = title
            break

    if facts.title:
        agency, year = _agency_from_title(facts.title)
        facts.title_has_agency = bool(agency) and agency != _REPORT_TITLE
        facts.title_has_year = year is not None
        facts.agency = agency if facts.title_has_agency else None
        facts.year = year

    facts.index_number = _field(front_lines, ("索引号",))
    agency_field = _field(front_lines, ("发布机构", "发文机关", "发布单位"))
    if not facts.agency and agency_field:
        facts.agency = agency_field
    published = _field(front_lines, ("发布日期", "成文日期", "发文日期"))
    if published:
        facts.published = parse_date(published)

    # The closing signature: an agency line and a date line among the last lines.
    tail = [b for b in doc.blocks[-6:] if b.cells is None]
    for n, b in enumerate(tail):
        date = parse_date(b.text) if len(b.text) <= 20 else None
        if date:
            if not facts.published:
                facts.published = date
            if not facts.agency and n > 0 and _looks_like_agency(tail[n - 1].text):
                facts.agency = tail[n - 1].text.strip()

    if facts.year is None:
        facts.year = _year_from_text(doc, first_heading_block)
    if facts.year is None and facts.published:
        facts.year = int(facts.published[:4]) - 1
    return facts


def _year_from_text(doc: Document, first_heading_block: int | None) -> int | None:
    """The year reported on, from the statistics period, a cited title, or the first
    sentence of the overview."""
    start = 0
    stop = min(len(doc.blocks), (first_heading_block or 0) + 4)
    # Without whitespace, made once for both searches.
    compact = ["".join(b.text[:_MAX_LINE * 4].split()) for b in doc.blocks[start:stop] if b.cells is None]
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
