"""The command line for people: a verdict line and a findings table, one-line failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from reports import report, values
from service.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "golden" / "seed-002" / "input.txt"


def _bad_report(tmp_path: Path) -> Path:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    path = tmp_path / "bad.txt"
    path.write_text(report(v), encoding="utf-8")
    return path


def test_check_prints_verdict_and_findings_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_bad_report(tmp_path))]) == 1
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert "有错误" in first and "1 个错误" in first
    assert "cell-likely-wrong" in out and all(k in out for k in ("applications", "granted", "natural_person"))
    assert "级别" in out and "说明" in out


def test_valid_report_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    assert capsys.readouterr().out.startswith("✓ 通过")


def test_check_json_is_the_validate_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--json", str(_bad_report(tmp_path))]) == 1
    out = msgspec.json.decode(capsys.readouterr().out)
    assert "tables" not in out and out["summary"]["errors"] == 1


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["parse", "/no/such/report.txt"], "report.txt"),
        (["check", "/no/such/report.txt"], "report.txt"),
        (["audit", "/no/such/folder"], "folder"),
        (["parse"], "usage"),
        (["frobnicate"], "usage"),
    ],
)
def test_usage_and_missing_input_exit_2_without_traceback(argv: list[str], needle: str) -> None:
    done = subprocess.run([sys.executable, "-m", "service", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and needle in done.stderr
    assert done.stdout == ""


def test_serve_start_line_points_at_the_page_and_the_docs() -> None:
    import json
    import time

    import httpx

    from server_process import serve

    with serve() as server:
        httpx.get(f"{server.url}/", timeout=5)
        time.sleep(0.2)
        events = [json.loads(line) for line in server.output().splitlines() if line.strip()]
    (serving,) = [e for e in events if e["event"] == "serving"]
    assert serving["page"] == f"{server.url}/"
    assert serving["api_docs"] == f"{server.url}/schema/swagger"
