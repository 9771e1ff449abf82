"""`POST /v1/batches`: many reports in one request, answered as NDJSON one report at a time.

The body is a zip of report files, or a multipart/form-data body with one file part per
report. Each file is read through `parse_upload`, the same single entry point (and the same
isolation, deadline and bounds) as `/v1/reports/validate`; the batch adds no pool of its own.
The answer streams as each file is done: one JSON line per report, its name and either its
validate result or the problem that file has. A bad file is a line, never the end of the
batch. Problems of the batch as a whole (not a zip, too many files, too large) are answered
before streaming starts, as usual problem+json.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.handlers import HTTPRouteHandler
from litestar.response import Stream

from service.api.openapi_docs import BatchOperation
from service.api.problems import PROBLEM_TYPES, Problem, ProblemError
from service.api.reports import REPORT_ERRORS
from service.api.uploads import Upload, parse_upload
from service.audit.sources import report_format
from service.domain.archive import ArchiveError, ArchiveLimits, is_zip, read_members
from service.domain.formats import DocumentError, format_of
from service.domain.models import ValidateResult
from service.settings import Settings

NDJSON = "application/x-ndjson"
ZIP_TYPES = ("application/zip", "application/x-zip-compressed")


class BatchLine(msgspec.Struct, omit_defaults=True):
    """One line of the answer: a report's name and its result, or the problem it has."""

    name: str
    status: int
    result: ValidateResult | None = None
    problem: Problem | None = None


@dataclass(frozen=True)
class Item:
    """A file of the batch: an upload to parse, or the problem found before parsing."""

    name: str
    upload: Upload | None = None
    problem: ProblemError | None = None


def _problem_line(name: str, exc: ProblemError) -> BatchLine:
    pt = exc.problem_type
    return BatchLine(name, pt.status, problem=Problem(type=pt.uri, title=pt.title, status=pt.status,
                                                      detail=exc.detail))


def _item(name: str, data: bytes, media_type: str | None) -> Item:
    if not data.strip():
        return Item(name, problem=ProblemError("empty-body", "The file is empty."))
    try:
        fmt = format_of(media_type, data) if media_type else report_format(name, data[:1024])
    except DocumentError as exc:
        return Item(name, problem=ProblemError("unsupported-document", f"{exc}."))
    except KeyError:
        fmt = None
    if fmt is None or fmt == "doc":
        return Item(name, problem=ProblemError(
            "unsupported-media-type" if fmt is None else "unsupported-document",
            "Not a report file: send text, HTML, .docx or PDF." if fmt is None
            else "Legacy Word .doc files are not read: save the report as .docx."))
    return Item(name, upload=Upload(data, fmt))


def _zip_items(body: bytes, settings: Settings) -> list[Item]:
    limits = ArchiveLimits(settings.batch_max_files, settings.max_body_bytes, settings.batch_max_bytes)
    items: list[Item] = []
    try:
        for member in read_members(body, limits):
            if member.data is None:
                items.append(Item(member.name, problem=ProblemError("unsupported-document",
                                                                    f"{member.reason}.")))
            elif report_format(member.name, member.data[:1024]) is not None:
                items.append(_item(member.name, member.data, None))
    except ArchiveError as exc:
        raise ProblemError("unsupported-document", f"The batch zip cannot be read: {exc}.") from None
    return items


async def _multipart_items(request: Request[Any, Any, Any], settings: Settings) -> list[Item]:
    form = await request.form()
    parts = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    if len(parts) > settings.batch_max_files:
        raise ProblemError("invalid-request",
                           f"The batch holds {len(parts)} files; at most {settings.batch_max_files}.")
    items = []
    for n, part in enumerate(parts, start=1):
        data = await part.read()
        name = part.filename or f"file-{n}"
        if len(data) > settings.max_body_bytes:
            items.append(Item(name, problem=ProblemError(
                "body-too-large", f"The file is larger than {settings.max_body_bytes} bytes.")))
            continue
        media_type = (part.content_type or "").split(";")[0].strip().lower()
        items.append(_item(name, data, media_type or None))
    return items


async def read_batch(request: Request[Any, Any, Any], settings: Settings) -> list[Item]:
    media_type = request.content_type[0].lower()
    if media_type == "multipart/form-data":
        items = await _multipart_items(request, settings)
    else:
        body = await request.body()
        if media_type not in ZIP_TYPES and not (media_type in ("", "application/octet-stream") and is_zip(body)):
            raise ProblemError("unsupported-media-type",
                               f"Content-Type {media_type or '(none)'} is not accepted; send "
                               "application/zip or multipart/form-data with one file part per report.")
        items = _zip_items(body, settings)
    if not items:
        raise ProblemError("empty-body", "The batch holds no report files (.txt .html .docx .pdf).")
    return items


async def _line(item: Item) -> BatchLine:
    if item.upload is None:
        assert item.problem is not None
        return _problem_line(item.name, item.problem)
    try:
        result = await parse_upload(item.upload)
    except ProblemError as exc:
        return _problem_line(item.name, exc)
    return BatchLine(item.name, 200, result=ValidateResult.from_parse(result))


async def stream_lines(items: Sequence[Item]) -> AsyncIterator[bytes]:
    encoder = msgspec.json.Encoder()
    for item in items:
        yield encoder.encode(await _line(item)) + b"\n"


def batch_handler(settings: Settings) -> HTTPRouteHandler:
    """The route, built with the settings' bounds (the batch has its own body limit)."""

    @post(
        "/v1/batches",
        operation_id="auditBatch",
        summary="Validate many reports at once",
        tags=["reports"],
        description=(
            "A zip of report files, or multipart/form-data with one file part per report; "
            "answered as NDJSON (`application/x-ndjson`), one line per report as each is done: "
            "`{name, status, result}` with the validate result, or `{name, status, problem}` "
            "with the RFC 9457 problem of that file. Bounds (the document states the defaults): at "
            "most NIANBAO_BATCH_MAX_FILES files (500), a body and an unpacked zip of at most "
            "NIANBAO_BATCH_MAX_BYTES (100 MiB), each file at most NIANBAO_MAX_BODY_BYTES "
            "(5 MiB); each file is read with the "
            "deadline and bounds of a single report. Zip member sizes are checked on the bytes "
            "unpacked, and names that climb out of the archive (`../`, absolute) are skipped."
        ),
        operation_class=BatchOperation,
        request_max_body_size=settings.batch_max_bytes,
        responses=REPORT_ERRORS,
        status_code=200,
        media_type=NDJSON,
    )
    async def batches(request: Request[Any, Any, Any]) -> Stream:
        items = await read_batch(request, settings)
        return Stream(stream_lines(items), media_type=NDJSON)

    return batches


__all__ = ["NDJSON", "PROBLEM_TYPES", "BatchLine", "batch_handler", "read_batch"]
