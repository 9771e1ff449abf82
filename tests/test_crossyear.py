"""Cross-year rules: a planted mismatch caught at its cell in a real pair of rendered
reports, and the consecutive corpus pair 洪泽区 2023 → 2024 (each rule's own examples are
run by tests/test_rule_examples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports import consecutive, own_problems
from service.domain.formats import parse_file
from service.domain.models import summarise
from service.domain.pipeline import parse_text
from service.domain.render import render_report
from service.domain.rules import RULES
from service.domain.rules.crossyear import compare, with_previous

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.parametrize("layout", ["tab", "pipe", "cell-per-line", "markdown"])
def test_consecutive_reports_agree_and_a_planted_mismatch_is_caught(layout: str) -> None:
    before, now = consecutive(seed=21)
    previous = parse_text(render_report(before, layout=layout, year=2023, narrative=own_problems(2023)))
    current = parse_text(render_report(now, layout=layout, year=2024, narrative=own_problems(2024)))
    assert current.summary.errors == 0 and previous.summary.errors == 0
    assert compare(current, previous) == []
    # Plant: last year's 结转下年度·自然人 one higher (and its total, so last year adds up
    # except for its balance, which the arithmetic rules report in last year's report).
    planted = before["applications"]["carried_forward"]
    planted["natural_person"] += 1
    planted["total"] += 1
    previous = parse_text(render_report(before, layout=layout, year=2023, narrative=own_problems(2023)))
    found = [i for i in compare(current, previous) if i.code == "carried-over-mismatch"]
    assert [(i.location.row, i.location.column) for i in found] == [
        ("carried_over", "natural_person"), ("carried_over", "total")]
    row = next(r for r in current.tables.applications.rows if r.key == "carried_over")  # type: ignore[union-attr]
    assert found[0].location.line == row.line
    assert found[0].expected == planted["natural_person"]
    assert found[0].actual == now["applications"]["carried_over"]["natural_person"]


def test_in_force_planted() -> None:
    before, now = consecutive(seed=4)
    now["active_disclosure"]["regulations"]["in_force"] += 2  # type: ignore[operator]
    found = compare(parse_text(render_report(now, year=2024, narrative=own_problems(2024))), parse_text(render_report(before, year=2023, narrative=own_problems(2023))))
    assert [(i.code, i.location.row, i.location.column) for i in found] == [
        ("in-force-discontinuity", "regulations", "in_force")]


def test_unsure_cells_are_not_compared() -> None:
    before, now = consecutive(seed=8)
    before["applications"]["carried_forward"]["natural_person"] = None  # blank last year
    now["applications"]["carried_over"]["total"] = "三"  # text this year
    found = compare(parse_text(render_report(now, year=2024, narrative=own_problems(2024))), parse_text(render_report(before, year=2023, narrative=own_problems(2023))))
    assert [i for i in found if i.code == "carried-over-mismatch"] == []


@pytest.mark.parametrize(("year", "agency"), [(2022, "示例市示例局"), (2024, "示例市示例局"), (2023, "另一市另一局")])
def test_not_comparable_skips_the_rules(year: int, agency: str) -> None:
    before, now = consecutive(seed=8)
    now["applications"]["carried_over"]["total"] += 5  # type: ignore[operator]
    found = compare(parse_text(render_report(now, year=2024, narrative=own_problems(2024))),
                    parse_text(render_report(before, year=year, agency=agency, narrative=own_problems(2023))))
    assert [i.code for i in found] == ["previous-not-comparable"]


def test_with_previous_recounts_the_summary() -> None:
    (example,) = RULES["carried-over-mismatch"].failing
    current = parse_text(example.report)
    result = with_previous(current, parse_text(example.previous or ""))
    assert result.issues[: len(current.issues)] == current.issues
    assert result.summary == summarise(result.issues)
    assert result.summary.errors == current.summary.errors + 2 and not result.summary.valid


@pytest.mark.parametrize("form", ["pdf", "layout.txt", "pdfplumber.txt"])
def test_hongze_2023_to_2024_has_no_cross_year_finding(form: str) -> None:
    """The real pair agrees: 结转 0 → 0, 规范性文件 5 + 3 − 0 = 8; 五 shares 2 of 5 sentences."""
    def load(year: int):  # type: ignore[no-untyped-def]
        data = (CORPUS / f"huaian-hongze-{year}.{form}").read_bytes()
        return parse_file(data, "pdf" if form == "pdf" else "text")
    assert compare(load(2024), load(2023)) == []


def test_cli_previous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from service.cli import main

    before, now = consecutive(seed=12)
    before["applications"]["carried_forward"]["other"] += 1  # type: ignore[operator]
    before["applications"]["carried_forward"]["total"] += 1  # type: ignore[operator]
    (tmp_path / "2024.txt").write_text(render_report(now, year=2024, narrative=own_problems(2024)), encoding="utf-8")
    (tmp_path / "2023.txt").write_text(render_report(before, year=2023, narrative=own_problems(2023)), encoding="utf-8")
    status = main(["parse", "--validate", "--json", str(tmp_path / "2024.txt"), "--previous", str(tmp_path / "2023.txt")])
    out = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [(i["code"], i["location"]["column"]) for i in out["issues"]] == [
        ("carried-over-mismatch", "other"), ("carried-over-mismatch", "total")]
