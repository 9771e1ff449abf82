"""Batch audit throughput: reports per second, and per core, for `nianbao audit` and
`POST /v1/batches`.

A script, not a test: it prints figures for the machine it runs on. Two batches, as their
costs differ by three orders of magnitude: text (the golden seed and corpus texts and
synthetic consistent reports in the four layouts, repeated to `--reports` files) and PDF
(the corpus PDFs through the PDF reader, repeated to `--pdfs` files).

    uv run python bench/audit.py                          # 400 texts, 12 PDFs
    uv run python bench/audit.py --reports 2000 --pdfs 40 # bigger batches

1. `audit`: the same code path as `nianbao audit DIR` (a process pool, one worker per job),
   timed from the first file submitted to the last result, with 1 job and with one per core.
2. `/v1/batches`: one zip of the same files posted to a real `nianbao serve` (one server
   worker), the NDJSON read to the end.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from server_process import serve  # noqa: E402
from service.audit.run import audit_all  # noqa: E402
from service.audit.sources import from_folder  # noqa: E402
from service.domain.render import LAYOUTS, consistent_values, render_report  # noqa: E402


def _mix(kind: str) -> list[tuple[str, bytes]]:
    suffix = ".pdf" if kind == "pdf" else ".txt"
    files = [(p.relative_to(ROOT / "tests" / "golden").as_posix(), p.read_bytes())
             for p in sorted((ROOT / "tests" / "golden").glob(f"*/input{suffix}"))]
    for seed in range(12 if kind == "text" else 0):
        layout = LAYOUTS[seed % len(LAYOUTS)]
        text = render_report(consistent_values(seed=seed), layout=layout, agency=f"示例县{seed}局", year=2023)
        files.append((f"synthetic/{seed}-{layout}.txt", text.encode("utf-8")))
    return files


def _batch(n: int, kind: str) -> list[tuple[str, bytes]]:
    mix = _mix(kind)
    return [(f"{k:05d}-{name.replace('/', '-')}", data) for k, (name, data) in
            ((k, mix[k % len(mix)]) for k in range(n))]


def _audit(folder: Path, jobs: int) -> float:
    items = list(from_folder(folder))
    start = time.perf_counter()
    results = audit_all(items, jobs)
    elapsed = time.perf_counter() - start
    assert len(results) == len(items)
    return elapsed


def _http(batch: list[tuple[str, bytes]]) -> float:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in batch:
            z.writestr(name, data)
    os.environ["NIANBAO_BATCH_MAX_FILES"] = str(max(500, len(batch)))
    with serve(log_level="warning") as server:
        start = time.perf_counter()
        with httpx.stream("POST", f"{server.url}/v1/batches", content=buf.getvalue(),
                          headers={"content-type": "application/zip"}, timeout=600) as r:
            lines = sum(1 for _ in r.iter_lines())
        elapsed = time.perf_counter() - start
    assert lines == len(batch), lines
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=400, help="text reports in the batch")
    parser.add_argument("--pdfs", type=int, default=12, help="PDF reports in the PDF batch")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"machine: {platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}")
    for kind, n in (("text", args.reports), ("pdf", args.pdfs)):
        batch = _batch(n, kind)
        print(f"{kind} batch: {len(batch)} reports, {sum(len(d) for _, d in batch) / 1e6:.1f} MB")
        _print_audit(batch, sorted({1, cores}))
        elapsed = _http(batch)
        print(f"  POST /v1/batches, 1 server worker: {elapsed:.1f} s, {len(batch) / elapsed:.1f} reports/s")
    print(f"reproduce: .uv/bin/uv run --frozen python bench/audit.py --reports {args.reports} --pdfs {args.pdfs}")


def _print_audit(batch: list[tuple[str, bytes]], jobs_list: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in batch:
            (Path(tmp) / name).write_bytes(data)
        for jobs in jobs_list:
            elapsed = _audit(Path(tmp), jobs)
            rate = len(batch) / elapsed
            print(f"  audit, {jobs} job(s): {elapsed:.1f} s, {rate:.1f} reports/s, {rate / jobs:.1f} reports/s/core")


if __name__ == "__main__":
    main()
