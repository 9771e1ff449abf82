"""The committed contract is what the app serves; every operation is documented."""

from __future__ import annotations

from pathlib import Path

import msgspec
from litestar import Litestar
from litestar.testing import TestClient

from service.cli import openapi_document

COMMITTED = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
REGENERATE = "uv run nianbao openapi -o openapi/openapi.json"


def test_committed_openapi_matches_the_app() -> None:
    assert COMMITTED.read_bytes() == openapi_document(), f"openapi/openapi.json is stale: run `{REGENERATE}`"


def test_served_document_is_the_generated_one(client: TestClient[Litestar]) -> None:
    served = client.get("/schema/openapi.json")
    assert served.status_code == 200
    assert msgspec.json.decode(served.content) == msgspec.json.decode(COMMITTED.read_bytes())


def test_every_operation_has_id_summary_and_examples() -> None:
    doc = msgspec.json.decode(COMMITTED.read_bytes())
    ids = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "delete", "patch"):
                continue
            assert op.get("operationId"), (path, method)
            assert op.get("summary"), (path, method)
            ids.append(op["operationId"])
            ok_content = op["responses"]["200"].get("content", {})
            for media in ok_content.values():
                assert media.get("examples") or media.get("example"), (path, method)
            if path.startswith("/v1/reports/"):
                for media, body in op["requestBody"]["content"].items():
                    assert body.get("examples") or body.get("example"), (path, media)
                ok = op["responses"]["200"]["content"]["application/json"]
                assert ok.get("examples"), path
                for status in ("400", "401", "413", "415", "422"):
                    assert "application/problem+json" in op["responses"][status]["content"], (path, status)
    assert len(ids) == len(set(ids))
    assert {"parseReport", "validateReport", "listRules", "healthz", "readyz"} <= set(ids)


def test_schemas_name_every_field_and_enum() -> None:
    doc = msgspec.json.decode(COMMITTED.read_bytes())
    schemas = doc["components"]["schemas"]
    issue = schemas["Issue"]["properties"]
    assert set(issue) >= {"code", "severity", "message", "location", "expected", "actual"}
    severity = msgspec.json.encode(issue["severity"]).decode()
    for level in ("error", "warning", "info"):
        assert level in severity
    template = msgspec.json.encode(schemas["ParseResult"]["properties"]["template"]).decode()
    for name in ("2021", "2019", "unknown"):
        assert name in template
    assert set(schemas["Location"]["properties"]) >= {"section", "table", "row", "column", "line"}
