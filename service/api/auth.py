"""Optional API keys for the `/v1` routes.

With no key configured (`NIANBAO_API_KEYS` and `NIANBAO_API_KEYS_FILE` both empty) the
guard lets everything through. With keys, every `/v1` request must carry one, either as
`Authorization: Bearer <key>` or as `X-API-Key: <key>`; otherwise it is answered 401
`/problems/unauthorized` with `WWW-Authenticate: Bearer`. Health, readiness, metrics,
problem descriptions and the OpenAPI document stay open: probes and scrapers carry no keys.

The guard is installed on the whole app and decides by path prefix, so a `/v1` route added
anywhere later is protected without anyone remembering to wire it.
"""

from __future__ import annotations

from typing import Any

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityRequirement, SecurityScheme

PROTECTED_PREFIX = "/v1/"
BEARER_SCHEME = "bearerAuth"
HEADER_SCHEME = "apiKeyHeader"

SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    BEARER_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        description="An API key as a bearer token: `Authorization: Bearer <key>`.",
    ),
    HEADER_SCHEME: SecurityScheme(
        type="apiKey",
        name="X-API-Key",
        security_scheme_in="header",
        description="An API key in the `X-API-Key` header.",
    ),
}

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def security_requirements(keys_required: bool) -> list[SecurityRequirement]:
    """OpenAPI `security` for the /v1 operations; the empty requirement marks keys optional."""
    either: list[SecurityRequirement] = [{BEARER_SCHEME: []}, {HEADER_SCHEME: []}]
    return either if keys_required else [{}, *either]


def _digest(key: str) -> bytes:
    # Comparing fixed-length digests keeps the comparison's time independent of key lengths.
    return hashlib.sha256(key.encode("utf-8")).digest()


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The key the request carries: the bearer token, else X-API-Key, else None."""
    authorization = connection.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    header = connection.headers.get("x-api-key", "").strip()
    return header or None


def api_key_guard(keys: Iterable[str]) -> Guard:
    """A Litestar guard accepting any of `keys` on /v1 routes; a no-op when `keys` is empty."""
    digests = tuple(_digest(k) for k in keys)

    def accepts(candidate: str) -> bool:
        given = _digest(candidate)
        # No early exit: every configured key is compared, whichever one matches.
        matched = False
        for digest in digests:
            matched |= hmac.compare_digest(given, digest)
        return matched

    # A coroutine: Litestar runs a plain-function guard in a worker thread, a thread hop
    # on every request for a check that takes microseconds.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not digests or not connection.scope["path"].startswith(PROTECTED_PREFIX):
            return
        # CORS preflights carry no credentials by design (Fetch spec); the real request does.
        if connection.scope.get("method") == "OPTIONS":
            return
        key = presented_key(connection)
        if key is None:
            raise NotAuthorizedException(
                detail="This endpoint requires an API key: Authorization: Bearer <key> or X-API-Key.",
                headers={"WWW-Authenticate": 'Bearer realm="nianbao"'},
            )
        if not accepts(key):
            raise NotAuthorizedException(
                detail="The API key is not valid.",
                headers={"WWW-Authenticate": 'Bearer realm="nianbao", error="invalid_token"'},
            )

    return guard
