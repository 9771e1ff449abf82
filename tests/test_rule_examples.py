"""Every rule's own examples, run: the catalogue's documentation is its test.

Each rule declares `passing` and `failing` report fragments (`rules.catalogue.Example`); a
fragment is parsed as a whole report. A failing one must give the rule's code at every
location of its `at` (only the fields given are compared); a passing one must not give it
at those locations, or anywhere when it has none. The rules that compare reports take the
others with each example (`previous`, `parts`); `issues_of`, the one place examples are
run, checks them as the service does.
"""

from __future__ import annotations

import msgspec
import pytest

from service.domain.models import Issue, Location
from service.domain.pipeline import parse_text
from service.domain.rules import RULES, rollup
from service.domain.rules.catalogue import Example
from service.domain.rules.crossyear import with_previous

PASSING = [(code, n, ex) for code, r in sorted(RULES.items()) for n, ex in enumerate(r.passing)]
FAILING = [(code, n, ex) for code, r in sorted(RULES.items()) for n, ex in enumerate(r.failing)]
# Families whose examples are exact: each fault reported once, so a failing example gives
# the rule once at each location of its `at`, and nowhere else (once, without `at`).
EXACT_FAMILIES = ("narrative", "evaluation", "cross-year", "rollup")
EXACT = [(code, n, ex) for code, n, ex in FAILING if RULES[code].family in EXACT_FAMILIES]


def issues_of(example: Example) -> list[Issue]:
    """The findings on the example's report: with `previous`, checked against last year's as
    a request with `previous` is; with `parts`, the rollup endpoint's findings of the summary
    against them."""
    report = parse_text(example.report)
    if example.parts:
        return rollup.compare(report, [parse_text(p) for p in example.parts])
    if example.previous is not None:
        return with_previous(report, parse_text(example.previous)).issues
    return report.issues


def at(issue: Issue, where: Location) -> bool:
    """Whether the issue is at `where`, in every field `where` gives."""
    got = msgspec.to_builtins(issue.location)
    return all(got.get(k) == v for k, v in msgspec.to_builtins(where).items())


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    assert [code for code, r in RULES.items() if not (r.passing and r.failing)] == []


def test_examples_of_rules_that_compare_reports_give_the_other_reports() -> None:
    """Without them such a rule has nothing to compare: its failing example could not fail
    and its passing one would pass for nothing."""
    for code, r in RULES.items():
        for example in (*r.passing, *r.failing):
            assert (example.previous is not None) == (r.family == "cross-year"), code
            assert bool(example.parts) == (r.family == "rollup"), code


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


@pytest.mark.parametrize(("code", "n", "example"), EXACT, ids=[f"{c}-{n}" for c, n, _ in EXACT])
def test_rule_reports_its_failing_example_once_where_it_says(code: str, n: int, example: Example) -> None:
    found = [i for i in issues_of(example) if i.code == code]
    assert len(found) == max(1, len(example.at)), [i.location for i in found]
    for where in example.at:
        assert sum(at(i, where) for i in found) == 1, (where, [i.location for i in found])
