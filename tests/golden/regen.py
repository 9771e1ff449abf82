"""Rewrite every golden `expected.json` from the current parser output.

Run only after checking by eye that the new output is right:
    uv run python tests/golden/regen.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from golden_support import golden_cases, snapshot  # noqa: E402

for case in golden_cases():
    data = snapshot(case)
    (case / "expected.json").write_bytes(msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n")
    print("wrote", case / "expected.json")
