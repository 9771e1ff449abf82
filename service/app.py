"""The ASGI application: `create_app()` wires settings, routes, problems, logging, OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Tag

from service import __version__
from service.api.batches import batch_handler
from service.api.auth import SECURITY_SCHEMES, api_key_guard, security_requirements
from service.api.health import healthz, problem_type, readyz
from service.api.metrics import metrics, observe_request
from service.api.problems import EXCEPTION_HANDLERS
from service.api.reports import ReportController
from service.api.rollup import RollupController
from service.domain.pipeline import parse_text
from service.web.routes import ROUTES as PAGE_ROUTES
from service.web.swagger import swagger_asset, swagger_plugin
from service.logs import RequestLogMiddleware, configure
from service.settings import Settings

OPENAPI_PATH = "/schema"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="nianbao 年报校验服务",
        version=__version__,
        description=(
            "Parses and validates 政府信息公开工作年度报告 (government information disclosure "
            "annual reports, template 国办公开办函〔2021〕30号 and the 2019 trial template). "
            "Bad requests are answered with RFC 9457 problem details."
        ),
        path=OPENAPI_PATH,
        render_plugins=[swagger_plugin()],  # offline: its assets are served by the service
        tags=[
            Tag(name="reports", description="Parse and validate reports."),
            Tag(name="operations", description="Health, readiness and problem types."),
        ],
        components=Components(security_schemes=dict(SECURITY_SCHEMES)),
    )


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        # Warm up: the first parse pays for imports and rapidfuzz's tables, not a client.
        parse_text("一、总体情况\n")
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            app.state.draining = True

    app = Litestar(
        route_handlers=[
            # /v1: the API proper; its operations document the (optional) API keys.
            Router("/", route_handlers=[ReportController, batch_handler(settings),
                                             RollupController],
                   security=security_requirements(bool(settings.api_keys))),
            healthz, readyz, problem_type, metrics, *PAGE_ROUTES, swagger_asset,
        ],
        guards=[api_key_guard(settings.api_keys)],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        request_max_body_size=settings.max_body_bytes,
        # A multipart batch has one part per report; Litestar's own cap (1,000) must not
        # refuse a batch the batch bound allows.
        multipart_form_part_limit=max(1000, settings.batch_max_files + 8),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        lifespan=[lifespan],
        logging_config=None,
        state=None,
        debug=False,
    )
    # The request log, and the metrics it feeds, wrap the whole handler, not just matched
    # routes, so 404s, 405s and 413s are logged and counted too.
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler, observe=observe_request)
    return app


app = create_app()
