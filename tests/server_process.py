"""A real `nianbao serve` process on a free loopback port, for the load and privacy tests
and for the benchmark (`bench/run.py`)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far."""
        return self.stdout.read_text("utf-8", "replace") + self.stderr.read_text("utf-8", "replace")


def serve_command(port: int, workers: int = 1) -> list[str]:
    """The project's own CLI, whatever server it runs today."""
    return [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]


@contextlib.contextmanager
def serve(log_level: str = "info", workers: int = 1, startup: float = 60.0,
          env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start the service as CI and production start it; stop it with SIGTERM afterwards.
    `env` adds settings (NIANBAO_*) to the environment the server starts with."""
    port = free_port()
    env = {**os.environ, "NIANBAO_LOG_LEVEL": log_level, **(env or {})}
    env.pop("NIANBAO_API_KEYS", None)
    env.pop("NIANBAO_API_KEYS_FILE", None)
    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out.open("wb") as o, err.open("wb") as e:
            proc = subprocess.Popen(
                serve_command(port, workers),
                cwd=ROOT, env=env, stdout=o, stderr=e,
            )
            server = Server(f"http://127.0.0.1:{port}", proc, out, err)
            try:
                deadline = time.monotonic() + startup
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError(f"server exited with {proc.returncode}: {server.output()[-2000:]}")
                    try:
                        if httpx.get(f"{server.url}/readyz", timeout=1.0).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"server not ready after {startup}s: {server.output()[-2000:]}")
                    time.sleep(0.1)
                yield server
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def tree_pids(root: int) -> list[int]:
    """`root` and every process descending from it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def tree_rss(root: int) -> int:
    """Resident bytes of the process tree under `root` (shared pages counted in each
    process, so an upper bound on what the pod's cgroup is charged)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid in tree_pids(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total
