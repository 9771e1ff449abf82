"""Running text (issue 10): crawler text cut at the template's headings and row labels, and
digit runs with no separators split into their cells only where one reading fits."""

from __future__ import annotations

import pytest

from service.domain.digitruns import MAX_CANDIDATES, candidates, split_run
from service.domain.document import Block, Cell, Document
from service.domain.layout import read_text
from service.domain.pipeline import parse_text
from service.domain.render import consistent_values, render_report
from service.domain.runningtext import split_sections, table_blocks
from service.domain.sections import find_headings, table_region
from service.domain.template import ACTIVE_2019, ACTIVE_2021, APPLICATIONS, REVIEWS

_APP = [(APPLICATIONS.row("granted").columns, APPLICATIONS.checks)]  # type: ignore[union-attr]
_REVIEWS = [(r.columns, REVIEWS.checks) for r in REVIEWS.rows]


def _cols(table: object, key: str) -> list[tuple[tuple[object, ...], tuple[object, ...]]]:
    row = table.row(key)  # type: ignore[attr-defined]
    return [(row.columns, ())]


# (run, rows, expected texts, expected reading)
SPLITS = [
    pytest.param("5 2 4", _cols(ACTIVE_2021, "regulations"), ("5", "2", "4"), None, id="spaces-as-printed"),
    pytest.param("000", _cols(ACTIVE_2019, "regulations"), ("0", "0", "0"), None, id="one-digit-a-cell"),
    pytest.param("0000000", _APP, ("0",) * 7, None, id="seven-zeros"),
    pytest.param("7000007", _APP, ("7", "0", "0", "0", "0", "0", "7"), None, id="digits-equal-cells"),
    pytest.param("230 000023", _APP, ("23", "0", "0", "0", "0", "0", "23"), "inferred", id="row-check-pins"),
    pytest.param("23 0 00 0 023", _APP, ("23", "0", "0", "0", "0", "0", "23"), "inferred", id="spaces-force-cuts"),
    pytest.param("0 0 0 0 0 00", _APP, ("0",) * 7, None, id="zeros-with-spaces"),
    pytest.param("3960181", _cols(ACTIVE_2019, "licensing"), ("", "", ""), "ambiguous", id="no-check-several"),
    pytest.param("350", _cols(ACTIVE_2019, "fees"), ("", ""), "ambiguous", id="two-splits"),
    pytest.param("13575394432.52元", _cols(ACTIVE_2019, "procurement"), ("", ""), "ambiguous", id="amount-cut-unknown"),
    pytest.param("9516.08", _cols(ACTIVE_2021, "fees"), ("9516.08",), None, id="one-amount"),
    pytest.param("3 3", _APP, ("",) * 7, "ambiguous", id="blanks-vanished"),
    pytest.param("1" * 40, _APP, ("",) * 7, "ambiguous", id="too-many-candidates"),
    pytest.param("000000000000000", _REVIEWS, ("0",) * 15, None, id="table-four-zeros"),
    pytest.param("0 0 0", _REVIEWS, ("",) * 15, "ambiguous", id="too-few-digits"),
]


@pytest.mark.parametrize(("run", "rows", "texts", "reading"), SPLITS)
def test_a_digit_run_is_split_only_where_one_reading_fits(run: str, rows: list, texts: tuple, reading: str | None) -> None:
    split = split_run(run, rows)
    assert split.texts == texts
    assert split.reading == reading
    assert (split.why is None) == (reading is None)
    if reading == "ambiguous":
        assert "无法确定各栏分隔" in (split.why or "")


def test_the_row_check_is_what_settles_a_run() -> None:
    columns = APPLICATIONS.row("granted").columns  # type: ignore[union-attr]
    assert len(candidates("230 000023", [(columns, ())]) or []) == 3
    assert candidates("230 000023", _APP) == [("23", "0", "0", "0", "0", "0", "23")]
    assert candidates("9" * 30, _APP) is None  # beyond the bound: not enumerated
    assert MAX_CANDIDATES >= 1000


def test_table_four_runs_are_checked_row_by_row() -> None:
    # 1 1 0 0 2 | 0 0 0 0 0 | 3 0 0 0 3 glued: each row's total must be the sum of its parts.
    split = split_run("11002" "00000" "30003", _REVIEWS)
    assert split.texts == tuple("110020000030003")
    assert split.reading is None
    split = split_run("1000010" "00000" "30003", _REVIEWS)  # 10|0|0|0|10 is the only fit
    assert split.texts[:5] == ("10", "0", "0", "0", "10")
    assert split.reading == "inferred"


_ONE_LINE = (
    "某局2019年政府信息公开工作年度报告 本报告包括总体情况、主动公开政府信息情况等六个部分。"
    "一、总体情况2019年，我局认真贯彻落实《条例》。二、主动公开政府信息情况 第二十条第（一）项信息内容"
    "本年新制作数量本年新公开数量对外公开总数量规章000规范性文件898989第二十条第（五）项信息内容"
    "上一年项目数量本年增/减处理决定数量行政许可3960181"
    "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量230 000023三、本年度办理结果（一）予以公开7000007"
    "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    "000000000000000 五、存在的主要问题及改进情况仍有不足。六、其他需要报告的事项 无"
)


def test_a_one_line_report_is_cut_at_its_six_headings_in_order() -> None:
    doc = split_sections(read_text(_ONE_LINE))
    keys = [h.key for h in find_headings(doc)]
    assert keys == ["overview", "active_disclosure", "applications", "reviews_litigation", "problems", "other"]
    texts = [b.text for b in doc.blocks]
    assert "一、总体情况" in texts and "六、其他需要报告的事项" in texts
    # the titles the opening sentence names without their numerals are not headings
    assert texts[0].startswith("某局2019年") and "等六个部分" in texts[0]


def test_a_paragraph_holding_one_heading_is_left_alone() -> None:
    doc = Document([Block(1, "本报告由二、主动公开政府信息情况等部分组成，" * 3)], "paragraphs", 1)
    assert split_sections(doc) is doc


def _rows(text: str, key: str) -> list[tuple[str, list[str], list[str | None]]]:
    blocks = table_blocks([Block(1, text)], key)
    return [(b.cells[0].text, [c.text for c in b.cells[1:]], [c.reading for c in b.cells[1:]])
            for b in blocks if b.cells is not None]


def test_a_table_paragraph_is_cut_at_the_row_labels_with_their_enumerators() -> None:
    rows = _rows("（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000", "applications")
    assert rows == [
        ("1.属于国家秘密", ["0"] * 7, [None] * 7),
        ("2.其他法律行政法规禁止公开", ["0"] * 7, [None] * 7),
    ]


def test_table_two_of_2019_is_read_with_its_own_columns() -> None:
    text = "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件898989第二十条第（五）项"
    rows = _rows(text, "active_disclosure")
    assert rows[0] == ("规章", ["0", "0", "0"], [None] * 3)
    assert rows[1] == ("规范性文件", ["", "", ""], ["ambiguous"] * 3)
    blocks = table_blocks([Block(1, text)], "active_disclosure")
    assert blocks[-1].cells is None and blocks[-1].text == "第二十条第（五）项"  # the next group heading


def test_the_single_2019_row_is_a_group_heading_where_its_three_rows_are_printed() -> None:
    text = ("5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、"
            "行政机关不再处理其政府信息公开申请1000001")
    labels = [label for label, _, _ in _rows(text, "applications")]
    assert labels == ["5.要求行政机关确认或重新出具已获取信息", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]
    labels = [label for label, _, _ in _rows("5.要求行政机关确认或重新出具已获取信息0000000（六）其他处理0 0 0 0 0 00", "applications")]
    assert labels == ["5.要求行政机关确认或重新出具已获取信息", "（六）其他处理"]


def test_short_paragraphs_and_rows_pass_through() -> None:
    blocks = [Block(1, "规章 5 2 4"), Block(2, "", [Cell("行政许可", 2), Cell("16", 2)])]
    assert table_blocks(blocks, "active_disclosure") == blocks  # one label: a PDF line, left to the reader


def test_a_one_line_report_reads_without_a_guessed_number_or_an_error() -> None:
    result = parse_text(_ONE_LINE)
    assert result.template == "2019"
    active = {r.key: r.values for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert active["regulations"] == {"made": 0, "published": 0, "total_published": 0}
    assert set(active["normative_documents"].values()) == {None}
    apps = {r.key: r.values for r in result.tables.applications.rows}  # type: ignore[union-attr]
    assert apps["new_received"]["natural_person"] == 23 and apps["new_received"]["total"] == 23
    assert apps["denied.prohibited_by_law"]["total"] == 0
    reviews = result.tables.reviews_litigation
    assert reviews is not None and all(v == 0 for r in reviews.rows for v in r.values.values())
    arithmetic = {"row-total-mismatch", "review-total-mismatch", "cell-not-number"}
    assert not [i for i in result.issues if i.severity == "error" and i.code in arithmetic]


def test_an_absent_section_after_the_last_heading_is_no_region() -> None:
    text = "某局2023年政府信息公开工作年度报告\n一、总体情况\n规章 5 2 4\n三、收到和处理政府信息公开申请情况\n"
    doc = read_text(text)
    headings = find_headings(doc)
    start, end = table_region(doc, headings, 3)  # 四: after 三, which ends the document
    assert start == end
    assert parse_text(text).tables.reviews_litigation is None


_BALANCE = ("一、本年新收政府信息公开申请数量110000011二、上年结转政府信息公开申请数量0000000"
            "（七）总计11 0 0 0 0 0 11")


def test_a_column_check_with_one_open_row_pins_it() -> None:
    # 110000011 fits its row two ways (1|10|… and 11|0|…); 一 + 二 = 总计 + 四 leaves one.
    rows = {label: (texts, readings) for label, texts, readings in _rows(_BALANCE + "四、结转下年度继续办理0000000", "applications")}
    texts, readings = rows["一、本年新收政府信息公开申请数量"]
    assert texts == ["11", "0", "0", "0", "0", "0", "11"]
    assert readings == ["inferred"] * 7


def test_a_column_check_missing_a_row_pins_nothing() -> None:
    rows = {label: (texts, readings) for label, texts, readings in _rows(_BALANCE, "applications")}
    assert rows["一、本年新收政府信息公开申请数量"] == ([""] * 7, ["ambiguous"] * 7)


def test_a_sentence_naming_two_rows_is_not_a_table() -> None:
    text = "本年度制发规章5件，行政规范性文件6件，均已按要求主动公开，并在门户网站集中发布。"
    assert table_blocks([Block(1, text)], "active_disclosure") == [Block(1, text)]
    text = "本年度行政复议结果维持1件，行政诉讼尚未审结2件，联系电话0591-231652501234567，地址某路。"
    assert table_blocks([Block(1, text)], "reviews_litigation") == [Block(1, text)]


def test_a_table_of_contents_on_one_line_is_not_cut() -> None:
    text = "目录：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况"
    doc = Document([Block(1, text)], "paragraphs", 1)
    assert split_sections(doc) is doc


def test_a_sentence_before_the_table_changes_nothing() -> None:
    values = consistent_values(seed=5, template="2021")
    text = render_report(values, layout="tab", template="2021", agency="某县示例局", year=2023)
    head = "二、主动公开政府信息情况\n"
    assert head in text
    told = text.replace(head, head + "本年度制发规章5件，行政规范性文件6件，行政许可16件，行政处罚30件，均已公开。\n", 1)
    def values(t: str) -> list[object]:
        tables = parse_text(t).tables
        return [[(r.key, r.values) for r in getattr(tables, k).rows] for k in ("active_disclosure", "applications", "reviews_litigation")]

    assert values(told) == values(text)
