"""What the parse pool costs: in-process parse vs the same upload through a worker process.

    uv run --frozen python bench/pool.py [--repeat N]

Prints, per input, the median time of `parse_sync` in this process and of `ParsePool.run`
(pickle, pipe, the worker's parse, pipe, unpickle), and their difference: the pool's round
trip. The seeds are small text reports; the others show how the cost grows with size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.api.pool import ParsePool, PoolLimits  # noqa: E402
from service.api.worker import Upload, parse_sync  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def inputs() -> list[tuple[str, Upload]]:
    out = [(p.name[:3], Upload(p.read_bytes(), "text")) for p in sorted(SEEDS.glob("*.txt"))]
    seed = (SEEDS / "001_fab7716f6461393b.txt").read_bytes()
    out.append(("001 as str", Upload(seed.decode(), "text")))
    out.append(("001 ×20 (250 KB)", Upload(seed * 20, "text")))
    for pdf in sorted(CORPUS.glob("*.pdf"))[:1]:
        out.append((pdf.stem, Upload(pdf.read_bytes(), "pdf")))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    pool = ParsePool(PoolLimits(workers=1, queue=0))
    pool.start()
    try:
        print(f"{'input':24} {'bytes':>8} {'in-process':>11} {'pool':>9} {'round trip':>11}")
        for name, upload in inputs():
            repeat = max(3, args.repeat // 10) if upload.format == "pdf" else args.repeat
            local = median_ms(lambda u=upload: parse_sync(u), repeat)  # type: ignore[misc]
            remote = median_ms(lambda u=upload: pool.run(u), repeat)  # type: ignore[misc]
            print(f"{name:24} {len(upload.data):>8} {local:>9.2f}ms {remote:>7.2f}ms {remote - local:>9.2f}ms")
    finally:
        pool.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
