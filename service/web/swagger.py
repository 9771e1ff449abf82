"""Swagger UI served from the assets the `swagger-ui-py` package ships, not from a CDN.

Litestar's Swagger plugin takes the URLs of the UI's script and styles; they point at
`/static/swagger-ui/`, where the files of the package's `static/` folder are served (only
the ones the page loads; the package's LICENSE, Apache-2.0, is served beside them). So
`/schema/swagger` works on an intranet with no way out.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.openapi.plugins import SwaggerRenderPlugin

ASSET_PATH = "/static/swagger-ui"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "LICENSE": "text/plain",
}
_CACHE = {"cache-control": "public, max-age=86400"}


def _static_dir() -> Path:
    # Found without importing the package: its __init__ pulls in web-framework glue we
    # do not use; only its static files are wanted.
    spec = find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@cache
def _asset(name: str) -> bytes:
    return (_static_dir() / name).read_bytes()


@get(f"{ASSET_PATH}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
def swagger_asset(name: FromPath[str]) -> Response[bytes]:
    if name not in ASSETS:
        raise NotFoundException(f"No asset {name}.")
    return Response(_asset(name), media_type=ASSETS[name], headers=_CACHE)


def swagger_plugin() -> SwaggerRenderPlugin:
    """The UI at /schema and /schema/swagger, every file it loads served by the service."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSET_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSET_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSET_PATH}/swagger-ui-standalone-preset.js",
        favicon="<link rel='icon' type='image/svg+xml' href='/static/favicon.svg'>",
        path="/swagger",
    )
