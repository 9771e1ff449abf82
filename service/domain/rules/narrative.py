"""Narrative rules: the figures the report's text states against its tables.

A sentence is read only when its figure can be tied to one cell (or one fixed sum of cells)
without doubt; everything else is skipped, never guessed:

* the figure must follow its phrase directly (新收政府信息公开申请26件, 行政复议3件,
  予以公开12件, 行政事业性收费7.5万元), in Arabic or Chinese numerals (cn2an);
* the whole sentence is skipped when it speaks of another year, another scope or a change
  (同比, 较上年, 增长, 全市, 各部门, 代表 …), of an estimate (约, 近, 余件, 以上) or a
  range (3至5件), and a count of applications after 其中 is a sub-scope, skipped too;
* 收到/受理 N 件 may include last year's carried-over applications: tied to 本年新收 only
  when 上年结转 is 0;
* a phrase right after 、和及与 shares its figure with the phrase before it: skipped;
* two different figures for one cell in a sentence: skipped;
* the cell must be read without doubt: a number the cells family says nothing about, in a
  row printed once and as the template prints it, and no failed cross-check on its row or
  column (then the table, not the text, is in question): `doubtful`, from the facts and the
  cross-checks solved once (`system`), not from the other families' findings.

A stated share (予以公开12件，占42.86%) is recomputed from its figure over the handled, the
received, or the received and carried-over applications; a warning only when it matches
none of them at the precision printed.

Each rule carries its passing and failing report fragments (`passing=`, `failing=`),
served by `GET /v1/rules`, printed in the README and run as tests.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, NamedTuple

from service.domain.confidence import readings
from service.domain.facts import Facts
from service.domain.models import Issue, Location
from service.domain.models import Location as L
from service.domain.rules.arithmetic import failures
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.cells import unsure
from service.domain.rules.checks import System
from service.domain.rules.fragments import GRANTED, NEW, PARTIALLY_GRANTED, T3, T4, TOTAL, applicants, lines, sections
from service.domain.rules.structure import single_variants
from service.domain.sentences import Sentence
from service.domain.template import column_label, row_label, table_def, template_of

F = "narrative"


def _example(overview: str) -> str:
    """An example's report: part 一 stating `overview` over 表三 with 7 applications
    received and handled, 3 of them granted and 4 partially."""
    return lines(sections("一"), overview, T3, applicants(NEW, 7), applicants(GRANTED, 3),
                 applicants(PARTIALLY_GRANTED, 4), applicants(TOTAL, 7), T4)


_AT = (L(section="overview", line=2),)

MISMATCH = rule(
    "narrative-mismatch", "warning", F, "正文数字与统计表不符",
    "A figure the text states for what a table holds (applications received, carried over, "
    "handled, carried forward, each outcome, 行政复议 and 行政诉讼 cases, 行政事业性收费) "
    "differs from the table. `actual` is the text's figure, `expected` the table's. Only "
    "sentences whose figure ties to one cell without doubt are read.",
    "第{line}行正文「{excerpt}」写明{what}为 {actual}，而{cell}为 {expected}，请核对正文与统计表。",
    passing=(E(_example("本年度新收政府信息公开申请7件，办结7件。")),
             E(_example("本年新收政府信息公开申请七件。")),
             E(_example("其中予以公开3件，部分公开4件。"))),
    failing=(E(_example("本年度新收政府信息公开申请8件，办结7件。"), at=_AT),
             E(_example("本年新收政府信息公开申请八件。"), at=_AT),
             E(_example("其中予以公开3件，部分公开5件。"), at=_AT)),
)
PERCENT = rule(
    "narrative-percent-mismatch", "warning", F, "正文百分比计算有误",
    "A share the text states after a figure (予以公开12件，占42.86%) is neither that figure "
    "over the applications handled, nor over those received, nor over those received and "
    "carried over, at the precision printed.",
    "第{line}行正文「{excerpt}」写明{what} {count} 件占 {actual}%，按表三计算应为 {expected}%。",
    passing=(E(_example("其中予以公开3件，占42.86%。")),),
    failing=(E(_example("其中予以公开3件，占45.86%。"), at=_AT),),
)

N = r"([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千万]{1,8})"
_APPS = r"(?:政府信息公开申请|依申请(?:公开)?(?:政府)?信息公开(?:申请)?|信息公开申请|申请)"
_SUM = r"(?:共计|合计|共|为|总计)?"


class Target(NamedTuple):
    key: str
    what: str  # as the message names it
    table: str
    rows: tuple[str, ...]  # summed; a row ending in "." stands for every row with that prefix
    column: str
    pattern: re.Pattern[str]
    volume: bool = False  # a count of applications: 其中 before it makes it a sub-scope


def _t(key: str, what: str, table: str, rows: tuple[str, ...], column: str, pattern: str,
       volume: bool = False) -> Target:
    return Target(key, what, table, rows, column, re.compile(pattern), volume)


_OUT = r"(?:答复)?(?:的)?" + _SUM
TARGETS: tuple[Target, ...] = (
    _t("new_received", "本年新收申请数", "applications", ("new_received",), "total",
       r"新收(?:了)?(?:各类)?" + _APPS + _SUM + N + "件", volume=True),
    _t("received", "收到申请数", "applications", ("new_received",), "total",
       r"(?<!新)(?:收到|受理)(?:了)?(?:各类)?" + _APPS + _SUM + N + "件", volume=True),
    _t("carried_over", "上年结转申请数", "applications", ("carried_over",), "total",
       r"上年(?:度)?结转(?:的)?" + _APPS + "?" + _SUM + N + "件", volume=True),
    _t("handled", "办结申请数", "applications", ("total",), "total",
       r"办结(?:了)?" + _APPS + "?" + _SUM + N + "件", volume=True),
    _t("carried_forward", "结转下年度申请数", "applications", ("carried_forward",), "total",
       r"结转(?:至|到)?下(?:一)?年度(?:继续)?(?:办理)?(?:的)?" + _APPS + "?" + _SUM + N + "件", volume=True),
    _t("granted", "予以公开件数", "applications", ("granted",), "total", r"予以公开" + _OUT + N + "件"),
    _t("partially_granted", "部分公开件数", "applications", ("partially_granted",), "total",
       r"部分公开" + _OUT + N + "件"),
    _t("denied", "不予公开件数", "applications", ("denied.",), "total", r"不予公开" + _OUT + N + "件"),
    _t("unavailable", "无法提供件数", "applications", ("unavailable.",), "total", r"无法提供" + _OUT + N + "件"),
    _t("not_processed", "不予处理件数", "applications", ("not_processed.",), "total", r"不予处理" + _OUT + N + "件"),
    _t("reviews", "行政复议案件数", "reviews_litigation", ("review",), "total",
       r"行政复议(?:案件|申请|案)?(?:数)?" + _SUM + N + "(?:件|起)"),
    _t("litigation", "行政诉讼案件数", "reviews_litigation", ("litigation_direct", "litigation_after_review"),
       "total", r"行政诉讼(?:案件|案)?(?:数)?" + _SUM + N + "(?:件|起)"),
    _t("fees", "行政事业性收费金额（万元）", "active_disclosure", ("fees",), "amount",
       r"行政事业性收费(?:金额)?" + _SUM + N + "万元"),
)
_OUTCOMES = frozenset({"granted", "partially_granted", "denied", "unavailable", "not_processed"})
_SHARE = re.compile(r"[,，]?(约)?占(?:比|总数的|办结总数的|全部申请的)?([0-9]+(?:\.[0-9]+)?)%")

# Another year, scope or change, an estimate or a range: the sentence is skipped.
_SKIP_WORDS = ("同比", "较上年", "比上年", "与上年", "去年", "上一年", "增长", "下降", "减少", "增加",
               "以来", "累计", "代表", "各部门", "各单位", "乡镇", "街道", "全市", "全区", "全县",
               "全省", "全州", "全旗", "全盟", "系统内", "约", "近", "余件", "多件", "以上", "以下",
               "左右", "至少", "不少于", "不超过", "分别", "平均", "~", "～")
_RANGE = re.compile(r"[0-9零〇一二两三四五六七八九十]\s*(?:至|到|-|－|—)\s*[0-9零〇一二两三四五六七八九十]")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_SHARED = frozenset("、和及与或")
_CUE = ("件", "起", "万元")
_CUE_RE = re.compile("件|起|万元")


class _Text(NamedTuple):
    compact: str  # width-folded, no whitespace
    folded: str  # width-folded, as long as the sentence when `aligned`
    aligned: bool

    def origin(self, k: int, sentence: str) -> int:
        """The offset in the sentence of the k-th compact character (only asked for a
        finding, so not worked out for every sentence)."""
        text = self.folded if self.aligned else sentence
        n = -1
        for m in _NON_SPACE.finditer(text):
            n += len(unicodedata.normalize("NFKC", m.group())) if not self.aligned else 1
            if n >= k:
                return m.start()
        return 0


_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S")


def _compact(text: str) -> _Text:
    folded = unicodedata.normalize("NFKC", text)
    return _Text(_SPACE.sub("", folded), folded, len(folded) == len(text))


@cache
def _cn2an() -> Any:
    import cn2an  # imported on the first Chinese numeral: it takes ~1 s to load

    return cn2an


def number(text: str) -> Decimal | None:
    """A figure in Arabic or Chinese numerals (二十六, 一百零五, 两), or None."""
    if text[0].isdigit():
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    try:
        return Decimal(int(_cn2an().cn2an(text.replace("两", "二").replace("〇", "零"), "strict")))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


_SKIP = re.compile("|".join(map(re.escape, _SKIP_WORDS)))
# Words one of the targets' phrases holds: a sentence with none of them has no claim.
_ANY_TARGET = re.compile("新收|收到|受理|结转|办结|公开|提供|处理|复议|诉讼|收费")


def _skipped(text: str, year: int | None) -> bool:
    if _SKIP.search(text) or _RANGE.search(text):
        return True
    return any(int(y) != year for y in _YEAR.findall(text))


class Claim(NamedTuple):
    target: Target
    value: Decimal
    at: int  # offset of the figure in the compact text
    end: int  # end of the match


def claims(text: str, year: int | None) -> list[Claim]:
    """The figures of one sentence (compact text) that tie to a target without doubt."""
    if not any(c in text for c in _CUE) or not _ANY_TARGET.search(text) or _skipped(text, year):
        return []
    found: dict[str, list[Claim]] = {}
    for target in TARGETS:
        for m in target.pattern.finditer(text):
            if m.start() > 0 and text[m.start() - 1] in _SHARED:
                continue
            if target.volume and "其中" in text[: m.start()]:
                continue
            value = number(m.group(1))
            if value is not None:
                found.setdefault(target.key, []).append(Claim(target, value, m.start(1), m.end()))
    return [c[0] for c in found.values() if len({x.value for x in c}) == 1]


Doubt = set[tuple[str, str | None, str | None]]  # rows (table, row, None), columns (table, None, column)


def doubtful(facts: Facts, system: System) -> Doubt:
    """The rows and columns whose figures are in question: a row printed twice or as the
    other template's variant, the row of a failed row check, the column of a failed column
    check, and both of a cell the diagnosis finds wrong (the table, not the text, is then in
    question). A cell the reader was unsure of is judged at the cell (`_cell`)."""
    out: Doubt = set()
    for tdef in template_of(facts.template).tables:
        table = facts.table(tdef.key)
        if table is not None:
            out.update((tdef.key, d.key, None) for d in table.duplicates)
            present = {r.key for r in table.rows}
            out.update((tdef.key, v.key, None) for v in single_variants(facts.template, tdef, present))
    # A cell the reader inferred is no ground to contradict the text (an ambiguous one is null).
    out.update(readings(facts.tables))
    found = failures(facts, system)
    for eq, _, _ in found.failed.values():
        out.add((eq.table, eq.row, None) if eq.check.along == "row" else (eq.table, None, eq.column))
    for cell, _, _ in found.wrong:
        t, r, c = system.skeleton.cells[cell]
        out.update({(t, r, None), (t, None, c)})
    return out


def _cell(facts: Facts, doubt: Doubt, table: str, row: str, column: str) -> Decimal | None:
    t = facts.table(table)
    raw = t.row(row) if t is not None else None
    read = raw.cells.get(column) if raw is not None else None
    if read is None or unsure(read) or read.value is None:
        return None
    if {(table, row, None), (table, None, column)} & doubt:
        return None
    try:
        return Decimal(str(read.value))
    except InvalidOperation:
        return None


def table_value(facts: Facts, doubt: Doubt, target: Target) -> Decimal | None:
    """The table's figure for a target: its cell, or the sum of its rows; None when any is unsure."""
    t = facts.table(target.table)
    if t is None:
        return None
    keys: list[str] = []
    printed = table_def(target.table, facts.template).rows_of(template_of(facts.template).id)
    for row in target.rows:
        if row.endswith("."):  # every row of the group the template prints
            keys.extend(r.key for r in printed if r.key.startswith(row))
        else:
            keys.append(row)
    values = [_cell(facts, doubt, target.table, k, target.column) for k in keys]
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def _cell_name(facts: Facts, target: Target) -> str:
    rows = target.rows
    if len(rows) == 1 and not rows[0].endswith("."):
        row = row_label(target.table, rows[0], facts.template)
    elif rows[0].endswith("."):
        row = {"denied.": "（三）不予公开", "unavailable.": "（四）无法提供", "not_processed.": "（五）不予处理"}[rows[0]] + "各项之和"
    else:
        row = "行政诉讼两行之和"
    return f"{table_def(target.table).short}「{row}」「{column_label(target.table, rows[0], target.column, facts.template)}」"


def _excerpt(text: str, at: int) -> str:
    start = max(0, at - 24)
    return ("…" if start else "") + text[start : at + 8] + ("…" if at + 8 < len(text) else "")


def _sections_by_line(facts: Facts) -> list[tuple[int, str]]:
    return sorted((h.line, h.key) for h in facts.headings)


def _section_at(index: list[tuple[int, str]], line: int) -> str | None:
    key = None
    for start, k in index:
        if start > line:
            break
        key = k
    return key


def check(facts: Facts, system: System) -> Iterator[Issue]:
    doubt = doubtful(facts, system)
    index = _sections_by_line(facts)
    carried = _cell(facts, doubt, "applications", "carried_over", "total")
    for s in facts.sentences:
        if not _CUE_RE.search(s.text):
            continue
        text = _compact(s.text)
        for claim in claims(text.compact, facts.meta.year):
            if claim.target.key == "received" and carried != 0:
                continue  # 收到 may count last year's carried-over applications too
            yield from _judge(facts, doubt, s, text, claim, index)


def _judge(facts: Facts, doubt: Doubt, s: Sentence,
           text: _Text, claim: Claim, index: list[tuple[int, str]]) -> Iterator[Issue]:
    expected = table_value(facts, doubt, claim.target)
    if expected is None:
        return
    line = s.line_at(text.origin(claim.at, s.text))
    loc = Location(section=_section_at(index, line), line=line)  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
    excerpt = _excerpt(text.compact, claim.at)
    if expected != claim.value:
        yield MISMATCH.issue(
            loc, expected=_plain(expected), actual=_plain(claim.value), line=line, excerpt=excerpt,
            what=claim.target.what, cell=_cell_name(facts, claim.target),
        )
        return
    if claim.target.key in _OUTCOMES:
        yield from _share(facts, doubt, text.compact[claim.end :], claim, loc, line, excerpt)


def _share(facts: Facts, doubt: Doubt, after: str,
           claim: Claim, loc: Location, line: int, excerpt: str) -> Iterator[Issue]:
    m = _SHARE.match(after)
    if m is None or m.group(1):
        return  # no share stated, or an approximate one (约占)
    stated = Decimal(m.group(2))
    places = -stated.as_tuple().exponent  # type: ignore[operator]  # a Decimal read from digits is finite: its exponent is an int
    handled, received, carried = (
        _cell(facts, doubt, "applications", row, "total") for row in ("total", "new_received", "carried_over")
    )
    bases = [b for b in (handled, received, None if received is None or carried is None else received + carried) if b]
    if not bases:
        return
    shares = [100 * claim.value / b for b in bases]
    half = Decimal(5) / Decimal(10) ** (places + 1)
    if all(abs(x - stated) > half + Decimal("1e-9") for x in shares):
        yield PERCENT.issue(
            loc, expected=format(round(shares[0], places), "f"), actual=format(stated, "f"), line=line,
            excerpt=excerpt, what=claim.target.what.removesuffix("件数"), count=_plain(claim.value),
        )


def _plain(d: Decimal) -> int | str:
    return int(d) if d == d.to_integral_value() and "." not in str(d) else format(d, "f")


__all__ = ["TARGETS", "check", "claims", "number"]

