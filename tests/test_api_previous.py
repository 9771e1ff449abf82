"""`previous` in parse and validate: last year's report in the same request."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from reports import consecutive, own_problems, report

PARSE = "/v1/reports/parse"
VALIDATE = "/v1/reports/validate"


def _pair(plant: int = 0) -> tuple[str, str]:
    before, now = consecutive(seed=31)
    before["applications"]["carried_forward"]["natural_person"] += plant
    before["applications"]["carried_forward"]["total"] += plant
    return (report(now, year=2024, narrative=own_problems(2024)),
            report(before, year=2023, narrative=own_problems(2023)))


def _codes(body: dict[str, Any]) -> list[str]:
    return [i["code"] for i in body["issues"]]


def test_json_previous_agreeing_adds_nothing(client: TestClient[Litestar]) -> None:
    now, before = _pair()
    r = client.post(VALIDATE, json={"content": now, "previous": {"content": before}})
    assert r.status_code == 200, r.text
    assert r.json()["issues"] == [] and r.json()["summary"]["valid"]


def test_json_previous_mismatch_is_an_error_at_this_years_cell(client: TestClient[Litestar]) -> None:
    now, before = _pair(plant=2)
    r = client.post(PARSE, json={"content": now, "previous": {"content": before, "filename": "2023.txt"}})
    body = r.json()
    found = [i for i in body["issues"] if i["code"] == "carried-over-mismatch"]
    assert [(i["location"]["row"], i["location"]["column"]) for i in found] == [
        ("carried_over", "natural_person"), ("carried_over", "total")]
    assert body["summary"]["valid"] is False and body["summary"]["errors"] == 2
    row = next(r for r in body["tables"]["applications"]["rows"] if r["key"] == "carried_over")
    assert found[0]["location"]["line"] == row["line"]
    assert found[0]["actual"] == row["values"]["natural_person"]
    assert found[0]["expected"] == found[0]["actual"] + 2


def test_multipart_previous(client: TestClient[Litestar]) -> None:
    now, before = _pair(plant=1)
    # last year's part of a generic type: its first bytes say it is text
    r = client.post(VALIDATE, files={"file": ("2024.txt", now.encode(), "text/plain"),
                                     "previous": ("2023.txt", before.encode(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert "carried-over-mismatch" in _codes(r.json())


def test_previous_of_another_year_is_a_warning(client: TestClient[Litestar]) -> None:
    now, _ = _pair()
    r = client.post(VALIDATE, json={"content": now, "previous": {"content": now}})
    assert _codes(r.json()) == ["previous-not-comparable"]
    assert r.json()["summary"]["valid"] is True


def test_bad_previous_is_a_problem_naming_it(client: TestClient[Litestar]) -> None:
    now, _ = _pair()
    r = client.post(VALIDATE, json={"content": now, "previous": {"content": "  "}})
    assert r.status_code == 400 and r.json()["type"] == "/problems/empty-body"
    assert "previous" in r.json()["detail"]
    r = client.post(VALIDATE, json={"content": now, "previous": {"text": "x"}})
    assert r.status_code == 422 and r.json()["type"] == "/problems/invalid-request"
    r = client.post(VALIDATE, files={"file": ("a.txt", now.encode(), "text/plain"),
                                     "previous": ("b.pdf", b"%PDF-1.4 broken", "application/pdf")})
    assert r.status_code == 422 and "previous" in r.json()["detail"]
