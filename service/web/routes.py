"""Routes of the page: `/`, its assets under `/static/`, and the labels it draws tables with.

The assets are package data read once; only the listed files are served, so no request
path reaches the file system. The labels come from the template declarations, so the page
never carries a copy of the template.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from service.domain.template import DEFAULT, TEMPLATES, TableDef

_MEDIA = {".html": "text/html", ".js": "text/javascript",
          ".css": "text/css", ".svg": "image/svg+xml"}
ASSETS = ("app.js", "app.css", "favicon.svg")
# Assets change with the service's version, not between requests.
_CACHE = {"cache-control": "public, max-age=3600"}


@cache
def _asset(name: str) -> bytes:
    return (resources.files("service.web") / "static" / name).read_bytes()


def _media(name: str) -> str:
    return _MEDIA[name[name.rfind("."):]]


@get("/", include_in_schema=False, sync_to_thread=False)
def index() -> Response[bytes]:
    return Response(_asset("index.html"), media_type=_media("index.html"))


@get("/static/{name:str}", include_in_schema=False, sync_to_thread=False)
def asset(name: FromPath[str]) -> Response[bytes]:
    if name not in ASSETS:
        raise NotFoundException(f"No asset {name}.")
    return Response(_asset(name), media_type=_media(name), headers=_CACHE)


def _columns(table: TableDef) -> dict[str, str]:
    labels: dict[str, str] = {}
    for row in table.rows:
        for column in row.columns:
            unit = "（万元）" if column.kind == "amount" else ""
            labels.setdefault(column.key, column.label + unit)
    return labels


@cache
def page_labels() -> dict[str, Any]:
    """Table names and, per template, each table's column labels by key."""
    columns = {tid: {t.key: _columns(t) for t in tpl.tables} for tid, tpl in TEMPLATES.items()}
    tables = [{"key": t.key, "name": t.name} for t in TEMPLATES[DEFAULT].tables]
    return {"tables": tables, "columns": columns}


@get("/static/labels.json", include_in_schema=False, sync_to_thread=False)
def labels() -> Response[dict[str, Any]]:
    return Response(page_labels(), headers=_CACHE)


ROUTES = [index, labels, asset]
