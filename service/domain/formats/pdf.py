"""PDF to blocks: text-based PDFs, tables rebuilt from the positions of characters and rules.

PDFium (pypdfium2) gives every character with its box and every path the page draws
(`pdfium_page`). Per page:

* tables are found from their ruling lines and rectangles (`pdfgrid`, pdfplumber's
  algorithm), each cell's characters read into lines in reading order; merged cells come
  back as empty cells at the grid positions they cover, which is what the table reader
  expects. A "table" of one column is a frame drawn around running text (WPS boxes whole
  pages): its rows are paragraphs, as are rows of a real table whose only cell spans the
  whole width (a heading or text line inside the frame);
* the characters outside tables are grouped into lines (`pdftext`), each a paragraph; a
  line holding only a page number (-4-, 第4页, 4/6) is page furniture and dropped, so a
  table that continues on the next page reads on without a break; a table row cut in two
  by the page break (a row with text and no numbers at the foot of one page and the head
  of the next) is joined.

Blocks keep `page` (1-based); `line` is the block's 1-based position in the document.
A PDF without any text (a scan) is refused: there is nothing to read without OCR.

Bounds (`PdfLimits`, 422 `/problems/unsupported-document` beyond): pages, characters,
objects and path segments per page, grid corners per page, and wall-clock time per
document. PDFium is not thread-safe: one document is read at a time per process.
"""

from __future__ import annotations

import bisect
import threading
import time
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from service.domain.cells import is_value_like
from service.domain.document import Block, Cell, Document
from service.domain.formats import pdftext
from service.domain.errors import Reason
from service.domain.formats.errors import DocumentError
from service.domain.formats.html import join_parts
from service.domain.formats.pdfgrid import BBox, Table, find_tables
from service.domain.formats.pdfium_page import Char, PageLimits, read_page
from service.domain.normalize import normalize_text


class PdfLimits(NamedTuple):
    """What one PDF may hold. Real reports: 4–12 pages, < 3,000 characters and < 1,000
    objects per page, read in tens of milliseconds; the bounds are far above that."""

    pages: int = 80
    chars_per_page: int = 50_000
    objects_per_page: int = 50_000
    segments_per_page: int = 200_000
    form_depth: int = 8
    seconds: float = 10.0


LIMITS = PdfLimits()
# PDFium keeps global state (fonts, caches) and is not safe to call from two threads.
_PDFIUM = threading.Lock()

_LOAD_ERRORS: dict[int, tuple[Reason, str]] = {
    pdfium_c.FPDF_ERR_PASSWORD: ("encrypted", "the PDF is encrypted with a password: send it unprotected"),
    pdfium_c.FPDF_ERR_SECURITY: ("encrypted", "the PDF is encrypted with an unsupported security handler: send it unprotected"),
}


def read_pdf(data: bytes, limits: PdfLimits = LIMITS) -> Document:
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError("unrecognised", "the file is not a PDF (it does not start with %PDF-)")
    deadline = time.monotonic() + limits.seconds
    with _PDFIUM:
        pages, has_text = _read_pages(data, limits, deadline)
    if not has_text:
        if _truncated(data):
            raise DocumentError("corrupt", "the PDF is damaged and cannot be read (it is cut short)")
        raise DocumentError(
            "no-text",
            "the PDF has no text layer (a scanned image?): run OCR or send the text-based original",
        )
    return document_of(pages)


def document_of(pages: list[list[Block]]) -> Document:
    """The pages' blocks joined (tables continued across a page break) as one document, each
    block numbered: a PDF has no input lines, so `line` counts blocks."""
    blocks = join_pages(pages)
    for n, b in enumerate(blocks, start=1):
        b.line = n
        for c in b.cells or ():
            c.line = n
    return Document(blocks=blocks, layout="pdf", line_count=len(blocks))


def _truncated(data: bytes) -> bool:
    """No end-of-file marker near the end: the file was cut off (PDFium rebuilds what it
    can of a truncated file, so it opens, but pages past the cut are empty)."""
    return b"%%EOF" not in data[-1024:]


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason, message = _LOAD_ERRORS.get(exc.err_code or 0, ("corrupt", "the PDF is damaged and cannot be read"))
        raise DocumentError(reason, message) from None


def _read_pages(data: bytes, limits: PdfLimits, deadline: float) -> tuple[list[list[Block]], bool]:
    """Every page's blocks, and whether any page has a character that is not a space."""
    pdf = _open(data)
    try:
        count = len(pdf)
        if count > limits.pages:
            raise DocumentError("too-large", f"the PDF has more than {limits.pages} pages")
        page_limits = PageLimits(limits.chars_per_page, limits.objects_per_page,
                                 limits.segments_per_page, limits.form_depth)
        pages: list[list[Block]] = []
        has_text = False
        for index in range(count):
            if time.monotonic() > deadline:
                raise DocumentError("too-large", f"the PDF takes longer than {limits.seconds:g} s to read")
            content = read_page(pdf, index, page_limits)
            has_text = has_text or any(not c.text.isspace() for c in content.chars)
            pages.append(page_blocks(content.chars, find_tables(content.edges, deadline), index + 1))
        return pages, has_text
    finally:
        pdf.close()


def _cell_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    text = pdftext.text(chars)
    if "\n" not in text:
        return normalize_text(text.strip())
    return normalize_text(join_parts(text.split("\n")))


def _split(chars: list[Char], boxes: list[BBox]) -> tuple[list[Char], list[Char]]:
    """The characters that overlap one of the boxes, and those that overlap none
    (pdfplumber's outside_bbox: touching counts as overlap, a contact at a single corner
    not). Only the first can be in a cell: a cell holds the characters whose middle it
    holds."""
    inside: list[Char] = []
    outside: list[Char] = []
    for c in chars:
        _, cx0, ctop, cx1, cbottom, _ = c  # unpacked once: a field read costs a lookup
        for x0, top, x1, bottom in boxes:
            if cbottom < top or ctop > bottom or cx1 < x0 or cx0 > x1:
                continue  # apart: the common case, decided without the exact test
            if min(cx1, x1) - max(cx0, x0) + min(cbottom, bottom) - max(ctop, top) > 0:
                inside.append(c)
                break
        else:
            outside.append(c)
    return inside, outside


class _ByMiddle:
    """Characters sorted by their vertical middle, for the characters of a row."""

    def __init__(self, chars: list[Char]):
        # Each middle computed once (not once to sort and once to search); the sort by
        # index is stable, so equal middles keep their order as sorting the characters would.
        mids = [(c.top + c.bottom) / 2 for c in chars]
        order = sorted(range(len(chars)), key=mids.__getitem__)
        self.chars = [chars[i] for i in order]
        self.mids = [mids[i] for i in order]

    def within(self, box: BBox) -> list[Char]:
        lo = bisect.bisect_left(self.mids, box[1])
        hi = bisect.bisect_left(self.mids, box[3])
        if lo == hi:
            return []
        x0, x1 = 2 * box[0], 2 * box[2]  # compared with x0 + x1: twice the middle
        return [c for c in self.chars[lo:hi] if x0 <= c.x0 + c.x1 < x1]


def _table_blocks(t: Table, by_middle: _ByMiddle, number: int) -> list[tuple[float, Block]]:
    out: list[tuple[float, Block]] = []
    ncols = max((len(r) for r in t.rows), default=0)
    for row in t.rows:
        present = [c for c in row if c is not None]
        if not present:
            continue
        top = min(c[1] for c in present)
        cells = [_cell_text(by_middle.within(c)) if c is not None else "" for c in row]
        spans_all = len(present) == 1 and present[0][0] - t.bbox[0] < 2 and t.bbox[2] - present[0][2] < 2
        if ncols <= 1 or spans_all:
            text = " ".join(c for c in cells if c)
            if text:
                out.append((top, Block(0, text=text, page=number)))
            continue
        if any(cells):
            out.append((top, Block(0, cells=[Cell(c, 0, number) for c in cells], page=number)))
    return out


def page_blocks(chars: list[Char], tables: list[Table], number: int) -> list[Block]:
    """The page's blocks in reading order (top to bottom), by their vertical position."""
    placed: list[tuple[float, int, Block]] = []
    inside, outside = _split(chars, [t.bbox for t in tables]) if tables else ([], chars)
    # Characters in a cell are found by where their middle falls (as pdfplumber does).
    by_middle = _ByMiddle(inside)
    for t in tables:
        for top, block in _table_blocks(t, by_middle, number):
            placed.append((top, len(placed), block))
    for line in pdftext.lines(outside):
        text = normalize_text(line.text).strip()
        if text and not is_page_number(text):
            placed.append((line.top, len(placed), Block(0, text=text, page=number)))
    placed.sort(key=lambda p: (p[0], p[1]))
    return [b for _, _, b in placed]


def is_page_number(text: str) -> bool:
    """-4-, — 4 —, 4, 第4页, 第 4 页 共 6 页, 4/6: page furniture, not report text."""
    s = "".join(text.split())
    for ch in "-—–－第页共/":
        s = s.replace(ch, "")
    return 0 < len(s) <= 6 and s.isascii() and s.isdigit()


_is_page_number = is_page_number  # the name the tests have known it by


def _has_numbers(block: Block) -> bool:
    return any(c.text and is_value_like(c.text) for c in block.cells or ())


def _continues(last: Block, first: Block) -> bool:
    """A table row cut by the page break: the same grid on both sides, and the head of the
    new page holds no numbers, only text below label cells of the row before (a repeated
    header row has its text over number columns: not joined)."""
    return (
        last.cells is not None
        and first.cells is not None
        and len(last.cells) == len(first.cells)
        and not _has_numbers(first)
        and all(
            not b.text or (a.text and not is_value_like(a.text))
            for a, b in zip(last.cells, first.cells, strict=True)
        )
    )


def join_pages(pages: list[list[Block]]) -> list[Block]:
    out: list[Block] = []
    for blocks in pages:
        if out and blocks and _continues(out[-1], blocks[0]):
            for a, b in zip(out[-1].cells or [], blocks[0].cells or [], strict=True):
                a.text = join_parts([a.text, b.text])
            blocks = blocks[1:]
        out.extend(blocks)
    return out
