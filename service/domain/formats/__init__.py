"""Readers for the forms a portal holds a report in: text, HTML, Word (.docx) and PDF.

Each reader turns its file into the layout-neutral `Document` (paragraphs and rows of
cells) and the usual pipeline reads it from there, so a report gives the same tables
whatever form it came in. Which reader reads a file is decided in one place, the table of
formats in `registry.py`. Web-free like the rest of the domain.
"""

from __future__ import annotations

from service.domain.errors import DocumentError
from service.domain.formats.docx import read_docx
from service.domain.formats.html import read_html
from service.domain.formats.pdf import read_pdf
from service.domain.formats.registry import DOCX, format_of, read_document
from service.domain.models import ParseResult
from service.domain.pipeline import parse_document


def parse_html(data: bytes | str, charset: str | None = None) -> ParseResult:
    return parse_document(read_html(data, charset))


def parse_docx(data: bytes) -> ParseResult:
    return parse_document(read_docx(data))


def parse_pdf(data: bytes) -> ParseResult:
    return parse_document(read_pdf(data))


def parse_file(data: bytes, fmt: str, charset: str | None = None) -> ParseResult:
    """Parse bytes of the format named `fmt` (a `registry.FORMATS` name)."""
    return parse_document(read_document(data, fmt, charset))


__all__ = [
    "DOCX", "DocumentError", "format_of", "parse_docx", "parse_file", "parse_html", "parse_pdf",
    "read_docx", "read_html", "read_pdf",
]
