"""The ASGI application: `create_app()` wires settings, routes, problems, logging, OpenAPI."""

from __future__ import annotations

import signal
import threading
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from types import FrameType

import anyio

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Tag

from service import __version__
from service.api.batches import batch_handler
from service.api import pool
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


def drain_on_signal(workers: pool.ParsePool) -> Callable[[], None]:
    """Tell the pool when SIGTERM (or SIGINT) arrives, then let the server's own handler run.

    The server (uvicorn) stops accepting and waits for requests in flight; the pool then
    admits no new document (503, e.g. on a kept-alive connection) and reads those admitted,
    so no request in flight outlives its body timeout and two parse deadlines. Only the main thread may set handlers (not so under a test client):
    there, nothing is changed. Returns a function restoring the previous handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous: dict[int, object] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        workers.drain()
        before = previous.get(signum)
        if callable(before):
            before(signum, frame)

    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, before)  # type: ignore[arg-type]  # getsignal() gives None for a handler not installed from Python; it is put back as it was

    return restore


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        # Warm up: the first parse pays for imports and rapidfuzz's tables, not a client;
        # the document readers are started before the pod is ready, not on the first upload.
        parse_text("一、总体情况\n")
        workers = pool.install(settings.pool_limits())
        await anyio.to_thread.run_sync(workers.start)
        app.state.pool = workers
        restore = drain_on_signal(workers)
        app.state.ready = True
        try:
            yield
        finally:
            app.state.ready = False
            app.state.draining = True
            restore()
            pool.shutdown()  # every worker process is gone before the server process exits

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
    app.asgi_handler = RequestLogMiddleware(app.asgi_handler, observe=observe_request,
                                            body_timeout=settings.body_timeout)
    return app


app = create_app()
