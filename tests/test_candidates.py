"""Candidate readings of broken tables (issue 10, item 1): minimal fragments of the shapes
converter Markdown arrives in, each with what it must read as and how sure the answer is.
Each is a failing example met on the way (notes-10 and shanghai-kewei-2024.md), kept."""

from __future__ import annotations

from service.domain.models import ParseResult
from service.domain.pipeline import parse_text
from service.domain.rules.fragments import T3

NEW = "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |"
RULE = "|---|---|---|---|---|---|---|---|"
GRANTED = "| 三、本年度办理结果 | （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"


def _rows(result: ParseResult) -> dict[str, list[object]]:
    table = result.tables.applications
    assert table is not None
    return {r.key: list(r.values.values()) for r in table.rows}


def _errors(result: ParseResult) -> list[str]:
    return [i.code for i in result.issues if i.severity == "error"]


def test_a_value_row_whose_label_floated_after_it_fills_the_row_between_its_neighbours() -> None:
    text = "\n".join([T3, NEW, RULE, "|  | 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "二、上年结转政府信", "息公开申请数量", GRANTED])
    result = parse_text(text)
    assert _rows(result)["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    table = result.tables.applications
    assert table is not None and table.reading == "inferred"
    assert {(c.row, c.reading) for c in table.cells} == {("carried_over", "inferred")}
    assert not any(i.code == "row-missing" and i.location.row == "carried_over" for i in result.issues)


def test_bare_value_rows_fill_the_rows_between_anchors_in_template_order() -> None:
    text = "\n".join([
        T3,
        "| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "5.属于三类内部事务信",
        "息",
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        RULE,
        "| 6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ])
    rows = _rows(parse_text(text))
    assert rows["denied.internal_affairs"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["denied.process_information"] == [1, 0, 0, 0, 0, 0, 1]


def test_a_lone_page_number_between_value_rows_is_set_aside() -> None:
    text = "\n".join([
        T3,
        "| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "7",
        "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        "| 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ])
    rows = _rows(parse_text(text))
    assert rows["not_processed.excessive"] == [0] * 7
    assert rows["not_processed.confirmation"] == [2, 0, 0, 0, 0, 0, 2]


def test_more_value_rows_than_rows_between_anchors_stay_null_with_one_warning() -> None:
    text = "\n".join([
        T3, NEW,
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        GRANTED,
    ])
    result = parse_text(text)
    assert _rows(result)["carried_over"] == [None] * 7
    ambiguous = [i for i in result.issues if i.code == "table-reading-ambiguous" and i.location.table == "applications"]
    assert [i.location.row for i in ambiguous] == ["carried_over"]
    assert not any(i.severity == "error" and i.location.row == "carried_over" for i in result.issues)


def test_other_after_an_open_row_is_read_as_its_row() -> None:
    """3.其他 needs the row before it: that row may still be open (its numbers floated)."""
    text = "\n".join([
        T3,
        "| 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 3.其他 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
    ])
    assert _rows(parse_text(text))["other.other"] == [4, 0, 0, 0, 0, 0, 4]


def test_a_group_heading_split_across_rows_is_taken_off_the_labels() -> None:
    text = "\n".join([
        T3,
        "| （五）不1.信访举报投诉类申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 予处理2.重复申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        "| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ])
    rows = _rows(parse_text(text))
    assert rows["not_processed.duplicate"] == [2, 0, 0, 0, 0, 0, 2]
    assert rows["not_processed.publication"] == [0] * 7


def test_a_floated_label_line_is_not_a_misprinted_value_of_the_row_before() -> None:
    text = "\n".join([
        T3,
        "|  | 2.其他法律行政法规禁止公开 | 0 |  |  |  |  |  | 0 |",
        "|  |  | 1 |  |  |  |  |  | 1 |",
        "3.危及“三",
        "安全一稳定”",
        "|  | 4.保护第三方合法权益 | 3 |  |  |  |  |  | 3 |",
    ])
    result = parse_text(text)
    rows = _rows(result)
    assert rows["denied.prohibited_by_law"] == [0, None, None, None, None, None, 0]
    assert rows["denied.endangers_safety"] == [1, None, None, None, None, None, 1]
    assert "cell-not-number" not in _errors(result)


def test_a_placeholder_header_row_is_layout() -> None:
    text = "\n".join([
        T3,
        "| 二、上年结转政府信息公开申请数量 | 1 |  |  |  |  |  | 1 |",
        "| 列1 | 列2 | 列3 | 列4 | 列5 | 列6 | 列7 | 列8 |",
        "|---|---|---|---|---|---|---|---|",
        "| 三、本年度办理结果 | （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
    ])
    result = parse_text(text)
    assert _rows(result)["carried_over"] == [1, None, None, None, None, None, 1]
    assert "cell-not-number" not in _errors(result)


def test_a_note_inside_a_cell_is_read_as_its_number_and_said_so() -> None:
    text = "\n".join(["二、主动公开政府信息情况", "规章\t22（其中修订16件）\t0\t22"])
    result = parse_text(text)
    table = result.tables.active_disclosure
    assert table is not None
    row = next(r for r in table.rows if r.key == "regulations")
    assert list(row.values.values()) == [22, 0, 22]
    assert [(c.row, c.column, c.reading) for c in table.cells] == [("regulations", "issued", "inferred")]
    assert not [i for i in result.issues if i.code == "cell-not-number" and i.location.table == "active_disclosure"]


def test_table_three_with_a_subtotal_column_is_read_with_eight_columns() -> None:
    header = "|  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 小计 | 总计 |"
    text = "\n".join([T3, header, "| 一、本年新收政府信息公开申请数量 | 3 | 1 | 1 | 0 | 0 | 0 | 2 | 5 |"])
    result = parse_text(text)
    table = result.tables.applications
    assert table is not None
    row = next(r for r in table.rows if r.key == "new_received")
    assert row.values == {"natural_person": 3, "commercial": 1, "research": 1, "social_welfare": 0,
                          "legal_services": 0, "other": 0, "subtotal": 2, "total": 5}
    assert not [i for i in result.issues if i.location.table == "applications" and i.code.endswith("mismatch")]


def _tr(*cells: object) -> str:
    return "<tr>" + "".join(
        f"<td colspan={c[1]}>{c[0]}</td>" if isinstance(c, tuple) else f"<td>{c}</td>" for c in cells
    ) + "</tr>"


def test_table_two_of_2019_with_colspans_that_shift_from_row_to_row() -> None:
    from service.domain.formats import parse_html

    rows = [
        _tr(("第二十条第（一）项", 4)),
        _tr("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
        _tr(("规章", 2), 1, 2, 3), _tr(("规范性文件", 2), 4, ("5", 2), 6),
        _tr(("第二十条第（五）项", 4)),
        _tr("信息内容", "上一年项目数量", ("本年增/减", 2), "处理决定数量"),
        _tr("行政许可", 7, ("-1", 2), 8), _tr("其他对外管理服务事项", 9, 0, 10),
        _tr(("第二十条第（八）项", 4)),
        _tr("信息内容", "上一年项目数量", ("本年增/减", 2)),
        _tr("行政事业性收费", 15, ("0", 2)),
        _tr(("第二十条第（九）项", 4)),
        _tr("信息内容", "采购项目数量", ("采购总金额", 2)),
        _tr("政府集中采购", 16, ("17.5", 2)),
    ]
    page = ("<html><body><p>某局2019年政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p><table>"
            + "".join(rows) + "</table><p>三、收到和处理政府信息公开申请情况</p></body></html>")
    result = parse_html(page.encode())
    assert result.template == "2019"
    table = result.tables.active_disclosure
    assert table is not None
    read = {r.key: list(r.values.values()) for r in table.rows}
    assert read["normative_documents"] == [4, 5, 6]
    assert read["licensing"] == [7, -1, 8]
    assert read["fees"] == [15, 0]
    assert read["procurement"] == [16, "17.5"]
    assert not [i for i in result.issues if i.location.table == "active_disclosure" and i.code != "row-missing"]


def test_a_row_missing_where_value_rows_lost_their_labels_is_a_warning() -> None:
    """Numbers with no row to give them to, and no rows read around them: the missing rows
    may be among them."""
    text = "\n".join([
        T3,
        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
    ])
    result = parse_text(text)
    missing = [i for i in result.issues if i.code == "row-missing" and i.location.table == "applications"]
    assert missing and {i.severity for i in missing} == {"warning"}
