"""Differential test: the PDFium reader against the pdfplumber reader it replaced.

On the corpus PDFs and on reports the tests draw as PDFs (`pdf_writer`: merged header
cells, the 三、本年度办理结果 label down 22 rows, table 3 cut by a page break at different
rows, both templates), the two readers give the same blocks: every paragraph, every row,
every cell's text, every page number. Where they differ, the difference is pinned and the
PDFium reader is the one that reads the report: a label turned 90° (pdfplumber reads it
backwards) and a page turned by /Rotate 90 (pdfplumber places its characters outside the
page and the old reader refused the file as damaged). Every made PDF parses to the values
it was drawn from, with no issue.
"""

from __future__ import annotations

import pytest

from golden_support import GOLDEN
from pdf_writer import report_pdf
from plumber_reader import read_pdf_plumber
from reports import values
from service.domain.document import Document
from service.domain.formats import DocumentError, parse_pdf, read_pdf

CORPUS = sorted(GOLDEN.glob("corpus-*-pdf/input.pdf"))


def blocks(doc: Document) -> list[tuple[int | None, str, list[str] | None]]:
    return [(b.page, b.text, None if b.cells is None else [c.text for c in b.cells]) for b in doc.blocks]


def tables(data: bytes) -> dict[str, dict[str, dict[str, str | None]]]:
    result = parse_pdf(data)
    assert result.issues == []
    return {k: {r.key: r.values for r in getattr(result.tables, k).rows} for k in ("active_disclosure", "applications", "reviews_litigation")}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.parent.name)
def test_corpus_pdfs_read_the_same_through_both_readers(path) -> None:  # type: ignore[no-untyped-def]
    data = path.read_bytes()
    assert blocks(read_pdf(data)) == blocks(read_pdf_plumber(data))


MADE = [(seed, template, filler) for seed, template in ((1, "2021"), (2, "2021"), (3, "2019"), (4, "2019"))
        for filler in (0, 10)]


@pytest.mark.parametrize(("seed", "template", "filler"), MADE)
def test_made_pdfs_read_the_same_through_both_readers(seed: int, template: str, filler: int) -> None:
    v = values(seed=seed, template=template)
    data = report_pdf(v, template, filler=filler)
    new = blocks(read_pdf(data))
    assert new == blocks(read_pdf_plumber(data))
    assert tables(data) == v
    # The case the test is for: table 3 runs over a page break, its merged label with it.
    pages = {page for page, _, cells in new if cells and len(cells) == 9}
    assert len(pages) == 2, pages


def test_the_page_break_falls_at_different_rows() -> None:
    cuts = set()
    for seed, template, filler in MADE:
        doc = read_pdf(report_pdf(values(seed=seed, template=template), template, filler=filler))
        rows = [b for b in doc.blocks if b.cells and len(b.cells) == 9]
        cuts.add(next(n for n, b in enumerate(rows) if b.page != rows[0].page))
    assert len(cuts) >= 4, cuts


@pytest.mark.parametrize("seed", [1, 3])
def test_a_turned_label_reads_in_order_where_pdfplumber_reads_it_backwards(seed: int) -> None:
    v = values(seed=seed, template="2021")
    data = report_pdf(v, "2021", label="turned", filler=3 * seed)
    new, old = blocks(read_pdf(data)), blocks(read_pdf_plumber(data))
    differ = [(a, b) for a, b in zip(new, old, strict=True) if a != b]
    assert len(differ) == 1
    (_, _, cells), (_, _, old_cells) = differ[0]
    assert cells is not None and old_cells is not None
    assert cells[0] == "三、本年度办理结果" and old_cells[0] == "三、本年度办理结果"[::-1]
    assert cells[1:] == old_cells[1:]
    assert tables(data) == v


@pytest.mark.parametrize("seed", [1, 5])
def test_a_page_turned_by_rotate_reads_upright(seed: int) -> None:
    v = values(seed=seed, template="2021")
    data = report_pdf(v, "2021", rotate_reviews=True)
    with pytest.raises(DocumentError):
        read_pdf_plumber(data)  # the old reader: "damaged"
    new = blocks(read_pdf(data))
    last = max(page or 0 for page, _, _ in new)
    header = [cells for page, _, cells in new if page == last and cells][0]
    assert header is not None and header[0] == "行政复议" and header[5] == "行政诉讼"
    assert tables(data) == v
