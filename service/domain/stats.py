"""The figures evaluators compute from a report's tables, returned as `stats`.

Definitions (cells named by their keys in `docs/tables.md` / `shared/spec/tables.md`):

* applications_received: 表三 `new_received` · `total` (一、本年新收政府信息公开申请数量).
* applications_handled: 表三 `total` · `total` (（七）总计, the applications answered).
* disclosure_rate: (`granted` + `partially_granted`) / `total`, all in the 总计 column:
  the share of handled applications answered with the information (wholly or in part).
* review_correction_rate: 表四 `review` · `corrected` / `review` · `total`.
* litigation_correction_rate: 表四 (`litigation_direct` + `litigation_after_review`) ·
  `corrected` over the same rows' `total`.

A figure is `None` (JSON `null`) when a cell it needs is not a number the reader is sure of
(blank, text, unread table), and a rate also when its denominator is 0 or smaller than its
numerator (the table's own numbers do not add up; the arithmetic rules say where). Rates
are fractions between 0 and 1, rounded to 4 decimal places. Printed numbers only: a cell
the cross-checks would imply is never used, so a figure never rests on an inference.
"""

from __future__ import annotations

from service.domain.models import Stats, Table, Tables

_PLACES = 4


def _cell(table: Table | None, row: str, column: str) -> int | None:
    if table is None:
        return None
    for r in table.rows:
        if r.key == row:
            v = r.values.get(column)
            return v if isinstance(v, int) and not isinstance(v, bool) else None
    return None


def _sum(values: list[int | None]) -> int | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator rounded, or None when either is missing or it is no share."""
    if numerator is None or denominator is None or denominator <= 0 or numerator > denominator:
        return None
    return round(numerator / denominator, _PLACES)


def compute(tables: Tables) -> Stats:
    apps, reviews = tables.applications, tables.reviews_litigation
    handled = _cell(apps, "total", "total")
    disclosed = _sum([_cell(apps, "granted", "total"), _cell(apps, "partially_granted", "total")])
    suits = ("litigation_direct", "litigation_after_review")
    return Stats(
        applications_received=_cell(apps, "new_received", "total"),
        applications_handled=handled,
        disclosure_rate=rate(disclosed, handled),
        review_correction_rate=rate(
            _cell(reviews, "review", "corrected"), _cell(reviews, "review", "total")
        ),
        litigation_correction_rate=rate(
            _sum([_cell(reviews, r, "corrected") for r in suits]),
            _sum([_cell(reviews, r, "total") for r in suits]),
        ),
    )


__all__ = ["compute", "rate"]
