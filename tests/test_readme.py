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


def _commands(prefix: str) -> list[str]:
    return [line.strip() for line in README.splitlines() if line.strip().startswith(prefix)]


def test_cli_lines_are_typed_as_a_newcomer_types_them() -> None:
    """No bare `uv` (a fresh machine has only `.uv/bin/uv`); every subcommand exists."""
    import re

    from service.cli import main

    assert not re.search(r"(?<![/\w])uv run", README), "write `.uv/bin/uv run`: `uv` is not on the PATH"
    for line in _commands(".uv/bin/uv run nianbao "):
        sub = line.split()[3]
        try:
            main([sub, "--help"])
        except SystemExit as done:
            assert done.code == 0, line


def test_curl_examples_name_files_that_exist() -> None:
    import re

    for path in re.findall(r"@(tests/golden/[^\s'\"]+)", README):
        assert (ROOT / path).is_file(), path
    for path in re.findall(r"(tests/golden/[\w.-]+)", README):
        assert (ROOT / path).exists(), path
