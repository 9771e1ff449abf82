"""Parse results made from fragments: the few cells, meta fields and section texts a test
of the rules over parsed reports (cross-year, rollup) needs, without a report to parse.

`result_of` makes the `ParseResult` those rules take; only what a fragment names is in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from service.domain.models import Meta, ParseResult, Row, Section, Table, Tables, summarise
from service.domain.stats import compute
from service.domain.template import SECTIONS

# {"meta": {"year": 2024, ...}, "template": "2021",
#  "tables": {table: {row: {column: value}}}, "sections": {section key: text}}
Fragment = Mapping[str, Any]

_SECTION = {s.key: s for s in SECTIONS}


def result_of(fragment: Fragment) -> ParseResult:
    tables = Tables(**{
        key: Table(reading="exact", rows=[
            Row(key=row, label=row, values=dict(values), line=10 * n + 1)
            for n, (row, values) in enumerate(rows.items())
        ])
        for key, rows in fragment.get("tables", {}).items()
    })
    sections = [
        Section(key=key, number=_SECTION[key].number, title=_SECTION[key].title, text=text, line=100 + n)
        for n, (key, text) in enumerate(fragment.get("sections", {}).items())
    ]
    return ParseResult(
        template=fragment.get("template", "2021"),
        meta=msgspec.convert(fragment.get("meta", {}), Meta),
        sections=sections,
        tables=tables,
        issues=[],
        summary=summarise([]),
        stats=compute(tables),
    )


def merged(base: Fragment, change: Fragment) -> dict[str, Any]:
    """`base` with `change` laid over it, key by key, at every depth."""
    out = dict(base)
    for key, value in change.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


__all__ = ["Fragment", "merged", "result_of"]
