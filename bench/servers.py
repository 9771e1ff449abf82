"""Compare ASGI servers for nianbao under wrk: the measurement behind the Dockerfile's choice.

Not a test and not run by CI. It needs `wrk` (Debian: apt-get install wrk) and a Python
environment holding the servers to compare, e.g.

    uv venv /tmp/benchenv && uv pip install -p /tmp/benchenv/bin/python -e . granian hypercorn
    /tmp/benchenv/bin/python bench/servers.py

Each server runs one worker process (the chart's shape: one worker per pod, scale by
replicas) on a loopback port; wrk, on the other core, drives two workloads:

- `healthz`: GET /healthz, the server's own per-request overhead;
- `validate`: POST /v1/reports/validate with the sample report (about 3 KB of text), the
  service's real work, where the parse dominates.

It prints requests/s and latency percentiles per server and workload as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SERVERS: dict[str, list[str]] = {
    "uvicorn (uvloop, httptools)": [
        sys.executable, "-m", "uvicorn", "service.app:app", "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning", "--host", "127.0.0.1", "--port", "{port}",
    ],
    "uvicorn (asyncio, h11)": [
        sys.executable, "-m", "uvicorn", "service.app:app", "--loop", "asyncio", "--http", "h11",
        "--no-access-log", "--log-level", "warning", "--host", "127.0.0.1", "--port", "{port}",
    ],
    "granian (asgi)": [
        sys.executable, "-m", "granian", "--interface", "asgi", "--workers", "1",
        "--log-level", "warning", "--host", "127.0.0.1", "--port", "{port}", "service.app:app",
    ],
    "hypercorn (uvloop)": [
        sys.executable, "-m", "hypercorn", "--worker-class", "uvloop", "--workers", "1",
        "--log-level", "warning", "--bind", "127.0.0.1:{port}", "service.app:app",
    ],
}

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_PCT = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def cpu_seconds(root: int) -> float:
    """User + system CPU of a process and all its descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, frontier = 0.0, {root}
    while frontier:
        total += sum(stats[p][1] for p in frontier if p in stats)
        frontier = {p for p, (ppid, _) in stats.items() if ppid in frontier}
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not become ready")


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, script: Path | None, seconds: int, connections: int, pid: int) -> dict[str, float]:
    """Throughput and latency from wrk; server CPU per request from /proc, which a busy
    machine disturbs far less than it disturbs wall-clock throughput."""
    cpu_before = cpu_seconds(pid)
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script is not None:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    match = _RPS.search(out)
    if match is None:
        raise RuntimeError(out)
    if (bad := _NON2XX.search(out)) is not None:
        raise RuntimeError(f"{bad.group(1)} non-2xx responses:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    result = {"rps": float(match.group(1)), "cpu_ms": (cpu_seconds(pid) - cpu_before) * 1000 / requests}
    for pct, value, unit in _PCT.findall(out):
        result[f"p{pct}"] = to_ms(value, unit)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", action="append", help="server names to run (substring)")
    args = parser.parse_args()

    from service.api.openapi_docs import sample_report

    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "report.txt"
        body.write_text(sample_report(), encoding="utf-8")
        script = Path(tmp) / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "text/plain; charset=utf-8"\n'
            f'local f = io.open("{body}", "rb"); wrk.body = f:read("*a"); f:close()\n',
            encoding="utf-8",
        )
        rows = []
        for name, template in SERVERS.items():
            if args.only and not any(o in name for o in args.only):
                continue
            port = free_port()
            cmd = [part.replace("{port}", str(port)) for part in template]
            env = {**os.environ, "NIANBAO_LOG_LEVEL": "warning"}
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                wait_ready(port, time.monotonic() + 30)
                base = f"http://127.0.0.1:{port}"
                run_wrk(f"{base}/healthz", None, 3, args.connections, proc.pid)  # warm-up
                health = run_wrk(f"{base}/healthz", None, args.seconds, args.connections, proc.pid)
                validate = run_wrk(f"{base}/v1/reports/validate", script, args.seconds, args.connections,
                                   proc.pid)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            rows.append((name, health, validate))
            print(f"{name}: healthz {health['rps']:.0f} req/s {health['cpu_ms']:.3f} CPU ms/req, "
                  f"validate {validate['rps']:.0f} req/s {validate['cpu_ms']:.2f} CPU ms/req", file=sys.stderr)

    print(f"\nwrk -t1 -c{args.connections} -d{args.seconds}s, one server worker, loopback\n")
    print("| server | healthz req/s | healthz CPU ms/req | healthz p50 / p99 ms "
          "| validate req/s | validate CPU ms/req | validate p50 / p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, h, v in rows:
        print(f"| {name} | {h['rps']:.0f} | {h['cpu_ms']:.3f} | {h['p50']:.2f} / {h['p99']:.2f} "
              f"| {v['rps']:.0f} | {v['cpu_ms']:.2f} | {v['p50']:.2f} / {v['p99']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
