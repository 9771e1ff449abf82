"""Run the audit across processes, a bounded number of files in flight at a time.

Bytes of zip members travel to the workers, so at most `2 × jobs` files are submitted
ahead of the results: memory stays flat however large the archive. A worker that dies
(a native crash in a reader) breaks the pool; its files are retried one by one in a fresh
pool, and a file that kills a worker again is reported as unreadable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from service.audit.sources import Source
from service.audit.worker import Audited, audit_one, unreadable

Progress = Callable[[Audited], None]


def _isolated(source: Source) -> Audited:
    """One file alone in a fresh one-worker pool, after a crash in the shared pool."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(audit_one, source).result()
        except BrokenProcessPool:
            return unreadable(source.name, "the reader crashed on this file")


def _drain(done: set[Future[Audited]], flight: dict[Future[Audited], Source]) -> Iterator[Audited]:
    for future in done:
        source = flight.pop(future)
        try:
            yield future.result()
        except BrokenProcessPool:
            yield _isolated(source)


def audit_all(items: Iterable[Source], jobs: int, on_result: Progress | None = None) -> list[Audited]:
    """Every source audited, in the order given."""
    order: dict[str, int] = {}
    results: list[Audited] = []
    flight: dict[Future[Audited], Source] = {}
    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        for source in items:
            order.setdefault(source.name, len(order))
            while len(flight) >= 2 * jobs:
                done, _ = wait(flight, return_when=FIRST_COMPLETED)
                results += _report(_drain(done, flight), on_result)
            try:
                flight[pool.submit(audit_one, source)] = source
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=jobs)
                flight[pool.submit(audit_one, source)] = source
        while flight:
            done, _ = wait(flight, return_when=FIRST_COMPLETED)
            results += _report(_drain(done, flight), on_result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(results, key=lambda r: order.get(r.file, len(order)))


def _report(batch: Iterable[Audited], on_result: Progress | None) -> list[Audited]:
    out = list(batch)
    if on_result is not None:
        for row in out:
            on_result(row)
    return out
