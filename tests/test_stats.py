"""`stats`: the figures evaluators derive, from rendered reports and table fragments."""

from __future__ import annotations

import pytest

from service.domain.models import Row, Stats, Table, Tables
from service.domain.pipeline import parse_text
from service.domain.render import consistent_values, render_report
from service.domain.stats import compute, rate


def _tables(apps: dict[str, dict[str, int | str | None]], reviews: dict[str, dict[str, int | str | None]]) -> Tables:
    return Tables(
        applications=Table(reading="exact", rows=[Row(key=k, label=k, values=v) for k, v in apps.items()]),
        reviews_litigation=Table(reading="exact", rows=[Row(key=k, label=k, values=v) for k, v in reviews.items()]),
    )


FULL_APPS: dict[str, dict[str, int | str | None]] = {
    "new_received": {"total": 7}, "granted": {"total": 3}, "partially_granted": {"total": 1},
    "total": {"total": 8},
}
FULL_REVIEWS: dict[str, dict[str, int | str | None]] = {
    "review": {"corrected": 1, "total": 4},
    "litigation_direct": {"corrected": 1, "total": 2},
    "litigation_after_review": {"corrected": 0, "total": 1},
}


@pytest.mark.parametrize(
    ("apps", "reviews", "expected"),
    [
        (FULL_APPS, FULL_REVIEWS, Stats(applications_received=7, applications_handled=8,
                                        disclosure_rate=0.5, review_correction_rate=0.25,
                                        litigation_correction_rate=0.3333)),
        # a blank 部分公开 total: no disclosure rate; a text cell: no review rate
        ({**FULL_APPS, "partially_granted": {"total": None}},
         {**FULL_REVIEWS, "review": {"corrected": "一", "total": 4}},
         Stats(applications_received=7, applications_handled=8, disclosure_rate=None,
               review_correction_rate=None, litigation_correction_rate=0.3333)),
        # nothing handled, nothing litigated: rates undefined
        ({**FULL_APPS, "total": {"total": 0}},
         {**FULL_REVIEWS, "litigation_direct": {"corrected": 0, "total": 0},
          "litigation_after_review": {"corrected": 0, "total": 0}},
         Stats(applications_received=7, applications_handled=0, disclosure_rate=None,
               review_correction_rate=0.25, litigation_correction_rate=None)),
    ],
)
def test_stats_from_tables(apps: dict, reviews: dict, expected: Stats) -> None:  # type: ignore[type-arg]
    assert compute(_tables(apps, reviews)) == expected


def test_missing_tables_give_nulls() -> None:
    assert compute(Tables()) == Stats(
        applications_received=None, applications_handled=None, disclosure_rate=None,
        review_correction_rate=None, litigation_correction_rate=None,
    )


@pytest.mark.parametrize(("num", "den", "expected"), [(1, 3, 0.3333), (3, 3, 1.0), (0, 5, 0.0),
                                                      (4, 3, None), (1, 0, None), (None, 3, None)])
def test_rate(num: int | None, den: int | None, expected: float | None) -> None:
    assert rate(num, den) == expected


def test_stats_of_a_rendered_report_follow_its_cells() -> None:
    values = consistent_values(seed=5)
    result = parse_text(render_report(values, layout="tab"))
    apps = result.tables.applications
    assert apps is not None
    cell = {r.key: r.values for r in apps.rows}
    assert result.stats.applications_received == cell["new_received"]["total"]
    assert result.stats.applications_handled == cell["total"]["total"]
    handled = cell["total"]["total"]
    assert isinstance(handled, int)
    if handled:
        shown = cell["granted"]["total"] + cell["partially_granted"]["total"]  # type: ignore[operator]
        assert result.stats.disclosure_rate == round(shown / handled, 4)
