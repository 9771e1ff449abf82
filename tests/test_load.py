"""Load: 100 concurrent clients against a real server process on loopback, bounded in time.

Each client keeps its own connection and posts, back to back, a full report (text, JSON and
a report with errors), the validate endpoint and the probes, for `NIANBAO_LOAD_SECONDS`
(15 s by default). Every request must be answered: zero transport failures, zero 5xx, and
each answer the one its request gets alone. Throughput is not asserted (the benchmark
measures speed); a floor on completed requests only proves the clients really ran.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections import Counter

import httpx

from reports import report, values
from server_process import serve

CLIENTS = 100
SECONDS = float(os.environ.get("NIANBAO_LOAD_SECONDS", "15"))

GOOD = report().encode()
BAD_VALUES = values()
BAD_VALUES["applications"]["granted"]["natural_person"] += 1
BAD = report(BAD_VALUES).encode()

# (method, path, headers, body, expected status)
REQUESTS = [
    ("POST", "/v1/reports/parse", {"content-type": "text/plain; charset=utf-8"}, GOOD, 200),
    ("POST", "/v1/reports/validate", {"content-type": "text/plain"}, BAD, 200),
    ("POST", "/v1/reports/parse", {"content-type": "application/json"},
     json.dumps({"content": GOOD.decode()}).encode(), 200),
    ("POST", "/v1/reports/parse", {"content-type": "application/json"}, b'{"content": ', 400),
    ("GET", "/healthz", {}, b"", 200),
    ("GET", "/v1/rules", {}, b"", 200),
]


async def client(base: str, n: int, stop: float, outcomes: Counter[str]) -> None:
    # One connection per client: 100 concurrent connections, not a shared pool of a few.
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:
        i = n
        while time.monotonic() < stop:
            method, path, headers, body, expected = REQUESTS[i % len(REQUESTS)]
            i += 1
            try:
                r = await http.request(method, path, headers=headers, content=body or None)
            except httpx.HTTPError as exc:
                outcomes[f"failed:{type(exc).__name__}"] += 1
                continue
            if r.status_code >= 500:
                outcomes[f"5xx:{r.status_code}"] += 1
            elif r.status_code != expected:
                outcomes[f"unexpected:{path}:{r.status_code}"] += 1
            elif path == "/v1/reports/validate" and r.json()["summary"]["valid"]:
                outcomes["wrong-answer"] += 1
            else:
                outcomes["ok"] += 1


async def drive(base: str) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    stop = time.monotonic() + SECONDS
    await asyncio.gather(*(client(base, n, stop, outcomes) for n in range(CLIENTS)))
    return outcomes


def test_100_concurrent_clients_get_every_answer() -> None:
    with serve(log_level="warning") as server:
        outcomes = asyncio.run(drive(server.url))
        assert server.proc.poll() is None, "the server died under load"
        log = server.output()
    assert {k: v for k, v in outcomes.items() if k != "ok"} == {}, outcomes
    assert outcomes["ok"] >= CLIENTS, outcomes  # every client completed requests
    assert '"unhandled"' not in log and "Traceback" not in log
