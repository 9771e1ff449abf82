"""Evaluation rules: each rule's passing and failing example, and its location."""

from __future__ import annotations

from typing import Any

import pytest

from reports import values
from service.domain.pipeline import parse_text
from service.domain.render import render_report
from service.domain.rules import RULES
from service.domain.rules.evaluation import EXAMPLES

SOUND_NARRATIVE = {"problems": "一是政策解读形式单一。二是将丰富解读形式，加强业务培训。",
                   "other": "本年度未收取信息处理费。"}


def build(change: dict[str, Any]) -> str:
    v = values(seed=6)
    for table, rows in change.get("tables", {}).items():
        for row, cells in rows.items():
            v[table][row].update(cells)
    text = render_report(v, year=2023, narrative={**SOUND_NARRATIVE, **change.get("narrative", {})})
    for old, new in change.get("replace", []):
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(("code", "passing", "failing"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example(code: str, passing: dict[str, Any], failing: dict[str, Any]) -> None:
    assert RULES[code].family == "evaluation"
    assert code not in [i.code for i in parse_text(build(passing)).issues]
    found = [i for i in parse_text(build(failing)).issues if i.code == code]
    assert len(found) == 1 and found[0].severity == "warning"


def test_every_evaluation_rule_has_an_example() -> None:
    assert {c for c, r in RULES.items() if r.family == "evaluation"} == {e[0] for e in EXAMPLES}


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
    text = build(EXAMPLES[1][2])
    (found,) = [i for i in parse_text(text).issues if i.code == "period-year-mismatch"]
    assert "统计期限" in text.split("\n")[found.location.line - 1]  # type: ignore[operator]
