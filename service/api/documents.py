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

from service.api.problems import ProblemError
from service.api.uploads import Upload, parse_upload, part_upload
from service.domain.formats import registry
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
    named = registry.by_extension(doc.filename)
    if fmt is None and named is not None and named.name == "html":  # JSON content is text or HTML
        fmt = "html"
    return Upload(doc.content, fmt or "text")


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
