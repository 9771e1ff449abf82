"""Cross-year rules: this year's report against last year's, both as parsed.

A pure function of two `ParseResult`s (`compare`), so the service, the CLI and library users
run the same checks; everything it needs comes in the one request.

Each rule carries its passing and failing examples (`passing=`, `failing=`): this year's
report fragment with last year's (`previous`), served by `GET /v1/rules`, printed in the
README and run as tests.

Only cells both reports read without doubt are compared: an integer, with no finding of the
reader (cells family, a repeated row) at that cell or its row in that report.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
from rapidfuzz import fuzz

from service.domain.models import Issue, Location, ParseResult, Row, summarise
from service.domain.models import Location as L
from service.domain.normalize import fold
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.fragments import CARRIED_FORWARD as FORWARD_ROW
from service.domain.rules.fragments import CARRIED_OVER as OVER_ROW  # CARRIED_OVER is the rule
from service.domain.rules.fragments import HEADER_2021, T2, T3, T4, applicants, lines, row, sections, title
from service.domain.sentences import comparable, of_text
from service.domain.template import APP_COLUMNS, row_label

F = "cross-year"

# The examples' two reports: one agency, which prints its name without its city one year.
_LAST, _THIS = "洪泽区人民政府", "淮安市洪泽区人民政府"
_CARRIED = lines(title(_LAST, 2023), T3, applicants(FORWARD_ROW, 3), T4)
_IN_FORCE = lines(title(_LAST, 2023), T2, HEADER_2021, row("规范性文件", 2, 0, 5), T4)
_PROBLEMS = "一是依申请公开答复文书格式不够统一。二是政策解读形式单一，解读材料发布不够及时。"

CARRIED_OVER = rule(
    "carried-over-mismatch", "error", F, "上年结转与上年报告不符",
    "In a column of 表三, this year's 二、上年结转政府信息公开申请数量 differs from last year's "
    "四、结转下年度继续办理 in the previous report sent with the request. `expected` is last "
    "year's figure. Compared only where both cells were read without doubt.",
    "表三「上年结转」行「{column}」列为 {actual}，而{prev_year}年报告「结转下年度继续办理」"
    "为 {expected}，两者应相等。",
    passing=(E(lines(title(_THIS, 2024), T3, applicants(OVER_ROW, 3), T4), previous=_CARRIED),),
    failing=(E(lines(title(_THIS, 2024), T3, applicants(OVER_ROW, 2), T4), previous=_CARRIED, at=(
        L(table="applications", row="carried_over", column="natural_person"),
        L(table="applications", row="carried_over", column="total"))),),
)
IN_FORCE = rule(
    "in-force-discontinuity", "warning", F, "现行有效件数与上年不衔接",
    "In 表二, last year's 现行有效件数 + this year's 本年制发件数 − 本年废止件数 differs from "
    "this year's 现行有效件数 (2021 template, both years). A warning: revisions and expiries "
    "can explain a difference, which the report should then state.",
    "表二「{row}」现行有效件数为 {actual}，而{prev_year}年现行有效 {previous} 件加本年制发 "
    "{issued} 件减本年废止 {repealed} 件为 {expected}；如因修订、失效等原因不一致，请在报告中说明。",
    passing=(E(lines(title(_THIS, 2024), T2, HEADER_2021, row("规范性文件", 3, 0, 8), T4), previous=_IN_FORCE),),
    failing=(E(lines(title(_THIS, 2024), T2, HEADER_2021, row("规范性文件", 3, 0, 9), T4), previous=_IN_FORCE,
               at=(L(table="active_disclosure", row="normative_documents", column="in_force"),)),),
)
PROBLEMS_COPIED = rule(
    "problems-copied", "warning", F, "存在的主要问题与上年雷同",
    "Most sentences of 五、存在的主要问题及改进情况 repeat last year's: after folding width, "
    "spaces and punctuation and replacing every number, a sentence counts as copied when its "
    "rapidfuzz partial_ratio (normalised Indel similarity to the best-aligned stretch of last "
    "year's part) is ≥ 90; the finding is made when at least 2 sentences of 12 or more "
    "characters are compared and at least half of them are copied.",
    "「存在的主要问题及改进情况」{total} 句中有 {copied} 句（{share}%）与{prev_year}年报告雷同，"
    "如：「{first}」。请结合本年度实际情况撰写。",
    passing=(E(lines(title(_THIS, 2024), sections("五"), "一是复杂申请的研判能力不足，协调机制尚需完善。"
                     "二是政务新媒体运维管理还需加强。"), previous=lines(title(_LAST, 2023), sections("五"), _PROBLEMS)),),
    failing=(E(lines(title(_THIS, 2024), sections("五"), _PROBLEMS.replace("不够及时", "还不够及时")),
               previous=lines(title(_LAST, 2023), sections("五"), _PROBLEMS), at=(L(section="problems", line=2),)),),
)
NOT_COMPARABLE = rule(
    "previous-not-comparable", "warning", F, "上年报告无法对照",
    "The previous report sent with the request is not the same agency's report on the year "
    "before (agencies differ, a year is unknown, or the years are not consecutive); the "
    "cross-year rules are skipped.",
    "所附上年报告{reason}，未进行跨年度核对。",
    passing=(E(title(_THIS, 2024), previous=title(_LAST, 2023)),),
    failing=(E(title("沭阳县发展和改革局", 2024), previous=title(_LAST, 2023)),
             E(title(_THIS, 2024), previous=title(_LAST, 2022))),
)

SIMILAR = 90.0  # rapidfuzz ratio from which a sentence counts as copied
MIN_CHARS = 12  # shorter sentences ("一是" fragments) are not compared
MIN_SENTENCES = 2
SHARE = 0.5
MAX_SENTENCES = 200  # sentences compared per report, bounding the work on hostile input
MAX_CHARS = 300  # characters compared per sentence


def compare(current: ParseResult, previous: ParseResult) -> list[Issue]:
    """Every cross-year finding of `current` against `previous`, last year's report."""
    reason = _not_comparable(current, previous)
    if reason is not None:
        return [NOT_COMPARABLE.issue(Location(), reason=reason)]
    issues = list(_carried_over(current, previous))
    issues.extend(_in_force(current, previous))
    issues.extend(_problems(current, previous))
    return issues


def with_previous(current: ParseResult, previous: ParseResult) -> ParseResult:
    """`current` with the cross-year findings added and its summary recounted."""
    issues = [*current.issues, *compare(current, previous)]
    return msgspec.structs.replace(current, issues=issues, summary=summarise(issues))


def _agency(name: str | None) -> str | None:
    return fold(name) if name else None


def _not_comparable(current: ParseResult, previous: ParseResult) -> str | None:
    cy, py = current.meta.year, previous.meta.year
    if cy is None or py is None:
        return "或本报告无法确定年度"
    if py != cy - 1:
        return f"为{py}年度报告，不是本报告（{cy}年度）的上一年度"
    a, b = _agency(current.meta.agency), _agency(previous.meta.agency)
    # One agency's name is often printed with and without its city (洪泽区人民政府 /
    # 淮安市洪泽区人民政府): the same agency when one name ends with the other.
    if a and b and not (a.endswith(b) or b.endswith(a)):
        return f"的机关（{previous.meta.agency}）与本报告（{current.meta.agency}）不同"
    return None


def doubtful(result: ParseResult) -> set[tuple[str | None, str | None, str | None]]:
    """(table, row, column) of cells the reader had doubts about; column None: the row."""
    out: set[tuple[str | None, str | None, str | None]] = set()
    for i in result.issues:
        loc = i.location
        if i.code.startswith("cell-") and i.code != "cell-likely-wrong":
            out.add((loc.table, loc.row, loc.column))
        elif i.code in ("row-duplicate", "row-variant"):
            out.add((loc.table, loc.row, None))
    return out


def _sure(result: ParseResult, table: str, row_key: str, column: str) -> tuple[Row, int] | None:
    t = getattr(result.tables, table)
    row = next((r for r in t.rows if r.key == row_key), None) if t is not None else None
    if row is None:
        return None
    value = row.values.get(column)
    doubt = doubtful(result)
    if not isinstance(value, int) or (table, row_key, column) in doubt or (table, row_key, None) in doubt:
        return None
    return row, value


def _location(table: str, row: Row, column: str) -> Location:
    return Location(section=table, table=table, row=row.key, column=column, line=row.line)  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal


def _carried_over(current: ParseResult, previous: ParseResult) -> Iterator[Issue]:
    t = "applications"
    for col in APP_COLUMNS:
        now = _sure(current, t, "carried_over", col.key)
        before = _sure(previous, t, "carried_forward", col.key)
        if now is None or before is None or now[1] == before[1]:
            continue
        yield CARRIED_OVER.issue(
            _location(t, now[0], col.key), expected=before[1], actual=now[1],
            column=col.label, prev_year=previous.meta.year,
        )


def _in_force(current: ParseResult, previous: ParseResult) -> Iterator[Issue]:
    if current.template != "2021" or previous.template != "2021":
        return
    t = "active_disclosure"
    for row_key in ("regulations", "normative_documents"):
        cells = [_sure(current, t, row_key, c) for c in ("issued", "repealed", "in_force")]
        before = _sure(previous, t, row_key, "in_force")
        if before is None or any(c is None for c in cells):
            continue
        issued, repealed, now = (c[1] for c in cells if c is not None)
        expected = before[1] + issued - repealed
        if expected != now:
            row = cells[2][0]  # type: ignore[index]  # cells[2] is not None: the any() above says so
            yield IN_FORCE.issue(
                _location(t, row, "in_force"), expected=expected, actual=now,
                row=row_label(t, row_key, current.template), prev_year=previous.meta.year,
                previous=before[1], issued=issued, repealed=repealed,
            )


def _problem_sentences(result: ParseResult) -> list[tuple[str, str]]:
    """(as printed, as compared) of the problems part's sentences long enough to compare."""
    section = next((s for s in result.sections if s.key == "problems"), None)
    if section is None:
        return []
    out = []
    for s in of_text(section.text)[:MAX_SENTENCES]:
        key = comparable(s.text)[:MAX_CHARS]
        if len(key) >= MIN_CHARS:
            out.append((s.text.strip(), key))
    return out


def _problems(current: ParseResult, previous: ParseResult) -> Iterator[Issue]:
    now, before = _problem_sentences(current), _problem_sentences(previous)
    if len(now) < MIN_SENTENCES or not before:
        return
    # Against last year's part as one text: a sentence split or merged in the copy still
    # matches a stretch of it (partial_ratio: the best-aligned substring of equal length).
    last_year = "".join(key for _, key in before)
    copied = [text for text, key in now if fuzz.partial_ratio(key, last_year) >= SIMILAR]
    if not copied or len(copied) / len(now) < SHARE:
        return
    section = next(s for s in current.sections if s.key == "problems")
    yield PROBLEMS_COPIED.issue(
        Location(section="problems", line=section.line),
        total=len(now), copied=len(copied), share=round(100 * len(copied) / len(now)),
        first="」「".join(c[:60] for c in copied[:2]), prev_year=previous.meta.year,
    )


__all__ = ["MAX_SENTENCES", "compare", "doubtful", "with_previous"]

