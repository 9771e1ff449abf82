"""Property tests (hypothesis) on the domain.

* Arbitrary text, report-shaped text and arbitrary bytes (with any charset name) never make
  the parser raise anything but its documented errors (`DecodeError` for bytes that are no
  text, `DocumentError` for a document past the limits), and the result always validates:
  msgspec round trip with `type=ParseResult` and the OpenAPI document's own schema.
* Round trip: random tables that satisfy every cross-check, rendered into each supported
  text layout, parse back to exactly those tables with no error; the same with one cell
  changed yields an error located at that cell.

Examples are bounded by a settings profile: `ci` (the default) keeps the file to well under
a minute on two cores; `HYPOTHESIS_PROFILE=thorough` runs twenty times as many.
"""

from __future__ import annotations

import encodings.aliases
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from service.domain.decode import DecodeError
from service.domain.formats.errors import DocumentError
from service.domain.models import ParseResult, ValidateResult
from service.domain.pipeline import parse_bytes, parse_text
from service.domain.render import LAYOUTS, render_report
from service.domain.template import (
    APP_COLUMNS,
    APPLICANT_COLUMNS,
    APPLICATIONS_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SECTIONS,
    TEMPLATES,
)

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "thorough", max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

OPENAPI = json.loads((Path(__file__).resolve().parents[1] / "openapi" / "openapi.json").read_text("utf-8"))


def _validator(component: str) -> jsonschema.protocols.Validator:
    schema = {"$ref": f"#/components/schemas/{component}", "components": OPENAPI["components"]}
    return jsonschema.Draft202012Validator(schema)


PARSE_SCHEMA = _validator("ParseResult")
VALIDATE_SCHEMA = _validator("ValidateResult")


def assert_valid_result(result: ParseResult) -> None:
    """The result survives the wire: msgspec round trip and the published schema."""
    wire = msgspec.json.encode(result)
    assert msgspec.json.decode(wire, type=ParseResult) == result
    PARSE_SCHEMA.validate(json.loads(wire))
    VALIDATE_SCHEMA.validate(json.loads(msgspec.json.encode(ValidateResult.from_parse(result))))
    assert result.summary.errors == sum(1 for i in result.issues if i.severity == "error")
    assert result.summary.valid is (result.summary.errors == 0)


# ------------------------------------------------------------------ never raises


def parse_or_refuse(text: str) -> ParseResult | None:
    try:
        return parse_text(text)
    except DocumentError as exc:
        assert exc.reason == "too-large"
        return None


@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_or_refuse(text)
    if result is not None:
        assert_valid_result(result)


# Pieces of real reports: headings, labels, numbers, blank marks, separators, invisible and
# control characters. Drawn into lines, they reach the readers' branches that random
# Unicode almost never does.
_FRAGMENTS = [
    *(f"{s.number}、{s.title}" for s in SECTIONS),
    *(r.label for t in TEMPLATES.values() for r in t.active_rows),
    *(r.label for r in APPLICATIONS_ROWS),
    *(r.label for r in REVIEW_ROWS),
    *(c.label for c in (*APP_COLUMNS, *REVIEW_COLUMNS)),
    "（三）不予公开", "（六）其他处理", "（七）总计", "三、本年度办理结果", "1.", "2、", "（一）",
    "0", "1", "12", "-3", "2.5", "7730.2800", "1,024", "5件", "251000元", "十二", "—", "/", "无", "",
    "\t", "|", " | ", "||", "| --- |", "\u3000", "\u200b", "\ufeff", "\x00", "\r", "\x0c", "😀",
    "某某局2023年政府信息公开工作年度报告", "2024年1月20日", "（单位：万元）", "9" * 20,
]
_line = st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join)
report_like = st.lists(_line, max_size=80).map("\n".join)


@given(report_like)
def test_report_shaped_text_never_raises(text: str) -> None:
    result = parse_or_refuse(text)
    if result is not None:
        assert_valid_result(result)


_CHARSETS = sorted({*encodings.aliases.aliases.values(), *encodings.aliases.aliases, "gbk", "GB2312"})


@given(st.binary(max_size=2000), st.none() | st.sampled_from(_CHARSETS) | st.text(max_size=20))
def test_arbitrary_bytes_raise_only_decode_error(data: bytes, charset: str | None) -> None:
    """Regression: rot13/base64/zlib/hex… (not text encodings) raised LookupError, idna and
    `undefined` a bare UnicodeError; both escaped the decoder as server errors."""
    try:
        result = parse_bytes(data, charset)
    except DecodeError:
        return
    except DocumentError as exc:
        assert exc.reason == "too-large"
        return
    assert_valid_result(result)


# ------------------------------------------------------------------ round trip

Values = dict[str, dict[str, dict[str, Any]]]


def _amount() -> st.SearchStrategy[str]:
    # As a clerk prints an amount and as the reader gives it back: no leading zeros, up to
    # the four decimal places the template asks for (trailing zeros are kept as printed).
    whole = st.integers(0, 99_999_999).map(str)
    frac = st.text("0123456789", min_size=1, max_size=4)
    return st.one_of(whole, st.tuples(whole, frac).map(lambda t: f"{t[0]}.{t[1]}"))


@st.composite
def consistent_tables(draw: st.DrawFn, template: str) -> Values:
    """Tables that satisfy every cross-check of the template (and, for table 2, no checks
    at all: any valid value of each column's kind)."""
    tpl = TEMPLATES[template]
    count = st.integers(0, 999)
    active: dict[str, dict[str, Any]] = {}
    for row in tpl.active_rows:
        active[row.key] = {
            c.key: draw(_amount() if c.kind == "amount" else st.integers(-500, 500) if c.kind == "signed" else count)
            for c in row.columns
        }
    applicants = [c.key for c in APPLICANT_COLUMNS]
    app: dict[str, dict[str, Any]] = {
        k: {c: draw(st.integers(0, 60)) for c in applicants} for k in tpl.outcome_rows
    }
    total = {c: sum(app[k][c] for k in tpl.outcome_rows) for c in applicants}
    forward = {c: draw(st.integers(0, 40)) for c in applicants}
    over = {c: draw(st.integers(0, total[c] + forward[c])) for c in applicants}
    app["total"] = total
    app["carried_forward"] = forward
    app["carried_over"] = over
    app["new_received"] = {c: total[c] + forward[c] - over[c] for c in applicants}
    for row in app.values():
        row["total"] = sum(row[c] for c in applicants)
    reviews: dict[str, dict[str, Any]] = {}
    for r in REVIEW_ROWS:
        parts = {c.key: draw(st.integers(0, 200)) for c in REVIEW_COLUMNS[:-1]}
        reviews[r.key] = {**parts, "total": sum(parts.values())}
    return {"active_disclosure": active, "applications": app, "reviews_litigation": reviews}


def read_values(result: ParseResult) -> Values:
    out: Values = {}
    for name in ("active_disclosure", "applications", "reviews_litigation"):
        table = getattr(result.tables, name)
        out[name] = {r.key: dict(r.values) for r in table.rows} if table is not None else {}
    return out


def _render(v: Values, layout: str, template: str) -> str:
    return render_report(v, layout=layout, template=template, year=2023 if template == "2021" else 2020)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", ["2021", "2019"])
@given(data=st.data())
def test_consistent_tables_parse_back_exactly(layout: str, template: str, data: st.DataObject) -> None:
    v = data.draw(consistent_tables(template))
    text = _render(v, layout, template)
    result = parse_text(text)
    assert result.template == template
    assert read_values(result) == v
    assert [i for i in result.issues if i.severity == "error"] == []
    assert_valid_result(result)


def _cells(v: Values) -> list[tuple[str, str, str]]:
    return [(t, r, c) for t, rows in v.items() for r, cols in rows.items() for c in cols]


# Changes that no reading of a single cell can take for valid. Of the cross-checked tables
# (表三, 表四) a change of the number is enough; 表二 has no checks, so its cell must itself
# be wrong: text, a fraction in a count, a negative where none may be.
_BAD_TEXT = st.sampled_from(["十二", "O", "3..", "1/2件", "约5", "x"])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", ["2021", "2019"])
@given(data=st.data())
def test_one_changed_cell_is_an_error_at_that_cell(layout: str, template: str, data: st.DataObject) -> None:
    v = data.draw(consistent_tables(template))
    table, row, col = data.draw(st.sampled_from(_cells(v)))
    old = v[table][row][col]
    how = data.draw(st.sampled_from(["number", "text"]) if table != "active_disclosure" else st.just("text"))
    if how == "number":
        new: Any = data.draw(st.integers(0, 999).filter(lambda n: n != old))
    else:
        new = data.draw(_BAD_TEXT)
    note(f"{table}.{row}.{col}: {old!r} -> {new!r}")
    v[table][row][col] = new
    result = parse_text(_render(v, layout, template))
    errors = [i for i in result.issues if i.severity == "error"]
    assert errors, "a changed cell went unnoticed"
    at_cell = [i for i in errors if (i.location.table, i.location.row, i.location.column) == (table, row, col)]
    if table == "reviews_litigation" and how == "number" and col != "total":
        # 表四 has one check per row: the row's total is wrong or one of its parts, and no
        # check can tell which. The finding is on the row, at its 总计.
        assert [(i.code, i.location.row) for i in errors] == [("review-total-mismatch", row)]
    else:
        assert at_cell, [(i.code, i.location) for i in errors]
    if how == "text":
        assert [i.code for i in at_cell] == ["cell-not-number"]
