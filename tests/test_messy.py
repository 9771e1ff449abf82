"""Reports as clerks really write them: labels off by a character, labels broken over two
lines, units in cells, full-width digits, blank cells, headings numbered wrongly."""

from __future__ import annotations

import pytest

from reports import report, values
from service.domain.pipeline import parse_text
from service.domain.render import LAYOUTS


def _rows(result, table: str) -> dict:  # type: ignore[no-untyped-def]
    return {r.key: r.values for r in getattr(result.tables, table).rows}


@pytest.mark.parametrize(
    ("printed", "variant"),
    [
        ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数"),  # a character missing
        ("二、上年结转政府信息公开申请数量", "二、上年度结转政府信息公开申请数量"),  # one extra
        ("4.保护第三方合法权益", "4.保护第三方合法权利"),  # one different
        ("2.其他法律行政法规禁止公开", "2.其他法律法规禁止公开"),  # the older wording
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "(二)部分公开"),  # half-width, cut
        ("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新 出具已获取信息"),
        ("行政规范性文件", "规范性文件"),
    ],
)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_label_variants_still_key_their_row(printed: str, variant: str, layout: str) -> None:
    v = values(seed=8)
    text = report(v, layout=layout)
    assert printed in text
    result = parse_text(text.replace(printed, variant))
    for table in ("active_disclosure", "applications"):
        assert _rows(result, table) == v[table]
    assert [i.code for i in result.issues if i.severity == "error"] == []


@pytest.mark.parametrize("layout", ["tab", "pipe"])
def test_label_broken_over_two_lines(layout: str) -> None:
    v = values(seed=8)
    text = report(v, layout=layout)
    label = "一、本年新收政府信息公开申请数量"
    result = parse_text(text.replace(label, "一、本年新收政府信息\n公开申请数量"))
    assert _rows(result, "applications") == v["applications"]
    assert result.issues == []


def test_units_and_full_width_digits_in_cells() -> None:
    v = values(seed=8)
    v["active_disclosure"]["licensing"]["decisions"] = 12
    text = report(v).replace("行政许可\t12", "行政许可\t１２件")
    result = parse_text(text)
    assert _rows(result, "active_disclosure")["licensing"] == {"decisions": 12}
    assert [(i.code, i.severity) for i in result.issues] == [("cell-unit", "info")]


def test_wrongly_numbered_headings_are_found_by_title() -> None:
    text = report().replace("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况")
    result = parse_text(text)
    assert [s.key for s in result.sections][2] == "applications"
    assert [(i.code, i.location.section) for i in result.issues] == [("section-numbering", "applications")]
    assert result.tables.applications is not None


def test_merged_cells_as_empty_tabs() -> None:
    """Word's "copy as text" leaves merged cells empty: leading and trailing tabs."""
    v = values(seed=8)
    text = report(v)
    text = text.replace("四、结转下年度继续办理\t", "四、结转下年度继续办理\t\t\t")
    text = text.replace("行政许可\t", "行政许可\t").replace("\n行政处罚\t", "\n\t行政处罚\t")
    result = parse_text(text)
    assert _rows(result, "applications") == v["applications"]
    assert _rows(result, "active_disclosure") == v["active_disclosure"]
