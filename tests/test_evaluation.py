"""Evaluation rules on whole reports: a sound one passes, and the cases of each rule beyond
its own examples (which tests/test_rule_examples.py runs)."""

from __future__ import annotations

from typing import Any

import pytest

from reports import values
from service.domain.pipeline import parse_text
from service.domain.render import render_report

SOUND_NARRATIVE = {"problems": "一是政策解读形式单一。二是将丰富解读形式，加强业务培训。",
                   "other": "本年度未收取信息处理费。"}


def build(change: dict[str, Any]) -> str:
    """A sound rendered 2023 report with the text of some parts (`narrative`, by section
    key) and some cells (`tables`, table → row → column) changed."""
    v = values(seed=6)
    for table, rows in change.get("tables", {}).items():
        for row, cells in rows.items():
            v[table][row].update(cells)
    return render_report(v, year=2023, narrative={**SOUND_NARRATIVE, **change.get("narrative", {})})


def test_sound_report_has_no_evaluation_finding() -> None:
    result = parse_text(build({}))
    assert [i.code for i in result.issues] == []


@pytest.mark.parametrize(("problems", "thin"), [
    ("", True), ("无", True), ("暂无。", True), ("本年度工作还存在一些不足，将在下一年度改进。", True),
    ("一是培训不足。二是加强培训。", False),
])
def test_problems_thin_cases(problems: str, thin: bool) -> None:
    text = build({"narrative": {"problems": problems or " "}})
    found = [i for i in parse_text(text).issues if i.code == "problems-thin"]
    assert bool(found) is thin
    if found:
        assert found[0].location.section == "problems" and found[0].location.line


def test_fees_in_table_with_other_none() -> None:
    text = build({"narrative": {"other": "无。"}, "tables": {"active_disclosure": {"fees": {"amount": "3.2"}}}})
    found = [i for i in parse_text(text).issues if i.code == "other-says-none"]
    assert len(found) == 1 and "3.2" in found[0].message
    zero = build({"narrative": {"other": "无。"}, "tables": {"active_disclosure": {"fees": {"amount": "0"}}}})
    assert "other-says-none" not in [i.code for i in parse_text(zero).issues]


def test_period_line_is_located() -> None:
    text = build({"narrative": {"overview": "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"}})
    (found,) = [i for i in parse_text(text).issues if i.code == "period-year-mismatch"]
    assert "统计期限" in text.split("\n")[found.location.line - 1]  # type: ignore[operator]
