"""Regression tests for the small defects of issue 15, one or more per defect."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.domain.models import ParseResult
from service.settings import Settings, SettingsError
from tests import hostile
from tests.reports import report
from tests.server_process import ROOT, serve

PARSE = "/v1/reports/parse"


def problem_type(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return str(response.json()["type"])


# -- invalid UTF-8 inside a JSON string: was 500 ------------------------------------------


@pytest.mark.parametrize("body", [b'{"content":"\xff"}', b'{"content":"\xe4\xb8"}', b'{"content":"ok","x":"\xc3("}'])
def test_invalid_utf8_in_json_is_malformed_json(client: TestClient[Litestar], body: bytes) -> None:
    response = client.post(PARSE, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert problem_type(response) == "/problems/malformed-json"


# -- a multipart part's charset: was ignored -------------------------------------------------


def test_a_multipart_part_s_charset_is_honoured(client: TestClient[Litestar]) -> None:
    text = report()
    utf7 = text.encode("utf-7")
    raw = client.post(PARSE, content=utf7, headers={"Content-Type": "text/plain; charset=utf-7"})
    part = client.post(PARSE, files={"file": ("report.txt", utf7, "text/plain; charset=utf-7")})
    as_utf8 = client.post(PARSE, content=text.encode(), headers={"Content-Type": "text/plain"})
    assert raw.status_code == part.status_code == as_utf8.status_code == 200
    decoded = [msgspec.json.decode(r.content, type=ParseResult) for r in (raw, part, as_utf8)]
    assert decoded[1].tables == decoded[0].tables == decoded[2].tables
    assert [i.code for i in decoded[1].issues] == [i.code for i in decoded[2].issues]


# -- an encrypted PDF: was "damaged" -----------------------------------------------------------


def test_an_encrypted_pdf_is_named_encrypted(client: TestClient[Litestar]) -> None:
    response = client.post(PARSE, content=hostile.encrypted_pdf(), headers={"Content-Type": "application/pdf"})
    assert response.status_code == 422
    assert problem_type(response) == "/problems/encrypted-document"
    assert "encrypted" in response.json()["detail"]


# -- API keys configured but empty: authentication was silently off -------------------------


@pytest.mark.parametrize("value", [",", " , ,", " "])
def test_api_keys_that_parse_to_nothing_refuse_to_start(value: str) -> None:
    if not value.strip():
        assert Settings.from_env({"NIANBAO_API_KEYS": value}).api_keys == frozenset()  # unset, in effect
        return
    with pytest.raises(SettingsError, match="NIANBAO_API_KEYS"):
        Settings.from_env({"NIANBAO_API_KEYS": value})


@pytest.mark.parametrize("content", ["", "\n \n\t\n"])
def test_an_empty_api_keys_file_refuses_to_start(tmp_path: Path, content: str) -> None:
    keys = tmp_path / "keys"
    keys.write_text(content)
    with pytest.raises(SettingsError, match="holds no key"):
        Settings.from_env({"NIANBAO_API_KEYS_FILE": str(keys)})


def test_serve_refuses_to_start_with_empty_keys_and_says_why(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text("\n")
    env = {**os.environ, "NIANBAO_API_KEYS_FILE": str(keys), "NIANBAO_PORT": "1"}
    done = subprocess.run([sys.executable, "-m", "service", "serve"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "cannot start" in done.stderr and "holds no key" in done.stderr


def test_time_bounds_must_nest() -> None:
    with pytest.raises(SettingsError, match="SHUTDOWN_TIMEOUT"):
        Settings.from_env({"NIANBAO_PARSE_DEADLINE": "8", "NIANBAO_SHUTDOWN_TIMEOUT": "25"})
    with pytest.raises(SettingsError, match="SHUTDOWN_TIMEOUT"):
        Settings(body_timeout=12)
    assert Settings(body_timeout=10, parse_deadline=7, shutdown_timeout=25)


# -- against a real server: a client abort, a body that never ends -----------------------------


def _raw(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _head(length: int) -> bytes:
    return (f"POST {PARSE} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


@pytest.fixture(scope="module")
def slow_body_server():  # type: ignore[no-untyped-def]
    with serve(log_level="info", env={"NIANBAO_BODY_TIMEOUT": "2"}) as server:
        yield server


def test_a_client_abort_is_logged_and_counted_as_an_abort(slow_body_server) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        with _raw(slow_body_server.url) as s:
            s.sendall(_head(10_000) + b"x" * 100)
    time.sleep(1.0)
    lines = [msgspec.json.decode(line) for line in slow_body_server.output().splitlines()
             if line.startswith("{") and '"request"' in line and PARSE in line]
    assert len(lines) >= 3
    assert all(line["status"] == 499 and line["aborted"] is True for line in lines), lines
    metrics = httpx.get(f"{slow_body_server.url}/metrics").text
    assert 'nianbao_http_client_aborts_total{route="/v1/reports/parse"} 3.0' in metrics
    assert 'status="500"' not in metrics


def test_a_body_that_does_not_arrive_in_time_gets_408_and_the_connection_closed(slow_body_server) -> None:  # type: ignore[no-untyped-def]
    with _raw(slow_body_server.url) as s:
        s.sendall(_head(10_000) + b"x" * 100)
        started = time.monotonic()
        answer = b""
        while chunk := s.recv(65536):  # ends when the server closes the connection
            answer += chunk
        waited = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:300]
    assert b"connection: close" in head.lower()
    assert msgspec.json.decode(body)["type"] == "/problems/body-timeout"
    assert 1.5 < waited < 10
