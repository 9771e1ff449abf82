"""`DocumentError` is one class, importable first from the limits or from the readers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from service.domain import errors, limits
from service.domain.formats import errors as format_errors

ROOT = Path(__file__).resolve().parents[1]


def test_the_limits_and_the_readers_raise_the_same_class() -> None:
    assert format_errors.DocumentError is errors.DocumentError
    assert isinstance(limits._too_large("lines", 2, 1), errors.DocumentError)


def test_each_module_imports_first_without_a_cycle() -> None:
    for module in ("service.domain.limits", "service.domain.formats.errors", "service.domain.layout",
                   "service.domain.formats.registry"):
        done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (module, done.stderr)
