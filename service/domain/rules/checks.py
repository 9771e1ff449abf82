"""The cross-checks of tables 3 and 4 as a small system of linear equations.

Every check the template states is `sum(left) == sum(right)` over cells. Blank cells are
unknowns; since every count is non-negative, a check often determines them (one unknown
left, or all unknowns forced to 0). Solving is plain propagation to a fixed point: there are
at most ~90 checks over ~200 cells, so it is cheap and needs no solver library.
"""

from __future__ import annotations

import msgspec

from service.domain.facts import Facts
from service.domain.tables import RawTable
from service.domain.template import APP_COLUMNS, APPLICANT_COLUMNS, REVIEW_COLUMNS, TEMPLATES

CellKey = tuple[str, str, str]  # (table, row, column)


class Equation(msgspec.Struct):
    code: str  # the rule that reports it when it fails
    table: str
    row: str | None  # the row the check is about (row checks), else None
    column: str | None  # the column it is about (column checks), else None
    left: list[CellKey]
    right: list[CellKey]

    def cells(self) -> list[tuple[CellKey, int]]:
        return [(k, 1) for k in self.left] + [(k, -1) for k in self.right]


class System(msgspec.Struct):
    equations: list[Equation]
    printed: dict[CellKey, int]  # cells with a number the report prints
    unknown: set[CellKey]  # cells without a usable number (blank, unreadable)
    implied: dict[CellKey, int]  # unknowns the checks determine
    infeasible: set[int]  # equations no non-negative value of their unknowns can satisfy

    def value(self, key: CellKey) -> int | None:
        v = self.printed.get(key)
        return v if v is not None else self.implied.get(key)

    def sums(self, eq: Equation) -> tuple[int, int] | None:
        """(left, right) of an equation, or None while an unknown in it is undetermined."""
        total = [0, 0]
        for side, keys in enumerate((eq.left, eq.right)):
            for k in keys:
                v = self.value(k)
                if v is None:
                    if id(eq) in self.infeasible and k in self.unknown:
                        v = 0  # a blank taken as empty, to report the check it breaks
                    else:
                        return None
                total[side] += v
        return total[0], total[1]


def _outcome_rows(table: RawTable, template: str) -> tuple[str, ...]:
    """The outcome rows （一）…（六） whose sum is （七）总计: the template's, except that a
    2021 report printing the 2019 single 其他处理 row is summed as printed."""
    present = {r.key for r in table.rows}
    split = set(TEMPLATES["2021"].outcome_rows) - set(TEMPLATES["2019"].outcome_rows)
    single = "other" in present and (template == "2019" or not present & split)
    return TEMPLATES["2019" if single else "2021"].outcome_rows


def build(facts: Facts) -> System:
    eqs: list[Equation] = []
    printed: dict[CellKey, int] = {}
    unknown: set[CellKey] = set()
    present: set[tuple[str, str]] = set()
    for key in ("applications", "reviews_litigation"):
        table = facts.table(key)
        if table is None:
            continue
        for row in table.rows:
            present.add((key, row.key))
            for col, read in row.cells.items():
                if isinstance(read.value, int):
                    printed[(key, row.key, col)] = read.value
                else:
                    unknown.add((key, row.key, col))

    def has(table: str, *rows: str) -> bool:
        return all((table, r) in present for r in rows)

    apps = facts.table("applications")
    if apps is not None:
        t = "applications"
        for row in apps.rows:
            eqs.append(Equation(
                "row-total-mismatch", t, row.key, "total",
                [(t, row.key, "total")], [(t, row.key, c.key) for c in APPLICANT_COLUMNS],
            ))
        outcomes = [r for r in _outcome_rows(apps, facts.template) if has(t, r)]
        for col in APP_COLUMNS:
            c = col.key
            if has(t, "new_received", "carried_over", "total", "carried_forward"):
                eqs.append(Equation(
                    "balance-mismatch", t, None, c,
                    [(t, "new_received", c), (t, "carried_over", c)],
                    [(t, "total", c), (t, "carried_forward", c)],
                ))
            if has(t, "total") and outcomes:
                eqs.append(Equation(
                    "outcome-total-mismatch", t, "total", c,
                    [(t, "total", c)], [(t, r, c) for r in outcomes],
                ))
    reviews = facts.table("reviews_litigation")
    if reviews is not None:
        t = "reviews_litigation"
        parts = [c.key for c in REVIEW_COLUMNS if c.key != "total"]
        for row in reviews.rows:
            eqs.append(Equation(
                "review-total-mismatch", t, row.key, "total",
                [(t, row.key, "total")], [(t, row.key, p) for p in parts],
            ))
    system = System(eqs, printed, unknown, {}, set())
    _propagate(system)
    return system


def _propagate(system: System) -> None:
    """Determine unknowns from the checks until nothing more follows."""
    changed = True
    while changed:
        changed = False
        for eq in system.equations:
            if id(eq) in system.infeasible:
                continue
            known = 0
            open_: list[tuple[CellKey, int]] = []
            for key, coeff in eq.cells():
                v = system.value(key)
                if v is None:
                    open_.append((key, coeff))
                else:
                    known += coeff * v
            if not open_:
                continue
            if len(open_) == 1:
                key, coeff = open_[0]
                value = -known * coeff  # coeff is ±1
                if value < 0:
                    system.infeasible.add(id(eq))
                    continue
                system.implied[key] = value
                changed = True
                continue
            signs = {coeff for _, coeff in open_}
            if len(signs) == 1:
                (sign,) = signs
                total = -known * sign  # what the unknowns must add up to
                if total < 0:
                    system.infeasible.add(id(eq))
                elif total == 0:
                    for key, _ in open_:
                        system.implied[key] = 0
                    changed = True
