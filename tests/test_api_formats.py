"""The report endpoints take HTML, Word, PDF and multipart uploads; bad files get problems."""

from __future__ import annotations

import io
import zipfile

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from golden_support import GOLDEN
from renderings import comparable_tables, to_docx, to_html
from service.domain.formats import DOCX
from service.domain.pipeline import parse_bytes
from test_formats_pdf import image_only_pdf

SEED = GOLDEN / "seed-002" / "input.txt"
PDF = GOLDEN / "corpus-huaian-hongze-2024-pdf" / "input.pdf"


def _tables(body: dict) -> dict:
    for t in body["tables"].values():
        if t:
            t.pop("line", None)
            for r in t["rows"]:
                r.pop("line", None)
    return body["tables"]


@pytest.fixture(scope="module")
def expected() -> dict:
    return comparable_tables(parse_bytes(SEED.read_bytes()))


def test_html_raw_and_as_json(client: TestClient[Litestar], expected: dict) -> None:
    html = to_html(parse_bytes(SEED.read_bytes()))
    r = client.post("/v1/reports/parse", content=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    assert r.status_code == 200
    assert _tables(r.json()) == expected
    r = client.post("/v1/reports/parse", json={"content": html, "format": "html"})
    assert r.status_code == 200
    assert _tables(r.json()) == expected
    cells = [i["location"].get("cell") for i in r.json()["issues"] if i["location"].get("column")]
    assert all(c is None or c.startswith("T") for c in cells)


def test_docx_raw_and_multipart(client: TestClient[Litestar], expected: dict) -> None:
    data = to_docx(parse_bytes(SEED.read_bytes()))
    r = client.post("/v1/reports/parse", content=data, headers={"Content-Type": DOCX})
    assert r.status_code == 200
    assert _tables(r.json()) == expected
    r = client.post("/v1/reports/parse", files={"file": ("年报.docx", data, "application/octet-stream")})
    assert r.status_code == 200
    assert _tables(r.json()) == expected


def test_pdf_raw_and_multipart_sniffed(client: TestClient[Litestar]) -> None:
    data = PDF.read_bytes()
    raw = client.post("/v1/reports/validate", content=data, headers={"Content-Type": "application/pdf"})
    assert raw.status_code == 200
    assert raw.json()["summary"]["errors"] == 0
    upload = client.post("/v1/reports/validate", files={"file": ("report", data, "application/octet-stream")})
    assert upload.status_code == 200
    assert upload.json() == raw.json()


def test_text_as_multipart(client: TestClient[Litestar], expected: dict) -> None:
    r = client.post("/v1/reports/parse", files={"file": ("年报.txt", SEED.read_bytes(), "text/plain")})
    assert r.status_code == 200
    assert _tables(r.json()) == expected


def _truncated_docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>" * 1000)
    return buf.getvalue()[:200]


@pytest.mark.parametrize(
    ("content_type", "body", "slug", "status"),
    [
        (DOCX, _truncated_docx(), "unsupported-document", 422),
        ("application/pdf", b"<html>not a pdf</html>", "unsupported-document", 422),
        ("application/pdf", image_only_pdf(), "no-text-layer", 422),
        ("text/html", b"\xff\xfe\xfa<p>\x81", "undecodable-body", 400),
        ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported-media-type", 415),
    ],
)
def test_bad_files_get_problems(client: TestClient[Litestar], content_type: str, body: bytes, slug: str, status: int) -> None:
    for path in ("/v1/reports/parse", "/v1/reports/validate"):
        r = client.post(path, content=body, headers={"Content-Type": content_type})
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"] == f"/problems/{slug}"


def test_bad_uploads_get_problems(client: TestClient[Litestar]) -> None:
    r = client.post("/v1/reports/parse", files={"file": ("x.pdf", image_only_pdf(), "application/pdf")})
    assert (r.status_code, r.json()["type"]) == (422, "/problems/no-text-layer")
    r = client.post("/v1/reports/parse", files={"file": ("x", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "application/octet-stream")})
    assert (r.status_code, r.json()["type"]) == (422, "/problems/unsupported-document")
    r = client.post("/v1/reports/parse", files={"other": ("x.txt", b"abc", "text/plain")})
    assert (r.status_code, r.json()["type"]) == (422, "/problems/invalid-request")
    r = client.post("/v1/reports/parse", files={"file": ("x.txt", b"   ", "text/plain")})
    assert (r.status_code, r.json()["type"]) == (400, "/problems/empty-body")
    r = client.post("/v1/reports/parse", files={"file": ("x.png", b"\x89PNG....", "image/png")})
    assert (r.status_code, r.json()["type"]) == (415, "/problems/unsupported-media-type")


def test_openapi_lists_every_accepted_media_type(client: TestClient[Litestar]) -> None:
    doc = client.get("/schema/openapi.json").json()
    for path in ("/v1/reports/parse", "/v1/reports/validate"):
        content = doc["paths"][path]["post"]["requestBody"]["content"]
        assert {"text/plain", "application/json", "text/html", DOCX, "application/pdf", "multipart/form-data"} <= set(content)
        assert content["application/pdf"]["schema"]["format"] == "binary"
        assert content["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
