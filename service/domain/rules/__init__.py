"""Validation rules, one module per family; importing this package registers them all.

`run` applies the families in a fixed order: structure, cells, arithmetic (with diagnosis).
Every family module has `check(facts, system) -> Iterator[Issue]`, `system` being the
cross-checks solved once per report (`checks.build`); a new family is added to `FAMILY_CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from service.domain.facts import Facts
from service.domain.models import Issue
from service.domain.rules import arithmetic, cells, checks, reading, structure
from service.domain.rules.catalogue import RULES, Rule, catalogue

__all__ = ["FAMILY_CHECKS", "RULES", "Rule", "catalogue", "run"]


FAMILY_CHECKS: tuple[Callable[[Facts, checks.System], Iterable[Issue]], ...] = (
    structure.check,
    cells.check,
    reading.check,
    arithmetic.check,
)


def run(facts: Facts) -> list[Issue]:
    system = checks.build(facts)
    issues: list[Issue] = []
    for family in FAMILY_CHECKS:
        issues.extend(family(facts, system))
    return issues
