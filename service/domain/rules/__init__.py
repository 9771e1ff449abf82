"""Validation rules, one module per family; importing this package registers them all.

`run` applies them in a fixed order: structure, cells, arithmetic (with diagnosis),
narrative (which needs the findings before it), evaluation. The cross-year rules compare two parsed reports (`crossyear.compare`).
"""

from __future__ import annotations

from service.domain.facts import Facts
from service.domain.models import Issue
from service.domain.rules import arithmetic, cells, checks, crossyear, evaluation, narrative, rollup, structure
from service.domain.rules.catalogue import RULES, Rule, catalogue

__all__ = ["RULES", "Rule", "catalogue", "crossyear", "rollup", "run"]


def run(facts: Facts) -> list[Issue]:
    system = checks.build(facts)
    issues = list(structure.check(facts))
    issues.extend(cells.check(facts, system))
    issues.extend(arithmetic.check(facts, system))
    text = narrative.running_text(facts)
    issues.extend(narrative.check(facts, issues, text))
    issues.extend(evaluation.check(facts, text))
    return issues
