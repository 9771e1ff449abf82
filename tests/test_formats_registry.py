"""The table of formats chooses the reader everywhere: HTTP bodies, multipart parts, the CLI
and the OpenAPI document; a format declared in it alone is accepted by all of them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from golden_support import GOLDEN
from service.api import uploads
from service.api.formats_docs import file_media_types
from service.cli import main
from service.domain.document import Document
from service.domain.errors import DocumentError
from service.domain.formats import DOCX, format_of, parse_file, registry

SEED = (GOLDEN / "seed-002" / "input.txt").read_bytes()
PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 32


def test_names_media_types_and_extensions_belong_to_one_format_each() -> None:
    for field in ("name", "media_types", "extensions"):
        claimed: list[str] = []
        for fmt in registry.FORMATS:
            value = getattr(fmt, field)
            claimed.extend([value] if isinstance(value, str) else value)
        assert len(claimed) == len(set(claimed)), field
    assert sum(f.magic is None for f in registry.FORMATS) == 1  # exactly one fallback


@pytest.mark.parametrize(
    ("media_type", "expected"),
    [
        ("text/plain", "text"),
        ("TEXT/HTML; charset=gbk", "html"),
        ("application/xhtml+xml", "html"),
        (DOCX, "docx"),
        ("application/x-pdf", "pdf"),
    ],
)
def test_media_type_names_the_format_whatever_the_bytes(media_type: str, expected: str) -> None:
    assert format_of(media_type, PDF_HEAD) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF_HEAD, "pdf"),
        (b"  \n%PDF-1.4", "pdf"),
        (b"PK\x03\x04\x14\x00", "docx"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        (b"<div class=x><table><tr><td>1</td></tr></table>", "html"),
        (b"<x-report>\n<table>", "html"),
        (b"<< not markup >>", "text"),
        (SEED[:200], "text"),
        (b"", "text"),
    ],
)
def test_generic_media_types_are_sniffed(head: bytes, expected: str) -> None:
    for generic in (None, "", "application/octet-stream", "application/zip"):
        assert format_of(generic, head) == expected


def test_legacy_word_is_refused_and_unknown_types_are_not_formats() -> None:
    with pytest.raises(DocumentError) as refused:
        format_of("application/octet-stream", OLE_HEAD)
    assert refused.value.reason == "unrecognised"
    with pytest.raises(KeyError):
        format_of("application/msword", OLE_HEAD)
    with pytest.raises(KeyError):
        format_of("image/png", PDF_HEAD)


def test_a_file_is_read_by_its_extension_else_by_its_bytes() -> None:
    assert registry.format_of_file("年报.HTM", SEED) == "html"
    assert registry.format_of_file("notes.md", PDF_HEAD) == "text"
    assert registry.format_of_file("upload.bin", PDF_HEAD) == "pdf"
    # .doc names no format: Word's "web page" saved as .doc is HTML, a real one is refused.
    assert registry.format_of_file("report.doc", b"<html><body>") == "html"
    with pytest.raises(DocumentError):
        registry.format_of_file("report.doc", OLE_HEAD)


def _echo(data: bytes, charset: str | None) -> Document:
    return registry.read_plain_text(data.replace(b"\r", b""), charset)


TEST_FORMAT = registry.Format(
    name="test", label="test files", media_types=("text/x-test",), extensions=(".tst",),
    read=_echo, magic=lambda head: head[:5] == b"#TEST", binary=False,
    description="A format declared only by a test.",
)


@pytest.fixture
def with_test_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "FORMATS", (*registry.FORMATS, TEST_FORMAT))
    parse_here(monkeypatch)


def parse_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every upload parsed in this process: the worker processes import the registry as it
    is committed, so an entry declared or replaced only here exists here only."""
    monkeypatch.setattr(uploads, "in_process", lambda upload: True)


@pytest.mark.usefixtures("with_test_format")
def test_a_declared_format_is_read_everywhere(
    client: TestClient[Litestar], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = parse_file(SEED, "text")
    raw = client.post("/v1/reports/validate", content=SEED, headers={"Content-Type": "text/x-test"})
    assert raw.status_code == 200 and raw.json()["summary"]["valid"] == expected.summary.valid
    sniffed = client.post("/v1/reports/validate", files={"file": ("r", b"#TEST\n" + SEED, "application/octet-stream")})
    assert sniffed.status_code == 200
    refused = client.post("/v1/reports/validate", files={"file": ("r", SEED, "image/png")})
    assert refused.status_code == 415 and "test files" in refused.json()["detail"]
    path = tmp_path / "report.tst"
    path.write_bytes(SEED)
    assert main(["parse", "--validate", str(path)]) == (0 if expected.summary.valid else 1)
    assert main(["parse", "--validate", "--format", "test", str(path)]) == (0 if expected.summary.valid else 1)
    capsys.readouterr()
    entry = file_media_types()["text/x-test"]
    assert entry.examples and entry.schema is not None
    encoding = file_media_types()["multipart/form-data"].encoding
    assert encoding and "text/x-test" in (encoding["file"].content_type or "")


def test_swapping_a_reader_is_one_entry(monkeypatch: pytest.MonkeyPatch, client: TestClient[Litestar]) -> None:
    calls: list[bytes] = []

    def read_pdf_otherwise(data: bytes, charset: str | None) -> Document:
        calls.append(data)
        return registry.read_plain_text(SEED, None)

    parse_here(monkeypatch)
    swapped = tuple(
        dataclasses.replace(f, read=read_pdf_otherwise) if f.name == "pdf" else f for f in registry.FORMATS
    )
    monkeypatch.setattr(registry, "FORMATS", swapped)
    r = client.post("/v1/reports/validate", content=PDF_HEAD, headers={"Content-Type": "application/pdf"})
    assert r.status_code == 200 and calls == [PDF_HEAD]
