"""Prometheus metrics: request counts and latency by route, issues by code, reports by template.

Labels are bounded on purpose: the route label is the route *template* (`/problems/{slug:str}`,
never the raw path) and `unmatched` when no route matched, methods outside the HTTP set are
`other`, issue codes come from the rule catalogue and templates from a closed set. A client
therefore cannot create new time series by choosing URLs.

Several worker processes: each keeps its own counters, so a scrape would see one worker's
numbers only. `nianbao serve` points `PROMETHEUS_MULTIPROC_DIR` at a fresh directory when it
starts more than one worker, and `/metrics` then aggregates every worker's files
(prometheus_client's multiprocess mode). The chart runs one worker per pod and scales by
replicas, which needs none of this.
"""

from __future__ import annotations

import os
from collections import Counter as Tally
from pathlib import Path

from litestar import Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.types import Scope
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client import multiprocess

from service.domain.models import ParseResult
from service.logs import CLIENT_CLOSED

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Litestar appends the charset itself; declaring it here too would repeat it.
MEDIA_TYPE = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")

# `*_created` series double the series count and nothing here graphs them.
disable_created_metrics()

REQUESTS = Counter(
    "nianbao_http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "nianbao_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by method and route template.",
    ["method", "route"],
    # Small reports take milliseconds, a 5 MiB one a few seconds: buckets span both.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
REPORTS = Counter(
    "nianbao_reports",
    "Reports parsed, by the template they were read as.",
    ["template"],
)
ISSUES = Counter(
    "nianbao_report_issues",
    "Issues found in parsed reports, by issue code and severity.",
    ["code", "severity"],
)

CLIENT_ABORTS = Counter(
    "nianbao_http_client_aborts",
    "Requests whose client disconnected before the answer (also in nianbao_http_requests as "
    "status 499, never as a 500), by route template.",
    ["route"],
)
PARSE_REFUSALS = Counter(
    "nianbao_parse_refusals",
    "Documents the parse pool did not read, by reason: timeout, memory, crashed (the worker "
    "was killed or died and was replaced) and overloaded (503, no free reader).",
    ["reason"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


def record_report(result: ParseResult) -> ParseResult:
    """Count one parsed report and its issues (codes only, never text); returns the result."""
    REPORTS.labels(template=result.template).inc()
    for (code, severity), n in Tally((i.code, i.severity) for i in result.issues).items():
        ISSUES.labels(code=code, severity=severity).inc(n)
    return result


def exposition() -> bytes:
    """The text exposition format: this process's registry, or every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def prepare_multiprocess_dir(path: Path) -> None:
    """Empty a multiprocess directory before workers start: stale files would add old counts."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


_EXAMPLE = """\
# HELP nianbao_http_requests_total HTTP requests answered, by method, route template and status code.
# TYPE nianbao_http_requests_total counter
nianbao_http_requests_total{method="POST",route="/v1/reports/validate",status="200"} 42.0
# HELP nianbao_reports_total Reports parsed, by the template they were read as.
# TYPE nianbao_reports_total counter
nianbao_reports_total{template="2021"} 42.0
"""


@get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    description="Request counts and latency by route, issues by code, reports by template "
    "(Prometheus text exposition format). Open even when API keys are configured.",
    tags=["operations"],
    media_type=MEDIA_TYPE,
    sync_to_thread=False,
    responses={
        200: ResponseSpec(
            data_container=str,
            description="The metrics, Prometheus text format.",
            media_type=MEDIA_TYPE,
            examples=[Example(summary="An excerpt", value=_EXAMPLE)],
            generate_examples=False,
        )
    },
)
def metrics() -> Response[bytes]:
    return Response(exposition(), media_type=MEDIA_TYPE)


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    """Count and time one HTTP request, 404s and 413s included.

    Called by the request-log middleware, which wraps the whole handler, once the request has
    been answered: by then the router has left the route template (`path_template`) in the
    scope, so the label is the template, never the raw path.
    """
    method = scope.get("method", "")
    method = method if method in _METHODS else "other"
    route = scope.get("path_template") or UNMATCHED
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    if status == CLIENT_CLOSED:
        CLIENT_ABORTS.labels(route=route).inc()
    LATENCY.labels(method=method, route=route).observe(seconds)
