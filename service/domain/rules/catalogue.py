"""The rule catalogue: every issue code the service can emit, with its meaning.

Each rule family module declares its rules with `rule(...)` at import time; `RULES` is the
registry `GET /v1/rules` serves and the README lists. An issue can only be made through a
registered rule, so no code reaches a client without a catalogue entry.

Each rule carries `passing` and `failing` examples: short report fragments, each parsed on
its own by tests/test_rule_examples.py (a failing one must give the rule's code at every
location in `at`; a passing one must not give it, at `at` or, without `at`, anywhere). They
are the rule's documentation in `GET /v1/rules` and the README, and its tests, so the two
cannot drift. A rule that compares reports gives the others with each example: last year's
(`previous`, the cross-year rules) or the reports a summary sums (`parts`, the rollup rules).
A family module's `check(facts, system)` yields its issues.
"""

from __future__ import annotations

import msgspec

from service.domain.models import Issue, Location, RuleExample, RuleInfo, Severity

RULES: dict[str, Rule] = {}
FAMILIES = (
    "structure", "cells", "arithmetic", "diagnosis", "narrative", "evaluation", "cross-year", "rollup"
)


class Example(msgspec.Struct, frozen=True):
    """A report fragment (parsed as a whole report) and where the rule reports it.

    `previous`: last year's report, against which `report` is checked (as a request's
    `previous` is). `parts`: the reports that `report`, a summary, sums (as the rollup
    endpoint checks them). Each also a fragment; an example gives at most one of the two.
    """

    report: str
    at: tuple[Location, ...] = ()
    previous: str | None = None
    parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.previous is not None and self.parts:
            raise ValueError("an example is checked against last year's report or its parts, not both")

    def info(self) -> RuleExample:
        return RuleExample(report=self.report, at=list(self.at), previous=self.previous, parts=list(self.parts))


class Rule(msgspec.Struct, frozen=True):
    code: str
    severity: Severity
    family: str
    title: str
    description: str
    message: str  # a str.format template, in Chinese, for the clerk
    passing: tuple[Example, ...] = ()
    failing: tuple[Example, ...] = ()

    def issue(
        self,
        location: Location,
        *,
        expected: int | str | None = None,
        actual: int | str | None = None,
        **params: object,
    ) -> Issue:
        return Issue(
            code=self.code,
            severity=self.severity,
            message=self.message.format(expected=expected, actual=actual, **params),
            location=location,
            expected=expected,
            actual=actual,
        )

    def info(self) -> RuleInfo:
        return RuleInfo(
            code=self.code,
            severity=self.severity,
            title=self.title,
            description=self.description,
            family=self.family,
            passing=[e.info() for e in self.passing],
            failing=[e.info() for e in self.failing],
        )


def rule(
    code: str,
    severity: Severity,
    family: str,
    title: str,
    description: str,
    message: str,
    *,
    passing: tuple[Example, ...] = (),
    failing: tuple[Example, ...] = (),
) -> Rule:
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    r = Rule(code, severity, family, title, description, message, passing, failing)
    RULES[code] = r
    return r


def catalogue() -> list[RuleInfo]:
    """All rules, grouped by family in a stable order."""
    order = {f: n for n, f in enumerate(FAMILIES)}
    return [r.info() for r in sorted(RULES.values(), key=lambda r: order.get(r.family, 99))]
