"""Validation rules, one module per family; importing this package registers them all.

`run` applies the families in a fixed order (the order of the findings): structure, cells,
arithmetic (with diagnosis), the text's own words (narrative) and the evaluators' checks.
Every family of `FAMILY_CHECKS` has `check(facts, system) -> Iterator[Issue]`, `system`
being the cross-checks solved once per report (`checks.build`); a new family is added there.
No family reads another's findings: the narrative rules learn which figures are in doubt
from the facts and the failed cross-checks of `system` (`narrative.doubtful`). The cross-year rules
compare two parsed reports (`crossyear.compare`), the rollup rules a summary and its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from service.domain.facts import Facts
from service.domain.models import Issue
from service.domain.rules import arithmetic, cells, checks, crossyear, evaluation, narrative, reading, rollup, structure
from service.domain.rules.catalogue import RULES, Rule, catalogue

__all__ = ["FAMILY_CHECKS", "RULES", "Rule", "catalogue", "crossyear", "rollup", "run"]


FAMILY_CHECKS: tuple[Callable[[Facts, checks.System], Iterable[Issue]], ...] = (
    structure.check,
    cells.check,
    reading.check,
    arithmetic.check,
    narrative.check,
    evaluation.check,
)


def run(facts: Facts) -> list[Issue]:
    system = checks.build(facts)
    issues: list[Issue] = []
    for family in FAMILY_CHECKS:
        issues.extend(family(facts, system))
    return issues
