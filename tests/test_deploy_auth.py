"""Optional API keys on /v1 and CORS for browser clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.api.openapi_docs import sample_report
from service.app import create_app
from service.settings import Settings

KEYS = frozenset({"key-one-0123456789", "key-two-abcdefghij"})
TEXT = {"content-type": "text/plain; charset=utf-8"}
ORIGIN = "https://cms.example.gov.cn"


@pytest.fixture
def keyed() -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(Settings(api_keys=KEYS, log_level="error"))) as c:
        yield c


def v1_routes(app: Litestar) -> list[tuple[str, str]]:
    """Every (method, path) the app serves under /v1, path parameters filled in."""
    out = []
    for route in app.routes:
        if not route.path.startswith("/v1/"):
            continue
        for method in getattr(route, "http_handler_names", None) or route.methods:  # type: ignore[attr-defined]
            if method not in ("OPTIONS", "HEAD"):
                out.append((method, route.path_format.replace("{", "").replace("}", "")))
    return out


def test_every_v1_route_requires_a_key(keyed: TestClient[Litestar]) -> None:
    routes = v1_routes(keyed.app)
    assert ("POST", "/v1/reports/parse") in routes and ("GET", "/v1/rules") in routes
    for method, path in routes:
        response = keyed.request(method, path, content=sample_report().encode(), headers=TEXT)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["type"] == "/problems/unauthorized"


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Bearer wrong-key"},
        {"x-api-key": "wrong-key"},
        {"authorization": "Basic a2V5LW9uZS0wMTIzNDU2Nzg5"},  # right key, wrong scheme
        {"authorization": "Bearer key-one-0123456789x"},
        {"authorization": "Bearer key-one-012345678"},
        {"authorization": "Bearer "},
        {"x-api-key": ""},
    ],
)
def test_wrong_or_missing_keys_are_refused(keyed: TestClient[Litestar], headers: dict[str, str]) -> None:
    response = keyed.post("/v1/reports/validate", content=sample_report().encode(), headers={**TEXT, **headers})
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/unauthorized"
    assert response.json()["status"] == 401


@pytest.mark.parametrize(
    "headers",
    [
        {"authorization": "Bearer key-one-0123456789"},
        {"authorization": "bearer key-two-abcdefghij"},
        {"x-api-key": "key-two-abcdefghij"},
    ],
)
def test_a_valid_key_is_accepted_either_way(keyed: TestClient[Litestar], headers: dict[str, str]) -> None:
    response = keyed.post("/v1/reports/validate", content=sample_report().encode(), headers={**TEXT, **headers})
    assert response.status_code == 200
    assert keyed.get("/v1/rules", headers=headers).status_code == 200


def test_unauthenticated_requests_are_refused_before_the_body_is_parsed(keyed: TestClient[Litestar]) -> None:
    # An empty body would be a 400 if the handler ran; the guard answers first.
    response = keyed.post("/v1/reports/parse", content=b"", headers=TEXT)
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/schema/openapi.json", "/problems/unauthorized"])
def test_operations_routes_stay_open(keyed: TestClient[Litestar], path: str) -> None:
    assert keyed.get(path).status_code == 200


def test_no_keys_configured_means_open(client: TestClient[Litestar]) -> None:
    response = client.post("/v1/reports/validate", content=sample_report().encode(), headers=TEXT)
    assert response.status_code == 200


def test_keys_from_a_mounted_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "api-keys"
    # One key per line as a Kubernetes Secret mounts it; blank lines and padding ignored.
    secret.write_text("file-key-1\n\n  file-key-2  \n", encoding="utf-8")
    settings = Settings.from_env({"NIANBAO_API_KEYS_FILE": str(secret), "NIANBAO_API_KEYS": "env-key"})
    assert settings.api_keys == {"file-key-1", "file-key-2", "env-key"}
    with TestClient(create_app(settings)) as c:
        for key in ("file-key-1", "file-key-2", "env-key"):
            assert c.get("/v1/rules", headers={"x-api-key": key}).status_code == 200
        assert c.get("/v1/rules", headers={"x-api-key": "file-key-3"}).status_code == 401


def test_openapi_documents_the_schemes(keyed: TestClient[Litestar], client: TestClient[Litestar]) -> None:
    keyed_doc = keyed.get("/schema/openapi.json").json()
    open_doc = client.get("/schema/openapi.json").json()
    for doc in (keyed_doc, open_doc):
        schemes = doc["components"]["securitySchemes"]
        assert schemes["bearerAuth"]["scheme"] == "bearer"
        assert schemes["apiKeyHeader"]["name"] == "X-API-Key"
        assert doc["paths"]["/healthz"]["get"].get("security") is None
        assert doc["paths"]["/metrics"]["get"].get("security") is None
    for path, item in keyed_doc["paths"].items():
        if path.startswith("/v1/"):
            for op in item.values():
                assert {} not in op["security"], path
                assert {"bearerAuth": []} in op["security"], path
    for path, item in open_doc["paths"].items():
        if path.startswith("/v1/"):
            for op in item.values():
                assert {} in op["security"], path  # keys optional when none are configured


def test_cors_is_off_unless_origins_are_configured(client: TestClient[Litestar]) -> None:
    response = client.get("/v1/rules", headers={"origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_cors_lets_a_configured_origin_call_with_a_key() -> None:
    settings = Settings(api_keys=KEYS, cors_origins=(ORIGIN,), log_level="error")
    with TestClient(create_app(settings)) as c:
        preflight = c.options(
            "/v1/reports/validate",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )
        # The preflight carries no key (browsers never send one) and must still pass.
        assert preflight.status_code in (200, 204)
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        response = c.post(
            "/v1/reports/validate",
            content=sample_report().encode(),
            headers={**TEXT, "origin": ORIGIN, "authorization": "Bearer key-one-0123456789"},
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        other = c.get("/v1/rules", headers={"origin": "https://evil.example", "x-api-key": "key-one-0123456789"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


@pytest.mark.parametrize("path", ["/v1/rules/", "/v1//rules", "/v1/./rules", "/x/../v1/rules", "//v1/rules", "/V1/rules"])
def test_path_tricks_do_not_bypass_the_key(keyed: TestClient[Litestar], path: str) -> None:
    # Either the route is not found or the key is demanded; never served without one.
    assert keyed.get(path).status_code in (401, 404)


def test_guard_runs_on_the_event_loop() -> None:
    """A plain-function guard would be run by Litestar in a worker thread on every request
    (a thread hop costing more than /healthz itself); the guard is a coroutine."""
    import inspect

    from service.api.auth import api_key_guard

    assert inspect.iscoroutinefunction(api_key_guard(["a-key"]))
    assert inspect.iscoroutinefunction(api_key_guard([]))
