"""OpenAPI request-body entries for the file formats: HTML, Word (.docx), PDF, multipart.

Registered into `openapi_docs.EXTRA_MEDIA_TYPES` on import, so the generated document lists
every media type `read_report` accepts.
"""

from __future__ import annotations

from functools import cache
from html import escape

from litestar.openapi.spec import Encoding, Example, OpenAPIMediaType, Schema
from litestar.openapi.spec.enums import OpenAPIType

from service.api.openapi_docs import EXTRA_MEDIA_TYPES, sample_report
from service.api.uploads import FILE_FIELD
from service.domain.formats import DOCX

LOCATION_NOTE = (
    " Findings locate themselves in the form sent: text by `line`; HTML and Word by `cell` "
    "(\"T2R5C3\": 2nd table, its 5th row, 3rd cell, counted as written in the markup) and the "
    "element's source `line` (HTML) or block number (Word); PDF by `page`."
)


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


def _binary(description: str, command: str) -> OpenAPIMediaType:
    # A binary file has no inline example; the example names the file and how to send it.
    return OpenAPIMediaType(
        schema=Schema(type=OpenAPIType.STRING, format="binary", description=description),  # type: ignore[arg-type]
        examples={"file": Example(summary="The report file's bytes", description=command, value="(file bytes)")},
    )


def register() -> None:
    EXTRA_MEDIA_TYPES.update(
        {
            "text/html": OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.STRING,
                    description=(
                        "The report as HTML: a CMS page or fragment, Word-pasted markup included. "
                        "Tables are read by their cells (rowspan/colspan expanded); navigation "
                        "and footers around the report are ignored. Charset from the header, "
                        "the page's <meta>, else UTF-8 or GB18030." + LOCATION_NOTE
                    ),
                ),
                examples={"report": Example(summary="The sample report as HTML", value=sample_html())},
            ),
            DOCX: _binary(
                "A Word .docx file: its paragraphs and table cells, merged cells (gridSpan, "
                "vMerge) included. Archives that unpack beyond the limits (zip bombs) are refused.",
                f"curl --data-binary @2023年报.docx -H 'Content-Type: {DOCX}' …/v1/reports/parse",
            ),
            "application/pdf": _binary(
                "A text-based PDF: tables rebuilt from word positions and ruling lines, "
                "continued across pages. A scan without a text layer is refused (no-text-layer).",
                "curl --data-binary @2023年报.pdf -H 'Content-Type: application/pdf' …/v1/reports/parse",
            ),
            "multipart/form-data": OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.OBJECT,
                    required=[FILE_FIELD],
                    properties={
                        FILE_FIELD: Schema(
                            type=OpenAPIType.STRING,
                            format="binary",  # type: ignore[arg-type]
                            description=(
                                "The report file: text, HTML, .docx or PDF. The part's own "
                                "Content-Type decides; when it is missing or generic "
                                "(application/octet-stream) the file's first bytes do."
                            ),
                        ),
                        "previous": Schema(
                            type=OpenAPIType.STRING,
                            format="binary",  # type: ignore[arg-type]
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
                encoding={
                    FILE_FIELD: Encoding(
                        content_type=f"text/plain, text/html, {DOCX}, application/pdf, application/octet-stream"
                    )
                },
            ),
        }
    )


register()
