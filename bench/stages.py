"""Where the time of one report goes: median wall time of each pipeline stage.

A companion to `bench/run.py` for whoever optimises the parser: it runs each stage of
`pipeline.parse_document` on its own, on inputs prepared by the stages before it, and prints
the median in microseconds. Nothing here asserts.

    uv run python bench/stages.py                          # seed 001
    uv run python bench/stages.py tests/golden/seed-004/input.txt --runs 500
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.domain.decode import decode  # noqa: E402
from service.domain.facts import Facts  # noqa: E402
from service.domain.layout import read_text  # noqa: E402
from service.domain.meta import extract  # noqa: E402
from service.domain.models import ValidateResult  # noqa: E402
from service.domain.pipeline import parse_bytes, parse_document, read_tables, table_regions  # noqa: E402
from service.domain.rules import run  # noqa: E402
from service.domain.sections import find_headings, section_spans  # noqa: E402
from service.domain.tables import detect_template, read_active, read_applications, read_reviews  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "tests" / "golden" / "seed-001" / "input.txt"


def timed_us(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and fastest run in µs. On a shared machine the fastest is the steadier
    figure for comparing two versions of the code: it is the run least disturbed."""
    for _ in range(max(10, runs // 10)):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6, min(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args(argv)
    data = args.path.read_bytes()

    # Each stage's input, made once by the stages before it.
    text = decode(data)
    doc = read_text(text)
    headings = find_headings(doc)

    spans = section_spans(doc, headings)
    cells = table_regions(doc, headings, spans)
    template, tables = read_tables(cells)
    apps = tables["applications"]
    meta = extract(doc, headings[0].block if headings else None)

    def facts() -> Facts:
        # A new one per run: Facts keeps the sentences it works out on first use.
        return Facts(doc=doc, headings=headings, template=template, meta=meta, tables=tables, spans=spans)

    result = parse_document(doc)
    encoder = msgspec.json.Encoder()

    stages: list[tuple[str, Callable[[], object]]] = [
        ("decode", lambda: decode(data)),
        ("layout.read_text", lambda: read_text(text)),
        ("sections.find_headings", lambda: find_headings(doc)),
        ("pipeline.table_regions (reflow, cells)", lambda: table_regions(doc, headings, spans)),
        ("tables.read_applications", lambda: read_applications(cells["applications"])),
        ("tables.detect_template", lambda: detect_template(cells["active_disclosure"], apps)),
        ("tables.read_active", lambda: read_active(cells["active_disclosure"], template)),
        ("tables.read_reviews", lambda: read_reviews(cells["reviews_litigation"])),
        ("meta.extract", lambda: extract(doc, headings[0].block if headings else None)),
        ("rules.run", lambda: run(facts())),
        ("parse_document (all after layout)", lambda: parse_document(doc)),
        ("encode ValidateResult", lambda: encoder.encode(ValidateResult.from_parse(result))),
        ("whole: bytes to JSON", lambda: encoder.encode(ValidateResult.from_parse(parse_bytes(data)))),
    ]
    print(f"{args.path} ({len(data)} bytes, {text.count(chr(10)) + 1} lines), {args.runs} runs")
    print(f"  {'stage':40s} {'median µs':>10s} {'min µs':>10s}")
    for name, fn in stages:
        median, fastest = timed_us(fn, args.runs)
        print(f"  {name:40s} {median:10.0f} {fastest:10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
