"""Arithmetic rules: the cross-checks of 表三 and 表四, and the diagnosis of a wrong cell.

Each rule carries its passing and failing report fragments (`passing=`, `failing=`),
served by `GET /v1/rules`, printed in the README and run as tests.

The checks themselves are declared with their tables (`template.Check`); a failed one is
reported by the rule of its code. cell-likely-wrong: one wrong cell breaks its row check
and its column check(s) with the same difference; instead of those findings the clerk
gets the cell and the value that makes all of them add up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

import msgspec

from service.domain.confidence import readings
from service.domain.facts import Facts, cell_location
from service.domain.models import Issue, Location
from service.domain.models import Location as L
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import RULES, rule
from service.domain.rules.fragments import CARRIED_FORWARD, CARRIED_OVER, NEW, T3, T4, TOTAL, applicants, lines, row
from service.domain.rules.checks import CellKey, Equation, System
from service.domain.template import column_label, row_label, table_def

F = "arithmetic"

ROW_TOTAL = rule(
    "row-total-mismatch", "error", F, "行合计不符",
    "In 表三 a row's 总计 is not the sum of its six applicant columns (自然人, 商业企业, "
    "科研机构, 社会公益组织, 法律服务机构, 其他).",
    "{table}「{row}」行「总计」列应为 {expected}（各类申请人之和），实为 {actual}。",
    passing=(E(lines(T3, row(NEW, 2, 1, 0, 0, 0, 0, 3))),),
    failing=(E(lines(T3, row(NEW, 2, 1, 0, 0, 0, 0, 4)), at=(L(table="applications", row="new_received", column="total"),)),),
)
BALANCE = rule(
    "balance-mismatch", "error", F, "勾稽关系不符",
    "In a column of 表三, 本年新收 + 上年结转 differs from （七）总计 + 结转下年度继续办理 "
    "(the template's printed 勾稽关系).",
    "{table}「{column}」列勾稽关系不成立：本年新收与上年结转之和为 {expected}，"
    "而办理结果总计与结转下年度之和为 {actual}，两者应相等。",
    passing=(E(lines(T3, applicants(NEW, 5), applicants(CARRIED_OVER, 1), applicants(TOTAL, 4), applicants(CARRIED_FORWARD, 2))),),
    failing=(E(lines(T3, applicants(NEW, 5), applicants(CARRIED_OVER, 1), applicants(TOTAL, 4), applicants(CARRIED_FORWARD, 1)), at=(L(table="applications", column="natural_person"), L(table="applications", column="total"))),),
)
OUTCOME_TOTAL = rule(
    "outcome-total-mismatch", "error", F, "办理结果总计不符",
    "In a column of 表三, （七）总计 is not the sum of the outcome rows （一） to （六）.",
    "{table}「（七）总计」行「{column}」列应为 {expected}（各项办理结果之和），实为 {actual}。",
    passing=(E(lines(T3, applicants("（一）予以公开", 3), applicants("（二）部分公开", 1), applicants(TOTAL, 4))),),
    failing=(E(lines(T3, applicants("（一）予以公开", 3), applicants("（二）部分公开", 1), applicants(TOTAL, 5)), at=(L(table="applications", row="total", column="natural_person"),)),),
)
REVIEW_TOTAL = rule(
    "review-total-mismatch", "error", F, "复议诉讼总计不符",
    "In 表四 a row's 总计 is not 结果维持 + 结果纠正 + 其他结果 + 尚未审结.",
    "{table}「{row}」的「总计」应为 {expected}（维持、纠正、其他结果、尚未审结之和），实为 {actual}。",
    passing=(E(lines(T4, row("行政复议", 1, 1, 0, 0, 2), row("未经复议直接起诉", 0, 0, 0, 0, 0))),),
    failing=(E(lines(T4, row("行政复议", 1, 1, 0, 0, 3), row("未经复议直接起诉", 0, 0, 0, 0, 0)), at=(L(table="reviews_litigation", row="review", column="total"),)),),
)
# 表三's header with a 小计 column after the five 法人或其他组织 columns.
_SUBTOTAL_HEADER = "\t".join(("", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", "总计"))
SUBTOTAL = rule(
    "row-subtotal-mismatch", "error", F, "行小计不符",
    "In a 表三 printed with a 小计 column, a row's 小计 is not the sum of the five 法人或其他组织 "
    "columns (商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他).",
    "{table}「{row}」行「小计」列应为 {expected}（法人或其他组织各列之和），实为 {actual}。",
    passing=(E(lines(T3, _SUBTOTAL_HEADER, row(NEW, 2, 1, 0, 0, 0, 0, 1, 3))),),
    failing=(E(lines(T3, _SUBTOTAL_HEADER, row(NEW, 2, 1, 0, 0, 0, 0, 2, 3)), at=(L(table="applications", row="new_received", column="subtotal"),)),),
)
LIKELY_WRONG = rule(
    "cell-likely-wrong", "error", "diagnosis", "可定位的错误单元格",
    "Several cross-checks fail and one cell explains all of them: changing that cell to "
    "`expected` makes every one of them hold. Reported instead of those checks' findings.",
    "{table}「{row}」行「{column}」列应为 {expected}，实为 {actual}：改正后{checks}均可核对一致。",
    passing=(E(lines(T3, applicants(NEW, 5), applicants(CARRIED_OVER, 1), applicants(TOTAL, 4), applicants(CARRIED_FORWARD, 2))),),
    failing=(E(lines(T3, applicants(NEW, 6, 5), applicants(CARRIED_OVER, 1), applicants(TOTAL, 4), applicants(CARRIED_FORWARD, 2)), at=(L(table="applications", row="new_received", column="natural_person"),)),),
)

class Failures(NamedTuple):
    """The cross-checks of a report that fail, and the cells the diagnosis pins them on."""

    failed: dict[int, tuple[Equation, int, int]]  # by equation number: (equation, left, right)
    wrong: list[tuple[int, int, set[int]]]  # (cell, the value that makes its checks hold, those checks)
    # By equation number: how sure the reading of the cells it rests on is (exact, inferred).
    sureness: dict[int, str]


def failures(facts: Facts, system: System) -> Failures:
    """What this family reports, before it is worded (the narrative rules read it too)."""
    sums, unequal = system.evaluate()  # the sums once: the diagnosis needs them too
    if not unequal:  # the usual report: nothing to diagnose or report
        return Failures({}, [], {})
    equations = system.equations
    unsure = readings(facts.tables)
    sureness = {n: _sureness(system, equations[n], unsure) for n in unequal}
    # A check resting on a cell left null as ambiguous says nothing about the report.
    failed = {
        n: (equations[n], left, right) for n, (left, right) in unequal.items() if sureness[n] != "ambiguous"
    }
    return Failures(failed, _diagnose(system, sums, failed), sureness)


def check(facts: Facts, system: System) -> Iterator[Issue]:
    found = failures(facts, system)
    equations = system.equations
    explained: set[int] = set()
    for cell, value, eq_ids in found.wrong:
        explained |= eq_ids
        issue = _likely_wrong(
            facts, system.skeleton.cells[cell], system.printed[cell], value,  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            [equations[i] for i in sorted(eq_ids)],
        )
        yield _tempered(issue, any(found.sureness[i] == "inferred" for i in eq_ids))
    for n, (eq, left, right) in found.failed.items():
        if n not in explained:
            yield _tempered(_mismatch(facts, eq, left, right), found.sureness[n] == "inferred")


def _sureness(system: System, eq: Equation, unsure: Mapping[CellKey, str]) -> str:
    """How sure the reading of the cells a check rests on is: the least sure of them."""
    kinds = {unsure.get(system.skeleton.cells[i]) for i, _ in eq.terms}
    if "ambiguous" in kinds:
        return "ambiguous"
    return "inferred" if "inferred" in kinds else "exact"


# Said after the message of a finding that rests on a cell the reader inferred.
_INFERRED_NOTE = "（该项核对涉及从版式推断读取的单元格，仅作提示，请对照原表核实。）"


def _tempered(issue: Issue, inferred: bool) -> Issue:
    """An arithmetic finding is an error only when every cell it rests on was read exactly:
    one resting on an inferred cell is a warning (the reading may be what is wrong)."""
    if not inferred or issue.severity != "error":
        return issue
    return msgspec.structs.replace(issue, severity="warning", message=issue.message + _INFERRED_NOTE)


def _diagnose(
    system: System,
    sums: list[tuple[int, int] | None],
    failed: dict[int, tuple[Equation, int, int]],
) -> list[tuple[int, int, set[int]]]:
    """Cells whose correction alone makes every check they take part in hold.

    A cell qualifies when at least two evaluable checks contain it, all of them fail, and
    they all ask for the same correction. A set of failed checks is pinned on a cell only
    when exactly one cell explains it; otherwise the findings stay as they are.
    """
    # Only a cell of a failed check can have all its checks failed.
    suspects = sorted({i for eq, _, _ in failed.values() for i, _ in eq.terms})
    candidates: dict[frozenset[int], list[tuple[int, int]]] = {}
    for i in suspects:
        printed = system.printed[i]
        if printed is None:
            continue
        eqs = [(n, coeff) for n, coeff in system.skeleton.membership[i] if sums[n] is not None]
        if len(eqs) < 2 or any(n not in failed for n, _ in eqs):
            continue
        deltas = set()
        for n, coeff in eqs:
            _, left, right = failed[n]
            deltas.add(-(left - right) * coeff)
        if len(deltas) != 1:
            continue
        (delta,) = deltas
        if printed + delta < 0:
            continue
        candidates.setdefault(frozenset(n for n, _ in eqs), []).append((i, printed + delta))
    out: list[tuple[int, int, set[int]]] = []
    used: set[int] = set()
    for eq_ids in sorted(candidates, key=lambda s: (-len(s), sorted(s))):
        cells = candidates[eq_ids]
        if len(cells) != 1 or eq_ids & used:
            continue
        used |= eq_ids
        out.append((cells[0][0], cells[0][1], set(eq_ids)))
    return out


def _names(facts: Facts, eq: Equation) -> dict[str, str]:
    return {
        "table": table_def(eq.table, facts.template).short,
        "row": row_label(eq.table, eq.row, facts.template) if eq.row else "",
        "column": column_label(eq.table, eq.row or "", eq.column, facts.template) if eq.column else "",
    }


def _likely_wrong(
    facts: Facts, cell: CellKey, printed: int, value: int, eqs: list[Equation]
) -> Issue:
    table_key, row_key, col = cell
    table = facts.table(table_key)
    row = table.row(row_key) if table else None
    loc = cell_location(table_key, row, col) if row else Location(table=table_key, row=row_key, column=col)  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
    checks = "、".join(eq.check.name.format(**_names(facts, eq)) for eq in eqs)
    return LIKELY_WRONG.issue(
        loc,
        expected=value,
        actual=printed,
        table=table_def(table_key, facts.template).short,
        row=row_label(table_key, row_key, facts.template),
        column=column_label(table_key, row_key, col, facts.template),
        checks=checks,
    )


def _mismatch(facts: Facts, eq: Equation, left: int, right: int) -> Issue:
    names = _names(facts, eq)
    table = facts.table(eq.table)
    anchor_row = eq.row or eq.check.near or ""
    row = table.row(anchor_row) if table else None
    if row is not None and eq.row is not None:
        loc = cell_location(eq.table, row, eq.column)
    else:
        loc = Location(
            section=eq.table, table=eq.table, column=eq.column,  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            line=row.line if row else None,
        )
    expected, actual = (left, right) if eq.check.expected == "left" else (right, left)
    return RULES[eq.code].issue(loc, expected=expected, actual=actual, **names)
