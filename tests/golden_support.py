"""Golden cases: a directory holding one `input.*` and the `expected.json` it must give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from service.domain.formats import parse_file
from service.domain.formats.registry import by_extension
from service.domain.pipeline import parse_bytes

GOLDEN = Path(__file__).parent / "golden"


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("input.*")))


def parse_case(case: Path) -> Any:
    """The input read by the format its extension names; text (or no known extension) as
    the service reads a text body."""
    (path,) = case.glob("input.*")
    fmt = by_extension(path.name)
    if fmt is None or fmt.name == "text":
        return parse_bytes(path.read_bytes())
    return parse_file(path.read_bytes(), fmt.name)


def snapshot(case: Path) -> dict[str, Any]:
    """What a golden file pins: template, meta, complete tables, issue codes and locations."""
    result = parse_case(case)
    return {
        "template": result.template,
        "meta": msgspec.to_builtins(result.meta),
        "sections": [[s.key, s.number, s.line] for s in result.sections],
        "tables": msgspec.to_builtins(result.tables),
        "issues": [
            [i.code, i.severity, msgspec.to_builtins(i.location), i.expected, i.actual]
            for i in result.issues
        ],
    }
