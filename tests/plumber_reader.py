"""The PDF reader the service had before PDFium: pdfplumber (pdfminer.six underneath).

Kept in the tests only, as the reference of the differential test (tests/test_formats_pdf_diff.py):
the PDFium reader must give the blocks this one gives. pdfplumber is a dev dependency.
"""

from __future__ import annotations

import io
import logging

from service.domain.document import Block, Cell, Document
from service.domain.formats.errors import DocumentError
from service.domain.formats.html import join_parts
from service.domain.formats.pdf import document_of, is_page_number
from service.domain.normalize import normalize_text

MAX_PAGES = 80

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def read_pdf_plumber(data: bytes) -> Document:
    import pdfplumber
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
    except Exception:  # noqa: BLE001 - pdfminer raises many types on malformed files
        raise DocumentError("corrupt", "the PDF is damaged and cannot be read") from None
    if chars == 0:
        raise DocumentError("no-text", "the PDF has no text layer")
    return document_of(pages)


def _cell_text(text: str | None) -> str:
    if not text:
        return ""
    return normalize_text(join_parts(text.split("\n")))


def _page_blocks(page, number: int) -> list[Block]:  # type: ignore[no-untyped-def]
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
        if text and not is_page_number(text):
            placed.append((line["top"], len(placed), Block(0, text=text, page=number)))
    placed.sort(key=lambda p: (p[0], p[1]))
    return [b for _, _, b in placed]
