"""Hostile uploads against a real server process, its memory and its probes watched (issue 15).

`nianbao serve` runs with its production defaults (four parse workers, 7 s deadline,
256 MiB per document, 384 MiB for all); the files come from tests/hostile.py. While the
uploads run, a sampler sums the resident size of the server's whole process tree from /proc
every 50 ms and a prober calls /healthz every 100 ms. The bounds asserted are the issue's:
each upload answered within 10 s and never 5xx, the tree under 768 MB, /healthz within
500 ms throughout; and SIGTERM under that load ends the process within the grace period
with every client answered.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests import hostile
from tests.reports import report
from tests.server_process import Server, serve, tree_pids, tree_rss

MB = 1000 * 1000
ANSWER_WITHIN = 10.0
TREE_LIMIT = 768 * MB
HEALTH_WITHIN = 0.5
GRACE = 40  # the chart's terminationGracePeriodSeconds
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFUSALS = {"/problems/unsupported-document", "/problems/parse-timeout", "/problems/parse-memory",
            "/problems/parse-crashed"}


@pytest.fixture(scope="module")
def uploads() -> list[tuple[str, bytes, str]]:
    dense = hostile.dense_pdf()
    return [
        ("inflating docx", hostile.inflating_docx(), DOCX),
        ("pdf stream bomb", hostile.pdf_stream_bomb(), "application/pdf"),
        ("dense pdf", dense, "application/pdf"),
        ("dense pdf again", dense, "application/pdf"),
    ]


@dataclass
class Watch:
    """Peak tree RSS and the slowest /healthz while the block runs."""

    server: Server
    peak_rss: int = 0
    slowest_health: float = 0.0
    health_failures: list[str] = field(default_factory=list)
    probes: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self) -> None:
        while not self.stop.is_set():
            self.peak_rss = max(self.peak_rss, tree_rss(self.server.proc.pid))
            time.sleep(0.05)

    def _probe(self) -> None:
        with httpx.Client(timeout=5.0) as client:
            while not self.stop.is_set():
                start = time.monotonic()
                try:
                    status = client.get(f"{self.server.url}/healthz").status_code
                    if status != 200:
                        self.health_failures.append(f"status {status}")
                except httpx.TransportError as exc:
                    if not self.stop.is_set():
                        self.health_failures.append(type(exc).__name__)
                self.slowest_health = max(self.slowest_health, time.monotonic() - start)
                self.probes += 1
                time.sleep(0.1)

    def __enter__(self) -> Watch:
        self.threads = [threading.Thread(target=self._sample), threading.Thread(target=self._probe)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def post(url: str, body: bytes, media_type: str) -> tuple[int, dict[str, object], float]:
    start = time.monotonic()
    response = httpx.post(f"{url}/v1/reports/validate", content=body, timeout=60.0,
                          headers={"Content-Type": media_type})
    return response.status_code, response.json(), time.monotonic() - start


def all_at_once(calls: list[Callable[[], tuple[int, dict[str, object], float]]]) -> list[object]:
    with ThreadPoolExecutor(len(calls)) as ex:
        futures = [ex.submit(c) for c in calls]
        return [f.exception() or f.result() for f in futures]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(log_level="warning") as s:
        yield s


def test_four_hostile_uploads_at_once_are_bounded(server: Server, uploads: list[tuple[str, bytes, str]]) -> None:
    with Watch(server) as watch:
        outcomes = all_at_once([lambda b=body, m=mt: post(server.url, b, m) for _, body, mt in uploads])
    for (name, _, _), outcome in zip(uploads, outcomes, strict=True):
        assert isinstance(outcome, tuple), (name, outcome, server.output()[-2000:])
        status, problem, seconds = outcome
        assert status == 422 and problem["type"] in REFUSALS, (name, problem)
        assert seconds < ANSWER_WITHIN, (name, seconds, problem)
    assert watch.peak_rss < TREE_LIMIT, f"process tree peaked at {watch.peak_rss / MB:.0f} MB"
    assert watch.health_failures == [] and watch.probes > 10
    assert watch.slowest_health < HEALTH_WITHIN, f"/healthz took {watch.slowest_health:.3f} s"
    print(f"\npeak tree RSS {watch.peak_rss / MB:.0f} MB; slowest /healthz {watch.slowest_health * 1000:.0f} ms; "
          + "; ".join(f"{n}: {o[1]['type']} in {o[2]:.1f} s" for (n, _, _), o in zip(uploads, outcomes, strict=True)))  # type: ignore[index]
    # Fresh readers are in place: a real report is read as ever.
    status, result, _ = post(server.url, report().encode(), "text/plain")
    assert status == 200 and result["summary"]["valid"] is True  # type: ignore[index]
    assert "Traceback" not in server.output()


def test_sigterm_under_hostile_load_exits_in_time_with_every_client_answered(
    uploads: list[tuple[str, bytes, str]],
) -> None:
    good = report().encode() * 20  # a large text: read in the pool, not in-process
    calls = [lambda b=body, m=mt: post(url, b, m) for _, body, mt in uploads]
    calls += [lambda: post(url, good, "text/plain")] * 2
    calls += [lambda b=uploads[2][1]: post(url, b, "application/pdf")] * 2  # these wait for a reader
    with serve(log_level="warning") as server:
        url = server.url
        pids = tree_pids(server.proc.pid)
        assert len(pids) >= 6, pids  # server, forkserver, four workers
        with ThreadPoolExecutor(len(calls)) as ex:
            futures = [ex.submit(c) for c in calls]
            time.sleep(1.5)
            signalled = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            code = server.proc.wait(timeout=GRACE)
            exited_after = time.monotonic() - signalled
            outcomes = [f.exception(timeout=10) or f.result() for f in futures]
        output = server.output()
    for outcome in outcomes:
        assert isinstance(outcome, tuple), (outcome, output[-2000:])
        status, problem, _ = outcome
        assert status in (200, 422, 503), (status, problem)
        if status == 503:
            assert problem["type"] == "/problems/overloaded"
        if status == 422:
            assert problem["type"] in REFUSALS
    assert code == 0, output[-2000:]
    assert exited_after < GRACE
    time.sleep(1.0)
    left = [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert left == [], "worker processes outlived the server"
    print(f"\nexited {exited_after:.1f} s after SIGTERM; answers: {sorted(o[0] for o in outcomes)}")  # type: ignore[index]
