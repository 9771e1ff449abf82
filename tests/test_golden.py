"""Golden tests: every directory under tests/golden is an input and the result it must give."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from golden_support import golden_cases, parse_case, snapshot


@pytest.mark.parametrize("case", golden_cases(), ids=lambda p: p.name)
def test_golden(case: Path) -> None:
    expected = msgspec.json.decode((case / "expected.json").read_bytes())
    assert snapshot(case) == expected


@pytest.mark.parametrize(
    "case", [c for c in golden_cases() if c.name.startswith("seed-")], ids=lambda p: p.name
)
def test_seed_reports_have_no_errors(case: Path) -> None:
    """The seeds are real published reports whose numbers add up: warnings only."""
    result = parse_case(case)
    assert [i.code for i in result.issues if i.severity == "error"] == []
    assert result.summary.valid
    assert result.template in ("2021", "2019")
    assert len(result.sections) >= 5
