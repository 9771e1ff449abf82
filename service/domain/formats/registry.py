"""The formats the service reads, in one table: how each is named, recognised and read.

Where do I add a format? Write its reader (a module of this package turning the file's bytes
into a `Document`) and add one `Format` to `FORMATS` below. Everything that chooses a reader
reads this table: raw request bodies and multipart parts (`service/api/uploads.py`), the CLI
(file extensions, `--format`), and the OpenAPI document's list of accepted media types
(`service/api/formats_docs.py`). Swapping a format's reader is an edit of its entry's `read`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from service.domain.decode import decode
from service.domain.document import Document
from service.domain.errors import DocumentError
from service.domain.formats import sniff
from service.domain.formats.docx import read_docx
from service.domain.formats.html import read_html
from service.domain.formats.pdf import read_pdf
from service.domain.layout import read_text

# A reader: the file's bytes and the charset the sender declared (None when it declared none).
Reader = Callable[[bytes, str | None], Document]

TEXT = "text/plain"
HTML = "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

# Media types that say nothing about the content: the bytes decide.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/zip",
                           "application/x-zip-compressed", "application/force-download"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Format:
    name: str  # stable: `Upload.format`, `nianbao parse --format`
    label: str  # how a message to a person names it
    media_types: tuple[str, ...]  # the first is documented; the others are aliases seen in the wild
    extensions: tuple[str, ...]  # lower case, with the dot; the first names the example file
    read: Reader
    # Whether a file's first bytes say it is of this format; None for the fallback (text).
    magic: Callable[[bytes], bool] | None
    binary: bool  # bytes without a charset (the OpenAPI schema says `format: binary`)
    description: str  # what the reader reads, for the OpenAPI document


@dataclass(frozen=True, slots=True)
class Refused:
    """A format recognised by its first bytes only to be refused with a clear reason."""

    magic: Callable[[bytes], bool]
    message: str


def read_plain_text(data: bytes, charset: str | None) -> Document:
    return read_text(decode(data, charset))


def ignoring_charset(read: Callable[[bytes], Document]) -> Reader:
    """A binary format's reader: a charset the sender declared means nothing to it."""

    def reader(data: bytes, charset: str | None) -> Document:
        return read(data)

    return reader


FORMATS: tuple[Format, ...] = (
    Format(
        name="text", label="text", media_types=(TEXT,), extensions=(".txt", ".text", ".md"),
        read=read_plain_text, magic=None, binary=False,
        description="The report as text, UTF-8 or GB18030/GBK (declare it with `charset`; "
        "detected when absent).",
    ),
    Format(
        name="html", label="HTML", media_types=(HTML, "application/xhtml+xml"),
        extensions=(".html", ".htm"), read=read_html, magic=sniff.is_html, binary=False,
        description="The report as HTML: a CMS page or fragment, Word-pasted markup included. "
        "Tables are read by their cells (rowspan/colspan expanded); navigation and footers "
        "around the report are ignored. Charset from the header, the page's <meta>, else UTF-8 "
        "or GB18030. Findings locate themselves in the form sent: text by `line`; HTML and Word "
        "by `cell` (\"T2R5C3\": 2nd table, its 5th row, 3rd cell, counted as written in the "
        "markup) and the element's source `line` (HTML) or block number (Word); PDF by `page`.",
    ),
    Format(
        name="docx", label=".docx", media_types=(DOCX,), extensions=(".docx",),
        read=ignoring_charset(read_docx), magic=sniff.is_zip, binary=True,
        description="A Word .docx file: its paragraphs and table cells, merged cells (gridSpan, "
        "vMerge) included. Archives that unpack beyond the limits (zip bombs) are refused.",
    ),
    Format(
        name="pdf", label="PDF", media_types=(PDF, "application/x-pdf"), extensions=(".pdf",),
        read=ignoring_charset(read_pdf), magic=sniff.is_pdf, binary=True,
        description="A text-based PDF: tables rebuilt from word positions and ruling lines, "
        "continued across pages. A scan without a text layer is refused (no-text-layer).",
    ),
)
REFUSED: tuple[Refused, ...] = (
    Refused(sniff.is_ole, "legacy Word .doc files are not read: save the report as .docx"),
)

# The look-ups below scan FORMATS (four entries) on each call rather than keep indexes built
# at import: nothing to keep in step, and a test can declare a format by replacing FORMATS.


def names() -> list[str]:
    return [f.name for f in FORMATS]


def labels() -> str:
    """The formats for a message to a person: "text, HTML, .docx or PDF"."""
    *first, last = [f.label for f in FORMATS]
    return f"{', '.join(first)} or {last}" if first else last


def by_name(name: str) -> Format:
    """The format of this name; KeyError for a name no entry has."""
    found = next((f for f in FORMATS if f.name == name), None)
    if found is None:
        raise KeyError(name)
    return found


def by_media_type(media_type: str | None) -> Format | None:
    """The format a media type names (parameters and case ignored), or None."""
    bare = _bare(media_type)
    return next((f for f in FORMATS if bare in f.media_types), None)


def by_extension(filename: str | None) -> Format | None:
    """The format a file name's extension names, or None."""
    suffix = PurePath(filename or "").suffix.lower()
    return next((f for f in FORMATS if suffix and suffix in f.extensions), None)


def is_generic(media_type: str | None) -> bool:
    """Whether the media type says nothing about the content (the bytes decide)."""
    return _bare(media_type) in GENERIC_TYPES


def sniffed(data: bytes) -> Format:
    """The format the first bytes say; text for anything else.

    Raises DocumentError("unrecognised") for a format recognised only to be refused.
    """
    head = data[: sniff.HEAD]
    for refused in REFUSED:
        if refused.magic(head):
            raise DocumentError("unrecognised", refused.message)
    for fmt in FORMATS:
        if fmt.magic is not None and fmt.magic(head):
            return fmt
    return next(f for f in FORMATS if f.magic is None)


def format_of(media_type: str | None, data: bytes) -> str:
    """The format to read `data` as: from its media type, or sniffed when that is generic.

    Raises KeyError for a media type that names no format and is not generic, and
    DocumentError("unrecognised") for a file recognised only to be refused (a legacy .doc).
    """
    found = by_media_type(media_type)
    if found is None and is_generic(media_type):
        found = sniffed(data)
    if found is None:
        raise KeyError(_bare(media_type))
    return found.name


def format_of_file(filename: str, data: bytes) -> str:
    """The format of a file: from its name's extension, else from its first bytes."""
    found = by_extension(filename)
    return found.name if found is not None else format_of(None, data)


def read_document(data: bytes, fmt: str, charset: str | None = None) -> Document:
    """Read bytes of a known format into a Document. Raises DecodeError or DocumentError."""
    return by_name(fmt).read(data, charset)


def _bare(media_type: str | None) -> str:
    return (media_type or "").split(";")[0].strip().lower()
