"""The PDF path beside pdfplumber's `extract_words` on the same files, in the same run.

Issue 14's target: each corpus PDF parses and validates (the PDFium reader, the pipeline,
the validate result encoded) in at most a tenth of the time pdfplumber's `extract_words`
alone takes on the same file. The two are timed in alternation (one run of each, again
and again), so load from other work on the machine falls on both alike; medians of wall
clock and of the thread's CPU time are printed, the ratio from each.

    uv run python bench/run.py --only pdf
    uv run python bench/pdf.py            # this part alone

pdfplumber is a dev dependency (the differential test's reference): without it the
comparison is skipped and says so.
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain.formats import parse_file  # noqa: E402
from service.domain.models import ValidateResult  # noqa: E402

TARGET_RATIO = 10.0


def validate_pdf(data: bytes) -> bytes:
    """What POST /v1/reports/validate does with a PDF body, minus HTTP."""
    return msgspec.json.encode(ValidateResult.from_parse(parse_file(data, "pdf")))


def extract_words(data: bytes) -> int:
    """pdfplumber's words of every page: the reference cost (pdfminer's layout pass)."""
    import pdfplumber

    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_words())
            page.flush_cache()
    return n


def _once(fn: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    c0, t0 = time.thread_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.thread_time() - c0


def compare(data: bytes, rounds: int) -> dict[str, float]:
    """Medians (seconds) of the PDF path and of extract_words, timed in alternation."""
    validate_pdf(data)
    extract_words(data)  # warm-up: imports, PDFium's and pdfminer's first-use costs
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for _ in range(rounds):
        for _ in range(5):  # the PDF path is the short one: more samples of it per round
            ours.append(_once(lambda: validate_pdf(data)))
        theirs.append(_once(lambda: extract_words(data)))
    return {
        "ours": statistics.median(w for w, _ in ours),
        "ours_cpu": statistics.median(c for _, c in ours),
        "ours_min": min(w for w, _ in ours),
        "theirs": statistics.median(w for w, _ in theirs),
        "theirs_cpu": statistics.median(c for _, c in theirs),
        "theirs_min": min(w for w, _ in theirs),
    }


def bench_pdf(corpus: Path, quick: bool, out: Callable[[str], None] = print) -> dict[str, float]:
    out("## PDF: the PDFium path beside pdfplumber's extract_words")
    out()
    out("Per corpus PDF: parse + validate + encode through the service's PDF reader (PDFium), and "
        "pdfplumber 0.11 `extract_words()` over every page of the same file, timed in alternation "
        "in this run (5 runs of ours per run of extract_words). Medians; × = extract_words ÷ ours.")
    out()
    pdfs = sorted(corpus.glob("*.pdf")) if corpus.is_dir() else []
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        out("skipped: pdfplumber is not installed (it is in the dev dependency group)")
        return {}
    if not pdfs:
        out(f"skipped: no PDFs in {corpus}")
        return {}
    out("| PDF | size | ours ms | ours CPU ms | extract_words ms | extract_words CPU ms | × wall | × CPU | target ≥ 10× |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    figures: dict[str, float] = {}
    for path in pdfs:
        data = path.read_bytes()
        f = compare(data, 3 if quick else 8)
        ratio, ratio_cpu = f["theirs"] / f["ours"], f["theirs_cpu"] / f["ours_cpu"]
        figures[f"pdf:{path.name}"] = f["ours"]
        figures[f"pdf-ratio:{path.name}"] = ratio
        figures[f"pdf-ratio-cpu:{path.name}"] = ratio_cpu
        met = "met" if ratio >= TARGET_RATIO else "**missed**"
        out(f"| {path.name} | {len(data) / 1024:.0f} KB | {f['ours'] * 1e3:.1f} | {f['ours_cpu'] * 1e3:.1f} | "
            f"{f['theirs'] * 1e3:.0f} | {f['theirs_cpu'] * 1e3:.0f} | {ratio:.1f} | {ratio_cpu:.1f} | {met} |")
    out()
    return figures


if __name__ == "__main__":
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench_pdf(Path(os.environ.get("NIANBAO_CORPUS", ROOT.parent / "shared" / "corpus")), args.quick)
