"""The table reader (`service/domain/tables.py`) on small regions of cells, driven by the
declarations: labelled rows, a grid of numbers, the template's choice, the cell window."""

from __future__ import annotations

from service.domain.document import Cell
from service.domain.layout import read_text
from service.domain.tables import detect_template, pick_window, read_grid, read_labelled, region_cells
from service.domain.template import ACTIVE_2021, APPLICATIONS, REVIEWS


def cells_of(text: str) -> list[tuple[Cell, int]]:
    return region_cells(read_text(text).blocks)


def test_labelled_rows_take_the_cells_after_their_label() -> None:
    table = read_labelled(cells_of("规章\t1\t2\t3\n行政许可\t7\n"), ACTIVE_2021)
    values = {r.key: {k: c.value for k, c in r.cells.items()} for r in table.rows}
    assert values == {"regulations": {"issued": 1, "repealed": 2, "in_force": 3}, "licensing": {"decisions": 7}}
    assert table.line == 1


def test_a_short_label_needs_its_group_or_its_number() -> None:
    """其他 and 总计 are column headers too: a row only under their group, or numbered."""
    text = "（六）其他处理\n1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n3.其他\t2\t0\t0\t0\t0\t0\t2\n（七）总计\t3\t0\t0\t0\t0\t0\t3\n"
    keys = [r.key for r in read_labelled(cells_of(text), APPLICATIONS).rows]
    assert keys == ["other.no_correction", "other.other", "total"]
    alone = read_labelled(cells_of("总计\t3\t0\t0\t0\t0\t0\t3\n"), APPLICATIONS)
    assert [r.key for r in alone.rows] == []


def test_a_repeated_row_counts_once() -> None:
    table = read_labelled(cells_of("规章\t1\t2\t3\n规章\t9\t9\t9\n规章\t8\t8\t8\n"), ACTIVE_2021)
    assert [(r.key, r.cells["issued"].value) for r in table.rows] == [("regulations", 1)]
    assert [(d.key, d.line, d.count) for d in table.duplicates] == [("regulations", 2, 2)]


def test_an_unknown_row_with_numbers_is_recorded() -> None:
    table = read_labelled(cells_of("规章\t1\t2\t3\n自定义事项\t4\t5\t6\n"), ACTIVE_2021)
    assert [(u.label, u.line) for u in table.unknown] == [("自定义事项", 2)]


def test_the_grid_is_read_row_by_row_or_as_one_run() -> None:
    by_row = read_grid(cells_of("行政复议\t1\t0\t0\t0\t1\n未经复议直接起诉\t0\t2\t0\t0\t2\n"), REVIEWS)
    assert [(r.key, r.cells["total"].value) for r in by_row.rows] == [("review", 1), ("litigation_direct", 2)]
    run = read_grid(cells_of("结果维持\t总计\n" + "\t".join(str(n % 5) for n in range(15)) + "\n"), REVIEWS)
    assert [r.key for r in run.rows] == [r.key for r in REVIEWS.rows]
    assert [c.value for c in run.rows[2].cells.values()] == [0, 1, 2, 3, 4]


def test_the_template_is_told_by_table_2_columns_then_by_table_3_rows() -> None:
    assert detect_template(cells_of("信息内容\t本年制发件数\n")) == "2021"
    assert detect_template(cells_of("信息内容\t本年新制作数量\n")) == "2019"
    single = read_labelled(cells_of("（六）其他处理\t1\t0\t0\t0\t0\t0\t1\n"), APPLICATIONS)
    assert detect_template([], single) == "2019"
    assert detect_template([]) == "unknown"


def test_the_window_with_the_most_filled_cells_is_the_row() -> None:
    cells = [Cell(t, 1) for t in ("", "", "1", "2", "")]
    assert [c.text for c in pick_window(cells, 2) if c is not None] == ["1", "2"]
    assert pick_window(cells[:1], 3)[1:] == [None, None]
