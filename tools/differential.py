"""Differential run: the full parse JSON of many inputs, saved to compare two versions.

    uv run --frozen python tools/differential.py capture DIR   # write DIR/<name>.json
    uv run --frozen python tools/differential.py compare A B   # list inputs whose JSON differs

Inputs: every golden input, every seed and corpus file, and rendered reports
(`render.consistent_values` over many seeds, both templates, every layout), each also with a
planted wrong cell and a planted blank. A rendered report's text is saved beside its JSON, so
a change in the renderer shows too. Used before and after a refactor that must not change
behaviour (issue 11).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain.formats import parse_file  # noqa: E402
from service.domain.pipeline import parse_bytes, parse_text  # noqa: E402
from service.domain.render import LAYOUTS, consistent_values, render_report  # noqa: E402

SHARED = ROOT.parent / "shared"
_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
SEEDS = range(40)


def _files() -> Iterator[tuple[str, Path]]:
    for path in sorted((ROOT / "tests" / "golden").glob("*/input.*")):
        yield f"golden-{path.parent.name}", path
    for folder in ("seeds", "corpus"):
        for path in sorted((SHARED / folder).iterdir()):
            if path.suffix in (".txt", ".md", ".html", ".htm", ".pdf", ".docx"):
                yield f"{folder}-{path.name}", path


def _parse_file(path: Path) -> bytes:
    fmt = _FORMATS.get(path.suffix.lower())
    data = path.read_bytes()
    result = parse_bytes(data) if fmt is None else parse_file(data, fmt)
    return msgspec.json.encode(result)


Values = dict[str, dict[str, dict[str, int | str | None]]]


def _plant(values: Values, rnd: random.Random, blank: bool) -> Values:
    """The values with one cell changed: a wrong number, or a blank."""
    table = rnd.choice(sorted(values))
    row = rnd.choice(sorted(values[table]))
    column = rnd.choice(sorted(values[table][row]))
    old = values[table][row][column]
    new: int | str | None = None if blank else (old + rnd.randint(1, 3) if isinstance(old, int) else "12")
    copy = {t: {r: dict(c) for r, c in rows.items()} for t, rows in values.items()}
    copy[table][row][column] = new
    return copy


def _rendered() -> Iterator[tuple[str, str]]:
    for seed in SEEDS:
        for template in ("2021", "2019"):
            values: Values = consistent_values(seed, template)
            rnd = random.Random(seed * 7 + len(template))
            variants = {"ok": values, "wrong": _plant(values, rnd, False), "blank": _plant(values, rnd, True)}
            for layout in LAYOUTS:
                for variant, vals in variants.items():
                    text = render_report(vals, layout=layout, template=template)
                    yield f"render-{seed:03d}-{template}-{layout}-{variant}", text


def capture(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, path in _files():
        (out / f"{name}.json").write_bytes(_parse_file(path))
        n += 1
    for name, text in _rendered():
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        (out / f"{name}.json").write_bytes(msgspec.json.encode(parse_text(text)))
        n += 1
    return n


def compare(a: Path, b: Path) -> int:
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    differ = [n for n in names if not (a / n).exists() or not (b / n).exists()
              or (a / n).read_bytes() != (b / n).read_bytes()]
    inputs = len({n.rsplit(".", 1)[0] for n in names})
    for n in differ:
        print("differs:", n)
    print(f"{inputs} inputs compared ({len(names)} files), {len(differ)} files differ")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["capture"] and len(sys.argv) == 3:
        print(f"{capture(Path(sys.argv[2]))} inputs captured")
    elif sys.argv[1:2] == ["compare"] and len(sys.argv) == 4:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
