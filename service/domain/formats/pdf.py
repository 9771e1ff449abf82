"""PDF to blocks: text-based PDFs, tables rebuilt from the positions of words and rules.

pdfplumber (pdfminer.six underneath) gives every character with its position and every
ruling line. Per page:

* tables are found from their ruling lines (`find_tables`), each cell's words joined in
  reading order; merged cells come back as empty cells at the grid positions they cover,
  which is what the table reader expects. A "table" of one column is a frame drawn around
  running text (WPS boxes whole pages): its rows are paragraphs, as are rows of a real table
  whose only cell spans the whole width (a heading or text line inside the frame);
* the words outside tables are grouped into lines, each a paragraph; a line holding only a
  page number (-4-, 第4页, 4/6) is page furniture and dropped, so a table that continues on
  the next page reads on without a break; a table row cut in two by the page break (a row
  with text and no numbers at the foot of one page and the head of the next) is joined.

Blocks keep `page` (1-based); `line` is the block's 1-based position in the document.
A PDF without any text (a scan) is refused: there is nothing to read without OCR.
"""

from __future__ import annotations

import io
import logging

from service.domain.cells import is_value_like
from service.domain.document import Block, Cell, Document
from service.domain.formats.errors import DocumentError
from service.domain.formats.html import join_parts
from service.domain.normalize import normalize_text

# Reports run to a handful of pages; pdfminer is pure Python, so a cap keeps one request's
# cost bounded.
MAX_PAGES = 80

# pdfminer logs warnings about odd PDFs on its own loggers; they are noise and may quote text.
for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def read_pdf(data: bytes) -> Document:
    import pdfplumber  # heavy import, only when a PDF arrives
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError("unrecognised", "the file is not a PDF (it does not start with %PDF-)")
    pages: list[list[Block]] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise DocumentError("too-large", f"the PDF has more than {MAX_PAGES} pages")
            for number, page in enumerate(pdf.pages, start=1):
                chars += sum(1 for c in page.chars if c.get("text", "").strip())
                pages.append(_page_blocks(page, number))
                page.flush_cache()
    except DocumentError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise DocumentError("encrypted", "the PDF is encrypted") from None
    except MemoryError:
        raise  # the worker's memory ceiling, not a damaged file (service.api.worker answers it)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on malformed files
        # pdfplumber wraps pdfminer's exceptions (PdfminerException(PDFPasswordIncorrect())).
        if any(isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in exc.args):
            raise DocumentError("encrypted", "the PDF is encrypted (it needs a password to open)") from None
        raise DocumentError("corrupt", "the PDF is damaged and cannot be read") from None
    if chars == 0:
        raise DocumentError(
            "no-text",
            "the PDF has no text layer (a scanned image?): run OCR or send the text-based original",
        )
    blocks = _join_pages(pages)
    for n, b in enumerate(blocks, start=1):
        b.line = n
        for c in b.cells or ():
            c.line = n
    return Document(blocks=blocks, layout="pdf", line_count=len(blocks))


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    return normalize_text(join_parts(text.split("\n")))


def _page_blocks(page, number: int) -> list[Block]:  # type: ignore[no-untyped-def]
    """The page's blocks in reading order (top to bottom), with their vertical position."""
    placed: list[tuple[float, int, Block]] = []
    tables = page.find_tables()
    outside = page
    for t in tables:
        outside = outside.outside_bbox(t.bbox)
        ncols = max((len(r.cells) for r in t.rows), default=0)
        for row, texts in zip(t.rows, t.extract(), strict=True):
            top = row.bbox[1]
            cells = [_cell_text(x) for x in texts]
            present = [c for c in row.cells if c is not None]
            if ncols <= 1 or (len(present) == 1 and present[0][0] - t.bbox[0] < 2 and t.bbox[2] - present[0][2] < 2):
                text = " ".join(c for c in cells if c)
                if text:
                    placed.append((top, len(placed), Block(0, text=text, page=number)))
                continue
            if not any(cells):
                continue
            placed.append((top, len(placed), Block(0, cells=[Cell(c, 0, number) for c in cells], page=number)))
    for line in outside.extract_text_lines(layout=False, strip=True, return_chars=False):
        text = normalize_text(line.get("text", "")).strip()
        if text and not _is_page_number(text):
            placed.append((line["top"], len(placed), Block(0, text=text, page=number)))
    placed.sort(key=lambda p: (p[0], p[1]))
    return [b for _, _, b in placed]


def _is_page_number(text: str) -> bool:
    """-4-, — 4 —, 4, 第4页, 第 4 页 共 6 页, 4/6: page furniture, not report text."""
    s = "".join(text.split())
    for ch in "-—–－第页共/":
        s = s.replace(ch, "")
    return 0 < len(s) <= 6 and s.isascii() and s.isdigit()


def _has_numbers(block: Block) -> bool:
    return any(c.text and is_value_like(c.text) for c in block.cells or ())


def _join_pages(pages: list[list[Block]]) -> list[Block]:
    out: list[Block] = []
    for blocks in pages:
        if out and blocks:
            last, first = out[-1], blocks[0]
            # A table row cut by the page break: the same grid on both sides, and the head
            # of the new page holds no numbers, only text below label cells of the row
            # before (a repeated header row has its text over number columns: not joined).
            if (
                last.cells is not None
                and first.cells is not None
                and len(last.cells) == len(first.cells)
                and not _has_numbers(first)
                and all(
                    not b.text or (a.text and not is_value_like(a.text))
                    for a, b in zip(last.cells, first.cells, strict=True)
                )
            ):
                for a, b in zip(last.cells, first.cells, strict=True):
                    a.text = join_parts([a.text, b.text])
                blocks = blocks[1:]
        out.extend(blocks)
    return out
