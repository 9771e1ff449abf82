"""The two official report templates, as data: the one place that says what a report holds.

Everything the parser, the renderer, the rules and the documentation know about a report's
shape is declared here: the six section titles (`sections`), and per table (`active` 表二,
`applications` 表三, `reviews` 表四) its rows with their printed labels and accepted variants,
its columns, group headings and cross-checks. To add a row or a check, edit the table's
module; the reader, `render`, the rules, `GET /v1/rules` and docs/tables.md follow. Keys follow
`shared/spec/tables.md` (copied to docs/spec-tables.md); the labels follow 国办公开办函〔2021〕30号
and the trial format of 国办公开办函〔2019〕60号.
"""

from __future__ import annotations

import functools

from service.domain.template.active import ACTIVE_2019, ACTIVE_2021, MARKERS_2019, MARKERS_2021
from service.domain.template.applications import (
    APP_COLUMNS,
    APPLICANT_COLUMNS,
    APPLICATIONS,
    APPLICATIONS_WITH_SUBTOTAL,
)
from service.domain.template.model import (
    OUTCOME,
    Check,
    Column,
    ColumnKind,
    Group,
    RowDef,
    SectionDef,
    TableDef,
    Template,
    TemplateId,
)
from service.domain.template.reviews import REVIEW_COLUMNS, REVIEWS
from service.domain.template.sections import SECTIONS

TEMPLATES: dict[str, Template] = {
    "2021": Template("2021", (ACTIVE_2021, APPLICATIONS, REVIEWS), MARKERS_2021),
    "2019": Template("2019", (ACTIVE_2019, APPLICATIONS, REVIEWS), MARKERS_2019),
}
# A report whose template is unknown is read and checked as the 2021 one.
DEFAULT = "2021"
# Each template with 表三 printed with a 小计 column (eight value columns): what a report is
# read and checked as when its 表三 header has that column (see `pipeline.read_tables`).
WITH_SUBTOTAL: dict[str, Template] = {
    tid: Template(tpl.id, tuple(APPLICATIONS_WITH_SUBTOTAL if t is APPLICATIONS else t for t in tpl.tables), tpl.markers)
    for tid, tpl in TEMPLATES.items()
}


def template_of(template: str) -> Template:
    """The template a report is read as: its own, or the default when unknown."""
    return TEMPLATES.get(template) or TEMPLATES[DEFAULT]


def table_def(key: str, template: str = DEFAULT) -> TableDef:
    return _tables_by_key(template_of(template))[key]


@functools.cache  # template data: one per declared template
def _tables_by_key(template: Template) -> dict[str, TableDef]:
    return {t.key: t for t in template.tables}


@functools.cache  # template data: one per declared table
def _labels(table: TableDef) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Each row's printed label, and each (row, column)'s column label ("" row: the table's)."""
    rows = {r.key: table.printed_label(r) for r in table.rows}
    columns = {(r.key, c.key): c.label for r in table.rows for c in r.columns}
    columns.update({("", c.key): c.label for c in table.columns})
    return rows, columns


def column_label(table: str, row_key: str, column_key: str, template: str = DEFAULT) -> str:
    """The printed label of a column, for messages (a message is built for every finding)."""
    columns = _labels(table_def(table, template))[1]
    found = columns.get((row_key, column_key)) or columns.get(("", column_key))
    if found is None and table == APPLICATIONS.key:  # 小计, where the report prints it
        wider = _labels(APPLICATIONS_WITH_SUBTOTAL)[1]
        found = wider.get((row_key, column_key)) or wider.get(("", column_key))
    return found or column_key


def row_label(table: str, row_key: str, template: str = DEFAULT) -> str:
    """The template's label of a row, numbering included, for messages."""
    return _labels(table_def(table, template))[0].get(row_key, row_key)


# Names the tests and older callers use for the template's pieces.
APPLICATIONS_ROWS = APPLICATIONS.rows
REVIEW_ROWS = REVIEWS.rows

__all__ = [
    "ACTIVE_2019", "ACTIVE_2021", "APPLICANT_COLUMNS", "APPLICATIONS", "APPLICATIONS_ROWS",
    "APPLICATIONS_WITH_SUBTOTAL", "APP_COLUMNS", "DEFAULT", "OUTCOME", "REVIEWS", "REVIEW_COLUMNS",
    "REVIEW_ROWS", "SECTIONS", "TEMPLATES", "Check", "Column", "ColumnKind", "Group", "RowDef",
    "SectionDef", "TableDef", "Template", "TemplateId", "WITH_SUBTOTAL", "column_label", "row_label", "table_def",
    "template_of",
]
