"""The template's declarations: consistent, documented, and the one place a row or a check
is added (declared here in a test template, then read, rendered and checked)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from service.domain import template
from service.domain.pipeline import parse_text
from service.domain.render import LAYOUTS, consistent_values, render_report, table_rows
from service.domain.rules import RULES
from service.domain.rules.catalogue import Rule
from service.domain.template import (
    ACTIVE_2021,
    APPLICATIONS,
    APPLICATIONS_WITH_SUBTOTAL,
    OUTCOME,
    REVIEWS,
    TEMPLATES,
    Group,
    RowDef,
    TableDef,
    Template,
)
from service.domain.template.docs import key_table_markdown, tables_markdown

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_2021 = TEMPLATES["2021"]
TEMPLATE_TABLES = list(dict.fromkeys(t for tpl in TEMPLATES.values() for t in tpl.tables))
ALL_TABLES = [*TEMPLATE_TABLES, APPLICATIONS_WITH_SUBTOTAL]
# The 小计 check's rule, registered in rules/arithmetic.py (the reader chooses the variant when
# 表三's header prints 小计, issue 10).
SUBTOTAL_RULE: Rule = RULES["row-subtotal-mismatch"]


def test_docs_tables_is_generated_from_the_declarations() -> None:
    text = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert text == tables_markdown(), "regenerate: uv run python -m service.domain.template.docs > docs/tables.md"


def test_readme_carries_the_key_table_and_the_spec_copy() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert key_table_markdown() in readme
    assert (ROOT / "docs" / "spec-tables.md").read_text(encoding="utf-8") == (
        ROOT.parent / "shared" / "spec" / "tables.md"
    ).read_text(encoding="utf-8") if (ROOT.parent / "shared").exists() else True


def test_every_spec_key_is_declared() -> None:
    """Every row key of the spec copy is a row of a declared table, and the other way round."""
    spec = (ROOT / "docs" / "spec-tables.md").read_text(encoding="utf-8")
    declared = {r.key for tpl in TEMPLATES.values() for t in tpl.tables for r in t.rows}
    spec_rows = {line.split("`")[1] for line in spec.splitlines() if line.startswith("| `")}
    assert declared == spec_rows


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: f"{t.key}-{len(t.columns)}")
def test_declarations_are_consistent(table: TableDef) -> None:
    keys = [r.key for r in table.rows]
    assert len(keys) == len(set(keys))
    for group in table.groups:
        assert set(group.rows) <= set(keys), group.name
    for row in table.rows:
        assert row.group is None or row.group in {g.name for g in table.groups}
        assert set(row.variant_of) <= set(keys)
    columns = {c.key for c in table.columns}
    for check in table.checks:
        assert check.code in RULES or (table is APPLICATIONS_WITH_SUBTOTAL and check.code == SUBTOTAL_RULE.code), (
            f"{check.code}: register its rule in rules/arithmetic.py"
        )
        if check.along == "row":
            assert set(check.left) | set(check.right) <= columns
        else:
            assert set(check.left) | (set() if check.right == OUTCOME else set(check.right)) <= set(keys)


def test_one_numbering_everywhere() -> None:
    shorts = {t.key: t.short for t in ALL_TABLES}
    assert shorts == {"active_disclosure": "表二", "applications": "表三", "reviews_litigation": "表四"}
    for t in ALL_TABLES:
        assert t.name.startswith(t.short)


# ---------------------------------------------------------------- one place to add a row

NEW_ROW = RowDef(
    "not_processed.other", "其他不予处理的申请", APPLICATIONS.columns,
    group="不予处理", number="6.", outcome=True,
)


def _with_row(table: TableDef, after: str, row: RowDef) -> TableDef:
    """The table with `row` declared after the row `after`, in that row's group."""
    at = [r.key for r in table.rows].index(after) + 1
    groups = tuple(
        msgspec.structs.replace(g, rows=(*g.rows[: g.rows.index(after) + 1], row.key,
                                         *g.rows[g.rows.index(after) + 1 :]))
        if after in g.rows else g
        for g in table.groups
    )
    return msgspec.structs.replace(table, rows=(*table.rows[:at], row, *table.rows[at:]), groups=groups)


@pytest.fixture
def template_with(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def use(applications: TableDef) -> Template:
        tpl = Template("2021", (ACTIVE_2021, applications, REVIEWS), TEMPLATES["2021"].markers)
        monkeypatch.setitem(template.TEMPLATES, "2021", tpl)
        return tpl

    return use


def _codes(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.code for i in result.issues if i.severity == "error"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_row_declared_once_is_read_rendered_and_checked(template_with, layout: str) -> None:  # type: ignore[no-untyped-def]
    tpl = template_with(_with_row(APPLICATIONS, "not_processed.confirmation", NEW_ROW))
    values = consistent_values(3, "2021")
    assert values["applications"]["not_processed.other"]  # an outcome row: part of （七）总计
    rows = table_rows(values, tpl)["applications"]
    assert any(cells[1] == "6.其他不予处理的申请" for cells in rows)  # rendered in its group
    result = parse_text(render_report(values, layout=layout))
    read = {r.key: r.values for r in result.tables.applications.rows}  # type: ignore[union-attr]
    assert read["not_processed.other"] == values["applications"]["not_processed.other"]
    assert _codes(result) == []
    values["applications"]["not_processed.other"]["natural_person"] += 1  # type: ignore[operator]
    values["applications"]["not_processed.other"]["total"] += 1  # type: ignore[operator]
    wrong = parse_text(render_report(values, layout=layout))
    assert "outcome-total-mismatch" in _codes(wrong) or "cell-likely-wrong" in _codes(wrong)
    # A report in the template as it was (without the row) lacks it.
    missing = parse_text(render_report(values, layout=layout, template=TEMPLATE_2021))
    assert ("row-missing", "not_processed.other") in [(i.code, i.location.row) for i in missing.issues]


def _subtotal_values(seed: int) -> dict[str, dict[str, dict[str, int | str | None]]]:
    """Consistent values for the variant: each row's 小计 and 总计 made the sums they must be
    (both are sums of the row, so the column checks still hold)."""
    values = consistent_values(seed, "2021")
    corporate = [c.key for c in APPLICATIONS_WITH_SUBTOTAL.columns if c.group == "法人或其他组织" and c.key != "subtotal"]
    for cells in values["applications"].values():
        cells["subtotal"] = sum(cells[c] for c in corporate)  # type: ignore[misc]
        cells["total"] = cells["natural_person"] + cells["subtotal"]  # type: ignore[operator]
    return values


@pytest.mark.parametrize("layout", ["tab", "markdown"])
def test_the_subtotal_variant_is_read_and_its_check_made(
    template_with, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:  # type: ignore[no-untyped-def]
    """表三 with 小计 (issue 10): declared, it is read and checked like the template's."""
    template_with(APPLICATIONS_WITH_SUBTOTAL)
    monkeypatch.setitem(RULES, SUBTOTAL_RULE.code, SUBTOTAL_RULE)
    values = _subtotal_values(5)
    result = parse_text(render_report(values, layout=layout))
    read = {r.key: r.values for r in result.tables.applications.rows}  # type: ignore[union-attr]
    assert read["granted"] == values["applications"]["granted"]
    assert _codes(result) == []
    values["applications"]["granted"]["subtotal"] += 2  # type: ignore[operator]
    wrong = parse_text(render_report(values, layout=layout))
    # The 小计 check and its column's outcome total both fail and point at the one cell.
    (issue,) = [i for i in wrong.issues if i.severity == "error"]
    assert (issue.code, issue.location.row, issue.location.column) == ("cell-likely-wrong", "granted", "subtotal")
    assert issue.expected == values["applications"]["granted"]["subtotal"] - 2  # type: ignore[operator]
    assert "「（一）予以公开」行小计" in issue.message
    values["applications"]["granted"]["subtotal"] -= 2  # type: ignore[operator]
    # Two 小计 off by opposite amounts on one side of the column's 勾稽关系: the column still
    # adds up, so each row's 小计 check is reported on its own.
    a, b = "new_received", "carried_over"
    assert values["applications"][b]["subtotal"]
    values["applications"][a]["subtotal"] += 1  # type: ignore[operator]
    values["applications"][b]["subtotal"] -= 1  # type: ignore[operator]
    found = parse_text(render_report(values, layout=layout)).issues
    assert sorted((i.code, i.location.row, i.location.column) for i in found if i.severity == "error") == sorted([
        ("row-subtotal-mismatch", a, "subtotal"), ("row-subtotal-mismatch", b, "subtotal"),
    ])

def test_declared_groups_print_their_headings_once() -> None:
    rows = table_rows(consistent_values(1, "2021"))["applications"]
    labels = [cells[1] for cells in rows]
    for group in (g for g in APPLICATIONS.groups if not g.outer):
        assert sum(label.startswith(group.heading) for label in labels) == 1, group.name
    assert isinstance(APPLICATIONS.groups[0], Group) and APPLICATIONS.groups[0].outer
