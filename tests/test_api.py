"""The HTTP contract: accepted forms, every bad-request path, the GB18030 path, logging."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from structlog.testing import capture_logs

from reports import report
from service.app import create_app
from service.settings import Settings

PARSE = "/v1/reports/parse"
VALIDATE = "/v1/reports/validate"
TEXT = {"content-type": "text/plain; charset=utf-8"}


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


def test_parse_text_returns_everything(client: TestClient[Litestar]) -> None:
    r = client.post(PARSE, content=report().encode(), headers=TEXT)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"template", "meta", "sections", "tables", "issues", "summary", "stats"}
    assert body["template"] == "2021"
    assert body["meta"] == {"title": "示例市示例局2023年政府信息公开工作年度报告", "agency": "示例市示例局",
                            "year": 2023, "published": "2024-01-20"}
    assert [s["key"] for s in body["sections"]] == [
        "overview", "active_disclosure", "applications", "reviews_litigation", "problems", "other"]
    assert set(body["tables"]) == {"active_disclosure", "applications", "reviews_litigation"}
    assert body["summary"] == {"valid": True, "errors": 0, "warnings": 0, "infos": 0}


def test_validate_omits_sections_and_tables(client: TestClient[Litestar]) -> None:
    r = client.post(VALIDATE, content=report().encode(), headers=TEXT)
    assert r.status_code == 200
    assert set(r.json()) == {"template", "meta", "issues", "summary", "stats"}


def test_report_with_errors_is_still_200(client: TestClient[Litestar]) -> None:
    text = report().replace("一、总体情况", "").replace("\t（七）总计\t", "\t（七）总计\t1")
    r = client.post(VALIDATE, content=text.encode(), headers=TEXT)
    assert r.status_code == 200
    assert r.json()["summary"]["valid"] is False


def test_json_body(client: TestClient[Litestar]) -> None:
    r = client.post(PARSE, json={"content": report(), "filename": "a.txt"})
    assert r.status_code == 200
    assert r.json()["template"] == "2021"


@pytest.mark.parametrize("charset", ["gbk", "GB18030", "gb2312"])
def test_gb18030_with_declared_charset(client: TestClient[Litestar], charset: str) -> None:
    text = report()
    r = client.post(VALIDATE, content=text.encode("gb18030"), headers={"content-type": f"text/plain; charset={charset}"})
    assert r.status_code == 200
    assert r.json()["meta"]["agency"] == "示例市示例局"


def test_gb18030_detected_without_charset(client: TestClient[Litestar]) -> None:
    r = client.post(VALIDATE, content=report().encode("gb18030"), headers={"content-type": "text/plain"})
    assert r.status_code == 200
    body = r.json()
    assert body["meta"]["agency"] == "示例市示例局"
    assert body["summary"]["valid"] is True


def test_utf8_bom_and_crlf(client: TestClient[Litestar]) -> None:
    data = b"\xef\xbb\xbf" + report().replace("\n", "\r\n").encode()
    r = client.post(VALIDATE, content=data, headers={"content-type": "text/plain"})
    assert r.status_code == 200
    assert r.json()["summary"]["errors"] == 0


@pytest.mark.parametrize(
    ("content_type", "body", "status", "slug"),
    [
        ("image/png", b"\x89PNG....", 415, "unsupported-media-type"),
        ("application/xml", b"<a/>", 415, "unsupported-media-type"),
        (None, b"abc", 415, "unsupported-media-type"),
        ("text/plain; charset=utf-8", b"\xff\xfe\xfa\xc3", 400, "undecodable-body"),
        ("text/plain", b"\x80\xff\x80\xff\x81", 400, "undecodable-body"),
        ("text/plain; charset=nonsense-8", "报告".encode(), 400, "undecodable-body"),
        ("text/plain", b"", 400, "empty-body"),
        ("text/plain", b"  \n\t ", 400, "empty-body"),
        ("application/json", b"", 400, "empty-body"),
        ("application/json", b'{"content": "  "}', 400, "empty-body"),
        ("application/json", b'{"content": "a"', 400, "malformed-json"),
        ("application/json", b"\xff{}", 400, "malformed-json"),
        ("application/json", b"{}", 422, "invalid-request"),
        ("application/json", b'{"content": 5}', 422, "invalid-request"),
        ("application/json", b'["content"]', 422, "invalid-request"),
        ("application/json", b'{"content": "x", "format": "pdfx"}', 422, "invalid-request"),
    ],
)
def test_bad_requests(client: TestClient[Litestar], content_type: str | None, body: bytes, status: int, slug: str) -> None:
    headers = {"content-type": content_type} if content_type else {}
    for path in (PARSE, VALIDATE):
        r = client.post(path, content=body, headers=headers)
        problem = _problem(r, status, slug)
        assert problem["instance"] == path


def test_oversized_body_is_413() -> None:
    app = create_app(Settings(max_body_bytes=1000))
    with TestClient(app) as c:
        r = c.post(PARSE, content=("报" * 2000).encode(), headers=TEXT)
        _problem(r, 413, "body-too-large")
        r = c.post(PARSE, content="一、总体情况\n本年度无。\n".encode(), headers=TEXT)
        assert r.status_code == 200


def test_unknown_route_and_method(client: TestClient[Litestar]) -> None:
    _problem(client.get("/v1/nothing"), 404, "not-found")
    _problem(client.get(PARSE), 405, "method-not-allowed")


def test_problem_types_resolve(client: TestClient[Litestar]) -> None:
    r = client.post(PARSE, content=b"", headers=TEXT)
    type_uri = r.json()["type"]
    described = client.get(type_uri)
    assert described.status_code == 200
    assert described.json()["slug"] == "empty-body"
    _problem(client.get("/problems/no-such-type"), 404, "not-found")


def test_rules_endpoint_lists_the_catalogue(client: TestClient[Litestar]) -> None:
    from service.domain.rules import RULES

    r = client.get("/v1/rules")
    assert r.status_code == 200
    rules = r.json()
    assert {x["code"] for x in rules} == set(RULES)
    for x in rules:
        assert set(x) == {"code", "severity", "title", "description", "family", "passing", "failing"}
        assert x["severity"] in ("error", "warning", "info")
        # Each rule documents itself with report fragments it passes and fails.
        assert x["passing"] and x["failing"]
        assert all(isinstance(e["report"], str) and set(e) <= {"report", "at", "previous", "parts"}
                   for e in x["passing"] + x["failing"])
    # A rule comparing reports shows the others with each example.
    carried = next(x for x in rules if x["code"] == "carried-over-mismatch")
    assert all(isinstance(e["previous"], str) for e in carried["passing"] + carried["failing"])
    rollup = next(x for x in rules if x["code"] == "rollup-mismatch")
    assert all(len(e["parts"]) == 2 for e in rollup["passing"] + rollup["failing"])


def test_health_and_readiness(client: TestClient[Litestar]) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready"}


def test_readiness_is_503_before_startup() -> None:
    app = create_app(Settings())
    client = TestClient(app)  # not entered: lifespan has not run
    assert client.get("/readyz").status_code == 503


def test_one_log_line_per_request_without_report_text(client: TestClient[Litestar]) -> None:
    text = report().replace("本年度总体情况如下。", "联系人张三，电话13812345678。")
    with capture_logs() as logs:
        r = client.post(PARSE, content=text.encode(), headers={**TEXT, "x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    lines = [e for e in logs if e["event"] == "request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["method"] == "POST" and line["path"] == PARSE and line["status"] == 200
    assert line["request_id"] == "abc-123"
    assert line["body_bytes"] == len(text.encode())
    assert line["duration_ms"] >= 0
    dumped = msgspec.json.encode(logs).decode()
    assert "张三" not in dumped and "13812345678" not in dumped and "示例市示例局" not in dumped


def test_invalid_request_id_is_replaced(client: TestClient[Litestar]) -> None:
    r = client.get("/healthz", headers={"x-request-id": "bad id; with spaces"})
    assert r.headers["x-request-id"] != "bad id; with spaces"
    assert len(r.headers["x-request-id"]) == 32


def test_error_responses_are_logged_too(client: TestClient[Litestar]) -> None:
    with capture_logs() as logs:
        client.get("/nowhere")
    assert [(e["path"], e["status"]) for e in logs if e["event"] == "request"] == [("/nowhere", 404)]
