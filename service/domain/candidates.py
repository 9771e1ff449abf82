"""Choosing between candidate readings of a broken table (issue 10).

Where a table's text admits more than one reading (a run of numbers longer than the cells it
must fill, value rows that lost their labels), the readers build the few candidate readings
of one place (a run, a gap between two rows that have their labels) and keep the one the
template's own cross-checks support. The checks are evidence for the reading first, findings
against the chosen reading second. Every candidate set is local, so reading stays linear.

A reading chosen this way is marked on its cells (`Cell.reading` "inferred"); where no single
reading is supported, the cells are marked "ambiguous" and are read as null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec

from service.domain.cells import read_cell
from service.domain.document import Cell
from service.domain.template import OUTCOME, TableDef

Reading = Literal["inferred", "ambiguous"]
Grid = Mapping[str, Mapping[str, Cell | None]]  # row key → column key → source cell


def _number(cell: Cell | None) -> int | None:
    if cell is None or cell.reading == "ambiguous":
        return None
    value = read_cell(cell.text).value
    return value if isinstance(value, int) else None


def _sum(values: Sequence[int | None]) -> int | None:
    return None if None in values else sum(v for v in values if v is not None)


def check_votes(table: TableDef, grid: Grid) -> tuple[int, int]:
    """(checks that hold, checks that fail) of the table's declared checks over the rows of
    `grid`; a check with a cell that is not a number, or a row not in `grid`, is not counted."""
    holds = fails = 0
    for left, right in _check_sides(table, grid):
        a, b = _sum([_number(c) for c in left]), _sum([_number(c) for c in right])
        if a is None or b is None:
            continue
        holds += a == b
        fails += a != b
    return holds, fails


def _check_sides(table: TableDef, grid: Grid) -> list[tuple[list[Cell | None], list[Cell | None]]]:
    """The two sides of every instance of the table's checks over the rows in `grid`."""
    sides: list[tuple[list[Cell | None], list[Cell | None]]] = []
    outcome = [r.key for r in table.rows if r.outcome and r.key in grid]
    for check in table.checks:
        if check.along == "row":
            right = () if check.right == OUTCOME else check.right
            for cells in grid.values():
                sides.append(([cells.get(c) for c in check.left], [cells.get(c) for c in right]))
            continue
        right_rows = outcome if check.right == OUTCOME else list(check.right)
        rows = [*check.left, *right_rows]
        if not right_rows or any(r not in grid for r in rows):
            continue
        for col in table.columns:
            sides.append(([grid[r].get(col.key) for r in check.left], [grid[r].get(col.key) for r in right_rows]))
    return sides


def marked(cells: Sequence[Cell | None], reading: Reading, why: str) -> list[Cell | None]:
    """The cells with their reading said: "inferred" or "ambiguous" (read as null)."""
    return [None if c is None else msgspec.structs.replace(c, reading=reading, why=why) for c in cells]


__all__ = ["Grid", "Reading", "check_votes", "marked"]
