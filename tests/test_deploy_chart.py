"""The Helm chart: lints, renders with default and non-default values, every manifest valid.

Rendering uses Helm's own engine (PyPI helm-python-sdk, offline); every rendered manifest is
checked with kubernetes-validate --strict against the newest Kubernetes it knows. Then what
matters is asserted against the app itself: the probes hit routes the app serves, the
container port is the port the server will listen on, and the pod is locked down.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from service.app import create_app
from service.settings import Settings

CHART = Path(__file__).resolve().parent.parent / "helm" / "nianbao"
KUBE_VERSION = kubernetes_validate.utils.latest_version()
RELEASE = "nb"
NAMESPACE = "reports"

NON_DEFAULT: dict[str, Any] = {
    "replicaCount": 3,
    "image": {"repository": "registry.example.gov.cn/ops/nianbao", "tag": "1.2.3", "pullPolicy": "Always"},
    "imagePullSecrets": [{"name": "regcred"}],
    "containerPort": 9090,
    "service": {"type": "ClusterIP", "port": 8080},
    "config": {
        "workers": 2,
        "maxBodyBytes": 10485760,
        "logLevel": "warning",
        "corsOrigins": ["https://cms.example.gov.cn", "https://admin.example.gov.cn"],
        "shutdownTimeoutSeconds": 50,
        "bodyTimeoutSeconds": 15,
        "parseWorkers": 2,
        "parseQueue": 6,
        "parseDeadlineSeconds": 15,
        "parseMemoryMiB": 192,
        "parseTotalMemoryMiB": 256,
    },
    "apiKeys": {"existingSecret": "nianbao-keys", "secretKey": "keys.txt"},
    "preStopSleepSeconds": 10,
    "terminationGraceMarginSeconds": 15,
    "autoscaling": {"enabled": False},
    "podDisruptionBudget": {"enabled": True, "minAvailable": 2},
    "ingress": {
        "enabled": True,
        "className": "nginx",
        "annotations": {"nginx.ingress.kubernetes.io/proxy-body-size": "10m"},
        "hosts": [{"host": "nianbao.example.gov.cn", "paths": [{"path": "/", "pathType": "Prefix"}]}],
        "tls": [{"hosts": ["nianbao.example.gov.cn"], "secretName": "nianbao-tls"}],
    },
    "serviceMonitor": {"enabled": True, "interval": "15s", "scrapeTimeout": "5s", "labels": {"release": "prom"}},
    "topologySpreadConstraints": [{
        "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
        "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "nianbao"}},
    }],
}

# CRDs kubernetes-validate has no schema for; checked by the assertions below instead.
CUSTOM_KINDS = {("monitoring.coreos.com/v1", "ServiceMonitor")}


def chart() -> helm.Chart:
    return helm.Chart.load(CHART)


def render(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Render as `helm install` would (schema first), every document parsed."""
    c = chart()
    merged = c.merge_values(values or {})
    c.validate_schema(merged)
    out = c.render(merged, name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs = []
    for path, text in sorted(out.items()):
        if path.endswith("NOTES.txt"):
            continue
        for doc in yaml.safe_load_all(text):
            if doc:
                doc["__template__"] = path
                docs.append(doc)
    return docs


def only(docs: list[dict[str, Any]], kind: str, hook: bool = False) -> dict[str, Any]:
    found = [d for d in docs if d["kind"] == kind
             and ("helm.sh/hook" in d["metadata"].get("annotations", {})) == hook]
    assert len(found) == 1, (kind, [d["__template__"] for d in found])
    return found[0]


def kinds(docs: list[dict[str, Any]]) -> set[str]:
    return {d["kind"] for d in docs}


@pytest.fixture(scope="module", params=["default", "non-default"])
def docs(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return render({} if request.param == "default" else NON_DEFAULT)


def values_of(docs: list[dict[str, Any]]) -> dict[str, Any]:
    name = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]["image"]
    return NON_DEFAULT if "1.2.3" in name else {}


def settings_of(docs: list[dict[str, Any]]) -> Settings:
    """The settings the server reads from the rendered ConfigMap (the keys file is not here)."""
    env = dict(only(docs, "ConfigMap")["data"])
    env.pop("NIANBAO_API_KEYS_FILE", None)
    return Settings.from_env(env)


def app_paths() -> set[str]:
    return {route.path for route in create_app(Settings(log_level="error")).routes}


def containers(pod_spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from pod_spec.get("initContainers", [])
    yield from pod_spec["containers"]


# --- lint and validity -------------------------------------------------------------------


@pytest.mark.parametrize("values", [{}, NON_DEFAULT], ids=["default", "non-default"])
def test_chart_lints_clean(values: dict[str, Any]) -> None:
    report = helm.lint(CHART, values, strict=True, namespace=NAMESPACE, kube_version=f"v{KUBE_VERSION}")
    assert report["errors"] == []
    # Severity 1 is informational ("icon is recommended"); warnings and errors fail.
    assert [m for m in report["messages"] if m["severity"] >= 2] == []


def test_every_manifest_passes_strict_validation(docs: list[dict[str, Any]]) -> None:
    validated = 0
    for doc in docs:
        manifest = {k: v for k, v in doc.items() if k != "__template__"}
        if (doc["apiVersion"], doc["kind"]) in CUSTOM_KINDS:
            continue
        kubernetes_validate.validate(manifest, KUBE_VERSION, strict=True)
        validated += 1
    assert validated >= 5


def test_strict_validation_is_real() -> None:
    """A typo in a field name is caught, so the test above can fail."""
    deployment = copy.deepcopy(only(render(), "Deployment"))
    del deployment["__template__"]
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBE_VERSION, strict=True)


def test_default_and_non_default_render_what_they_enable() -> None:
    default = render()
    assert kinds(default) == {"ConfigMap", "Deployment", "Service", "ServiceAccount",
                              "HorizontalPodAutoscaler", "PodDisruptionBudget", "Pod"}
    custom = render(NON_DEFAULT)
    assert kinds(custom) == {"ConfigMap", "Deployment", "Service", "ServiceAccount",
                             "PodDisruptionBudget", "Ingress", "ServiceMonitor", "Pod"}
    assert only(custom, "Deployment")["spec"]["replicas"] == 3
    assert "replicas" not in only(default, "Deployment")["spec"], "the HPA owns replicas"
    assert only(custom, "PodDisruptionBudget")["spec"] == {
        "minAvailable": 2, "selector": only(custom, "Deployment")["spec"]["selector"]}


# --- what matters ----------------------------------------------------------------------


def test_probes_point_at_routes_the_app_serves(docs: list[dict[str, Any]]) -> None:
    served = app_paths()
    container = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    probes = {name: container[name]["httpGet"] for name in ("livenessProbe", "readinessProbe", "startupProbe")}
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert probes["readinessProbe"]["path"] == "/readyz"
    port_names = {p["name"] for p in container["ports"]}
    for probe in probes.values():
        assert probe["path"] in served
        assert probe["port"] in port_names or probe["port"] == container["ports"][0]["containerPort"]


def test_container_port_is_the_port_the_server_listens_on(docs: list[dict[str, Any]]) -> None:
    settings = settings_of(docs)  # what the server reads at start
    container = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert [p["containerPort"] for p in container["ports"]] == [settings.port]
    assert container["envFrom"] == [{"configMapRef": {"name": only(docs, "ConfigMap")["metadata"]["name"]}}]
    assert settings.port == values_of(docs).get("containerPort", Settings().port)
    service = only(docs, "Service")
    assert service["spec"]["ports"][0]["targetPort"] in {p["name"] for p in container["ports"]}
    assert service["spec"]["selector"].items() <= only(docs, "Deployment")["spec"]["template"]["metadata"]["labels"].items()


def test_settings_come_from_the_configmap(docs: list[dict[str, Any]]) -> None:
    values = values_of(docs).get("config", {})
    settings = settings_of(docs)
    assert settings.workers == values.get("workers", 1)
    assert settings.max_body_bytes == values.get("maxBodyBytes", 5242880)
    assert settings.log_level == values.get("logLevel", "info")
    assert settings.cors_origins == tuple(values.get("corsOrigins", ()))
    assert settings.shutdown_timeout == values.get("shutdownTimeoutSeconds", 25)
    assert settings.body_timeout == values.get("bodyTimeoutSeconds", 10)
    assert settings.parse_workers == values.get("parseWorkers", 4)
    assert settings.parse_queue == values.get("parseQueue", 4)
    assert settings.parse_deadline == values.get("parseDeadlineSeconds", 7)
    assert settings.parse_memory_mb == values.get("parseMemoryMiB", 256)
    assert settings.parse_total_memory_mb == values.get("parseTotalMemoryMiB", 384)
    # The chart's defaults are the server's own defaults.
    if not values:
        assert settings == Settings(log_level=settings.log_level, cors_origins=settings.cors_origins)


def test_pods_are_restricted(docs: list[dict[str, Any]]) -> None:
    pods = [only(docs, "Deployment")["spec"]["template"]["spec"], only(docs, "Pod", hook=True)["spec"]]
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] != 0
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        assert not pod.get("hostNetwork") and not pod.get("hostPID") and not pod.get("hostIPC")
        for container in containers(pod):
            sc = container["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False
            assert sc["readOnlyRootFilesystem"] is True
            assert sc["runAsNonRoot"] is True
            assert sc["capabilities"] == {"drop": ["ALL"]}
            assert sc.get("privileged", False) is False
            assert set(container["resources"]["limits"]) >= {"memory"}
            assert set(container["resources"]["requests"]) >= {"cpu", "memory"}


def test_read_only_root_has_a_writable_tmp(docs: list[dict[str, Any]]) -> None:
    pod = only(docs, "Deployment")["spec"]["template"]["spec"]
    mounts = {m["mountPath"]: m["name"] for m in pod["containers"][0]["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]


def test_shutdown_fits_in_the_grace_period(docs: list[dict[str, Any]]) -> None:
    """body timeout + 2 parse deadlines < shutdown timeout < grace period (after the preStop
    sleep), the grace period derived from the others."""
    pod = only(docs, "Deployment")["spec"]["template"]["spec"]
    settings = settings_of(docs)
    sleep = int(pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"][1])
    assert settings.body_timeout + 2 * settings.parse_deadline < settings.shutdown_timeout
    assert sleep + settings.shutdown_timeout < pod["terminationGracePeriodSeconds"]
    margin = values_of(docs).get("terminationGraceMarginSeconds", 10)
    assert pod["terminationGracePeriodSeconds"] == sleep + settings.shutdown_timeout + margin
    assert render({"config": {"shutdownTimeoutSeconds": 60}}) and only(
        render({"config": {"shutdownTimeoutSeconds": 60}}), "Deployment"
    )["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 5 + 60 + 10


def test_a_shutdown_timeout_shorter_than_a_request_fails_to_render() -> None:
    c = chart()
    values = c.merge_values({"config": {"shutdownTimeoutSeconds": 15, "parseDeadlineSeconds": 10}})
    with pytest.raises(Exception, match="shutdownTimeoutSeconds"):
        c.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)


def test_memory_is_requested_for_what_the_bounds_allow(docs: list[dict[str, Any]]) -> None:
    """The pod's memory covers the server, the idle workers and every document being read at
    its ceiling (docs/robustness.md: ~700 MB by construction, ~450 MB measured under four
    hostile uploads), not the 512Mi that one inflating .docx used to exceed."""
    container = only(docs, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    if values_of(docs):
        return
    mi = {"Mi": 1, "Gi": 1024}

    def mebibytes(q: str) -> int:
        return int(q[:-2]) * mi[q[-2:]]

    settings = settings_of(docs)
    needed = 110 + 50 * (settings.parse_workers + 1) + settings.parse_total_memory_mb
    assert mebibytes(container["resources"]["requests"]["memory"]) >= 700
    assert mebibytes(container["resources"]["limits"]["memory"]) >= needed


def test_api_keys_secret_is_mounted_where_the_settings_read_it() -> None:
    docs = render(NON_DEFAULT)
    config = only(docs, "ConfigMap")["data"]
    pod = only(docs, "Deployment")["spec"]["template"]["spec"]
    keys_file = Path(config["NIANBAO_API_KEYS_FILE"])
    mount = next(m for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == str(keys_file.parent))
    assert mount["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == mount["name"])
    assert volume["secret"]["secretName"] == "nianbao-keys"
    assert volume["secret"]["items"] == [{"key": "keys.txt", "path": keys_file.name}]
    # The helm test pod carries the key too, so it can call a protected /v1 route.
    test_pod = only(docs, "Pod", hook=True)["spec"]
    env = {e["name"]: e["value"] for e in test_pod["containers"][0]["env"]}
    assert env["NIANBAO_API_KEYS_FILE"] == str(keys_file)
    assert "NIANBAO_API_KEYS_FILE" not in only(render(), "ConfigMap")["data"]


def test_helm_test_pod_calls_the_service() -> None:
    for values in ({}, NON_DEFAULT):
        docs = render(values)
        pod = only(docs, "Pod", hook=True)
        assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
        script = pod["spec"]["containers"][0]["args"][0]
        service = only(docs, "Service")
        assert f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}" in script
        for path in ("/readyz", "/v1/rules"):
            assert path in script and path in app_paths()


def test_hpa_scales_the_deployment_on_cpu() -> None:
    docs = render()
    hpa = only(docs, "HorizontalPodAutoscaler")["spec"]
    assert hpa["scaleTargetRef"]["name"] == only(docs, "Deployment")["metadata"]["name"]
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["minReplicas"] >= 2, "one replica cannot survive a voluntary disruption"


def test_service_monitor_scrapes_metrics_on_the_service_port() -> None:
    docs = render(NON_DEFAULT)
    monitor = only(docs, "ServiceMonitor")
    service = only(docs, "Service")
    endpoint = monitor["spec"]["endpoints"][0]
    assert endpoint["path"] == "/metrics" and "/metrics" in app_paths()
    assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["metadata"]["labels"]["release"] == "prom"


def test_ingress_routes_to_the_service() -> None:
    docs = render(NON_DEFAULT)
    ingress = only(docs, "Ingress")["spec"]
    backend = ingress["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == only(docs, "Service")["metadata"]["name"]
    assert backend["port"]["name"] in {p["name"] for p in only(docs, "Service")["spec"]["ports"]}
    assert ingress["tls"][0]["secretName"] == "nianbao-tls"


def test_config_change_rolls_the_pods() -> None:
    before = only(render(), "Deployment")["spec"]["template"]["metadata"]["annotations"]["checksum/config"]
    after = only(render({"config": {"logLevel": "debug"}}), "Deployment")
    assert after["spec"]["template"]["metadata"]["annotations"]["checksum/config"] != before


@pytest.mark.parametrize(
    "bad",
    [
        {"containerPort": 80},  # a non-root process cannot bind below 1024
        {"containerPort": "8000"},
        {"replicaCount": 0},
        {"config": {"workers": 0}},
        {"config": {"logLevel": "verbose"}},
        {"config": {"corsOrigins": "https://a.example"}},
        {"config": {"corsOrigins": ["cms.example.gov.cn"]}},
        {"config": {"maxBodyBytes": -1}},
        {"config": {"parseWorkers": 0}},
        {"config": {"parseMemoryMiB": 8}},
        {"terminationGracePeriodSeconds": 40},  # derived now, no longer a value
        {"image": {"repository": ""}},
        {"image": {"pullPolicy": "Sometimes"}},
        {"service": {"type": "ExternalName"}},
        {"resources": {"requests": {"cpu": "lots", "memory": "256Mi"}, "limits": {"memory": "512Mi"}}},
        {"resources": {"limits": {"memory": "half a gig"}}},
        {"resources": {"limits": {"gpu": 1}}},
        {"autoscaling": {"targetCPUUtilizationPercentage": 150}},
        {"ingress": {"hosts": [{"host": "x.example", "paths": [{"path": "api", "pathType": "Prefix"}]}]}},
        {"serviceMonitor": {"interval": "often"}},
        {"apiKeys": {"secretKey": "../etc/passwd"}},
        {"replicas": 3},  # a typo of replicaCount: unknown keys are refused
    ],
    ids=lambda v: next(iter(v)),
)
def test_bad_values_fail_at_install(bad: dict[str, Any]) -> None:
    c = chart()
    with pytest.raises(helm.HelmValuesError):
        c.validate_schema(c.merge_values(bad))


def test_every_setting_reaches_the_chart_and_the_docs() -> None:
    """A setting added to settings.py must be wired into the ConfigMap and documented."""
    import re

    import service.settings

    source = Path(service.settings.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'"(NIANBAO_[A-Z_]+)"', source))
    assert {"NIANBAO_PORT", "NIANBAO_WORKERS", "NIANBAO_MAX_BODY_BYTES", "NIANBAO_LOG_LEVEL",
            "NIANBAO_CORS_ORIGINS", "NIANBAO_API_KEYS_FILE"} <= read
    configured = set(only(render(NON_DEFAULT), "ConfigMap")["data"])
    # Keys themselves never go into a ConfigMap: the chart mounts them from a Secret.
    assert read - {"NIANBAO_API_KEYS"} == configured
    docs = (CHART.parent.parent / "docs" / "deploy.md").read_text(encoding="utf-8")
    for name in read:
        assert f"`{name}`" in docs, name
