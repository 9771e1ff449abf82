"""mypy passes over service/ with the settings in pyproject.toml ([tool.mypy]: strict), and
every `# type: ignore` names its error code and says why."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `# type: ignore[code]` followed by `  # the reason`, on the same line.
JUSTIFIED = re.compile(r"# type: ignore\[[a-z-]+(,[a-z-]+)*\]  # \S")


def test_mypy_passes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_type_ignore_names_its_code_and_reason() -> None:
    unjustified = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "service").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "type: ignore" in line and not JUSTIFIED.search(line)
    ]
    assert not unjustified, unjustified
