"""The rules on whole reports: a sound report passes every rule, and planted faults are
reported where they are, one finding per fault (the diagnosis, blanks, repeats).

Each rule's own passing and failing examples are run by tests/test_rule_examples.py. The
base here is a report written for the tests: 2021 template, non-zero numbers, every
cross-check satisfied. Cases assert codes and locations, never the message text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reports import Values, line_of, report, values
from service.domain.models import ParseResult
from service.domain.pipeline import parse_text
from service.domain.rules import RULES

def _with(mutate: Callable[[Values], None], **kw: Any) -> Callable[[], str]:
    def make() -> str:
        v = values(template=kw.get("template", "2021"))
        mutate(v)
        return report(v, **kw)

    return make


def _shift(table: str, row: str, col: str, delta: int) -> Callable[[Values], None]:
    def mutate(v: Values) -> None:
        v[table][row][col] += delta

    return mutate


def _both(*ms: Callable[[Values], None]) -> Callable[[Values], None]:
    def mutate(v: Values) -> None:
        for m in ms:
            m(v)

    return mutate


def _issues(text: str) -> ParseResult:
    return parse_text(text)


def test_base_report_is_clean() -> None:
    result = _issues(report())
    assert result.issues == []
    assert result.summary.valid


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_passes_on_a_sound_report(code: str) -> None:
    for seed in (1, 2, 3):
        text = report(values(seed=seed))
        assert code not in {i.code for i in _issues(text).issues}


def test_balance_mismatch_reports_both_columns() -> None:
    # +1 / −1 within one row: the row still adds up, two columns' 勾稽关系 do not.
    make = _with(_both(_shift("applications", "carried_forward", "natural_person", 1),
                       _shift("applications", "carried_forward", "other", -1)))
    result = _issues(make())
    columns = sorted(i.location.column for i in result.issues if i.code == "balance-mismatch")
    assert columns == ["natural_person", "other"]
    assert {i.code for i in result.issues} == {"balance-mismatch"}


def test_diagnosis_replaces_the_checks_it_explains() -> None:
    v = values()
    printed = v["applications"]["granted"]["natural_person"]
    v["applications"]["granted"]["natural_person"] = printed + 4
    text = report(v)
    result = _issues(text)
    assert [i.code for i in result.issues] == ["cell-likely-wrong"]
    issue = result.issues[0]
    assert (issue.expected, issue.actual) == (printed, printed + 4)
    assert issue.location.line == line_of(text, "（一）予以公开")


def test_diagnosis_of_a_total_cell_explains_three_checks() -> None:
    v = values()
    printed = v["applications"]["total"]["natural_person"]
    v["applications"]["total"]["natural_person"] = printed + 2
    result = _issues(report(v))
    assert [(i.code, i.location.row, i.location.column) for i in result.issues] == [
        ("cell-likely-wrong", "total", "natural_person")
    ]
    assert result.issues[0].expected == printed


def test_two_independent_wrong_cells_are_both_pinned() -> None:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    v["applications"]["not_processed.duplicate"]["commercial"] += 2
    found = {(i.code, i.location.row, i.location.column) for i in _issues(report(v)).issues}
    assert found == {
        ("cell-likely-wrong", "granted", "natural_person"),
        ("cell-likely-wrong", "not_processed.duplicate", "commercial"),
    }


def test_blank_cell_says_what_the_checks_imply() -> None:
    v = values()
    expected = v["applications"]["granted"]["commercial"]
    v["applications"]["granted"]["commercial"] = None
    result = _issues(report(v))
    assert [(i.code, i.severity, i.location.row, i.location.column, i.expected) for i in result.issues] == [
        ("cell-blank", "warning", "granted", "commercial", expected)
    ]
    assert result.summary.valid


def test_blank_cell_that_the_checks_cannot_determine() -> None:
    v = values()
    v["applications"]["granted"]["commercial"] = None
    v["applications"]["partially_granted"]["commercial"] = None
    v["applications"]["partially_granted"]["commercial"] = None
    v["applications"]["granted"]["total"] = None
    v["applications"]["partially_granted"]["total"] = None
    result = _issues(report(v))
    blanks = [i for i in result.issues if i.code == "cell-blank"]
    assert len(blanks) == 4
    assert all(i.severity == "warning" for i in blanks)
    assert {i.code for i in result.issues} == {"cell-blank"}


def test_blank_is_null_not_zero() -> None:
    v = values()
    v["active_disclosure"]["regulations"]["repealed"] = None
    result = _issues(report(v))
    rows = {r.key: r for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert rows["regulations"].values["repealed"] is None


def test_a_label_repeated_many_times_is_one_finding() -> None:
    text = report()
    again = "".join(f"规章\t{n}\t{n}\t{n}\n" for n in range(500))
    text = text.replace("行政规范性文件\t", again + "行政规范性文件\t", 1)
    result = _issues(text)
    assert [(i.code, i.location.row) for i in result.issues] == [("row-duplicate", "regulations")]
    rows = {r.key: r.values for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert rows["regulations"] == values()["active_disclosure"]["regulations"]
