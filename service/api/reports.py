"""`/v1/reports/parse`, `/v1/reports/validate` and `/v1/rules`: thin over the domain."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.openapi.spec import Example
from litestar.openapi.datastructures import ResponseSpec

from service.api.metrics import record_report
from service.api.openapi_docs import ParseOperation, ValidateOperation, rules_example
from service.api.problems import Problem, ProblemError
from service.api.documents import PREVIOUS_FIELD, DocumentBody, json_upload, parse_with_previous
from service.api.uploads import Upload, parse_upload, part_upload, raw_format, read_multipart
from service.domain.formats import registry
from service.domain.models import ParseResult, RuleInfo, ValidateResult
from service.domain.rules import catalogue


class ReportRequest(DocumentBody, kw_only=True):
    # Last year's report of the same agency, for the cross-year rules.
    previous: DocumentBody | None = None


class ReportInput(msgspec.Struct):
    report: Upload
    previous: Upload | None = None


def _problem_spec(description: str, slug: str, status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type="application/problem+json",
        examples=[Example(summary=slug, value={"type": f"/problems/{slug}", "title": slug, "status": status})],
        generate_examples=False,
    )


UNAUTHORIZED = _problem_spec(
    "API keys are configured and the request carries none, or a wrong one.", "unauthorized", 401
)
REPORT_ERRORS = {
    401: UNAUTHORIZED,
    400: _problem_spec("Undecodable bytes, an empty body or malformed JSON.", "undecodable-body", 400),
    413: _problem_spec("The body exceeds the size limit.", "body-too-large", 413),
    415: _problem_spec("A media type the endpoint does not accept.", "unsupported-media-type", 415),
    422: _problem_spec(
        "The JSON body lacks `content` or a field has the wrong type (invalid-request); a file "
        "that cannot be read: corrupt, past a reading bound, a zip bomb (unsupported-document); "
        "an encrypted file (encrypted-document); a PDF without a text layer (no-text-layer); a "
        "document that took longer than the parse deadline (parse-timeout) or more memory than "
        "its ceiling (parse-memory) to read, or crashed its reader (parse-crashed).",
        "invalid-request",
        422,
    ),
    408: _problem_spec("The body did not arrive within NIANBAO_BODY_TIMEOUT; the connection is closed.",
                       "body-timeout", 408),
    503: _problem_spec("Every document reader is busy and the waiting places are taken, or the service "
                       "is shutting down; retry after `Retry-After` seconds.", "overloaded", 503),
}


async def read_report(request: Request[Any, Any, Any]) -> Upload:
    """The report from the body, whatever accepted form it came in (see `uploads`)."""
    return (await read_request(request)).report


async def read_request(request: Request[Any, Any, Any]) -> ReportInput:
    """The report and, when sent, last year's report (JSON `previous`, multipart part
    `previous`); a raw body holds the report alone."""
    media_type, params = request.content_type
    media_type = media_type.lower()
    if media_type == "multipart/form-data":
        report = await read_multipart(request)
        part = (await request.form()).get(PREVIOUS_FIELD)
        return ReportInput(report, None if part is None else await part_upload(part, PREVIOUS_FIELD))
    fmt = raw_format(media_type)
    if fmt is None and media_type != "application/json" and not media_type.endswith("+json"):
        raise ProblemError(
            "unsupported-media-type",
            f"Content-Type {media_type or '(none)'} is not accepted; send "
            f"{', '.join(f.media_types[0] for f in registry.FORMATS)}, multipart/form-data or "
            "application/json.",
        )
    body = await request.body()
    if not body.strip():
        raise ProblemError("empty-body", "The request body is empty.")
    if fmt is not None:
        return ReportInput(Upload(body, fmt, params.get("charset")))
    try:
        if not body.isascii():
            body.decode("utf-8")  # JSON is UTF-8 (RFC 8259), in unknown fields too
        payload = msgspec.json.decode(body, type=ReportRequest)
    except msgspec.ValidationError as exc:
        raise ProblemError("invalid-request", str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ProblemError("malformed-json", f"The body is not valid JSON: {exc}") from None
    except UnicodeDecodeError as exc:
        # msgspec raises this, not a DecodeError, for bytes inside a string that are not
        # UTF-8 (`{"content": "\xff"}`); JSON is UTF-8 by definition (RFC 8259).
        raise ProblemError("malformed-json", f"The body is not valid JSON: a string holds bytes that are "
                           f"not UTF-8 (offset {exc.start}).") from None
    except RecursionError:
        # msgspec skips unknown fields recursively: {"content": "…", "x": [[[…]]]} nested
        # thousands deep exhausts the stack. Well-formed, but no request of ours looks so.
        raise ProblemError("invalid-request", "The JSON body is nested too deeply.") from None
    previous = None if payload.previous is None else json_upload(payload.previous, PREVIOUS_FIELD)
    return ReportInput(json_upload(payload, ""), previous)


async def _parse(request: Request[Any, Any, Any]) -> ParseResult:
    given = await read_request(request)
    report = await parse_upload(given.report)
    return record_report(await parse_with_previous(report, given.previous))


class ReportController(Controller):
    path = "/v1"
    tags = ["reports"]

    @post(
        "/reports/parse",
        operation_id="parseReport",
        summary="Parse and validate a report",
        description=(
            "Reads a 政府信息公开工作年度报告 and returns its metadata, its six sections, the three "
            "statistical tables keyed as in the template, and every validation issue. A report "
            "with errors is still answered 200: its problems are in `issues`."
        ),
        operation_class=ParseOperation,
        status_code=200,
        responses=REPORT_ERRORS,
    )
    async def parse(self, request: Request[Any, Any, Any]) -> ParseResult:
        return await _parse(request)

    @post(
        "/reports/validate",
        operation_id="validateReport",
        summary="Validate a report",
        description="Like parseReport, without `sections` and `tables`: the verdict and the issues.",
        operation_class=ValidateOperation,
        status_code=200,
        responses=REPORT_ERRORS,
    )
    async def validate(self, request: Request[Any, Any, Any]) -> ValidateResult:
        return ValidateResult.from_parse(await _parse(request))

    @get(
        "/rules",
        operation_id="listRules",
        summary="List the rule catalogue",
        description="Every issue code the service can emit, with its severity, title and meaning.",
        responses={200: rules_example(), 401: UNAUTHORIZED},
    )
    async def rules(self) -> list[RuleInfo]:
        return catalogue()
