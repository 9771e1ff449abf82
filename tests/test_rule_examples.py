"""Every rule's own examples, run: the catalogue's documentation is its test.

Each rule declares `passing` and `failing` report fragments (`rules.catalogue.Example`); a
fragment is parsed as a whole report. A failing one must give the rule's code at every
location of its `at` (only the fields given are compared); a passing one must not give it
at those locations, or anywhere when it has none. A rule family that needs more than one
report per example extends `issues_of`, the one place examples are run.
"""

from __future__ import annotations

import msgspec
import pytest

from service.domain.models import Issue, Location
from service.domain.pipeline import parse_text
from service.domain.rules import RULES
from service.domain.rules.catalogue import Example

PASSING = [(code, n, ex) for code, r in sorted(RULES.items()) for n, ex in enumerate(r.passing)]
FAILING = [(code, n, ex) for code, r in sorted(RULES.items()) for n, ex in enumerate(r.failing)]


def issues_of(example: Example) -> list[Issue]:
    return parse_text(example.report).issues


def at(issue: Issue, where: Location) -> bool:
    """Whether the issue is at `where`, in every field `where` gives."""
    got = msgspec.to_builtins(issue.location)
    return all(got.get(k) == v for k, v in msgspec.to_builtins(where).items())


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    assert [code for code, r in RULES.items() if not (r.passing and r.failing)] == []


@pytest.mark.parametrize(("code", "n", "example"), FAILING, ids=[f"{c}-{n}" for c, n, _ in FAILING])
def test_rule_fails_its_failing_example(code: str, n: int, example: Example) -> None:
    issues = issues_of(example)
    found = [i for i in issues if i.code == code]
    assert found, f"{code} not reported; got {[i.code for i in issues]}"
    assert {i.severity for i in found} == {RULES[code].severity}
    for where in example.at:
        assert any(at(i, where) for i in found), (where, [i.location for i in found])


@pytest.mark.parametrize(("code", "n", "example"), PASSING, ids=[f"{c}-{n}" for c, n, _ in PASSING])
def test_rule_passes_its_passing_example(code: str, n: int, example: Example) -> None:
    found = [i for i in issues_of(example) if i.code == code]
    if example.at:
        found = [i for i in found if any(at(i, where) for where in example.at)]
    assert found == []
