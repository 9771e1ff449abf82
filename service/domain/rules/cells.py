"""Cell rules: what a single cell holds.

Each rule carries its passing and failing report fragments (`passing=`, `failing=`),
served by `GET /v1/rules`, printed in the README and run as tests.
"""

from __future__ import annotations

from collections.abc import Iterator

from service.domain.cells import CellRead
from service.domain.facts import Facts, cell_location
from service.domain.models import Issue
from service.domain.models import Location as L
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.fragments import T2, lines, row
from service.domain.rules.checks import System
from service.domain.tables import RawTable
from service.domain.template import TableDef, column_label, row_label, template_of

F = "cells"

NOT_NUMBER = rule(
    "cell-not-number", "error", F, "单元格不是数字",
    "A cell of a statistical table holds text that is not a number.",
    "{table}「{row}」行「{column}」列应填写阿拉伯数字，实为「{raw}」。",
    passing=(E(lines(T2, row("行政许可", '12')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
    failing=(E(lines(T2, row("行政许可", '十二')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
)
NEGATIVE = rule(
    "cell-negative", "error", F, "单元格为负数",
    "A count or amount is negative; only the 2019 template's 本年增/减 column may be.",
    "{table}「{row}」行「{column}」列不能为负数，实为 {raw}。",
    passing=(E(lines(T2, row("行政许可", '3')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
    failing=(E(lines(T2, row("行政许可", '-3')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
)
FRACTION = rule(
    "cell-fraction", "error", F, "件数含小数",
    "A count (件数, 数量) has a fractional part.",
    "{table}「{row}」行「{column}」列是件数，应为整数，实为 {raw}。",
    passing=(E(lines(T2, row("行政处罚", '2')), at=(L(table="active_disclosure", row="punishment", column="decisions"),)),),
    failing=(E(lines(T2, row("行政处罚", '2.5')), at=(L(table="active_disclosure", row="punishment", column="decisions"),)),),
)
PRECISION = rule(
    "cell-precision", "warning", F, "金额小数位过多",
    "An amount has more than the four decimal places the template asks for (万元, 保留4位小数).",
    "{table}「{row}」行「{column}」列金额 {raw} 超过4位小数，按年报格式应以万元为单位保留4位小数。",
    passing=(E(lines(T2, row("行政事业性收费", '12.1234')), at=(L(table="active_disclosure", row="fees", column="amount"),)),),
    failing=(E(lines(T2, row("行政事业性收费", '12.123456')), at=(L(table="active_disclosure", row="fees", column="amount"),)),),
)
UNIT = rule(
    "cell-unit", "info", F, "单元格内写有单位",
    "A cell holds a unit beside its number (5件); the number is read, the unit belongs in "
    "the column header.",
    "{table}「{row}」行「{column}」列写有单位「{unit}」，已按数字 {value} 读取；单位应写在表头中。",
    passing=(E(lines(T2, row("行政许可", '5')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
    failing=(E(lines(T2, row("行政许可", '5件')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
)
UNIT_MISMATCH = rule(
    "cell-unit-mismatch", "warning", F, "单元格单位与表头不符",
    "An amount cell states a unit other than the one its header states (元 in a 万元 column); "
    "the number is reported as printed, not converted.",
    "{table}「{row}」行「{column}」列写作「{raw}」，单位为{unit}，而表头单位为{header_unit}，"
    "请换算为{header_unit}填写。",
    passing=(E(lines(T2, "信息内容\t本年收费金额（单位：万元）", row("行政事业性收费", '25.1')), at=(L(table="active_disclosure", row="fees", column="amount"),)),),
    failing=(E(lines(T2, "信息内容\t本年收费金额（单位：万元）", row("行政事业性收费", '251000元')), at=(L(table="active_disclosure", row="fees", column="amount"),)),),
)
BLANK = rule(
    "cell-blank", "warning", F, "单元格空白",
    "A cell is empty (nothing, &nbsp;, —, /). A blank is never read as 0; where the table's "
    "cross-checks determine the cell, the message and `expected` say what it must be.",
    "{table}「{row}」行「{column}」列为空白{implication}",
    passing=(E(lines(T2, row("行政许可", '0')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
    failing=(E(lines(T2, row("行政许可", '—')), at=(L(table="active_disclosure", row="licensing", column="decisions"),)),),
)


def unsure(read: CellRead) -> bool:
    """Whether this family reports the cell: not a plain number (blank, text, negative, a
    fraction, too precise) or with a unit. The narrative rules leave such a cell alone."""
    return read.status != "ok" or bool(read.unit)


def check(facts: Facts, system: System) -> Iterator[Issue]:
    for tdef in template_of(facts.template).tables:
        table = facts.table(tdef.key)
        if table is not None:
            yield from _table(facts, system, tdef, table)


def _table(facts: Facts, system: System, tdef: TableDef, table: RawTable) -> Iterator[Issue]:
    key = tdef.key
    for raw_row in table.rows:
        rlabel = None
        for col, read in raw_row.cells.items():
            if not unsure(read):
                continue  # most cells: nothing to say, so no location or message to build
            source = raw_row.where.get(col)
            if source is not None and source.reading == "ambiguous":
                continue  # left null by the reader: `table-reading-ambiguous` says where and why
            if rlabel is None:
                rlabel = row_label(key, raw_row.key, facts.template)
            loc = cell_location(key, raw_row, col)
            params = dict(
                table=tdef.short, row=rlabel,
                column=column_label(key, raw_row.key, col, facts.template), raw=read.raw.strip(),
            )
            if read.status == "not_number":
                yield NOT_NUMBER.issue(loc, actual=read.raw.strip(), **params)
            elif read.status == "negative":
                yield NEGATIVE.issue(loc, actual=read.value, **params)
            elif read.status == "fraction":
                yield FRACTION.issue(loc, actual=read.raw.strip(), **params)
            elif read.status == "precision":
                yield PRECISION.issue(loc, actual=read.value, **params)
            elif read.status == "blank":
                implied = system.implied_value((key, raw_row.key, col))
                if implied is not None:
                    text = f"；按表内核对关系，该格应为 {implied}，请填写。"
                elif system.is_unknown((key, raw_row.key, col)):
                    text = "，且无法由表内核对关系确定，请填写数字（没有的填 0）。"
                else:
                    text = "，请填写数字（没有的填 0）。"
                yield BLANK.issue(loc, expected=implied, **params, implication=text)
            if read.unit and read.status != "not_number":
                if raw_row.unit and read.unit != raw_row.unit:
                    yield UNIT_MISMATCH.issue(
                        loc, actual=read.raw.strip(), **params, unit=read.unit, header_unit=raw_row.unit
                    )
                else:
                    yield UNIT.issue(loc, **params, unit=read.unit, value=read.value)
