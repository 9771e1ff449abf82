"""Privacy: a report's personal data never reaches the logs, at any level.

The report names a person, a phone number and an e-mail address (in the narrative, in a
table label, in a cell, in the title) and is sent every way the service takes it: in
process with structlog's `capture_logs()` and the standard library's loggers at DEBUG, to
a real server process at NIANBAO_LOG_LEVEL=debug (its whole stdout and stderr), through
requests that fail (malformed JSON, an undecodable body, a body too large), and through
the CLI. None of the personal strings may appear in anything logged.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import structlog
from litestar.testing import TestClient

from reports import report, values
from server_process import ROOT, serve
from service.app import create_app
from service.settings import Settings

NAME = "张伟明"
PHONE = "13912345678"
EMAIL = "zhang.weiming@example.cn"
SECRETS = (NAME, PHONE, EMAIL, "weiming")


def personal_report() -> str:
    v = values()
    v["active_disclosure"]["licensing"]["decisions"] = PHONE  # a cell holding the phone number
    text = report(v, narrative={
        "overview": f"联系人：{NAME}，电话 {PHONE}，电子邮箱 {EMAIL}。",
        "other": f"申请人{NAME}（{EMAIL}）提出的申请已办结。",
    })
    lines = text.split("\n")
    at = lines.index("二、主动公开政府信息情况") + 1
    lines.insert(at, f"{NAME}{PHONE}\t1\t2\t3")  # an unknown table row whose label is personal
    lines[0] = f"{NAME}{lines[0]}"
    return "\n".join(lines)


def requests_to_send() -> list[tuple[str, dict[str, str], bytes]]:
    text = personal_report()
    return [
        ("/v1/reports/parse", {"content-type": "text/plain; charset=utf-8"}, text.encode()),
        ("/v1/reports/validate", {"content-type": "text/plain"}, text.encode("gb18030")),
        ("/v1/reports/parse", {"content-type": "application/json"}, json.dumps({"content": text}).encode()),
        ("/v1/reports/parse", {"content-type": "text/html"}, f"<p>{text}</p>".encode()),
        # Failing requests: their details must not be logged with the body either.
        ("/v1/reports/parse", {"content-type": "application/json"}, f'{{"content": "{NAME}{EMAIL}'.encode()),
        ("/v1/reports/parse", {"content-type": "application/json"}, json.dumps({"content": 5, "x": EMAIL}).encode()),
        ("/v1/reports/parse", {"content-type": "text/plain; charset=ascii"}, text.encode()),
        ("/v1/reports/parse", {"content-type": "text/plain; charset=rot13"}, text.encode()),
        ("/v1/reports/parse", {"content-type": "application/x-personal"}, text.encode()),
        ("/v1/reports/parse", {"content-type": "text/plain"}, (text * 80).encode()),  # > the 1 MiB limit below
    ]


def assert_clean(logged: str) -> None:
    assert logged.strip(), "nothing was logged: the test would prove nothing"
    for secret in SECRETS:
        assert secret not in logged, f"{secret!r} reached the logs"


def test_in_process_logs_at_debug_hold_no_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(log_level="debug", max_body_bytes=1024 * 1024))
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as captured, TestClient(app, raise_server_exceptions=False) as client:
        for path, headers, body in requests_to_send():
            response = client.post(path, content=body, headers={**headers, "x-request-id": "privacy-test"})
            assert response.status_code < 500, response.text[:200]
    assert len([e for e in captured if e.get("event") == "request"]) == len(requests_to_send())
    assert_clean(json.dumps(captured, ensure_ascii=False, default=str) + "\n" + caplog.text)


def test_server_process_at_debug_writes_no_personal_data() -> None:
    with serve(log_level="debug") as server:
        for path, headers, body in requests_to_send():
            r = httpx.post(server.url + path, content=body, headers=headers, timeout=60)
            assert r.status_code < 500, r.text[:200]
        # A line per request reached the real stdout before we look.
        logged = server.output()
    assert logged.count('"event": "request"') + logged.count('"event":"request"') >= len(requests_to_send())
    assert_clean(logged)


def test_cli_logs_no_personal_data(tmp_path: Path) -> None:
    """`nianbao parse` prints the result on stdout (that is its output, and it quotes the
    report); whatever it logs goes to stderr, which must hold none of it."""
    path = tmp_path / "report.txt"
    path.write_text(personal_report(), encoding="utf-8")
    env = {**os.environ, "NIANBAO_LOG_LEVEL": "debug"}
    done = subprocess.run(
        [sys.executable, "-m", "service", "parse", "--json", str(path)],
        cwd=ROOT, env=env, capture_output=True, timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert NAME in done.stdout.decode()  # the output does carry the report …
    for secret in SECRETS:  # … the diagnostics do not
        assert secret not in done.stderr.decode()


def test_server_output_is_json_lines() -> None:
    """The server's own lines (start, shutdown) are JSON like the request lines."""
    with serve() as server:
        httpx.get(f"{server.url}/healthz", timeout=5)
        time.sleep(0.2)  # the request line is written once the response is sent
        lines = [line for line in server.output().splitlines() if line.strip()]
    events = [json.loads(line) for line in lines]
    assert any("Application startup complete" in e["event"] for e in events)
    assert any(e["event"] == "request" and e["path"] == "/healthz" for e in events)
    assert all("timestamp" in e and "level" in e for e in events)
