"""How sure each table's reading is (issue 10, item 2), as the answer reports it.

A reading step marks the cells it chose (`Cell.reading`): "inferred" (one reading fits) or
"ambiguous" (several or none fit: the cell is null). The answer says so per table; an
arithmetic finding resting on an inferred cell is a warning, one resting on an ambiguous
cell is not made, and each ambiguous place gets one `table-reading-ambiguous` warning. These
tests mark cells the way the reading steps do, on a report whose numbers are wrong, so the
severity rule is seen apart from any one reading step.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from reports import report, values
from service.domain.document import Document
from service.domain.layout import read_text
from service.domain.models import ParseResult
from service.domain.pipeline import parse_document, parse_text
from service.domain.rules.fragments import T4

WRONG_TOTAL = 999  # table 三's new_received.total, printed wrong


def _wrong_report() -> str:
    v = values()
    v["applications"]["new_received"]["total"] = WRONG_TOTAL
    return report(v)


def _marked(text: str, needle: str, reading: Literal["inferred", "ambiguous"]) -> Document:
    """The document of `text` with the cell `needle` of the first row holding it marked."""
    doc = read_text(text)
    for block in doc.blocks:
        if block.cells and any(needle in c.text for c in block.cells[:1]):
            block.cells = [
                msgspec.structs.replace(c, reading=reading, why="测试：标记的单元格") if c.text == str(WRONG_TOTAL) else c
                for c in block.cells
            ]
            return doc
    raise AssertionError(needle)


def _codes(result: ParseResult, severity: str) -> list[str]:
    return sorted(i.code for i in result.issues if i.severity == severity)


def test_a_report_read_as_printed_says_every_table_is_exact() -> None:
    result = parse_text(report())
    tables = [result.tables.active_disclosure, result.tables.applications, result.tables.reviews_litigation]
    assert [t.reading for t in tables if t is not None] == ["exact"] * 3
    assert all(t.cells == [] for t in tables if t is not None)
    assert "reading" in msgspec.json.decode(msgspec.json.encode(result))["tables"]["applications"]


def test_a_finding_on_an_exact_cell_is_an_error() -> None:
    result = parse_text(_wrong_report())
    assert "row-total-mismatch" in _codes(result, "error") or "cell-likely-wrong" in _codes(result, "error")


def test_a_finding_resting_on_an_inferred_cell_is_a_warning() -> None:
    result = parse_document(_marked(_wrong_report(), "本年新收", "inferred"))
    table = result.tables.applications
    assert table is not None and table.reading == "inferred"
    assert [(c.row, c.column, c.reading) for c in table.cells] == [("new_received", "total", "inferred")]
    assert _codes(result, "error") == []
    assert "row-total-mismatch" in _codes(result, "warning") or "cell-likely-wrong" in _codes(result, "warning")
    assert result.summary.valid


def test_an_ambiguous_cell_is_null_with_one_warning_and_no_finding_on_it() -> None:
    result = parse_document(_marked(_wrong_report(), "本年新收", "ambiguous"))
    table = result.tables.applications
    assert table is not None and table.reading == "ambiguous"
    row = next(r for r in table.rows if r.key == "new_received")
    assert row.values["total"] is None
    assert _codes(result, "error") == []
    ambiguous = [i for i in result.issues if i.code == "table-reading-ambiguous"]
    assert [(i.location.row, i.location.column) for i in ambiguous] == [("new_received", "total")]
    assert not any(i.code == "cell-blank" and i.location.row == "new_received" for i in result.issues)
    assert result.summary.valid


def _reviews(numbers: str) -> ParseResult:
    return parse_text("\n".join([T4, "行政复议\t行政诉讼", "\t".join(numbers.split())]))


def test_table_four_with_a_page_number_in_its_run_is_read_by_its_checks() -> None:
    result = _reviews("4 1 2 0 0 3 0 1 0 0 1 0 0 0 2 2")
    table = result.tables.reviews_litigation
    assert table is not None and table.reading == "inferred"
    assert [list(r.values.values()) for r in table.rows] == [[1, 2, 0, 0, 3], [0, 1, 0, 0, 1], [0, 0, 0, 2, 2]]
    assert len(table.cells) == 15 and all(c.why for c in table.cells)


def test_table_four_whose_checks_pick_no_window_stays_null() -> None:
    result = _reviews("1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7")
    table = result.tables.reviews_litigation
    assert table is not None and table.reading == "ambiguous"
    assert all(v is None for r in table.rows for v in r.values.values())
    assert [i.code for i in result.issues if i.code == "table-reading-ambiguous"] == ["table-reading-ambiguous"]
    assert "review-total-mismatch" not in _codes(result, "error")
