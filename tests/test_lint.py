"""ruff finds no bugs-class problems (pyflakes, syntax, bugbear) in the project's code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "service", "tests", "bench", "tools", "--output-format", "concise"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
