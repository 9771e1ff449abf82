"""Readers for the forms a portal holds a report in: HTML, Word (.docx) and PDF.

Each reader turns its file into the layout-neutral `Document` (paragraphs and rows of
cells) and the usual pipeline reads it from there, so a report gives the same tables
whatever form it came in. Web-free like the rest of the domain.
"""

from __future__ import annotations

from service.domain.decode import decode
from service.domain.document import Document
from service.domain.formats.docx import read_docx
from service.domain.formats.errors import DocumentError
from service.domain.formats.html import read_html
from service.domain.formats.pdf import read_pdf
from service.domain.formats.sniff import DOCX, HTML, MSWORD, PDF, TEXT, sniff
from service.domain.layout import read_text
from service.domain.models import ParseResult
from service.domain.pipeline import parse_document

# Media types accepted for a file and the format each names. Aliases seen in the wild
# (application/xhtml+xml, application/x-pdf) read as their format.
MEDIA_FORMATS: dict[str, str] = {
    TEXT: "text",
    HTML: "html",
    "application/xhtml+xml": "html",
    DOCX: "docx",
    PDF: "pdf",
    "application/x-pdf": "pdf",
}
# Types that say nothing about the content: the bytes decide.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/zip",
                           "application/x-zip-compressed", "application/force-download"})


def format_of(media_type: str | None, data: bytes) -> str:
    """The format to read `data` as: from its media type, or sniffed when that is generic.

    Raises DocumentError("unrecognised") for a legacy .doc, which no reader takes.
    """
    mt = (media_type or "").split(";")[0].strip().lower()
    fmt = MEDIA_FORMATS.get(mt)
    if fmt is None and mt in GENERIC_TYPES:
        sniffed = sniff(data)
        if sniffed == MSWORD:
            raise DocumentError("unrecognised", "legacy Word .doc files are not read: save the report as .docx")
        fmt = MEDIA_FORMATS[sniffed]
    if fmt is None:
        raise KeyError(mt)
    return fmt


def read_document(data: bytes, fmt: str, charset: str | None = None) -> Document:
    """Read bytes of a known format into a Document. Raises DecodeError or DocumentError."""
    if fmt == "html":
        return read_html(data, charset)
    if fmt == "docx":
        return read_docx(data)
    if fmt == "pdf":
        return read_pdf(data)
    return read_text(decode(data, charset))


def parse_html(data: bytes | str, charset: str | None = None) -> ParseResult:
    return parse_document(read_html(data, charset))


def parse_docx(data: bytes) -> ParseResult:
    return parse_document(read_docx(data))


def parse_pdf(data: bytes) -> ParseResult:
    return parse_document(read_pdf(data))


def parse_file(data: bytes, fmt: str, charset: str | None = None) -> ParseResult:
    return parse_document(read_document(data, fmt, charset))


__all__ = [
    "DOCX", "GENERIC_TYPES", "HTML", "MEDIA_FORMATS", "PDF", "TEXT", "DocumentError",
    "format_of", "parse_docx", "parse_file", "parse_html", "parse_pdf", "read_docx",
    "read_document", "read_html", "read_pdf", "sniff",
]
