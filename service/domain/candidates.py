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
from itertools import pairwise
from typing import Literal, NamedTuple

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




# ------------------------------------------------------------------ value rows without labels


class Unit(NamedTuple):
    """The value cells of one block (a printed row) of a labelled table, where they are read."""

    seq: int  # its place in reading order, among units and labelled rows
    cells: list[Cell]
    filled: int  # how many are not blank

    def lone(self, n_cols: int) -> bool:
        """Fewer cells than half the row's columns: a page number, a footer, a stray cell."""
        return 2 * len(self.cells) < n_cols


class Placed(NamedTuple):
    """A row recognised by its label: with its values in the label's own block (an anchor),
    with the values of a later block (`unit`), or with none."""

    seq: int
    position: int  # in template order
    anchor: bool
    unit: Unit | None


class Gap(NamedTuple):
    """Between two anchors: the template rows not read as anchors (`slots`, in template order)
    and the value units printed there (reading order)."""

    slots: list[int]
    units: list[Unit]
    placed: list[Placed]  # the rows recognised in the gap, by labels that floated


def gaps(placed: list[Placed], bare: list[Unit], slot_rows: list[int]) -> list[Gap]:
    """The gaps that need reading again: those holding a value unit no label claims, or a row
    whose label floated into a gap it does not belong to. `slot_rows` are the template rows
    a report may print, in template order (positions)."""
    anchors = sorted((p for p in placed if p.anchor), key=lambda p: p.seq)
    fences = [(-1, -1), *((p.seq, p.position) for p in anchors), (1 << 62, 1 << 30)]
    out: list[Gap] = []
    for (lo_seq, lo_pos), (hi_seq, hi_pos) in pairwise(fences):
        if hi_pos <= lo_pos:
            continue  # anchors out of template order: no gap to speak of
        slots = [s for s in slot_rows if lo_pos < s < hi_pos]
        inside = [p for p in placed if lo_seq < p.seq < hi_seq and not p.anchor]
        loose = [u for u in bare if lo_seq < u.seq < hi_seq]
        strays = any(p.position not in slots for p in inside)
        # Values with no row recognised before, after or among them are not a table's.
        recognised = inside or lo_seq >= 0 or hi_pos < 1 << 30
        if slots and recognised and (loose or strays):
            units = sorted([*loose, *(p.unit for p in inside if p.unit is not None)], key=lambda u: u.seq)
            out.append(Gap(slots, units, inside))
    return out


def fill(gap: Gap, n_cols: int) -> list[Unit] | None:
    """The units that fill the gap's slots in template order, or None when their count does
    not match the slots even without the lone units (page numbers, strays)."""
    if len(gap.units) == len(gap.slots):
        return gap.units
    kept = [u for u in gap.units if not u.lone(n_cols)]
    return kept if len(kept) == len(gap.slots) else None


__all__ = ["Gap", "Grid", "Placed", "Reading", "Unit", "check_votes", "fill", "gaps", "marked"]
