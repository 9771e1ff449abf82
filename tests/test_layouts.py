"""Reports written for the tests, in every plain-text layout: numbers read back exactly, and
a planted error is caught at its cell."""

from __future__ import annotations

import pytest

from reports import report, values
from service.domain.pipeline import parse_text
from service.domain.render import LAYOUTS


def _tables(result) -> dict:  # type: ignore[no-untyped-def]
    return {
        key: {r.key: r.values for r in getattr(result.tables, key).rows}
        for key in ("active_disclosure", "applications", "reviews_litigation")
    }


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_layout_round_trip(layout: str, template: str, seed: int) -> None:
    v = values(seed=seed, template=template)
    result = parse_text(report(v, layout=layout, template=template))
    assert result.template == template
    assert _tables(result) == v
    assert result.issues == []


PLANTED = [
    ("applications", "granted", "natural_person", 3),
    ("applications", "denied.third_party_rights", "legal_services", 1),
    ("applications", "carried_forward", "research", 2),
    ("applications", "total", "total", 5),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("table", "row", "column", "delta"), PLANTED)
def test_planted_error_is_caught_at_its_cell(layout: str, table: str, row: str, column: str, delta: int) -> None:
    v = values(seed=4)
    right = v[table][row][column]
    v[table][row][column] = right + delta
    text = report(v, layout=layout)
    result = parse_text(text)
    errors = [i for i in result.issues if i.severity == "error"]
    assert [(i.code, i.location.table, i.location.row, i.location.column) for i in errors] == [
        ("cell-likely-wrong", table, row, column)
    ]
    issue = errors[0]
    assert (issue.expected, issue.actual) == (right, right + delta)
    # The line named is the one that holds the wrong number.
    assert str(right + delta) in text.split("\n")[issue.location.line - 1]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_review_total_error_located_in_table_four(layout: str) -> None:
    v = values(seed=4)
    v["reviews_litigation"]["litigation_after_review"]["total"] += 3
    result = parse_text(report(v, layout=layout))
    assert [(i.code, i.location.row, i.location.column, i.expected) for i in result.issues] == [
        ("review-total-mismatch", "litigation_after_review", "total",
         v["reviews_litigation"]["litigation_after_review"]["total"] - 3)
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_unreadable_cell_in_each_layout(layout: str) -> None:
    v = values(seed=4)
    v["active_disclosure"]["punishment"]["decisions"] = "约五十"
    result = parse_text(report(v, layout=layout))
    assert [(i.code, i.location.row, i.location.column) for i in result.issues] == [
        ("cell-not-number", "punishment", "decisions")
    ]
