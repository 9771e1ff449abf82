"""HTML: every seed, rendered as a CMS stores it, gives the same tables as its text."""

from __future__ import annotations

from pathlib import Path

import pytest

from golden_support import GOLDEN
from renderings import comparable_tables, to_html
from service.domain.formats import DocumentError, parse_html, read_html
from service.domain.pipeline import parse_bytes

SEEDS = sorted(p for p in GOLDEN.glob("seed-*/input.txt"))


@pytest.fixture(params=SEEDS, ids=lambda p: p.parent.name)
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param


def test_seed_as_editor_html_page_gives_the_same_tables(seed: Path) -> None:
    text_result = parse_bytes(seed.read_bytes())
    html_result = parse_html(to_html(text_result).encode("utf-8"))
    assert html_result.template == text_result.template
    assert comparable_tables(html_result) == comparable_tables(text_result)
    assert [s.key for s in html_result.sections] == [s.key for s in text_result.sections]


def test_seed_as_html_fragment_in_gb18030_gives_the_same_tables(seed: Path) -> None:
    text_result = parse_bytes(seed.read_bytes())
    fragment = to_html(text_result, page=False)
    html_result = parse_html(fragment.encode("gb18030"), "gbk")
    assert comparable_tables(html_result) == comparable_tables(text_result)


def test_issues_locate_the_html_cell() -> None:
    seed = GOLDEN / "seed-002" / "input.txt"
    text_result = parse_bytes(seed.read_bytes())
    html = to_html(text_result)
    # Break one total: the arithmetic rule must point at that cell of the HTML.
    total = text_result.tables.applications.rows[-1]  # carried_forward
    old = f">{total.values['total']}<"
    assert old in html
    row_start = html.rindex("<tr", 0, html.rindex(old))
    broken = html[:row_start] + html[row_start:].replace(old, ">99999<", 1)
    result = parse_html(broken)
    hits = [i for i in result.issues if i.location.row == "carried_forward" and i.location.column == "total"]
    assert hits
    cell = hits[0].location.cell
    assert cell is not None and cell.startswith("T") and "R" in cell and "C" in cell
    assert hits[0].location.line is not None and hits[0].location.page is None


def test_rowspan_and_colspan_become_empty_cells_in_reading_order() -> None:
    doc = read_html(
        "<table><tr><td rowspan=2 colspan=2>a</td><td>b</td></tr>"
        "<tr><td>c</td></tr><tr><td>d</td><td colspan=2>e</td><td>f</td></tr></table>"
    )
    rows = [[(c.text, c.ref) for c in b.cells or []] for b in doc.blocks]
    assert rows == [
        [("a", "T1R1C1"), ("", None), ("b", "T1R1C2")],
        [("", None), ("", None), ("c", "T1R2C1")],
        [("d", "T1R3C1"), ("e", "T1R3C2"), ("", None), ("f", "T1R3C3")],
    ]


def test_layout_tables_are_boxes_of_paragraphs_and_hidden_parts_are_skipped() -> None:
    doc = read_html(
        "<table><tr><td><p>一、总体情况</p><table><tr><td>x</td><td>1</td></tr></table></td></tr></table>"
        "<div style='display: none'>隐藏</div><script>var a='<p>脚本</p>'</script><p>正文</p>"
    )
    assert [b.text for b in doc.blocks if b.cells is None] == ["一、总体情况", "正文"]
    assert [[c.text for c in b.cells] for b in doc.blocks if b.cells] == [["x", "1"]]


def test_word_source_wrapping_inside_chinese_words_is_no_space() -> None:
    doc = read_html("<p>本年新收政府\r\n信息公开申请 2024\r\n年</p>")
    assert doc.blocks[0].text == "本年新收政府信息公开申请 2024 年"


def test_deep_nesting_and_hostile_spans_do_not_crash() -> None:
    deep = "<div>" * 10000 + "<table><tr><td>x</td></tr></table>" + "</div>" * 10000
    # libxml2 drops what lies deeper than 256 elements: refused, not read as an empty page.
    with pytest.raises(DocumentError) as refused:
        read_html(deep)
    assert refused.value.reason == "too-large"
    wide = "<table>" + "<tr><td colspan=99999 rowspan=99999>1</td></tr>" * 2000 + "</table>"
    doc = read_html(wide)
    assert sum(len(b.cells or []) for b in doc.blocks) <= 2000 * (40 + 1)  # padding stops at the grid's width


def test_meta_charset_is_honoured_without_a_header() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>一、总体情况</p></body></html>'
    doc = read_html(page.encode("gb18030"))
    assert doc.blocks[0].text == "一、总体情况"
