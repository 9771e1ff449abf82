"""Dependency hygiene: everything pinned by uv.lock; only what the service uses at run time
in the runtime set; nothing of the dev group in it.

Derived from the code, not from a hand-kept list: the service's imports are read from its
source (the AST, inline imports included), and each runtime dependency must be one of them
or be named below with the reason the service needs it without importing it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
LOCK = tomllib.loads((ROOT / "uv.lock").read_text("utf-8"))

# Runtime dependencies the service needs without importing them itself.
USED_WITHOUT_IMPORT = {
    "uvloop": "uvicorn's default loop='auto' runs on uvloop when it is installed",
    "httptools": "uvicorn's default http='auto' parses HTTP with httptools when it is installed",
    "swagger-ui-py": "its static Swagger UI files are served from its package folder (service/web/swagger.py)",
}
# What uvicorn[standard] would add that a production server of this service does not use.
NOT_AT_RUN_TIME = {"watchfiles", "websockets", "python-dotenv"}


def _name(requirement: str) -> str:
    """The normalised distribution name of a PEP 508 requirement string."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


RUNTIME = {_name(r): r for r in PYPROJECT["project"]["dependencies"]}
DEV = {_name(r): r for group in PYPROJECT["dependency-groups"].values() for r in group if isinstance(r, str)}


def service_imports() -> set[str]:
    """Top-level modules imported anywhere in service/, inline imports included."""
    found: set[str] = set()
    for path in (ROOT / "service").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"service", "__future__"}


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    by_module = metadata.packages_distributions()
    return {m: {re.sub(r"[-_.]+", "-", d).lower() for d in by_module.get(m, [])} for m in modules}


def runtime_closure() -> set[str]:
    """The runtime dependencies and everything they require (as installed)."""
    seen: set[str] = set()
    todo = list(RUNTIME)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def test_every_runtime_dependency_is_used() -> None:
    imported = {d for dists in distributions_of(service_imports()).values() for d in dists}
    unused = set(RUNTIME) - imported - set(USED_WITHOUT_IMPORT)
    assert unused == set(), f"runtime dependencies the service never imports: {unused}"
    assert set(USED_WITHOUT_IMPORT) <= set(RUNTIME)


def test_every_import_of_the_service_comes_from_the_runtime_set() -> None:
    closure = runtime_closure()
    missing = {m: d for m, d in distributions_of(service_imports()).items() if not d & closure}
    assert missing == {}, f"imported by service/ but not a runtime dependency: {missing}"


def test_no_dev_tool_or_unused_extra_in_the_runtime_set() -> None:
    assert set(RUNTIME) & set(DEV) == set()
    assert not any("[" in r for r in RUNTIME.values()), "an extra drags in what is not used"
    locked_runtime = _locked_closure(set(RUNTIME))
    assert locked_runtime & NOT_AT_RUN_TIME == set()
    assert locked_runtime & {"pytest", "hypothesis", "schemathesis", "httpx-test"} == set()


def _packages() -> dict[str, dict[str, object]]:
    return {p["name"]: p for p in LOCK["package"]}


def _locked_closure(roots: set[str]) -> set[str]:
    """Runtime closure as the lock resolves it (markers aside), extras included only when
    a requirement asks for them."""
    packages = _packages()
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        todo += [d["name"] for d in packages[name].get("dependencies", [])]  # type: ignore[union-attr]
    return seen


def test_every_dependency_is_pinned_by_the_lock() -> None:
    packages = _packages()
    project = packages["nianbao"]
    # The lock was made from this pyproject: its record of our requirements is the same.
    locked_runtime = {_name(r["name"]) for r in project["metadata"]["requires-dist"]}  # type: ignore[index]
    assert locked_runtime == set(RUNTIME)
    locked_dev = {_name(r["name"]) for g in project["metadata"]["requires-dev"].values() for r in g}  # type: ignore[index]
    assert locked_dev == set(DEV)
    # Every package, direct or transitive, at one exact version from the registry with hashes.
    for name, package in packages.items():
        if name == "nianbao":
            continue
        assert re.fullmatch(r"\d+(\.\d+)*([a-z0-9.+-]*)", str(package.get("version", ""))), name
        assert "registry" in package["source"], (name, package["source"])  # type: ignore[operator]
        assert package.get("sdist") or package.get("wheels"), name
        for artefact in [package.get("sdist"), *package.get("wheels", [])]:  # type: ignore[list-item]
            if artefact:
                assert str(artefact["hash"]).startswith("sha256:"), name  # type: ignore[index]
    for name in {*RUNTIME, *DEV}:
        assert name in packages, f"{name} is not in uv.lock"
