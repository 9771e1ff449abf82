"""Reports beside the main one in a request: `previous` (last year's), rollup parts.

Each extra document comes either as a JSON object of the report body's shape (`content`,
`filename`, `format`) or as a multipart part of its own name, in any accepted format; every
one is parsed through `uploads.parse_upload`, the single entry point of the HTTP layer.
A document that cannot be read answers with the same problems as the report itself, its
`detail` naming the document.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar.datastructures import UploadFile

from service.api.problems import ProblemError
from service.api.uploads import Upload, _split_media_type, parse_upload
from service.domain.formats import GENERIC_TYPES, MEDIA_FORMATS, DocumentError, format_of
from service.domain.models import ParseResult
from service.domain.rules.crossyear import with_previous

PREVIOUS_FIELD = "previous"


class DocumentBody(msgspec.Struct, kw_only=True):
    """A report inside a JSON body."""

    content: str
    filename: str | None = None
    format: Literal["text", "html"] | None = None


def json_upload(doc: DocumentBody, name: str) -> Upload:
    if not doc.content.strip():
        raise ProblemError("empty-body", f"`{name}.content` is empty." if name else "`content` is empty.")
    fmt = doc.format
    if fmt is None and (doc.filename or "").lower().endswith((".html", ".htm")):
        fmt = "html"
    return Upload(doc.content, fmt or "text")


async def part_upload(part: object, name: str) -> Upload:
    """A multipart part as an upload: its own Content-Type decides the format, a generic one
    (application/octet-stream, none) is replaced by what the first bytes say."""
    if not isinstance(part, UploadFile):
        raise ProblemError("invalid-request", f"`{name}` must be a file part.")
    data = await part.read()
    if not data.strip():
        raise ProblemError("empty-body", f"The `{name}` part is empty.")
    media_type, charset = _split_media_type(part.content_type or "")
    if media_type not in MEDIA_FORMATS and media_type not in GENERIC_TYPES:
        raise ProblemError(
            "unsupported-media-type", f"The `{name}` part is {media_type}; send text, HTML, .docx or PDF."
        )
    try:
        fmt = format_of(media_type, data)
    except DocumentError as exc:
        raise ProblemError("unsupported-document", f"`{name}`: {exc}") from None
    return Upload(data, fmt, charset)


async def parse_named(upload: Upload, name: str) -> ParseResult:
    """`parse_upload`, with a failure's detail saying which document it was."""
    try:
        return await parse_upload(upload)
    except ProblemError as exc:
        raise ProblemError(exc.problem_type.slug, f"`{name}`: {exc.detail or exc}") from None


async def parse_with_previous(report: ParseResult, previous: Upload | None) -> ParseResult:
    """The report's result, checked against last year's report when one was sent."""
    if previous is None:
        return report
    return with_previous(report, await parse_named(previous, PREVIOUS_FIELD))


__all__ = ["PREVIOUS_FIELD", "DocumentBody", "json_upload", "parse_named", "parse_with_previous", "part_upload"]
