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

from functools import lru_cache

import msgspec

from service.domain.facts import Facts
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


class Skeleton(msgspec.Struct, frozen=True):
    """The checks of one layout of tables 3 and 4, over its cells numbered in reading order:
    table 3's rows as printed, each with the columns of APP_COLUMNS, then table 4's."""

    cells: tuple[CellKey, ...]
    index: dict[CellKey, int]  # the number of each cell (a table prints each row once)
    equations: tuple[Equation, ...]
    # Per cell, the checks it takes part in: (equation, coefficient), in equation order.
    membership: tuple[tuple[tuple[int, int], ...], ...]


def _equation(code: str, table: str, row: str | None, column: str | None,
              left: list[int], right: list[int]) -> Equation:
    terms = tuple([(i, 1) for i in left] + [(i, -1) for i in right])
    return Equation(code, table, row, column, tuple(left), tuple(right), terms)


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
    return Skeleton(tuple(cells), index, tuple(eqs), tuple(tuple(m) for m in membership))


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

    def all_sums(self) -> list[tuple[int, int] | None]:
        """(left, right) of every equation, None where an unknown in it is undetermined."""
        get = self.value.__getitem__
        if None not in self.value:  # the usual report: every cell a number
            return [(sum(map(get, eq.left)), sum(map(get, eq.right))) for eq in self.equations]
        return [self._sums(n, eq) for n, eq in enumerate(self.equations)]

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
    rows = [tuple(r.key for r in t.rows) if t is not None else () for t in tables]
    sk = skeleton(facts.template, *rows)
    printed: list[int | None] = [None] * len(sk.cells)
    unknown: set[int] = set()
    elsewhere: set[CellKey] = set()
    start = 0
    for (key, columns), table in zip(CHECKED, tables, strict=True):
        if table is None:
            continue
        position = _POSITIONS[key]
        for row in table.rows:
            for col, read in row.cells.items():
                p = position.get(col)
                usable = isinstance(read.value, int)
                if p is None:
                    if not usable:
                        elsewhere.add((key, row.key, col))
                elif usable:
                    printed[start + p] = read.value  # type: ignore[assignment]
                else:
                    unknown.add(start + p)
            start += len(columns)
    system = System(sk, printed, list(printed), unknown, {}, set(), elsewhere)
    if None in printed:  # without an unknown cell there is nothing to propagate
        _propagate(system)
    return system


_POSITIONS = {key: {c.key: n for n, c in enumerate(columns)} for key, columns in CHECKED}


def _propagate(system: System) -> None:
    """Determine unknowns from the checks until nothing more follows."""
    value = system.value
    changed = True
    while changed:
        changed = False
        for n, eq in enumerate(system.equations):
            if n in system.infeasible:
                continue
            known = 0
            open_: list[tuple[int, int]] = []
            for i, coeff in eq.terms:
                v = value[i]
                if v is None:
                    open_.append((i, coeff))
                else:
                    known += coeff * v
            if not open_:
                continue
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


__all__ = ["CellKey", "Equation", "Skeleton", "System", "build", "skeleton"]
