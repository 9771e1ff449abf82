"""Evaluation rules: what the provincial 政务公开办 and third-party evaluators check on one
report beyond its tables.

Each rule carries its passing and failing report fragments (`passing=`, `failing=`),
served by `GET /v1/rules`, printed in the README and run as tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from service.domain.facts import Facts
from service.domain.models import Issue, Location
from service.domain.models import Location as L
from service.domain.normalize import fold, width_fold
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.checks import System
from service.domain.rules.fragments import HEADER_FEES, T2, T4, lines, row, sections, title
from service.domain.sections import section_spans
from service.domain.sentences import Sentence, split

F = "evaluation"
_PERIOD = "本报告所列数据的统计期限自{0}年1月1日起至{0}年12月31日止。"

PUBLISHED_LATE = rule(
    "published-late", "warning", F, "年报发布晚于法定期限",
    "The publication date (meta.published) is after 31 January of the year after the report's "
    "year, the deadline of 《政府信息公开条例》第五十条.",
    "本报告为{year}年度报告，发布日期为 {published}，晚于法定发布期限 {deadline}（每年1月31日前）。",
    passing=(E(lines(title("某某局", 2023), "某某局", "2024年1月31日")),),
    failing=(E(lines(title("某某局", 2023), "某某局", "2024年2月5日")),),
)
PERIOD_YEAR = rule(
    "period-year-mismatch", "warning", F, "统计期限年份与报告年度不符",
    "A sentence stating the statistics period (统计期限/统计时限 … 年1月1日 …) names a year other "
    "than the report's.",
    "第{line}行统计期限写的是{printed}年，而本报告为{year}年度报告，请核对年份。",
    passing=(E(lines(title("某某局", 2023), sections("一"), _PERIOD.format(2023))),),
    failing=(E(lines(title("某某局", 2023), sections("一"), _PERIOD.format(2022)), at=(L(line=3),)),),
)
PROBLEMS_THIN = rule(
    "problems-thin", "warning", F, "存在的主要问题内容过简",
    "Part 五、存在的主要问题及改进情况 is empty, says only 无, or is a single sentence; "
    "evaluators expect the problems found and the measures taken.",
    "「存在的主要问题及改进情况」{what}，请写明本年度存在的主要问题及具体改进措施。",
    passing=(E(lines(sections("五"), "一是政策解读形式单一。二是将丰富解读形式，加强业务培训。")),),
    failing=(E(lines(sections("五"), "无。"), at=(L(section="problems", line=1),)),),
)
OTHER_SAYS_NONE = rule(
    "other-says-none", "warning", F, "其他需要报告的事项写“无”但有应报告事项",
    "Part 六、其他需要报告的事项 says only 无 while 表二 shows 行政事业性收费 above 0 or the "
    "text mentions 信息处理费; the 2021 template asks part 六 to report the 信息处理费 charged.",
    "「其他需要报告的事项」仅写“无”，但{reason}；按年报格式，该部分应报告收取信息处理费的情况等事项。",
    passing=(E(lines(T2, HEADER_FEES, row("行政事业性收费", "12.5"), T4, sections("六"), "本年度收取信息处理费12.5万元。")),),
    failing=(E(lines(sections("一"), "本年度未收取信息处理费。", sections("六"), "无。"), at=(L(section="other", line=3),)),
             E(lines(T2, HEADER_FEES, row("行政事业性收费", "12.5"), T4, sections("六"), "无。"), at=(L(section="other", line=5),))),
)

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PERIOD_WORDS = ("统计期限", "统计时限", "统计期间", "统计周期", "统计时间", "统计区间")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_BEFORE, _AFTER = 20, 50  # characters around 统计期限 where its dates are
# Parts longer than these are read only so far: enough to see two sentences / more than 无.
_THIN_CHARS, _NONE_CHARS = 2000, 40
_NONE = frozenset({"无", "暂无", "没有", "无其他需要报告的事项", "本年度无其他需要报告的事项",
                   "无需要报告的事项", "无其他事项"})


def check(facts: Facts, system: System) -> Iterator[Issue]:
    """The evaluators' findings (`system`, the cross-checks, is not needed here)."""
    yield from _published(facts)
    yield from _period(facts, facts.sentences)
    yield from _problems(facts)
    yield from _other(facts)


def _published(facts: Facts) -> Iterator[Issue]:
    year, published = facts.meta.year, facts.meta.published
    if year is None or published is None or not _ISO.match(published):
        return
    deadline = f"{year + 1}-01-31"
    if published > deadline:
        yield PUBLISHED_LATE.issue(Location(), year=year, published=published, deadline=deadline)


def section_sentences(facts: Facts, key: str, longest: int) -> list[Sentence] | None:
    """The running text of one part as sentences, if it is at most `longest` characters
    (the rules here judge short parts; a long one is cut after it); None when the part is
    not found."""
    span = section_spans(facts.doc, facts.headings).get(key)
    if span is None:
        return None
    heading = next((h.block for h in facts.headings if h.key == key), span[0] - 1)
    signature = fold(facts.meta.agency) if facts.meta.agency else None
    pieces: list[tuple[str, int]] = []
    size = 0
    for b in facts.doc.blocks[heading + 1 : span[1]]:
        if b.cells is None and not _aside(b.text, signature):
            pieces.append((b.text, b.line))
            size += len(b.text)
            if size > longest:
                break
    return split(pieces)


_DATE_LINE = re.compile(r"^(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})年[0-9一二三四五六七八九十]{1,3}月[0-9一二三四五六七八九十]{1,3}日$")
_PAGE_MARK = re.compile(r"^-?[0-9]{1,3}-?$")
_ASIDE_CHARS = 60  # signature, date and page lines are short


def _aside(text: str, signature: str | None) -> bool:
    """A line that the part's span runs into but that is none of its text: the closing
    signature (the agency's name, a date) or a page number."""
    if len(text) > _ASIDE_CHARS:
        return False
    k = fold(width_fold(text))
    return k == signature or bool(_DATE_LINE.match(k)) or bool(_PAGE_MARK.match(k))


def _period(facts: Facts, sentences: list[Sentence]) -> Iterator[Issue]:
    if facts.meta.year is None:
        return
    for s in sentences:
        if "统计" not in s.text:
            continue
        at = next((i for i in map(s.text.find, _PERIOD_WORDS) if i >= 0), -1)
        if at < 0:
            continue
        # The dates next to the words, not the whole "sentence": a title or heading without
        # a full stop runs into the sentence after it.
        window = width_fold(s.text[max(0, at - _BEFORE) : at + _AFTER])
        other = sorted({int(y) for y in _YEAR.findall(window)} - {facts.meta.year})
        if other:
            line = s.line_at(at)
            yield PERIOD_YEAR.issue(
                Location(line=line), line=line, printed="、".join(map(str, other)), year=facts.meta.year,
            )
            return  # one period statement is enough to say


def _meaningful(sentences: list[Sentence], enough: int = 2) -> list[str]:
    """The sentences' folded text, without empty ones; stops after `enough` that are not
    just 无, which is all the rules here need to know."""
    out: list[str] = []
    real = 0
    for s in sentences:
        k = fold(s.text)
        if k:
            out.append(k)
            real += k not in _NONE
            if real >= enough:
                break
    return out


def _problems(facts: Facts) -> Iterator[Issue]:
    sentences = section_sentences(facts, "problems", _THIN_CHARS)
    if sentences is None:
        return  # section-missing says so
    keys = _meaningful(sentences)
    if not keys:
        what = "为空"
    elif all(k in _NONE for k in keys):
        what = "仅写“无”"
    elif len(keys) == 1 and len(keys[0]) < _THIN_CHARS:  # not a part cut at the limit
        what = "只有一句话"
    else:
        return
    line = next(h.line for h in facts.headings if h.key == "problems")
    yield PROBLEMS_THIN.issue(Location(section="problems", line=line), what=what)


def _fees(facts: Facts) -> Decimal | None:
    table = facts.table("active_disclosure")
    row = table.row("fees") if table is not None else None
    read = row.cells.get("amount") if row is not None else None
    if read is None or read.status != "ok":
        return None
    try:
        return Decimal(str(read.value))
    except InvalidOperation:
        return None


def _other(facts: Facts) -> Iterator[Issue]:
    sentences = section_sentences(facts, "other", _NONE_CHARS)
    keys = _meaningful(sentences or [])
    if not keys or not all(k in _NONE for k in keys):
        return
    fees = _fees(facts)
    if fees is not None and fees > 0:
        reason = f"表二「行政事业性收费」本年收费金额为 {fees}"
    elif any("信息处理费" in b.text for b in facts.doc.blocks if b.cells is None):
        reason = "报告正文提到了信息处理费"
    else:
        return
    line = next(h.line for h in facts.headings if h.key == "other")
    yield OTHER_SAYS_NONE.issue(Location(section="other", line=line), reason=reason)


__all__ = ["check", "section_sentences"]

