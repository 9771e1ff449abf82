"""Golden cases: a directory holding one `input.*` and the `expected.json` it must give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from service.domain.formats import parse_file
from service.domain.formats.registry import by_extension
from service.domain.pipeline import parse_bytes
from service.domain.rules.crossyear import with_previous

GOLDEN = Path(__file__).parent / "golden"


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("input.*")))


def _parse_path(path: Path) -> Any:
    """The input read by the format its extension names; text (or no known extension) as
    the service reads a text body."""
    fmt = by_extension(path.name)
    if fmt is None or fmt.name == "text":
        return parse_bytes(path.read_bytes())
    return parse_file(path.read_bytes(), fmt.name)


def parse_case(case: Path) -> Any:
    """The input's result; with a `previous.*` beside it (last year's report), checked
    against that one too, as a request with `previous` is."""
    (path,) = case.glob("input.*")
    result = _parse_path(path)
    previous = list(case.glob("previous.*"))
    if previous:
        result = with_previous(result, _parse_path(previous[0]))
    return result


def snapshot(case: Path) -> dict[str, Any]:
    """What a golden file pins: template, meta, complete tables, issue codes and locations."""
    result = parse_case(case)
    return {
        "template": result.template,
        "meta": msgspec.to_builtins(result.meta),
        "sections": [[s.key, s.number, s.line] for s in result.sections],
        "tables": msgspec.to_builtins(result.tables),
        "stats": msgspec.to_builtins(result.stats),
        "issues": [
            [i.code, i.severity, msgspec.to_builtins(i.location), i.expected, i.actual]
            for i in result.issues
        ],
    }
