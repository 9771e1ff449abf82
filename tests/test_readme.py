"""The README's rule catalogue and commands stay true to the code and CI."""

from __future__ import annotations

from pathlib import Path

from service.cli import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 -m venv .uv && .uv/bin/pip install -q 'uv==0.13.9' && .uv/bin/uv run --frozen pytest"


def test_readme_lists_every_rule() -> None:
    assert rules_markdown() in README, "regenerate the table with `nianbao rules --markdown`"


def test_ci_runs_the_readme_test_command() -> None:
    assert TEST_COMMAND in README
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
