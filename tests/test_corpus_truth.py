"""Every golden case made from a real report (tests/golden/corpus-*) reads to its truth.

Each such case carries the corpus's `truth.json` (tables checked by hand against the source,
see ../shared/corpus/README.md), so the truth is held in the suite and not only in the golden
snapshot. Scored by the corpus scorer's rules (../shared/tools/score-corpus): a cell named
`unreadable` is not scored; a `lenient` cell may be null (never another number); an
error-severity finding is false unless an `allowed_errors` pattern matches its location.
"""

from __future__ import annotations

import decimal
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from golden_support import GOLDEN, parse_case

# A case's truth may come before its input (a branch that makes the input read adds it).
CASES = sorted(p.parent for p in GOLDEN.glob("*/truth.json") if any(p.parent.glob("input.*")))


def _number(v: object) -> decimal.Decimal | str:
    try:
        return decimal.Decimal(str(v).replace(",", "").replace("万元", "").replace("元", ""))
    except decimal.InvalidOperation:
        return str(v)


def _misread(truth: dict[str, Any], tables: dict[str, Any]) -> list[str]:
    """The scored cells not read to the truth, as `table.row.column: truth, read`."""
    grid = {k: {r["key"]: r["values"] for r in (t or {}).get("rows", [])} for k, t in tables.items()}
    skip, lenient = set(truth.get("unreadable", [])), set(truth.get("lenient", []))
    out = []
    for t, rows in truth["tables"].items():
        for r, cols in rows.items():
            for c, want in cols.items():
                name = f"{t}.{r}.{c}"
                got = grid.get(t, {}).get(r, {}).get(c)
                ok = got is None if want is None else got is not None and _number(got) == _number(want)
                if name not in skip and not ok and not (got is None and name in lenient):
                    out.append(f"{name}: {want!r}, read {got!r}")
    return out


def _false_errors(truth: dict[str, Any], issues: list[dict[str, Any]]) -> list[str]:
    allowed = truth.get("allowed_errors", [])
    return [
        f"{i['code']}@{i['location']}"
        for i in issues
        if i["severity"] == "error"
        and not any(all(i["location"].get(k) == v for k, v in pat.items()) for pat in allowed)
    ]


def test_every_corpus_golden_holds_its_truth() -> None:
    assert {p.name for p in GOLDEN.glob("corpus-*") if any(p.glob("input.*"))} == {p.name for p in CASES}
    assert len(CASES) >= 11


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_corpus_report_reads_to_its_truth(case: Path) -> None:
    truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
    result = msgspec.to_builtins(parse_case(case))
    assert _misread(truth, result["tables"]) == []
    assert _false_errors(truth, result["issues"]) == []
    assert result["summary"]["valid"] or truth.get("allowed_errors")
