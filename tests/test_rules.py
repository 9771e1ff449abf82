"""Every rule of the catalogue, with a passing and a failing case.

The base is a report written for the tests: 2021 template, non-zero numbers, every
cross-check satisfied. Each case plants one fault and asserts the code and the location it
is reported at (never the message text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reports import Values, drop_lines, line_of, report, values
from service.domain.models import ParseResult
from service.domain.pipeline import parse_text
from service.domain.rules import RULES

Case = tuple[str, Callable[[], str], dict[str, Any]]


def _with(mutate: Callable[[Values], None], **kw: Any) -> Callable[[], str]:
    def make() -> str:
        v = values(template=kw.get("template", "2021"))
        mutate(v)
        return report(v, **kw)

    return make


def _text(edit: Callable[[str], str], **kw: Any) -> Callable[[], str]:
    return lambda: edit(report(**kw))


def _set(table: str, row: str, col: str, value: Any) -> Callable[[Values], None]:
    def mutate(v: Values) -> None:
        v[table][row][col] = value

    return mutate


def _shift(table: str, row: str, col: str, delta: int) -> Callable[[Values], None]:
    def mutate(v: Values) -> None:
        v[table][row][col] += delta

    return mutate


def _both(*ms: Callable[[Values], None]) -> Callable[[Values], None]:
    def mutate(v: Values) -> None:
        for m in ms:
            m(v)

    return mutate


def _move_section_five_after_six(text: str) -> str:
    five = text.index("五、存在的主要问题及改进情况")
    six = text.index("六、其他需要报告的事项")
    end = text.index("示例市示例局\n", six)
    return text[:five] + text[six:end] + text[five:six] + text[end:]


def _single_other_row(text: str) -> str:
    lines = text.split("\n")
    idx = [n for n, line in enumerate(lines) if "\t（六）其他处理" in line or "逾期未按收费" in line or "\t3.其他\t" in line]
    rows = [lines[n].split("\t")[-7:] for n in idx]
    summed = [str(sum(int(r[c]) for r in rows)) for c in range(7)]
    lines[idx[0]] = "\t".join(["", "（六）其他处理", *summed])
    return "\n".join(ln for n, ln in enumerate(lines) if n not in idx[1:])


def _no_year(text: str) -> str:
    text = text.replace("示例市示例局2023年政府信息公开工作年度报告", "示例市示例局政府信息公开工作年度报告")
    return drop_lines(text, lambda line: line == "2024年1月20日")


def _no_table(text: str) -> str:
    start = text.index("四、政府信息公开行政复议、行政诉讼情况")
    end = text.index("五、存在的主要问题及改进情况")
    return text[:start] + "四、政府信息公开行政复议、行政诉讼情况\n本年度无。\n\n" + text[end:]


def _unknown_template(text: str) -> str:
    """Neither template's 表二 columns, and no （六）其他处理 rows that would tell them apart."""
    for label in ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"):
        text = text.replace(label, "数量")
    return drop_lines(text, lambda line: "（六）其他处理" in line or "逾期未按收费" in line or "\t3.其他\t" in line)


CASES: list[Case] = [
    ("section-missing", _text(lambda t: t.replace("六、其他需要报告的事项", "附：说明")), {"section": "other"}),
    ("section-order", _text(_move_section_five_after_six), {"section": "problems"}),
    ("section-numbering", _text(lambda t: t.replace("二、主动公开政府信息情况", "三、主动公开政府信息情况")),
     {"section": "active_disclosure", "line": line_of(report(), "二、主动公开政府信息情况")}),
    ("subheading-numbering", _text(lambda t: t.replace("本年度总体情况如下。", "一、主动公开情况\n本年度总体情况如下。")),
     {"section": "overview", "line": 4}),
    ("table-missing", _text(_no_table), {"table": "reviews_litigation"}),
    ("row-missing", _text(lambda t: drop_lines(t, lambda line: "2.重复申请" in line)),
     {"table": "applications", "row": "not_processed.duplicate"}),
    ("row-unknown", _text(lambda t: t.replace("\t8.属于行政查询事项", "\t9.其他原因不予公开\t1\t0\t0\t0\t0\t0\t1\n\t8.属于行政查询事项")),
     {"table": "applications"}),
    ("row-duplicate", _text(lambda t: t.replace("\t3.要求提供公开出版物", "\t2.重复申请\t9\t9\t9\t9\t9\t9\t54\n\t3.要求提供公开出版物", 1)),
     {"table": "applications", "row": "not_processed.duplicate"}),
    ("row-variant", _text(_single_other_row), {"table": "applications", "row": "other"}),
    ("template-unknown", _text(_unknown_template), {"table": "active_disclosure"}),
    ("template-outdated", lambda: report(template="2019", year=2022), {"table": "active_disclosure"}),
    ("template-premature", lambda: report(template="2021", year=2020), {"table": "active_disclosure"}),
    ("title-missing", _text(lambda t: t.split("\n", 1)[1]), {}),
    ("title-incomplete", _text(lambda t: t.replace("示例市示例局2023年政府信息公开工作年度报告", "政府信息公开工作年度报告")), {"line": 1}),
    ("year-missing", _text(_no_year), {}),
    ("cell-not-number", _with(_set("active_disclosure", "regulations", "issued", "十二")),
     {"table": "active_disclosure", "row": "regulations", "column": "issued"}),
    ("cell-negative", _with(_set("active_disclosure", "licensing", "decisions", -3)),
     {"table": "active_disclosure", "row": "licensing", "column": "decisions"}),
    ("cell-fraction", _with(_set("active_disclosure", "punishment", "decisions", "2.5")),
     {"table": "active_disclosure", "row": "punishment", "column": "decisions"}),
    ("cell-precision", _with(_set("active_disclosure", "fees", "amount", "12.123456")),
     {"table": "active_disclosure", "row": "fees", "column": "amount"}),
    ("cell-unit", _with(_set("active_disclosure", "coercion", "decisions", "5件")),
     {"table": "active_disclosure", "row": "coercion", "column": "decisions"}),
    ("cell-unit-mismatch", _with(_set("active_disclosure", "fees", "amount", "251000元")),
     {"table": "active_disclosure", "row": "fees", "column": "amount"}),
    ("cell-blank", _with(_set("active_disclosure", "regulations", "repealed", None)),
     {"table": "active_disclosure", "row": "regulations", "column": "repealed"}),
    # Two compensating changes in the 总计 column: both rows break, no column check does.
    ("row-total-mismatch", _with(_both(_shift("applications", "granted", "total", 1),
                                       _shift("applications", "total", "total", 0),
                                       _shift("applications", "partially_granted", "total", -1))),
     {"table": "applications", "row": "granted", "column": "total"}),
    # +1 / −1 within one row: the row still adds up, two columns' 勾稽关系 do not.
    ("balance-mismatch", _with(_both(_shift("applications", "carried_forward", "natural_person", 1),
                                     _shift("applications", "carried_forward", "other", -1))),
     {"table": "applications", "column": "natural_person"}),
    ("outcome-total-mismatch", _with(_both(_shift("applications", "total", "natural_person", 1),
                                           _shift("applications", "total", "other", -1))),
     {"table": "applications", "row": "total", "column": "natural_person"}),
    ("review-total-mismatch", _with(_shift("reviews_litigation", "review", "total", 1)),
     {"table": "reviews_litigation", "row": "review", "column": "total"}),
    ("cell-likely-wrong", _with(_shift("applications", "granted", "natural_person", 1)),
     {"table": "applications", "row": "granted", "column": "natural_person"}),
]


def _issues(text: str) -> ParseResult:
    return parse_text(text)


def test_base_report_is_clean() -> None:
    result = _issues(report())
    assert result.issues == []
    assert result.summary.valid


# Families whose examples are data beside their rules (EXAMPLES), run by their own tests.
EXAMPLE_FAMILIES = ("cross-year", "narrative", "evaluation", "rollup")


def test_every_rule_has_a_case() -> None:
    own = {code for code, r in RULES.items() if r.family in EXAMPLE_FAMILIES}
    assert {code for code, _, _ in CASES} == set(RULES) - own


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_passes_on_a_sound_report(code: str) -> None:
    for seed in (1, 2, 3):
        text = report(values(seed=seed))
        assert code not in {i.code for i in _issues(text).issues}


@pytest.mark.parametrize(("code", "make", "where"), CASES, ids=[c[0] for c in CASES])
def test_rule_fails_on_its_fault(code: str, make: Callable[[], str], where: dict[str, Any]) -> None:
    result = _issues(make())
    hits = [i for i in result.issues if i.code == code]
    assert hits, f"{code} not reported; got {[i.code for i in result.issues]}"
    issue = hits[0]
    assert issue.severity == RULES[code].severity
    for field, value in where.items():
        assert getattr(issue.location, field) == value, (field, issue.location)
    assert result.summary.valid == (not any(i.severity == "error" for i in result.issues))


def test_balance_mismatch_reports_both_columns() -> None:
    make = dict((c, m) for c, m, _ in CASES)["balance-mismatch"]
    result = _issues(make())
    columns = sorted(i.location.column for i in result.issues if i.code == "balance-mismatch")
    assert columns == ["natural_person", "other"]
    assert {i.code for i in result.issues} == {"balance-mismatch"}


def test_diagnosis_replaces_the_checks_it_explains() -> None:
    v = values()
    printed = v["applications"]["granted"]["natural_person"]
    v["applications"]["granted"]["natural_person"] = printed + 4
    text = report(v)
    result = _issues(text)
    assert [i.code for i in result.issues] == ["cell-likely-wrong"]
    issue = result.issues[0]
    assert (issue.expected, issue.actual) == (printed, printed + 4)
    assert issue.location.line == line_of(text, "（一）予以公开")


def test_diagnosis_of_a_total_cell_explains_three_checks() -> None:
    v = values()
    printed = v["applications"]["total"]["natural_person"]
    v["applications"]["total"]["natural_person"] = printed + 2
    result = _issues(report(v))
    assert [(i.code, i.location.row, i.location.column) for i in result.issues] == [
        ("cell-likely-wrong", "total", "natural_person")
    ]
    assert result.issues[0].expected == printed


def test_two_independent_wrong_cells_are_both_pinned() -> None:
    v = values()
    v["applications"]["granted"]["natural_person"] += 1
    v["applications"]["not_processed.duplicate"]["commercial"] += 2
    found = {(i.code, i.location.row, i.location.column) for i in _issues(report(v)).issues}
    assert found == {
        ("cell-likely-wrong", "granted", "natural_person"),
        ("cell-likely-wrong", "not_processed.duplicate", "commercial"),
    }


def test_blank_cell_says_what_the_checks_imply() -> None:
    v = values()
    expected = v["applications"]["granted"]["commercial"]
    v["applications"]["granted"]["commercial"] = None
    result = _issues(report(v))
    assert [(i.code, i.severity, i.location.row, i.location.column, i.expected) for i in result.issues] == [
        ("cell-blank", "warning", "granted", "commercial", expected)
    ]
    assert result.summary.valid


def test_blank_cell_that_the_checks_cannot_determine() -> None:
    v = values()
    v["applications"]["granted"]["commercial"] = None
    v["applications"]["partially_granted"]["commercial"] = None
    v["applications"]["partially_granted"]["commercial"] = None
    v["applications"]["granted"]["total"] = None
    v["applications"]["partially_granted"]["total"] = None
    result = _issues(report(v))
    blanks = [i for i in result.issues if i.code == "cell-blank"]
    assert len(blanks) == 4
    assert all(i.severity == "warning" for i in blanks)
    assert {i.code for i in result.issues} == {"cell-blank"}


def test_blank_is_null_not_zero() -> None:
    v = values()
    v["active_disclosure"]["regulations"]["repealed"] = None
    result = _issues(report(v))
    rows = {r.key: r for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert rows["regulations"].values["repealed"] is None


def test_a_label_repeated_many_times_is_one_finding() -> None:
    text = report()
    again = "".join(f"规章\t{n}\t{n}\t{n}\n" for n in range(500))
    text = text.replace("行政规范性文件\t", again + "行政规范性文件\t", 1)
    result = _issues(text)
    assert [(i.code, i.location.row) for i in result.issues] == [("row-duplicate", "regulations")]
    rows = {r.key: r.values for r in result.tables.active_disclosure.rows}  # type: ignore[union-attr]
    assert rows["regulations"] == values()["active_disclosure"]["regulations"]
