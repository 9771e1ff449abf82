"""OpenAPI request-body entries for the report files: one per format of the registry, and
the multipart upload.

Built from `registry.FORMATS` (service/domain/formats/registry.py) when the document is
generated, so the document lists every media type `read_report` accepts, and a format added
there is documented without a line here. The text formats carry the sample report inline; a
binary file (or a format without a sample here) has an example naming the file and how to
send it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape

from litestar.openapi.spec import Encoding, Example, OpenAPIMediaType, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from service.api.uploads import FILE_FIELD
from service.domain.formats import registry
from service.domain.formats.registry import Format
from service.domain.render import consistent_values, render_report


@cache
def sample_report() -> str:
    return render_report(consistent_values(seed=11), layout="tab", agency="示例市示例局", year=2023)


@cache
def sample_html() -> str:
    """The sample report as a CMS stores it: paragraphs and tables of cells."""
    out = ["<html><head><meta charset=\"utf-8\"></head><body>"]
    in_table = False
    for line in sample_report().split("\n"):
        if "\t" in line:
            if not in_table:
                out.append("<table border=\"1\">")
                in_table = True
            cells = "".join(f"<td>{escape(c) or '&nbsp;'}</td>" for c in line.split("\t"))
            out.append(f"<tr>{cells}</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.strip():
            out.append(f"<p>{escape(line)}</p>")
    out.append("</body></html>")
    return "\n".join(out)


# The inline example of a text format, by format name: (summary, the sample in that format).
_SAMPLES: dict[str, tuple[str, Callable[[], str]]] = {
    "text": ("A report, tab-separated tables", sample_report),
    "html": ("The sample report as HTML", sample_html),
}


def format_media_type(fmt: Format) -> OpenAPIMediaType:
    """The request-body entry of one format, under its first media type."""
    sample = _SAMPLES.get(fmt.name)
    if sample is not None and not fmt.binary:
        summary, value = sample
        return OpenAPIMediaType(
            schema=Schema(type=OpenAPIType.STRING, description=fmt.description),
            examples={"report": Example(summary=summary, value=value())},
        )
    # A binary file has no inline example; the example names the file and how to send it.
    command = (f"curl --data-binary @2023年报{fmt.extensions[0]} "
               f"-H 'Content-Type: {fmt.media_types[0]}' …/v1/reports/parse")
    binary = OpenAPIFormat.BINARY if fmt.binary else None
    return OpenAPIMediaType(
        schema=Schema(type=OpenAPIType.STRING, format=binary, description=fmt.description),
        examples={"file": Example(summary="The report file's bytes", description=command, value="(file bytes)")},
    )


def multipart_media_type() -> OpenAPIMediaType:
    """The multipart/form-data upload: one `file` part of any format."""
    accepted = ", ".join([*(f.media_types[0] for f in registry.FORMATS), "application/octet-stream"])
    return OpenAPIMediaType(
        schema=Schema(
            type=OpenAPIType.OBJECT,
            required=[FILE_FIELD],
            properties={
                FILE_FIELD: Schema(
                    type=OpenAPIType.STRING,
                    format=OpenAPIFormat.BINARY,
                    description=(
                        f"The report file: {registry.labels()}. The part's own "
                        "Content-Type decides; when it is missing or generic "
                        "(application/octet-stream) the file's first bytes do."
                    ),
                ),
                "previous": Schema(
                    type=OpenAPIType.STRING,
                    format=OpenAPIFormat.BINARY,
                    description=(
                        "Optional: last year's report of the same agency, in any accepted "
                        "format, for the cross-year rules (see the JSON body's `previous`)."
                    ),
                ),
            },
        ),
        examples={
            "upload": Example(
                summary="A file upload",
                description="curl -F 'file=@2023年报.pdf' …/v1/reports/parse",
                value={FILE_FIELD: "(file bytes)"},
            )
        },
        encoding={FILE_FIELD: Encoding(content_type=accepted)},
    )


def file_media_types() -> dict[str, OpenAPIMediaType]:
    """Every format's entry, in the registry's order, then the multipart upload."""
    entries = {fmt.media_types[0]: format_media_type(fmt) for fmt in registry.FORMATS}
    entries["multipart/form-data"] = multipart_media_type()
    return entries
