"""Prometheus metrics at /metrics: requests by route template and status, latency, issues, templates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from service.api.metrics import UNMATCHED, prepare_multiprocess_dir
from service.api.openapi_docs import sample_report
from service.domain.pipeline import parse_text
from service.domain.render import consistent_values, render_report

TEXT = {"content-type": "text/plain; charset=utf-8"}


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client: TestClient[Litestar]) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_requests_are_counted_by_route_template_and_status(client: TestClient[Litestar]) -> None:
    route = "/problems/{slug}"
    before_ok = sample("nianbao_http_requests_total", method="GET", route=route, status="200")
    before_404 = sample("nianbao_http_requests_total", method="GET", route=route, status="404")
    before_hist = sample("nianbao_http_request_duration_seconds_count", method="GET", route=route)
    assert client.get("/problems/empty-body").status_code == 200
    assert client.get("/problems/no-such-thing").status_code == 404
    assert sample("nianbao_http_requests_total", method="GET", route=route, status="200") == before_ok + 1
    assert sample("nianbao_http_requests_total", method="GET", route=route, status="404") == before_404 + 1
    assert sample("nianbao_http_request_duration_seconds_count", method="GET", route=route) == before_hist + 2
    # The raw path never becomes a label: that would let clients mint time series.
    metrics = scrape(client)
    assert not any(dict(labels).get("route") == "/problems/empty-body" for _, labels in metrics)


def test_unrouted_paths_and_odd_methods_share_one_label(client: TestClient[Litestar]) -> None:
    before = sample("nianbao_http_requests_total", method="GET", route=UNMATCHED, status="404")
    for i in range(5):
        assert client.get(f"/random/{i}").status_code == 404
    assert sample("nianbao_http_requests_total", method="GET", route=UNMATCHED, status="404") == before + 5
    before = sample("nianbao_http_requests_total", method="other", route=UNMATCHED, status="404")
    client.request("PROPFIND", "/random/x")
    assert sample("nianbao_http_requests_total", method="other", route=UNMATCHED, status="404") == before + 1


def test_reports_are_counted_by_template_and_issues_by_code(client: TestClient[Litestar]) -> None:
    values = consistent_values(seed=5)
    # Break one sum so the report has an arithmetic error whose code we can count.
    table = values["applications"]
    row = next(iter(table))
    column = next(c for c, v in table[row].items() if isinstance(v, int))
    table[row][column] = int(table[row][column]) + 7  # type: ignore[arg-type]
    text = render_report(values, layout="tab", agency="示例县示例局", year=2023)
    expected = parse_text(text)
    assert expected.issues, "the broken report must have issues for this test to mean anything"
    codes = {(i.code, i.severity) for i in expected.issues}
    before_reports = sample("nianbao_reports_total", template=expected.template)
    before = {c: sample("nianbao_report_issues_total", code=c[0], severity=c[1]) for c in codes}

    response = client.post("/v1/reports/validate", content=text.encode(), headers=TEXT)
    assert response.status_code == 200

    assert sample("nianbao_reports_total", template=expected.template) == before_reports + 1
    for code, severity in codes:
        n = sum(1 for i in expected.issues if (i.code, i.severity) == (code, severity))
        assert sample("nianbao_report_issues_total", code=code, severity=severity) == before[(code, severity)] + n


def test_rejected_requests_count_no_report(client: TestClient[Litestar]) -> None:
    before = sum(sample("nianbao_reports_total", template=t) for t in ("2021", "2019", "unknown"))
    assert client.post("/v1/reports/parse", content=b"", headers=TEXT).status_code == 400
    assert client.post("/v1/reports/parse", content=b"{", headers={"content-type": "application/json"}).status_code == 400
    after = sum(sample("nianbao_reports_total", template=t) for t in ("2021", "2019", "unknown"))
    assert after == before


def test_metrics_never_carry_report_text(client: TestClient[Litestar]) -> None:
    report = sample_report()
    assert client.post("/v1/reports/parse", content=report.encode(), headers=TEXT).status_code == 200
    body = client.get("/metrics").text
    assert "示例市示例局" not in body


def test_multiprocess_mode_aggregates_every_worker(tmp_path: Path) -> None:
    """Two processes write counters into one directory; /metrics in a third sums them."""
    directory = tmp_path / "prom"
    (directory).mkdir()
    (directory / "counter_999999.db").write_bytes(b"stale")
    prepare_multiprocess_dir(directory)
    assert list(directory.iterdir()) == []
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    worker = (
        "from service.api.metrics import REPORTS\n"
        "REPORTS.labels(template='2019').inc(3)\n"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True, timeout=60)
    reader = (
        "from service.api.metrics import exposition\n"
        "import sys; sys.stdout.write(exposition().decode())\n"
    )
    out = subprocess.run([sys.executable, "-c", reader], env=env, check=True, timeout=60,
                         capture_output=True, text=True).stdout
    values = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(out)
        for s in family.samples
    }
    assert values[("nianbao_reports_total", (("template", "2019"),))] == 6.0
