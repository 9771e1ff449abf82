"""How sure the reading of each table is (issue 10): exact, inferred or ambiguous.

A cell is read *exactly* when it was taken as printed; *inferred* when a reading step chose it
among candidate readings because it alone fits the layout and the template's cross-checks;
*ambiguous* when several readings fit (or none): it is left `null`, never guessed. The steps
that choose say so on the source cell (`document.Cell.reading` and `why`); this module only
collects what they said, per cell, per table, for the answer and for the rules (an arithmetic
finding that rests on a cell not read exactly is never an error).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from service.domain.tables import RawTable

CellReadingKind = Literal["inferred", "ambiguous"]
TableReading = Literal["exact", "inferred", "ambiguous"]
CellKey = tuple[str, str, str]  # (table, row, column)


class UnsureCell(msgspec.Struct, frozen=True):
    """A cell not read exactly as printed."""

    table: str
    row: str
    column: str
    reading: CellReadingKind
    why: str
    line: int | None = None


def unsure_cells(table: RawTable) -> list[UnsureCell]:
    """The table's cells not read exactly, in reading order (row by row, column by column)."""
    out: list[UnsureCell] = []
    for row in table.rows:
        for column, cell in row.where.items():
            if cell.reading is not None:
                out.append(UnsureCell(table.key, row.key, column, cell.reading, cell.why or "", cell.line))
    return out


def table_reading(cells: list[UnsureCell]) -> TableReading:
    """The table's reading: ambiguous if any cell is, else inferred if any cell is, else exact."""
    kinds = {c.reading for c in cells}
    if "ambiguous" in kinds:
        return "ambiguous"
    return "inferred" if kinds else "exact"


def readings(tables: dict[str, RawTable]) -> dict[CellKey, CellReadingKind]:
    """Every cell of the tables not read exactly, by (table, row, column)."""
    return {
        (c.table, c.row, c.column): c.reading
        for t in tables.values()
        if t.found
        for c in unsure_cells(t)
    }


__all__ = ["CellKey", "TableReading", "UnsureCell", "readings", "table_reading", "unsure_cells"]
