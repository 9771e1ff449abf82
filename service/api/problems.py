"""RFC 9457 problem details: every bad request gets one, with a stable `type`.

`type` is the relative URI `/problems/<slug>`; the service serves a description of each
problem type there, so the URI resolves against the service's own base URL.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.types import ExceptionHandlersMap
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge

from service.logs import BodyTimeout, log

PROBLEM_JSON = "application/problem+json"


class ProblemType(msgspec.Struct, frozen=True):
    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"


PROBLEM_TYPES: dict[str, ProblemType] = {
    p.slug: p
    for p in (
        ProblemType("unsupported-media-type", 415, "不支持的内容类型",
                    "The Content-Type is not one the endpoint accepts; see the OpenAPI document."),
        ProblemType("undecodable-body", 400, "无法解码的请求内容",
                    "The body is not text in the declared charset, nor in UTF-8 or GB18030 when none is declared."),
        ProblemType("empty-body", 400, "请求内容为空",
                    "The body, or the report inside it, is empty."),
        ProblemType("malformed-json", 400, "JSON 格式错误",
                    "The body is declared as JSON but is not well-formed JSON."),
        ProblemType("invalid-request", 422, "请求字段不符合要求",
                    "The JSON body lacks a required field or a field has the wrong type."),
        ProblemType("body-too-large", 413, "请求内容过大",
                    "The body exceeds the service's limit (NIANBAO_MAX_BODY_BYTES, 5 MiB by default)."),
        ProblemType("too-many-parts", 413, "汇总的下级报告过多",
                    "A rollup request sends more parts than the service compares in one request "
                    "(100); split the parts into several summaries."),
        ProblemType("unsupported-document", 422, "无法读取的文档",
                    "The file is of an accepted type but cannot be read as a report: corrupt, not the "
                    "format it claims, or past one of the bounds on what a document may unpack to "
                    "(archive members, XML elements, characters, lines, cells; the detail names it)."),
        ProblemType("no-text-layer", 422, "文档没有可读取的文字",
                    "The PDF has no text layer (a scanned image): the service does not run OCR. Send the "
                    "text-based original, or the report as Word, HTML or text."),
        ProblemType("encrypted-document", 422, "文档已加密",
                    "The file is encrypted or password-protected: the service cannot read it. Remove the "
                    "password (save an unprotected copy) and send it again."),
        ProblemType("parse-timeout", 422, "文档解析超时",
                    "Reading the document took longer than the service allows one document "
                    "(NIANBAO_PARSE_DEADLINE, 7 s by default); real annual reports take well under a second. "
                    "The file is refused, not the service broken: the reader was stopped and replaced."),
        ProblemType("parse-memory", 422, "文档解析超出内存上限",
                    "Reading the document took more memory than the service allows one document "
                    "(NIANBAO_PARSE_MEMORY_MB, 256 MiB by default): a zip or stream bomb, or a file far "
                    "denser than any report. The reader was stopped and replaced."),
        ProblemType("parse-crashed", 422, "文档解析失败",
                    "The document reader process died on this file (e.g. a native library crashed on a "
                    "damaged file). A fresh reader serves the next request; the file itself may be damaged."),
        ProblemType("overloaded", 503, "服务繁忙",
                    "Every document reader is busy and the waiting places are taken, or the service is "
                    "shutting down. Nothing was read; send the same request again after Retry-After seconds."),
        ProblemType("body-timeout", 408, "请求内容接收超时",
                    "The client did not send the whole body within NIANBAO_BODY_TIMEOUT seconds (10 by "
                    "default); the connection is closed."),
        ProblemType("unauthorized", 401, "未授权",
                    "API keys are configured and the request carries no valid key "
                    "(Authorization: Bearer <key> or X-API-Key)."),
        ProblemType("not-found", 404, "资源不存在", "No route or resource at this path."),
        ProblemType("method-not-allowed", 405, "方法不允许", "The path exists but not for this HTTP method."),
        ProblemType("internal-error", 500, "服务内部错误",
                    "An unexpected failure; it is logged with the request id. Never caused by report content."),
    )
}


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem details object."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None


class ProblemError(Exception):
    """Raise to answer with a problem; `slug` names its type."""

    def __init__(self, slug: str, detail: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail or slug)
        self.problem_type = PROBLEM_TYPES[slug]
        self.detail = detail
        self.headers = headers


def problem_response(request: Request[Any, Any, Any], slug: str, detail: str | None = None,
                     headers: dict[str, str] | None = None) -> Response[Problem]:
    pt = PROBLEM_TYPES[slug]
    body = Problem(
        type=pt.uri,
        title=pt.title,
        status=pt.status,
        detail=detail,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
    )
    return Response(body, status_code=pt.status, media_type=PROBLEM_JSON, headers=headers)


def _problem_handler(request: Request[Any, Any, Any], exc: ProblemError) -> Response[Problem]:
    return problem_response(request, exc.problem_type.slug, exc.detail, exc.headers)


_HTTP_SLUGS = {
    400: "invalid-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    415: "unsupported-media-type",
}


def _http_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    if isinstance(exc, RequestEntityTooLarge):
        slug = "body-too-large"
    elif isinstance(exc, NotFoundException):
        slug = "not-found"
    elif isinstance(exc, MethodNotAllowedException):
        slug = "method-not-allowed"
    elif isinstance(exc, NotAuthorizedException):
        slug = "unauthorized"
    elif isinstance(exc, ValidationException):
        slug = "invalid-request"
    else:
        slug = _HTTP_SLUGS.get(exc.status_code, "internal-error" if exc.status_code >= 500 else "invalid-request")
    headers = dict(exc.headers or {})
    detail = exc.detail if slug not in ("internal-error",) else None
    return problem_response(request, slug, detail, headers or None)


def _body_timeout_handler(request: Request[Any, Any, Any], exc: BodyTimeout) -> Response[Problem]:
    return problem_response(request, "body-timeout",
                            f"The body did not arrive within {exc.args[0]:g} s (NIANBAO_BODY_TIMEOUT).",
                            {"Connection": "close"})


def _unexpected_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    # Type and traceback only: an exception's arguments could quote the report.
    log.error("unhandled", exc_type=type(exc).__name__, path=request.url.path,
              request_id=request.scope.get("state", {}).get("request_id"))
    return problem_response(request, "internal-error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ProblemError: _problem_handler,
    BodyTimeout: _body_timeout_handler,
    HTTPException: _http_handler,
    Exception: _unexpected_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "PROBLEM_TYPES", "Problem", "ProblemError",
           "ProblemType"]
