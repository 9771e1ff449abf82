"""Rollup rules: a summary report (a county's report for all its departments) against the
reports it sums, all as parsed. A pure function (`compare`) of the `ParseResult`s.

Every cell of the three tables is compared where the summary and every part print a number
the reader is sure of (`crossyear.sure_value`): counts as integers, amounts as decimals.
A cell any part leaves blank, unread or unprinted is skipped, never guessed; how many were
skipped is said (rollup-cells-skipped), so silence is never mistaken for agreement.

Each rule carries its passing and failing examples (`passing=`, `failing=`): a summary
report fragment with the fragments it sums (`parts`), served by `GET /v1/rules`, printed in
the README and run as tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import msgspec

from service.domain.models import CellValue, Issue, Location, ParseResult, Row
from service.domain.models import Location as L
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.crossyear import doubtful
from service.domain.rules.fragments import NEW, T3, T4, applicants, lines, title
from service.domain.rules.fragments import row as printed_row
from service.domain.template import column_label, row_label, table_def, template_of

F = "rollup"


def _report(agency: str, new_received: str, year: int = 2024) -> str:
    """An example's report: 表三's 本年新收 row (`applicants`, `printed_row`) under its title."""
    return lines(title(agency, year), T3, new_received, T4)


# The examples' summary of 7 applications over two departments' 3 and 4.
_PARTS = (_report("示例县教育局", applicants(NEW, 3)), _report("示例县民政局", applicants(NEW, 4)))
_SUMMARY = _report("示例县人民政府", applicants(NEW, 7))

MISMATCH = rule(
    "rollup-mismatch", "error", F, "汇总数与下级报告之和不符",
    "A cell of the summary report differs from the sum of the same cell over the reports it "
    "sums. `expected` is the parts' sum, `actual` the summary's figure.",
    "汇总报告{table}「{row}」行「{column}」列为 {actual}，而 {parts} 份下级报告该格之和为 {expected}。",
    passing=(E(_SUMMARY, parts=_PARTS),),
    failing=(E(_report("示例县人民政府", applicants(NEW, 8)), parts=_PARTS, at=(
        L(table="applications", row="new_received", column="natural_person"),
        L(table="applications", row="new_received", column="total"))),),
)
NOT_COMPARABLE = rule(
    "rollup-not-comparable", "warning", F, "下级报告无法汇总对照",
    "A part is on another year or another template than the summary report (or a year is "
    "unknown), so its cells cannot be summed with the others; the rollup comparison is skipped.",
    "{which}{reason}，未进行汇总核对。",
    passing=(E(_SUMMARY, parts=_PARTS),),
    failing=(E(_SUMMARY, parts=(_PARTS[0], _report("示例县民政局", applicants(NEW, 4), 2023))),),
)
SKIPPED = rule(
    "rollup-cells-skipped", "info", F, "部分单元格未作汇总核对",
    "Cells the summary prints but that could not be compared because the summary or a part "
    "leaves them blank, prints text, lacks the row, or was read with doubt.",
    "汇总报告有 {count} 个单元格因汇总报告或下级报告该格空白、无法识别或缺行而未核对，如{first}。",
    passing=(E(_SUMMARY, parts=_PARTS),),
    failing=(E(_SUMMARY, parts=(_PARTS[0], _report("示例县民政局", printed_row(NEW, 4, "", 0, 0, 0, 0, 4)))),),
)


def _number(value: CellValue) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(value) if isinstance(value, str) else Decimal(int(value))
    except InvalidOperation:
        return None


class _Reader(msgspec.Struct):
    result: ParseResult
    doubt: set[tuple[str | None, str | None, str | None]]

    def value(self, table: str, row_key: str, column: str) -> Decimal | None:
        if {(table, row_key, column), (table, row_key, None)} & self.doubt:
            return None
        t = getattr(self.result.tables, table)
        row = next((r for r in t.rows if r.key == row_key), None) if t is not None else None
        return None if row is None else _number(row.values.get(column))


def _not_comparable(summary: ParseResult, parts: list[ParseResult]) -> Iterator[Issue]:
    if summary.meta.year is None:
        yield NOT_COMPARABLE.issue(Location(), which="汇总报告", reason="无法确定年度")
        return
    for n, part in enumerate(parts, start=1):
        if part.meta.year is None:
            reason = "无法确定年度"
        elif part.meta.year != summary.meta.year:
            reason = f"为{part.meta.year}年度报告，而汇总报告为{summary.meta.year}年度"
        elif part.template != summary.template:
            reason = f"使用{part.template}年格式，而汇总报告使用{summary.template}年格式"
        else:
            continue
        yield NOT_COMPARABLE.issue(Location(), which=f"第{n}份下级报告", reason=reason)


def compare(summary: ParseResult, parts: list[ParseResult]) -> list[Issue]:
    """Every rollup finding of `summary` against the reports it sums."""
    refused = list(_not_comparable(summary, parts))
    if refused or not parts:
        return refused
    top = _Reader(summary, doubtful(summary))
    readers = [_Reader(p, doubtful(p)) for p in parts]
    issues: list[Issue] = []
    skipped: list[str] = []
    for table in (t.key for t in template_of(summary.template).tables):
        t = getattr(summary.tables, table)
        for row in t.rows if t is not None else []:
            for column in row.values:
                found = _cell(top, readers, table, row, column, summary.template)
                if isinstance(found, Issue):
                    issues.append(found)
                elif found is not None:
                    skipped.append(found)
    if skipped:
        issues.append(SKIPPED.issue(Location(), count=len(skipped), first="、".join(skipped[:3])))
    return issues


def _cell(top: _Reader, parts: list[_Reader], table: str, row: Row, column: str,
          template: str) -> Issue | str | None:
    """The finding of one cell, its name when it could not be compared, None when it agrees."""
    actual = top.value(table, row.key, column)
    values = [p.value(table, row.key, column) for p in parts]
    rlabel, clabel = row_label(table, row.key, template), column_label(table, row.key, column, template)
    if actual is None or any(v is None for v in values):
        return f"{table_def(table).short}「{rlabel}」「{clabel}」"
    expected = sum((v for v in values if v is not None), Decimal(0))
    if expected == actual:
        return None
    amount = isinstance(row.values.get(column), str)
    return MISMATCH.issue(
        Location(section=table, table=table, row=row.key, column=column, line=row.line),  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
        expected=_plain(expected, amount), actual=_plain(actual, amount),
        table=table_def(table).short, row=rlabel, column=clabel, parts=len(parts),
    )


def _plain(d: Decimal, amount: bool) -> int | str:
    """A count as an int, an amount as its decimal string (as tables give them)."""
    return format(d, "f") if amount else int(d)


__all__ = ["compare"]
