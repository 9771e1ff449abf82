"""PDF: the corpus PDFs read as their text (goldens in tests/golden/corpus-*-pdf); bad PDFs
are refused with a reason; pdftotext and pdfplumber text of the same report parse as text."""

from __future__ import annotations

import pytest

from golden_support import GOLDEN
from hostile_pdfs import assemble
from renderings import comparable_tables
from service.domain.formats import DocumentError, parse_pdf, read_pdf
from service.domain.document import Block, Cell
from service.domain.formats.pdf import _is_page_number, join_pages
from service.domain.pipeline import parse_bytes


def image_only_pdf() -> bytes:
    """A one-page PDF whose page is a single 2x2 grey image: a scan, no text layer."""
    image = b"\x80\x80\x80\x80"
    content = b"q 200 0 0 200 50 50 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
        % len(image) + image + b"\nendstream",
    ]
    return assemble(objects)


def test_scanned_pdf_is_refused_as_having_no_text() -> None:
    with pytest.raises(DocumentError) as exc:
        read_pdf(image_only_pdf())
    assert exc.value.reason == "no-text"


def test_non_pdf_bytes_and_damaged_pdfs_are_refused() -> None:
    with pytest.raises(DocumentError) as exc:
        read_pdf(b"PK\x03\x04 this is a zip")
    assert exc.value.reason == "unrecognised"
    pdf = (GOLDEN / "corpus-huaian-hongze-2024-pdf" / "input.pdf").read_bytes()
    with pytest.raises(DocumentError) as exc:
        read_pdf(pdf[:4000])
    assert exc.value.reason == "corrupt"
    with pytest.raises(DocumentError) as exc:
        read_pdf(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    assert exc.value.reason == "corrupt"


def test_pdf_cells_carry_their_page_and_findings_their_page() -> None:
    pdf = (GOLDEN / "corpus-huaian-hongze-2023-pdf" / "input.pdf").read_bytes()
    result = parse_pdf(pdf)
    errors = [i for i in result.issues if i.severity == "error"]
    assert {(i.code, i.location.row, i.location.column, i.location.page) for i in errors} == {
        ("review-total-mismatch", "review", "total", 4),
        ("review-total-mismatch", "litigation_after_review", "total", 4),
    }


def test_table_continued_on_the_next_page_is_one_table() -> None:
    # 淮安市 2024: table 2 runs from page 4 onto page 5; every row is read once, in order.
    doc = read_pdf((GOLDEN / "corpus-huaian-city-2024-pdf" / "input.pdf").read_bytes())
    pages = {b.page for b in doc.blocks if b.cells and any("申请" in c.text for c in b.cells)}
    assert {4, 5} <= pages
    assert not any(b.text.strip("-— ").isdigit() for b in doc.blocks if b.cells is None)
    result = parse_pdf((GOLDEN / "corpus-huaian-city-2024-pdf" / "input.pdf").read_bytes())
    assert len(result.tables.applications.rows) == 25  # type: ignore[union-attr]
    assert result.issues == []


@pytest.mark.parametrize("name", ["huaian-city-2024", "huaian-hongze-2023", "huaian-hongze-2024"])
def test_pdf_and_its_pdftotext_layout_text_give_the_same_values(name: str) -> None:
    pdf = parse_pdf((GOLDEN / f"corpus-{name}-pdf" / "input.pdf").read_bytes())
    text = parse_bytes((GOLDEN / f"corpus-{name}-layout" / "input.txt").read_bytes())
    values = lambda r: {k: {row["key"]: row["values"] for row in t["rows"]} for k, t in comparable_tables(r).items()}  # noqa: E731
    assert values(pdf) == values(text)


@pytest.mark.parametrize("text", ["-4-", "— 4 —", "4", "第4页", "第 4 页 共 6 页", "4/6"])
def test_page_numbers_are_furniture(text: str) -> None:
    assert _is_page_number(text)


@pytest.mark.parametrize("text", ["3001 53 0", "一、总体情况", "第二十条", "1234567"])
def test_report_lines_are_not_page_numbers(text: str) -> None:
    assert not _is_page_number(text)


def _row(*texts: str, page: int) -> Block:
    return Block(0, cells=[Cell(t, 0, page) for t in texts], page=page)


def test_a_row_cut_by_the_page_break_is_joined() -> None:
    # The label wraps over the break; the numbers stayed on the first page.
    first = [_row("（二）部分公开（区分处理的，只计", "3", "0", page=3)]
    second = [_row("这一情形，不计其他情形）", "", "", page=4), _row("（三）不予公开", "1", "0", page=4)]
    joined = join_pages([first, second])
    assert [[c.text for c in b.cells or []] for b in joined] == [
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "0"],
        ["（三）不予公开", "1", "0"],
    ]


def test_a_repeated_header_row_after_the_break_is_not_joined() -> None:
    first = [_row("四、结转下年度继续办理", "0", "0", page=3)]
    second = [_row("", "自然人", "总计", page=4)]  # text over the number columns
    assert len(join_pages([first, second])) == 2
