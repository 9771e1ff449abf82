"""The rule catalogue: every issue code the service can emit, with its meaning.

Each rule family module declares its rules with `rule(...)` at import time; `RULES` is the
registry `GET /v1/rules` serves and the README lists. An issue can only be made through a
registered rule, so no code reaches a client without a catalogue entry.
"""

from __future__ import annotations

import msgspec

from service.domain.models import Issue, Location, RuleInfo, Severity

RULES: dict[str, Rule] = {}
FAMILIES = (
    "structure", "cells", "arithmetic", "diagnosis", "narrative", "evaluation", "cross-year", "rollup"
)


class Rule(msgspec.Struct, frozen=True):
    code: str
    severity: Severity
    family: str
    title: str
    description: str
    message: str  # a str.format template, in Chinese, for the clerk

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
        )


def rule(
    code: str, severity: Severity, family: str, title: str, description: str, message: str
) -> Rule:
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    r = Rule(code, severity, family, title, description, message)
    RULES[code] = r
    return r


def catalogue() -> list[RuleInfo]:
    """All rules, grouped by family in a stable order."""
    order = {f: n for n, f in enumerate(FAMILIES)}
    return [r.info() for r in sorted(RULES.values(), key=lambda r: order.get(r.family, 99))]
