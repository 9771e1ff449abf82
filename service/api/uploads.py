"""Report files in the request: raw bodies of each accepted media type and multipart uploads.

The handler only works out *what* was sent (bytes or text, and which format); reading it is
the domain's (`service.domain.formats`). Failures of the file itself become problems here:
bytes that are no text in any encoding, and files of an accepted type that cannot be read.
"""

from __future__ import annotations

from typing import Any

import anyio
import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from service.api.problems import ProblemError
from service.domain.decode import DecodeError
from service.domain.formats import DocumentError, format_of, parse_file, read_html, registry
from service.domain.layout import read_text
from service.domain.models import ParseResult
from service.domain.pipeline import parse_document, parse_text

# Text above this size is parsed in a worker thread so the event loop keeps serving. Word
# and PDF files always are: unpacking and layout analysis take real time.
THREAD_THRESHOLD = 256 * 1024
FILE_FIELD = "file"


class Upload(msgspec.Struct):
    """A report as received: text (from JSON) or bytes, the format to read it as, and the
    charset the client declared for text formats."""

    data: bytes | str
    format: str
    charset: str | None = None


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
    media_type, charset = _split_media_type(part.content_type or "")
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


def _parse_sync(upload: Upload) -> ParseResult:
    if isinstance(upload.data, str):
        if upload.format == "html":
            return parse_document(read_html(upload.data))
        return parse_document(read_text(upload.data))
    return parse_file(upload.data, upload.format, upload.charset)


async def parse_upload(upload: Upload) -> ParseResult:
    """Parse an upload, in a worker thread when it is large or a binary format."""
    try:
        if isinstance(upload.data, str) and upload.format == "text" and len(upload.data) <= THREAD_THRESHOLD:
            return parse_text(upload.data)
        if upload.format in ("text", "html") and len(upload.data) <= THREAD_THRESHOLD:
            return _parse_sync(upload)
        return await anyio.to_thread.run_sync(_parse_sync, upload)
    except DecodeError as exc:
        where = f" (first bad byte at offset {exc.offset})" if exc.offset is not None else ""
        raise ProblemError("undecodable-body", f"{exc}{where}.") from None
    except DocumentError as exc:
        slug = "no-text-layer" if exc.reason == "no-text" else "unsupported-document"
        raise ProblemError(slug, f"{exc}.") from None


__all__ = ["FILE_FIELD", "Upload", "parse_upload", "raw_format", "read_multipart"]
