"""The cross-checks of 表三 and 表四 as a small system of linear equations.

Every check the template states (`template.Check`, declared with its table) is
`sum(left) == sum(right)` over cells. Blank cells are
unknowns; since every count is non-negative, a check often determines them (one unknown
left, or all unknowns forced to 0). Solving is plain propagation to a fixed point: there are
at most ~90 checks over ~200 cells, so it is cheap and needs no solver library.

The equations depend only on the template and on which rows a report prints, in which
order, not on its numbers. So they are built once per such layout (`skeleton`, cached) over
cells numbered in reading order, and a report only fills in a list of values: checking it
is then index arithmetic instead of building ~40 equations of tuple keys and looking every
cell up in dicts.
"""

from __future__ import annotations

import functools
from functools import lru_cache
from itertools import chain
from operator import attrgetter

import msgspec

from service.domain.facts import Facts
from service.domain.tables import RawTable
from service.domain.template import OUTCOME, Check, TableDef, Template, template_of

CellKey = tuple[str, str, str]  # (table, row, column)


class Equation(msgspec.Struct, frozen=True):
    check: Check  # the declared check this is one instance of
    table: str
    row: str | None  # the row the check is about (row checks), else None
    column: str | None  # the column it is about (column checks), else None
    left: tuple[int, ...]  # cells, as indices into Skeleton.cells
    right: tuple[int, ...]
    # The same cells with their sign, (cell, +1) for left and (cell, -1) for right: what
    # solving for blanks and the diagnosis work with.
    terms: tuple[tuple[int, int], ...]

    @property
    def code(self) -> str:
        """The rule that reports it when it fails."""
        return self.check.code


class Skeleton(msgspec.Struct, frozen=True):
    """The checks of one layout of the checked tables (表三, 表四), over their cells numbered
    in reading order: each table's rows as printed, each with the table's columns."""

    cells: tuple[CellKey, ...]
    index: dict[CellKey, int]  # the number of each cell (a table prints each row once)
    equations: tuple[Equation, ...]
    # Per cell, the checks it takes part in: (equation, coefficient), in equation order.
    membership: tuple[tuple[tuple[int, int], ...], ...]


def _equation(check: Check, table: str, row: str | None, column: str | None,
              left: list[int], right: list[int]) -> Equation:
    terms = tuple([(i, 1) for i in left] + [(i, -1) for i in right])
    return Equation(check, table, row, column, tuple(left), tuple(right), terms)


def checked_tables(template: Template) -> tuple[TableDef, ...]:
    """The tables of the template that declare checks, in the template's order."""
    return tuple(t for t in template.tables if t.checks)


def _outcome_rows(table: TableDef, present: set[str], template: str) -> list[str]:
    """The outcome rows （一）…（六） whose sum is （七）总计, as printed: the template's, except
    that a 2021 report printing the 2019 single 其他处理 row is summed as printed."""
    outcome = [r for r in table.rows if r.outcome]
    for variant in (r for r in outcome if r.variant_of):
        single = variant.key in present and (template == variant.only or not present & set(variant.variant_of))
        dropped = set(variant.variant_of) if single else {variant.key}
        outcome = [r for r in outcome if r.key not in dropped]
    return [r.key for r in outcome if r.key in present]


# Keyed by the row keys a report prints (client data, in any order), hence bounded; in
# practice a handful of layouts recur and every report after the first is a hit.
@lru_cache(maxsize=512)
def skeleton(template: Template, template_id: str, printed: tuple[tuple[str, ...], ...]) -> Skeleton:
    """The equations of the checked tables of `template` (read as `template_id`) whose rows
    are `printed` (per checked table, in reading order)."""
    tables = checked_tables(template)
    cells: list[CellKey] = []
    index: dict[CellKey, int] = {}
    for table, row_keys in zip(tables, printed, strict=True):
        for row in row_keys:
            for col in table.columns:
                index[(table.key, row, col.key)] = len(cells)
                cells.append((table.key, row, col.key))
    eqs: list[Equation] = []
    for table, row_keys in zip(tables, printed, strict=True):
        eqs += _table_equations(table, row_keys, index, template_id)
    membership: list[list[tuple[int, int]]] = [[] for _ in cells]
    for n, eq in enumerate(eqs):
        for i, coeff in eq.terms:
            membership[i].append((n, coeff))
    return Skeleton(tuple(cells), index, tuple(eqs), tuple(tuple(m) for m in membership))


def _table_equations(
    table: TableDef, row_keys: tuple[str, ...], index: dict[CellKey, int], template: str
) -> list[Equation]:
    """A table's checks over its printed rows: each row check in every row, then, column by
    column, each column check whose rows are printed (the order findings come in)."""
    t = table.key
    present = set(row_keys)
    eqs: list[Equation] = []
    for check in (c for c in table.checks if c.along == "row"):
        parts = check.right if check.right != OUTCOME else ()
        for row in row_keys:
            eqs.append(_equation(check, t, row, check.at, [index[(t, row, c)] for c in check.left],
                                 [index[(t, row, c)] for c in parts]))
    sides: list[tuple[Check, tuple[str, ...], list[str]]] = []
    for check in (c for c in table.checks if c.along == "column"):
        if check.right == OUTCOME:
            outcome = _outcome_rows(table, present, template)
            if outcome and set(check.left) <= present:
                sides.append((check, check.left, outcome))
        elif set(check.left) | set(check.right) <= present:
            sides.append((check, check.left, list(check.right)))
    for col in table.columns:
        c = col.key
        for check, left, right in sides:
            eqs.append(_equation(check, t, check.at, c, [index[(t, r, c)] for r in left],
                                 [index[(t, r, c)] for r in right]))
    return eqs


class System(msgspec.Struct):
    skeleton: Skeleton
    printed: list[int | None]  # per cell: the number the report prints, else None
    value: list[int | None]  # per cell: printed, or implied by the checks, else None
    unknown: set[int]  # cells without a usable number (blank, unreadable)
    implied: dict[int, int]  # unknowns the checks determine
    infeasible: set[int]  # equations no non-negative value of their unknowns can satisfy
    # Cells of a checked table outside the skeleton's columns (none in the templates) that
    # have no usable number: unknown too, though no check involves them.
    unknown_elsewhere: set[CellKey]
    # `evaluate()`'s answer, kept: the arithmetic and the narrative rules both ask for it,
    # and the system does not change once built.
    evaluated: tuple[list[tuple[int, int] | None], dict[int, tuple[int, int]]] | None = None

    @property
    def equations(self) -> tuple[Equation, ...]:
        return self.skeleton.equations

    def implied_value(self, key: CellKey) -> int | None:
        i = self.skeleton.index.get(key)
        return None if i is None else self.implied.get(i)

    def is_unknown(self, key: CellKey) -> bool:
        i = self.skeleton.index.get(key)
        return key in self.unknown_elsewhere if i is None else i in self.unknown

    def evaluate(self) -> tuple[list[tuple[int, int] | None], dict[int, tuple[int, int]]]:
        """(left, right) of every equation, None where an unknown in it is undetermined; and
        those of the equations that fail, by number."""
        if self.evaluated is None:
            self.evaluated = self._evaluate()
        return self.evaluated

    def _evaluate(self) -> tuple[list[tuple[int, int] | None], dict[int, tuple[int, int]]]:
        v = self.value
        if None not in v:  # the usual report, every cell a number
            sums: list[tuple[int, int] | None] = [
                (sum([v[i] for i in eq.left]), sum([v[i] for i in eq.right]))  # type: ignore[misc]  # no None in v: tested just above
                for eq in self.equations
            ]
        else:
            sums = [self._sums(n, eq) for n, eq in enumerate(self.equations)]
        failed = {n: s for n, s in enumerate(sums) if s is not None and s[0] != s[1]}
        return sums, failed

    def _sums(self, n: int, eq: Equation) -> tuple[int, int] | None:
        total = [0, 0]
        for side, cells in enumerate((eq.left, eq.right)):
            for i in cells:
                v = self.value[i]
                if v is None:
                    if n in self.infeasible and i in self.unknown:
                        v = 0  # a blank taken as empty, to report the check it breaks
                    else:
                        return None
                total[side] += v
        return total[0], total[1]


def build(facts: Facts) -> System:
    template = facts.declared or template_of(facts.template)
    checked = checked_tables(template)
    tables = [facts.table(t.key) for t in checked]
    rows = tuple(tuple(map(_KEY, t.rows)) if t is not None else () for t in tables)
    sk = skeleton(template, facts.template, rows)
    printed: list[int | None] = []
    unknown: set[int] = set()
    elsewhere: set[CellKey] = set()
    for tdef, table in zip(checked, tables, strict=True):
        if table is not None:
            _read_values(tdef, table, printed, unknown, elsewhere)
    system = System(sk, printed, list(printed), unknown, {}, set(), elsewhere)
    if None in printed:  # without an unknown cell there is nothing to propagate
        _propagate(system)
    return system


def _read_values(
    tdef: TableDef, table: RawTable, printed: list[int | None], unknown: set[int], elsewhere: set[CellKey]
) -> None:
    """Append the table's cells to `printed` in skeleton order: the number, or None. Cells
    without a usable number go into `unknown` (by number, or by key when outside the
    skeleton's columns); a column a row lacks is None without being unknown."""
    key = tdef.key
    keys, position = _columns(tdef)
    cells = [row.cells for row in table.rows]
    if tuple(chain.from_iterable(cells)) == keys * len(cells):
        # Every row has the template's columns in order (what the readers produce; as a
        # row's keys are distinct, the rows' keys run together equal the columns repeated
        # only when each row's are exactly them): the values go in as they come. (A plain
        # loop: on lists this short, map/attrgetter passes measured slower under callgrind.)
        for row_cells in cells:
            for read in row_cells.values():
                v = read.value
                if isinstance(v, int):
                    printed.append(v)
                else:
                    unknown.add(len(printed))
                    printed.append(None)
        return
    for row, row_cells in zip(table.rows, cells, strict=True):
        start = len(printed)
        printed.extend([None] * len(keys))
        for col, read in row_cells.items():
            p = position.get(col)
            usable = isinstance(read.value, int)
            if p is None:
                if not usable:
                    elsewhere.add((key, row.key, col))
            elif usable:
                printed[start + p] = read.value  # type: ignore[assignment]  # usable is isinstance(read.value, int), which mypy does not carry through a name
            else:
                unknown.add(start + p)


@functools.cache  # template data: one per declared table
def _columns(table: TableDef) -> tuple[tuple[str, ...], dict[str, int]]:
    """The table's column keys in order, and the position of each."""
    keys = tuple(c.key for c in table.columns)
    return keys, {c: n for n, c in enumerate(keys)}


_KEY = attrgetter("key")


def _propagate(system: System) -> None:
    """Determine unknowns from the checks until nothing more follows."""
    value = system.value
    # The checks still open, in order. A check found without unknowns, or infeasible, stays
    # so (values are only ever added), so each pass drops it instead of looking again.
    pending = [n for n, eq in enumerate(system.equations) if any(value[i] is None for i, _ in eq.terms)]
    equations = system.equations
    changed = True
    while changed:
        changed = False
        still: list[int] = []
        for n in pending:
            if n in system.infeasible:
                continue
            known = 0
            open_: list[tuple[int, int]] = []
            for i, coeff in equations[n].terms:
                v = value[i]
                if v is None:
                    open_.append((i, coeff))
                else:
                    known += coeff * v
            if not open_:
                continue
            still.append(n)
            if len(open_) == 1:
                i, coeff = open_[0]
                v = -known * coeff  # coeff is ±1
                if v < 0:
                    system.infeasible.add(n)
                    continue
                system.implied[i] = value[i] = v
                changed = True
                continue
            signs = {coeff for _, coeff in open_}
            if len(signs) == 1:
                (sign,) = signs
                total = -known * sign  # what the unknowns must add up to
                if total < 0:
                    system.infeasible.add(n)
                elif total == 0:
                    for i, _ in open_:
                        system.implied[i] = value[i] = 0
                    changed = True
        pending = still


__all__ = ["CellKey", "Equation", "Skeleton", "System", "build", "skeleton"]
