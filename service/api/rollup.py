"""`POST /v1/reports/rollup`: a summary report against the reports it sums.

Bounds: at most `MAX_PARTS` parts (413 too-many-parts beyond, 422 for none); the whole body
is bounded by NIANBAO_MAX_BODY_BYTES like every request (413 body-too-large), so the total
bytes of summary and parts together never exceed it. Every document goes through
`uploads.parse_upload`, one after the other: a request holds at most one parse at a time.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, post

from service.api.documents import DocumentBody, json_upload, parse_named, part_upload
from service.api.metrics import record_report
from service.api.openapi_docs import RollupOperation
from service.api.problems import ProblemError
from service.api.reports import REPORT_ERRORS, _problem_spec
from service.api.uploads import Upload
from service.domain.models import RollupPart, RollupResult, ValidateResult, summarise
from service.domain.rules import rollup

MAX_PARTS = 100
SUMMARY_FIELD, PARTS_FIELD = "summary", "parts"


class RollupRequest(msgspec.Struct, kw_only=True):
    summary: DocumentBody
    parts: list[DocumentBody]


class _Given(msgspec.Struct):
    summary: Upload
    parts: list[tuple[Upload, str | None]]  # each part and its file name


def _bounded(count: int) -> None:
    if count == 0:
        raise ProblemError("invalid-request", "`parts` is empty: send the reports the summary sums.")
    if count > MAX_PARTS:
        raise ProblemError("too-many-parts", f"{count} parts sent; at most {MAX_PARTS} are compared in one request.")


async def _read_multipart(request: Request[Any, Any, Any]) -> _Given:
    form = await request.form()
    if form.get(SUMMARY_FIELD) is None:
        raise ProblemError("invalid-request", "multipart/form-data needs a file part named `summary`.")
    files = form.getall(PARTS_FIELD) if PARTS_FIELD in form else []
    _bounded(len(files))
    summary = await part_upload(form.get(SUMMARY_FIELD), SUMMARY_FIELD)
    parts = [(await part_upload(f, f"{PARTS_FIELD}[{n}]"), getattr(f, "filename", None))
             for n, f in enumerate(files, start=1)]
    return _Given(summary, parts)


async def _read(request: Request[Any, Any, Any]) -> _Given:
    media_type = request.content_type[0].lower()
    if media_type == "multipart/form-data":
        return await _read_multipart(request)
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ProblemError("unsupported-media-type",
                           f"Content-Type {media_type or '(none)'} is not accepted; send application/json or multipart/form-data.")
    body = await request.body()
    if not body.strip():
        raise ProblemError("empty-body", "The request body is empty.")
    try:
        payload = msgspec.json.decode(body, type=RollupRequest)
    except msgspec.ValidationError as exc:
        raise ProblemError("invalid-request", str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ProblemError("malformed-json", f"The body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ProblemError("invalid-request", "The JSON body is nested too deeply.") from None
    _bounded(len(payload.parts))
    return _Given(
        json_upload(payload.summary, SUMMARY_FIELD),
        [(json_upload(p, f"{PARTS_FIELD}[{n}]"), p.filename) for n, p in enumerate(payload.parts, start=1)],
    )


ROLLUP_ERRORS = {
    **REPORT_ERRORS,
    413: _problem_spec(f"The body exceeds the size limit (body-too-large), or more than {MAX_PARTS} "
                       "parts (too-many-parts).", "too-many-parts", 413),
}


class RollupController(Controller):
    path = "/v1"
    tags = ["reports"]

    @post(
        "/reports/rollup",
        operation_id="rollupReports",
        summary="Check a summary report against the reports it sums",
        description=(
            "A summary report (e.g. a county's report for all its departments) and the reports it "
            f"sums, at most {MAX_PARTS}: every cell of the three tables where the summary differs "
            "from the sum of the parts is an error (`rollup-mismatch`, `expected` the sum, "
            "`actual` the summary's figure). Cells the summary or a part leaves blank or unread "
            "are not compared (`rollup-cells-skipped` counts them). `report` is the summary's "
            "own validation; each part's own verdict is in `parts`."
        ),
        operation_class=RollupOperation,
        status_code=200,
        responses=ROLLUP_ERRORS,
    )
    async def rollup(self, request: Request[Any, Any, Any]) -> RollupResult:
        given = await _read(request)
        top = record_report(await parse_named(given.summary, SUMMARY_FIELD))
        parts = []
        for n, (upload, _) in enumerate(given.parts, start=1):
            parts.append(record_report(await parse_named(upload, f"{PARTS_FIELD}[{n}]")))
        issues = rollup.compare(top, parts)
        return RollupResult(
            report=ValidateResult.from_parse(top),
            parts=[RollupPart(index=n, meta=p.meta, summary=p.summary, filename=name)
                   for n, (p, (_, name)) in enumerate(zip(parts, given.parts, strict=True), start=1)],
            issues=issues,
            summary=summarise(issues),
        )
