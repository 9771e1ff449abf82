"""The cross-checks of tables 3 and 4 as a small system of linear equations.

Every check the template states is `sum(left) == sum(right)` over cells. Blank cells are
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

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain, pairwise, repeat
from operator import attrgetter, call, itemgetter

import msgspec

from service.domain.facts import Facts
from service.domain.tables import RawTable
from service.domain.template import APP_COLUMNS, APPLICANT_COLUMNS, REVIEW_COLUMNS, TEMPLATES

CellKey = tuple[str, str, str]  # (table, row, column)

CHECKED = (("applications", APP_COLUMNS), ("reviews_litigation", REVIEW_COLUMNS))
_SPLIT_OTHER = frozenset(TEMPLATES["2021"].outcome_rows) - frozenset(TEMPLATES["2019"].outcome_rows)
_REVIEW_PARTS = tuple(c.key for c in REVIEW_COLUMNS if c.key != "total")


class Equation(msgspec.Struct, frozen=True):
    code: str  # the rule that reports it when it fails
    table: str
    row: str | None  # the row the check is about (row checks), else None
    column: str | None  # the column it is about (column checks), else None
    left: tuple[int, ...]  # cells, as indices into Skeleton.cells
    right: tuple[int, ...]
    terms: tuple[tuple[int, int], ...]  # (cell, +1) for left, (cell, -1) for right
    # The values of `left` / `right` from a list of cell values, gathered in C (see _gather).
    gather_left: Callable[[list[int | None]], Sequence[int | None]]
    gather_right: Callable[[list[int | None]], Sequence[int | None]]


class Skeleton(msgspec.Struct, frozen=True):
    """The checks of one layout of tables 3 and 4, over its cells numbered in reading order:
    table 3's rows as printed, each with the columns of APP_COLUMNS, then table 4's."""

    cells: tuple[CellKey, ...]
    index: dict[CellKey, int]  # the number of each cell (a table prints each row once)
    equations: tuple[Equation, ...]
    # Per cell, the checks it takes part in: (equation, coefficient), in equation order.
    membership: tuple[tuple[tuple[int, int], ...], ...]
    # Every equation's gather_left / gather_right, in equation order (for System.evaluate).
    gather_left: tuple[Callable[[list[int | None]], Sequence[int | None]], ...]
    gather_right: tuple[Callable[[list[int | None]], Sequence[int | None]], ...]


def _equation(code: str, table: str, row: str | None, column: str | None,
              left: list[int], right: list[int]) -> Equation:
    terms = tuple([(i, 1) for i in left] + [(i, -1) for i in right])
    return Equation(
        code, table, row, column, tuple(left), tuple(right), terms, _gather(left), _gather(right)
    )


def _gather(cells: list[int]) -> Callable[[list[int | None]], Sequence[int | None]]:
    """A C-level function picking these cells' values out of the value list.

    Checking a report is summing ~80 such groups; `sum(itemgetter(...)(values))` does it
    without a Python loop per cell. Cells evenly spaced (a row's columns, a column's rows:
    the usual case) are a slice; `itemgetter` of a slice also returns a sequence for a
    single cell, where `itemgetter(i)` would return the bare value.
    """
    step = cells[1] - cells[0] if len(cells) > 1 else 1
    if step > 0 and all(b - a == step for a, b in pairwise(cells)):
        return itemgetter(slice(cells[0], cells[-1] + 1, step))
    return itemgetter(*cells) if len(cells) > 1 else itemgetter(slice(cells[0], cells[0] + 1))


def _outcome_rows(present: set[str], template: str) -> tuple[str, ...]:
    """The outcome rows （一）…（六） whose sum is （七）总计: the template's, except that a
    2021 report printing the 2019 single 其他处理 row is summed as printed."""
    single = "other" in present and (template == "2019" or not present & _SPLIT_OTHER)
    return TEMPLATES["2019" if single else "2021"].outcome_rows


# Keyed by the row keys a report prints (client data, in any order), hence bounded; in
# practice a handful of layouts recur and every report after the first is a hit.
@lru_cache(maxsize=512)
def skeleton(template: str, app_rows: tuple[str, ...], review_rows: tuple[str, ...]) -> Skeleton:
    cells: list[CellKey] = []
    index: dict[CellKey, int] = {}
    for (table, columns), row_keys in zip(CHECKED, (app_rows, review_rows), strict=True):
        for row in row_keys:
            for col in columns:
                index[(table, row, col.key)] = len(cells)
                cells.append((table, row, col.key))

    def at(table: str, row: str, columns: list[str] | tuple[str, ...]) -> list[int]:
        return [index[(table, row, c)] for c in columns]

    eqs: list[Equation] = []
    t = "applications"
    present = set(app_rows)
    applicants = [c.key for c in APPLICANT_COLUMNS]
    for row in app_rows:
        eqs.append(_equation("row-total-mismatch", t, row, "total",
                             at(t, row, ["total"]), at(t, row, applicants)))
    outcomes = [r for r in _outcome_rows(present, template) if r in present]
    balance = {"new_received", "carried_over", "total", "carried_forward"} <= present
    for col in APP_COLUMNS:
        c = col.key
        if balance:
            eqs.append(_equation(
                "balance-mismatch", t, None, c,
                [index[(t, "new_received", c)], index[(t, "carried_over", c)]],
                [index[(t, "total", c)], index[(t, "carried_forward", c)]],
            ))
        if "total" in present and outcomes:
            eqs.append(_equation(
                "outcome-total-mismatch", t, "total", c,
                [index[(t, "total", c)]], [index[(t, r, c)] for r in outcomes],
            ))
    t = "reviews_litigation"
    for row in review_rows:
        eqs.append(_equation("review-total-mismatch", t, row, "total",
                             at(t, row, ["total"]), at(t, row, _REVIEW_PARTS)))

    membership: list[list[tuple[int, int]]] = [[] for _ in cells]
    for n, eq in enumerate(eqs):
        for i, coeff in eq.terms:
            membership[i].append((n, coeff))
    return Skeleton(
        tuple(cells), index, tuple(eqs), tuple(tuple(m) for m in membership),
        tuple(eq.gather_left for eq in eqs), tuple(eq.gather_right for eq in eqs),
    )


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
        v = self.value
        if None not in v:
            # The usual report, every cell a number: all sums in two C-level passes
            # (map of operator.call over the gatherers) and, when they agree, no Python
            # loop over the equations at all.
            sk = self.skeleton
            # mypy cannot see that v holds no None here (tested above), so sum's overloads
            # do not match the gatherers' Sequence[int | None]: the ignores say only that.
            lefts = list(map(sum, map(call, sk.gather_left, repeat(v))))  # type: ignore[arg-type]  # no None in v: see above
            rights = list(map(sum, map(call, sk.gather_right, repeat(v))))  # type: ignore[arg-type]  # no None in v: see above
            sums: list[tuple[int, int] | None] = list(zip(lefts, rights, strict=True))
            if lefts == rights:
                return sums, {}
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
    tables = [facts.table(key) for key, _ in CHECKED]
    rows = [tuple(map(_KEY, t.rows)) if t is not None else () for t in tables]
    sk = skeleton(facts.template, *rows)
    printed: list[int | None] = []
    unknown: set[int] = set()
    elsewhere: set[CellKey] = set()
    for (key, _), table in zip(CHECKED, tables, strict=True):
        if table is not None:
            _read_values(key, table, printed, unknown, elsewhere)
    system = System(sk, printed, list(printed), unknown, {}, set(), elsewhere)
    if None in printed:  # without an unknown cell there is nothing to propagate
        _propagate(system)
    return system


def _read_values(
    key: str, table: RawTable, printed: list[int | None], unknown: set[int], elsewhere: set[CellKey]
) -> None:
    """Append the table's cells to `printed` in skeleton order: the number, or None. Cells
    without a usable number go into `unknown` (by number, or by key when outside the
    skeleton's columns); a column a row lacks is None without being unknown."""
    keys = _KEYS[key]
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
    position = _POSITIONS[key]
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
                printed[start + p] = read.value  # type: ignore[assignment]  # usable: read.value is an int
            else:
                unknown.add(start + p)


_KEYS = {key: tuple(c.key for c in columns) for key, columns in CHECKED}
_POSITIONS = {key: {c: n for n, c in enumerate(keys)} for key, keys in _KEYS.items()}
_KEY = attrgetter("key")


def _propagate(system: System) -> None:
    """Determine unknowns from the checks until nothing more follows."""
    value = system.value
    # The checks still open, in order. A check found without unknowns, or infeasible, stays
    # so (values are only ever added), so each pass drops it instead of looking again.
    pending = [n for n, eq in enumerate(system.equations) if None in eq.gather_left(value)
               or None in eq.gather_right(value)]
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
