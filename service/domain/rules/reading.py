"""The reader's own word on a table it could not read for sure (issue 10).

Where a table's text admits several readings and neither the layout nor the template's
cross-checks single one out, the reader leaves the cells null (never a guessed number) and
says so here: one warning per such place, naming it and why. The checks that rest on those
cells are not made (`rules.arithmetic`), and no `cell-blank` is given for them.
"""

from __future__ import annotations

from collections.abc import Iterator

from service.domain.confidence import UnsureCell, unsure_cells
from service.domain.facts import Facts, cell_location
from service.domain.models import Issue
from service.domain.models import Location as L
from service.domain.rules.catalogue import Example as E
from service.domain.rules.catalogue import rule
from service.domain.rules.checks import System
from service.domain.rules.fragments import T4, lines
from service.domain.template import row_label, template_of

F = "cells"

# 表四's fifteen numbers on one line, and a sixteenth: which fifteen are the table's?
_SIXTEEN = "\t".join(map(str, (1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7)))
_FIFTEEN_AND_PAGE = "\t".join(map(str, (4, 1, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 2, 2)))

AMBIGUOUS = rule(
    "table-reading-ambiguous", "warning", F, "表格读法无法确定",
    "The table's text admits several readings here (a run of numbers longer than its cells, "
    "value rows that lost their labels …) and neither the layout nor the template's "
    "cross-checks single one out. The cells stay null instead of guessed, and the checks that "
    "rest on them are not made. One finding per place.",
    "{table}「{rows}」共 {count} 个单元格无法确定读法：{why}。这些单元格未读取（留空），"
    "涉及它们的核对未进行，请对照原表核实。",
    passing=(E(lines(T4, "行政复议\t行政诉讼", _FIFTEEN_AND_PAGE)),),
    failing=(E(lines(T4, "行政复议\t行政诉讼", _SIXTEEN), at=(L(table="reviews_litigation", row="review"),)),),
)


def check(facts: Facts, system: System) -> Iterator[Issue]:
    """One warning per place read as ambiguous: a run of such cells with the same reason."""
    for tdef in template_of(facts.template).tables:
        table = facts.table(tdef.key)
        if table is None:
            continue
        for place in _places([c for c in unsure_cells(table) if c.reading == "ambiguous"]):
            first = place[0]
            rows = "、".join(dict.fromkeys(row_label(tdef.key, c.row, facts.template) for c in place))
            raw_row = table.row(first.row)
            assert raw_row is not None  # unsure_cells walks the table's own rows
            yield AMBIGUOUS.issue(
                cell_location(tdef.key, raw_row, first.column),
                table=tdef.short, rows=rows, count=len(place), why=first.why,
            )


def _places(cells: list[UnsureCell]) -> list[list[UnsureCell]]:
    """Consecutive ambiguous cells (reading order) with the same reason, as one place each."""
    places: list[list[UnsureCell]] = []
    for cell in cells:
        if places and places[-1][-1].why == cell.why:
            places[-1].append(cell)
        else:
            places.append([cell])
    return places


__all__ = ["AMBIGUOUS", "check"]
