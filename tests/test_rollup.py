"""Rollup: a summary report against the reports it sums (domain and endpoint); each rule's
own examples are run by tests/test_rule_examples.py."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from reports import report, values
from results import merged, result_of
from service.api.rollup import MAX_PARTS
from service.domain.pipeline import parse_text
from service.domain.render import summed_values
from service.domain.rules.rollup import compare

ROLLUP = "/v1/reports/rollup"


BASE = {"meta": {"year": 2024}}


def _results(summary: dict[str, Any], parts: list[dict[str, Any]]) -> tuple[Any, list[Any]]:
    """The summary and its parts as parse results, each fragment laid over `BASE`."""
    return result_of(merged(BASE, summary)), [result_of(merged(BASE, p)) for p in parts]


def _documents(plant: bool = False) -> tuple[str, list[str]]:
    parts = [values(seed=s) for s in (2, 3, 4)]
    total = summed_values(parts)
    if plant:
        total["applications"]["granted"]["natural_person"] += 1
    summary = report(total, agency="示例县人民政府", year=2023)
    return summary, [report(p, agency=f"示例县第{n}局", year=2023) for n, p in enumerate(parts, 1)]


def test_rollup_of_rendered_reports_agrees_then_a_planted_cell_is_caught() -> None:
    summary, parts = _documents()
    assert compare(parse_text(summary), [parse_text(p) for p in parts]) == []
    summary, parts = _documents(plant=True)
    top = parse_text(summary)
    found = [i for i in compare(top, [parse_text(p) for p in parts]) if i.code == "rollup-mismatch"]
    assert [(i.location.table, i.location.row, i.location.column) for i in found] == [
        ("applications", "granted", "natural_person")]
    row = next(r for r in top.tables.applications.rows if r.key == "granted")  # type: ignore[union-attr]
    assert found[0].location.line == row.line
    assert found[0].actual == found[0].expected + 1  # type: ignore[operator]


def test_amounts_are_summed_as_decimals() -> None:
    summary, parts = _results({"tables": {"active_disclosure": {"fees": {"amount": "1.30"}}}},
                              [{"tables": {"active_disclosure": {"fees": {"amount": "0.1"}}}},
                               {"tables": {"active_disclosure": {"fees": {"amount": "1.2"}}}}])
    assert compare(summary, parts) == []
    summary, parts = _results({"tables": {"active_disclosure": {"fees": {"amount": "1.4"}}}},
                              [{"tables": {"active_disclosure": {"fees": {"amount": "0.1"}}}},
                               {"tables": {"active_disclosure": {"fees": {"amount": "1.2"}}}}])
    (issue,) = compare(summary, parts)
    assert (issue.expected, issue.actual) == ("1.3", "1.4")


def test_endpoint_json(client: TestClient[Litestar]) -> None:
    summary, parts = _documents(plant=True)
    r = client.post(ROLLUP, json={"summary": {"content": summary}, "parts": [{"content": p} for p in parts]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [i["code"] for i in body["issues"]] == ["rollup-mismatch"]
    assert body["issues"][0]["location"]["row"] == "granted"
    assert body["summary"]["valid"] is False
    assert len(body["parts"]) == 3 and body["parts"][0]["meta"]["agency"] == "示例县第1局"
    assert body["report"]["meta"]["agency"] == "示例县人民政府"


def test_endpoint_multipart(client: TestClient[Litestar]) -> None:
    summary, parts = _documents()
    files = [("summary", ("县.txt", summary.encode(), "text/plain"))]
    files += [("parts", (f"{n}.txt", p.encode(), "text/plain")) for n, p in enumerate(parts)]
    r = client.post(ROLLUP, files=files)
    assert r.status_code == 200, r.text
    assert r.json()["issues"] == [] and r.json()["summary"]["valid"] is True


def test_endpoint_bounds_and_bad_requests(client: TestClient[Litestar]) -> None:
    summary, parts = _documents()
    too_many = [{"content": parts[0]}] * (MAX_PARTS + 1)
    r = client.post(ROLLUP, json={"summary": {"content": summary}, "parts": too_many})
    assert r.status_code == 413 and r.json()["type"] == "/problems/too-many-parts"
    r = client.post(ROLLUP, json={"summary": {"content": summary}, "parts": []})
    assert r.status_code == 422 and r.json()["type"] == "/problems/invalid-request"
    r = client.post(ROLLUP, json={"parts": [{"content": parts[0]}]})
    assert r.status_code == 422
    r = client.post(ROLLUP, json={"summary": {"content": summary}, "parts": [{"content": " "}]})
    assert r.status_code == 400 and "parts[1]" in r.json()["detail"]
    r = client.post(ROLLUP, content=summary.encode(), headers={"content-type": "text/plain"})
    assert r.status_code == 415


def test_unknown_years_give_one_warning_each() -> None:
    unknown = compare(result_of({}), [result_of(BASE), result_of(BASE)])
    assert [i.code for i in unknown] == ["rollup-not-comparable"]
    parts = compare(result_of(BASE), [result_of({"meta": {"year": 2023}}), result_of({})])
    assert [i.code for i in parts] == ["rollup-not-comparable"] * 2
