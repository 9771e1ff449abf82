"""Cell rules: what a single cell holds.

Rules and their examples (passing → failing):

* cell-not-number: 12 → 十二, 12件件, O (a letter).
* cell-negative: 3 → -3 (only the 2019 本年增/减 column may be negative).
* cell-fraction: 3 in a count → 2.5.
* cell-precision: 7730.28 万元 → 7730.281234 (more than four decimal places).
* cell-unit: 5 → 5件 (read as 5; the unit belongs in the header).
* cell-unit-mismatch: 25.1 in a 万元 column → 251000元.
* cell-blank: 0 → an empty cell, &nbsp;, — or /; the message says what the cross-checks
  make of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from service.domain.facts import Facts, cell_location
from service.domain.models import Issue
from service.domain.rules.catalogue import rule
from service.domain.rules.checks import System
from service.domain.tables import RawTable
from service.domain.template import TableDef, column_label, row_label, template_of

F = "cells"

NOT_NUMBER = rule(
    "cell-not-number", "error", F, "单元格不是数字",
    "A cell of a statistical table holds text that is not a number.",
    "{table}「{row}」行「{column}」列应填写阿拉伯数字，实为「{raw}」。",
)
NEGATIVE = rule(
    "cell-negative", "error", F, "单元格为负数",
    "A count or amount is negative; only the 2019 template's 本年增/减 column may be.",
    "{table}「{row}」行「{column}」列不能为负数，实为 {raw}。",
)
FRACTION = rule(
    "cell-fraction", "error", F, "件数含小数",
    "A count (件数, 数量) has a fractional part.",
    "{table}「{row}」行「{column}」列是件数，应为整数，实为 {raw}。",
)
PRECISION = rule(
    "cell-precision", "warning", F, "金额小数位过多",
    "An amount has more than the four decimal places the template asks for (万元, 保留4位小数).",
    "{table}「{row}」行「{column}」列金额 {raw} 超过4位小数，按年报格式应以万元为单位保留4位小数。",
)
UNIT = rule(
    "cell-unit", "info", F, "单元格内写有单位",
    "A cell holds a unit beside its number (5件); the number is read, the unit belongs in "
    "the column header.",
    "{table}「{row}」行「{column}」列写有单位「{unit}」，已按数字 {value} 读取；单位应写在表头中。",
)
UNIT_MISMATCH = rule(
    "cell-unit-mismatch", "warning", F, "单元格单位与表头不符",
    "An amount cell states a unit other than the one its header states (元 in a 万元 column); "
    "the number is reported as printed, not converted.",
    "{table}「{row}」行「{column}」列写作「{raw}」，单位为{unit}，而表头单位为{header_unit}，"
    "请换算为{header_unit}填写。",
)
BLANK = rule(
    "cell-blank", "warning", F, "单元格空白",
    "A cell is empty (nothing, &nbsp;, —, /). A blank is never read as 0; where the table's "
    "cross-checks determine the cell, the message and `expected` say what it must be.",
    "{table}「{row}」行「{column}」列为空白{implication}",
)


def check(facts: Facts, system: System) -> Iterator[Issue]:
    for tdef in template_of(facts.template).tables:
        table = facts.table(tdef.key)
        if table is not None:
            yield from _table(facts, system, tdef, table)


def _table(facts: Facts, system: System, tdef: TableDef, table: RawTable) -> Iterator[Issue]:
    key = tdef.key
    for row in table.rows:
        rlabel = None
        for col, read in row.cells.items():
            if read.status == "ok" and not read.unit:
                continue  # most cells: nothing to say, so no location or message to build
            if rlabel is None:
                rlabel = row_label(key, row.key, facts.template)
            loc = cell_location(key, row, col)
            params = dict(
                table=tdef.short, row=rlabel,
                column=column_label(key, row.key, col, facts.template), raw=read.raw.strip(),
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
                implied = system.implied_value((key, row.key, col))
                if implied is not None:
                    text = f"；按表内核对关系，该格应为 {implied}，请填写。"
                elif system.is_unknown((key, row.key, col)):
                    text = "，且无法由表内核对关系确定，请填写数字（没有的填 0）。"
                else:
                    text = "，请填写数字（没有的填 0）。"
                yield BLANK.issue(loc, expected=implied, **params, implication=text)
            if read.unit and read.status != "not_number":
                if row.unit and read.unit != row.unit:
                    yield UNIT_MISMATCH.issue(
                        loc, actual=read.raw.strip(), **params, unit=read.unit, header_unit=row.unit
                    )
                else:
                    yield UNIT.issue(loc, **params, unit=read.unit, value=read.value)
