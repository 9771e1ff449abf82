"""Uploaded documents are read in a small pool of worker processes, each with a deadline and a
memory ceiling, so no document can take the server down or hold it past its time.

Why processes, and why not `concurrent.futures.ProcessPoolExecutor`: a thread cannot be
stopped, and a native reader (libxml2, a PDF library) can neither be interrupted nor kept
from growing; only a process can be killed. ProcessPoolExecutor cannot kill one task: killing
its worker breaks the whole executor and fails every other request in flight. So each worker
here is its own `multiprocessing` process with its own pipe, and the pool kills and replaces
exactly the one that went wrong.

Per job, in the calling thread (the event loop only admits and awaits):

* the deadline: the pipe is polled every `_TICK` seconds; past `deadline` seconds the worker is
  killed (SIGKILL) and the client gets 422 `/problems/parse-timeout`;
* the memory ceiling: each worker caps its address space (`RLIMIT_AS`, see `worker.py`), and
  the poll loop reads the worker's resident size from `/proc`: a worker grown by more than
  `worker_memory` since it started, or the largest busy worker while the busy ones together
  have grown by more than `total_memory`, is killed: 422 `/problems/parse-memory`;
* a worker that dies by itself (a segfault in a native library, the kernel's OOM killer) is
  answered 422 `/problems/parse-crashed`; a fresh worker takes its place.

Admission (load shedding): at most `workers` documents are read at once and `queue` more may
wait, each for at most `deadline` seconds; a request beyond that, or one that waited in vain,
gets 503 `/problems/overloaded` with `Retry-After`, and `/readyz` answers 503 while the pool is
full so the Service sends new requests to another pod.

Workers come from a forkserver that has imported the domain (`worker.py`), so a replacement
costs a fork, not an interpreter start; a worker retires after `max_tasks` jobs, which gives
back whatever memory fragmentation its jobs left.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from service.api.worker import Upload, serve_jobs
from service.logs import log

MiB = 1024 * 1024
_TICK = 0.05  # seconds between two looks at a busy worker (deadline, memory)
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class PoolLimits:
    """The pool's bounds (settings `NIANBAO_PARSE_*`, see service/settings.py)."""

    workers: int = 4
    queue: int = 4
    deadline: float = 7.0
    worker_memory: int = 256 * MiB
    total_memory: int = 384 * MiB
    max_tasks: int = 200

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.deadline))


class ParseRefused(Exception):
    """The pool did not read the document: `slug` names the problem type to answer."""

    def __init__(self, slug: str, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail
        self.retry_after = retry_after


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.tasks = 0
        self.base_rss = 0
        self.peak_grown = 0  # the most its resident size was seen above base, this task


    @property
    def pid(self) -> int:
        return self.process.pid or 0

    def grown(self) -> int:
        grown = max(0, rss_bytes(self.pid) - self.base_rss)
        self.peak_grown = max(self.peak_grown, grown)
        return grown

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.join(timeout=5)
        self.conn.close()

    def retire(self) -> None:
        """Ask an idle worker to exit (an empty message), then make sure it has."""
        try:
            self.conn.send_bytes(b"")
        except OSError:
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def _context() -> multiprocessing.context.ForkServerContext:
    # Not fork: the server process runs an event loop and threads, which a fork would copy
    # mid-flight. The forkserver is a clean process that has imported the domain once.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["service.api.worker"])
    return ctx


class ParsePool:
    """Worker processes reading uploads; thread-safe, usable from any event loop's threads."""

    def __init__(self, limits: PoolLimits) -> None:
        self.limits = limits
        self._ctx = _context()
        self._lock = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._admitted = 0
        self._closed = False
        self._draining = False

    # -- admission, on the event loop -----------------------------------------------------

    @property
    def capacity(self) -> int:
        return self.limits.workers + self.limits.queue

    def full(self) -> bool:
        """Every worker busy and every queue place taken: new documents would be refused."""
        with self._lock:
            return self._closed or self._draining or self._admitted >= self.capacity

    def admit(self) -> None:
        """Take a place for one document, or refuse it at once (503) when there is none."""
        with self._lock:
            if self._closed or self._draining:
                raise ParseRefused("overloaded", "The service is shutting down; send the report again.",
                                   self.limits.retry_after)
            if self._admitted >= self.capacity:
                raise ParseRefused(
                    "overloaded",
                    f"All {self.limits.workers} document readers are busy and {self.limits.queue} "
                    "more documents are waiting; send the report again shortly.",
                    self.limits.retry_after,
                )
            self._admitted += 1

    def leave(self) -> None:
        with self._lock:
            self._admitted -= 1
            self._lock.notify_all()

    # -- workers -----------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=serve_jobs, args=(child, self.limits.worker_memory),
            name="nianbao-parse", daemon=not multiprocessing.current_process().daemon,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        worker.base_rss = rss_bytes(worker.pid)
        return worker

    def start(self) -> None:
        """Start every worker now, so the first documents do not wait for one."""
        with self._lock:
            missing = self.limits.workers - len(self._idle) - len(self._busy) - self._starting
            self._starting += max(0, missing)
        for _ in range(max(0, missing)):
            worker = self._spawn()
            with self._lock:
                self._starting -= 1
                self._idle.append(worker)
                self._lock.notify_all()

    def _take(self, timeout: float) -> _Worker | None:
        """An idle worker (started if fewer than `workers` exist), or None after `timeout`."""
        limit = self.limits.workers
        with self._lock:
            ok = self._lock.wait_for(
                lambda: self._closed or bool(self._idle)
                or len(self._busy) + self._starting < limit, timeout)
            if not ok or self._closed:
                return None
            if self._idle:
                worker = self._idle.pop()
                self._busy.add(worker)
                return worker
            self._starting += 1
        try:
            worker = self._spawn()
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            self._busy.add(worker)
        return worker

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        retire = healthy and worker.tasks >= self.limits.max_tasks
        with self._lock:
            self._busy.discard(worker)
            if healthy and not retire and not self._closed:
                self._idle.append(worker)
            self._lock.notify_all()
        if not healthy:
            return  # killed already; a fresh one is started when next needed
        if retire or self._closed:
            worker.retire()

    # -- one job, in a worker thread ---------------------------------------------------------

    def run(self, upload: Upload) -> tuple[object, ...]:
        """Read `upload` in a worker: the worker's answer tuple (see `worker.answer`).

        Blocking: call it in a thread, after `admit()`. Raises ParseRefused.
        """
        payload = pickle.dumps(upload, protocol=pickle.HIGHEST_PROTOCOL)
        worker = self._take(self.limits.deadline)
        if worker is None and self._closed:
            raise ParseRefused("overloaded", "The service is shutting down; send the report again.",
                               self.limits.retry_after)
        if worker is None:
            raise ParseRefused("overloaded", f"No document reader became free within {self.limits.deadline:g} s; "
                               "send the report again shortly.", self.limits.retry_after)
        healthy = False
        try:
            answer = self._call(worker, payload)
            healthy = True
            return answer
        finally:
            self._give_back(worker, healthy)

    def _call(self, worker: _Worker, payload: bytes) -> tuple[object, ...]:
        started = time.monotonic()
        worker.peak_grown = 0
        try:
            worker.conn.send_bytes(payload)
            while True:
                if worker.conn.poll(_TICK):
                    answer: tuple[object, ...] = pickle.loads(worker.conn.recv_bytes())
                    worker.tasks += 1
                    return answer
                self._watch(worker, time.monotonic() - started)
        except (EOFError, OSError):
            pass  # the worker died: below
        if self._closed:
            worker.kill()
            raise ParseRefused("overloaded", "The service is shutting down; send the report again.",
                               self.limits.retry_after)
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        worker.kill()
        cause = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        log.warning("parse-worker-died", pid=worker.pid, cause=cause, seconds=round(time.monotonic() - started, 3))
        # Killed from outside (the kernel's OOM killer), or dead of a failed allocation in
        # native code while it was past half its address-space limit (RLIMIT_AS): memory.
        if code == -signal.SIGKILL or worker.peak_grown > self.limits.worker_memory // 2:
            raise ParseRefused("parse-memory", "Reading the document took more memory than the service "
                               "allows (the reader was killed); the file is not an annual report the "
                               "service can read.")
        raise ParseRefused("parse-crashed", f"The document reader failed on this file ({cause}); "
                           "the file may be damaged. A fresh reader serves the next request.")

    def _watch(self, worker: _Worker, elapsed: float) -> None:
        """Kill the worker when past its deadline or its share of memory."""
        limits = self.limits
        if elapsed > limits.deadline:
            self._kill(worker, "deadline", elapsed)
            raise ParseRefused("parse-timeout", f"Reading the document took longer than the "
                               f"{limits.deadline:g} s the service allows (NIANBAO_PARSE_DEADLINE); "
                               "a real annual report takes well under a second.")
        grown = worker.grown()
        if grown > limits.worker_memory or (grown > 0 and self._largest_over_budget(worker, grown)):
            self._kill(worker, "memory", elapsed, grown)
            raise ParseRefused("parse-memory", f"Reading the document took more than the "
                               f"{limits.worker_memory // MiB} MiB of memory the service allows one "
                               "document (NIANBAO_PARSE_MEMORY_MB), or its share while others were read.")

    def _largest_over_budget(self, worker: _Worker, grown: int) -> bool:
        with self._lock:
            others = [w for w in self._busy if w is not worker]
        sizes = [w.grown() for w in others]
        return grown + sum(sizes) > self.limits.total_memory and grown >= max(sizes, default=0)

    def _kill(self, worker: _Worker, why: str, elapsed: float, grown: int = 0) -> None:
        log.warning("parse-worker-killed", pid=worker.pid, reason=why, seconds=round(elapsed, 3),
                    grown_mib=round(grown / MiB, 1))
        worker.kill()

    # -- shutdown ---------------------------------------------------------------------------

    def drain(self) -> None:
        """Shutdown has begun: documents not yet admitted are refused (503); those admitted
        still get a reader (each waits at most one deadline, then reads for at most one),
        so every request in flight ends within two deadlines."""
        with self._lock:
            self._draining = True
            self._lock.notify_all()

    def close(self) -> None:
        """Stop every worker: idle ones retire, busy ones are killed (their callers get a
        problem). Waiting callers are refused. Idempotent."""
        with self._lock:
            self._closed = True
            idle, busy = list(self._idle), list(self._busy)
            self._idle.clear()
            self._lock.notify_all()
        for worker in idle:
            worker.retire()
        for worker in busy:
            worker.kill()


# -- the process's pool ----------------------------------------------------------------------
# One per server process (each uvicorn worker has its own), installed by the app's lifespan
# and closed with it; parse_upload starts one with the environment's settings when called
# outside an app (tests, other callers).
_current: ParsePool | None = None
_install_lock = threading.Lock()


def install(limits: PoolLimits) -> ParsePool:
    """Replace the process's pool with a new one of these limits (the old one is closed)."""
    global _current
    with _install_lock:
        old, _current = _current, ParsePool(limits)
        pool = _current
    if old is not None:
        old.close()
    return pool


def current(default: PoolLimits | None = None) -> ParsePool:
    """The process's pool; one with `default` (or default limits) when none is installed."""
    global _current
    with _install_lock:
        if _current is None:
            _current = ParsePool(default or PoolLimits())
        return _current


def peek() -> ParsePool | None:
    return _current


def shutdown() -> None:
    """Close the process's pool and kill its workers."""
    global _current
    with _install_lock:
        pool, _current = _current, None
    if pool is not None:
        pool.close()
