"""`POST /v1/batches`: NDJSON, one line per report, a bad file among good ones survives."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from litestar.testing import TestClient

from reports import report, values, zip_of as _zip
from service.app import create_app
from service.settings import Settings

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def client() -> TestClient:  # type: ignore[type-arg]
    with TestClient(create_app(Settings(log_level="error", batch_max_files=20))) as c:
        yield c


def _lines(text: str) -> list[dict]:  # type: ignore[type-arg]
    return [msgspec.json.decode(line) for line in text.splitlines()]


def _wrong() -> bytes:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    return report(v).encode("utf-8")


def test_zip_batch_streams_one_line_per_report(client: TestClient) -> None:  # type: ignore[type-arg]
    pdf = (GOLDEN / "corpus-huaian-hongze-2024-pdf" / "input.pdf").read_bytes()
    body = _zip({
        "a/seed.txt": (GOLDEN / "seed-001" / "input.txt").read_bytes(),
        "a/wrong.txt": _wrong(),
        "b/broken.docx": b"PK\x03\x04 truncated",
        "b/report.pdf": pdf,
        "../../etc/escape.txt": b"x",
        "readme.json": b"{}",
    })
    r = client.post("/v1/batches", content=body, headers={"content-type": "application/zip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = _lines(r.text)
    assert [x["name"] for x in lines] == ["a/seed.txt", "a/wrong.txt", "b/broken.docx", "b/report.pdf"]
    seed, wrong, broken, pdf_line = lines
    assert seed["status"] == 200 and seed["result"]["summary"]["valid"] is True
    assert "tables" not in seed["result"]
    assert [i["code"] for i in wrong["result"]["issues"]] == ["cell-likely-wrong"]
    assert broken["status"] == 422 and broken["problem"]["type"] == "/problems/unsupported-document"
    assert pdf_line["status"] == 200 and pdf_line["result"]["template"] == "2021"


def test_multipart_batch(client: TestClient) -> None:  # type: ignore[type-arg]
    files = [
        ("files", ("一.txt", report().encode("utf-8"), "text/plain")),
        ("files", ("二.txt", _wrong(), "application/octet-stream")),
        ("files", ("空.txt", b"", "text/plain")),
        ("files", ("图.png", b"\x89PNG....", "image/png")),
    ]
    r = client.post("/v1/batches", files=files)
    assert r.status_code == 200
    lines = _lines(r.text)
    assert [(x["name"], x["status"]) for x in lines] == [("一.txt", 200), ("二.txt", 200), ("空.txt", 400), ("图.png", 415)]
    assert lines[1]["result"]["summary"]["valid"] is False


@pytest.mark.parametrize(
    ("body", "content_type", "status", "slug"),
    [
        (b"not a zip", "application/zip", 422, "unsupported-document"),
        (b"hello", "text/plain", 415, "unsupported-media-type"),
        (_zip({"x.json": b"{}"}), "application/zip", 400, "empty-body"),
        (_zip({f"{n}.txt": b"x" for n in range(21)}), "application/zip", 422, "unsupported-document"),
    ],
)
def test_batch_level_problems(client: TestClient, body: bytes, content_type: str, status: int, slug: str) -> None:  # type: ignore[type-arg]
    r = client.post("/v1/batches", content=body, headers={"content-type": content_type})
    assert r.status_code == status, r.text
    assert r.json()["type"] == f"/problems/{slug}"


def test_zip_bomb_member_is_a_line_and_total_is_bounded() -> None:
    settings = Settings(log_level="error", max_body_bytes=10_000, batch_max_bytes=50_000)
    body = _zip({"bomb.txt": b"0" * 1_000_000, "ok.txt": report().encode("utf-8")})
    assert len(body) < 10_000
    with TestClient(create_app(settings)) as c:
        r = c.post("/v1/batches", content=body, headers={"content-type": "application/zip"})
        assert r.status_code == 200
        bomb, ok = _lines(r.text)
        assert bomb["name"] == "bomb.txt" and bomb["status"] == 422
        assert ok["status"] == 200
        big = _zip({f"{n}.txt": b"1" * 9_000 for n in range(8)})
        r = c.post("/v1/batches", content=big, headers={"content-type": "application/zip"})
        assert r.status_code == 422 and "50000" in r.json()["detail"]


def test_batch_body_limit_is_its_own() -> None:
    settings = Settings(log_level="error", max_body_bytes=1_000, batch_max_bytes=2_000)
    with TestClient(create_app(settings)) as c:
        r = c.post("/v1/batches", content=b"PK\x03\x04" + b"0" * 3_000, headers={"content-type": "application/zip"})
        assert r.status_code == 413
