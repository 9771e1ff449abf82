"""Report files in the request: raw bodies of each accepted media type and multipart uploads.

The handler only works out *what* was sent (bytes or text, and which format); reading it is
the domain's (`service.domain.formats`). Failures of the file itself become problems here:
bytes that are no text in any encoding, and files of an accepted type that cannot be read.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request
from litestar.datastructures import UploadFile

from service.api import pool, worker
from service.api.metrics import PARSE_REFUSALS
from service.api.pool import ParseRefused
from service.api.problems import ProblemError
from service.api.worker import Upload, parse_sync
from service.domain.decode import DecodeError
from service.domain.formats import DocumentError, format_of, registry
from service.domain.models import ParseResult
from service.logs import log

FILE_FIELD = "file"


def raw_format(media_type: str) -> str | None:
    """The format of a raw body of this media type, or None when it is not a file type."""
    found = registry.by_media_type(media_type)
    return found.name if found is not None else None


async def read_multipart(request: Request[Any, Any, Any]) -> Upload:
    """The `file` part of a multipart/form-data body (see `part_upload`)."""
    form = await request.form()
    part = form.get(FILE_FIELD)
    if not isinstance(part, UploadFile):
        raise ProblemError(
            "invalid-request", f"multipart/form-data needs a file part named `{FILE_FIELD}`."
        )
    return await part_upload(part, FILE_FIELD)


async def part_upload(part: object, name: str) -> Upload:
    """A multipart part as an upload. Its own Content-Type decides the format; a generic one
    (application/octet-stream, none) is replaced by what the first bytes say."""
    if not isinstance(part, UploadFile):
        raise ProblemError("invalid-request", f"`{name}` must be a file part.")
    data = await part.read()
    if not data.strip():
        raise ProblemError("empty-body", f"The `{name}` part is empty.")
    # The part's own header, parameters and all: Litestar's `content_type` drops the charset.
    declared = next((v for k, v in part.headers.items() if k.lower() == "content-type"), None)
    media_type, charset = _split_media_type(declared or part.content_type or "")
    try:
        fmt = format_of(media_type, data)
    except KeyError:
        raise ProblemError(
            "unsupported-media-type", f"The `{name}` part is {media_type}; send {registry.labels()}."
        ) from None
    except DocumentError as exc:
        raise ProblemError("unsupported-document", f"`{name}`: {exc}" if name != FILE_FIELD else str(exc)) from None
    return Upload(data, fmt, charset)


def _split_media_type(value: str) -> tuple[str, str | None]:
    media_type, _, rest = value.partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"')
    return media_type.strip().lower(), charset


# A text this small is parsed right here on the event loop: the pool's round trip would cost
# more than the parse, and no text inside these bounds can cost more than a few tens of
# milliseconds (docs/robustness.md has the measurements). Everything else, any Word, PDF or
# HTML file and every larger text, is read in the worker pool, under its deadline and memory
# ceiling.
IN_PROCESS_MAX_CHARS = 16 * 1024
IN_PROCESS_MAX_LINES = 600
IN_PROCESS_MAX_SEPARATORS = 4000


def in_process(upload: Upload) -> bool:
    """Whether `upload` is a text small enough to parse without the pool (counted in
    characters for JSON content, in bytes for a raw body)."""
    data = upload.data
    if upload.format != "text" or len(data) > IN_PROCESS_MAX_CHARS:
        return False
    if isinstance(data, str):
        lines, separators = data.count("\n"), data.count("\t") + data.count("|") + data.count(" ")
    else:
        lines, separators = data.count(b"\n"), data.count(b"\t") + data.count(b"|") + data.count(b" ")
    return lines <= IN_PROCESS_MAX_LINES and separators <= IN_PROCESS_MAX_SEPARATORS


async def parse_upload(upload: Upload) -> ParseResult:
    """Parse one uploaded report: small texts here, anything else in the worker pool.

    Raises ProblemError: undecodable bytes, an unreadable document, a document past the
    deadline or the memory ceiling (422), or no free reader (503 with Retry-After).
    """
    try:
        if in_process(upload):
            return parse_sync(upload)
        return _unpack(await _in_pool(upload))
    except DecodeError as exc:
        where = f" (first bad byte at offset {exc.offset})" if exc.offset is not None else ""
        raise ProblemError("undecodable-body", f"{exc}{where}.") from None
    except DocumentError as exc:
        raise ProblemError(DOCUMENT_PROBLEMS.get(exc.reason, "unsupported-document"), f"{exc}.") from None
    except ParseRefused as exc:
        PARSE_REFUSALS.labels(reason=exc.slug.removeprefix("parse-")).inc()
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        raise ProblemError(exc.slug, exc.detail, headers) from None


# DocumentError reasons with a problem type of their own; the rest are unsupported-document.
DOCUMENT_PROBLEMS = {"no-text": "no-text-layer", "encrypted": "encrypted-document"}


async def _in_pool(upload: Upload) -> tuple[object, ...]:
    workers = pool.current()
    workers.admit()  # or 503 at once: the pool is full
    try:
        return await anyio.to_thread.run_sync(workers.run, upload)
    finally:
        workers.leave()


def _unpack(answer: tuple[object, ...]) -> ParseResult:
    """The worker's answer as a result, or the exception the reader raised there."""
    kind = answer[0]
    if kind == worker.OK:
        result = answer[1]
        assert isinstance(result, ParseResult)
        return result
    if kind == worker.DECODE:
        message, offset, charset = answer[1:]
        raise DecodeError(str(message), offset if isinstance(offset, int) else None,
                          charset if isinstance(charset, str) else None)
    if kind == worker.DOCUMENT:
        reason, message = answer[1:]
        raise DocumentError(reason, str(message))  # type: ignore[arg-type]  # the reason came from a DocumentError in the worker: a Reason
    if kind == worker.MEMORY:
        raise ParseRefused("parse-memory", "Reading the document took more memory than the service "
                           "allows one document (NIANBAO_PARSE_MEMORY_MB).")
    # A reader bug: the type is logged, never the exception's text (it could quote the report).
    log.error("parse-failed", exc_type=str(answer[1]))
    raise RuntimeError(f"the reader failed with {answer[1]}")


__all__ = ["FILE_FIELD", "IN_PROCESS_MAX_CHARS", "Upload", "in_process", "parse_upload", "part_upload", "raw_format", "read_multipart"]
