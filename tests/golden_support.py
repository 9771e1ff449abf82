"""Golden cases: a directory holding one `input.*` and the `expected.json` it must give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from service.domain.formats import parse_file
from service.domain.pipeline import parse_bytes

GOLDEN = Path(__file__).parent / "golden"


def golden_cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir() and any(p.glob("input.*")))


# The reader for each input form, by the input file's extension; anything else is text.
_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


def parse_case(case: Path) -> Any:
    (path,) = case.glob("input.*")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        return parse_bytes(path.read_bytes())
    return parse_file(path.read_bytes(), fmt)


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
