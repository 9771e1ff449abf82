"""Structured logging: JSON lines with an ISO UTC timestamp, one canonical line per request.

Nothing here ever logs a request or response body: reports carry names and phone numbers.
The request line carries method, path, status, duration, request id and body size only;
unexpected exceptions are logged with their type and traceback, never with local variables.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Callable

import anyio
import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def configure(level: str = "info") -> None:
    """The production chain: contextvars, level, ISO UTC time, JSON to stdout."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        # Not cached: structlog.testing.capture_logs() must be able to see every line.
        cache_logger_on_first_use=False,
    )


log = structlog.get_logger("nianbao")


def server_log_config(level: str = "info") -> dict[str, object]:
    """`logging.config` for the server's own lines (start, stop, protocol errors), so they are
    JSON lines with the same timestamp and level fields as the service's. uvicorn's access
    log stays off: the request line is the service's, which knows the request id."""
    pre_chain = [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": pre_chain,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer(),
                ],
            }
        },
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
        },
        "loggers": {
            "uvicorn": {"handlers": ["stdout"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def request_id_of(scope: Scope) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(candidate):
                return candidate
            break
    return uuid.uuid4().hex


# The status logged and counted for a request whose client went away before its answer
# (nginx's "client closed request"): an abort is the client's doing, never a 500.
CLIENT_CLOSED = 499


class BodyTimeout(Exception):
    """The client did not send its whole body within the body timeout."""


class RequestLogMiddleware:
    """Pure ASGI middleware: times the request, counts the body, writes the canonical line.

    `observe`, when given, is told the scope, status and duration of every request too (the
    metrics), so one middleware times each request once.

    Two guards on the body, as it is read: a client that disconnects before the response
    is logged and counted as an abort (status 499, `aborted: true`), whatever the handler
    made of the missing body; and the whole body must arrive within `body_timeout` seconds
    of the request's start, else reading it raises `BodyTimeout` (answered 408
    `/problems/body-timeout`, connection closed).
    """

    def __init__(self, app: ASGIApp, observe: Callable[[Scope, int, float], None] | None = None,
                 body_timeout: float | None = None) -> None:
        self.app = app
        self.observe = observe
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        body_size = 0
        body_done = False
        started = aborted = False
        timeout = self.body_timeout

        async def counting_receive() -> ReceiveMessage:
            nonlocal body_size, body_done, aborted
            if body_done or timeout is None:
                message = await receive()
            else:
                remaining = timeout - (time.perf_counter() - start)
                with anyio.move_on_after(max(remaining, 0)) as scope_:
                    message = await receive()
                if scope_.cancelled_caught:
                    raise BodyTimeout(timeout)
            if message["type"] == "http.request":
                body_size += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
            elif message["type"] == "http.disconnect" and not started:
                aborted = True
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            if aborted:
                status = CLIENT_CLOSED
            if self.observe is not None:
                self.observe(scope, status, seconds)
            extra = {"aborted": True} if aborted else {}
            log.info(
                "request",
                method=scope.get("method"),
                path=scope.get("path"),
                status=status,
                duration_ms=round(seconds * 1000, 3),
                request_id=request_id,
                body_bytes=body_size,
                **extra,
            )
