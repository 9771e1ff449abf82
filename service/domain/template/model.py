"""The shapes the template's declarations are written in: a table, its columns, rows, groups
and cross-checks.

Declarations are compared and hashed by identity (`eq=False`): each is one object made once
at import, so the readers can keep what they derive from a table (folded labels, column
readers) in a cache keyed by the table itself, and a test can declare a table of its own
and have it read, rendered and checked like the template's.
"""

from __future__ import annotations

from typing import Final, Literal

import msgspec

ColumnKind = Literal["count", "signed", "amount"]
TemplateId = Literal["2021", "2019"]
# How a table is laid out, which says how it is read and rendered:
# "grouped" (表二): groups of rows, each under a heading and a header row of its own columns;
# "nested" (表三): one header block, rows labelled in two cells (三、本年度办理结果 |（一）予以公开);
# "grid" (表四): a block of headers over the rows, the numbers often on one line of fifteen.
TableLayout = Literal["grouped", "nested", "grid"]
# The rows flagged as outcome rows (（一） to （六）), as one side of a check.
OUTCOME: Final = "outcome"


class Column(msgspec.Struct, frozen=True, eq=False):
    key: str
    label: str
    kind: ColumnKind = "count"
    # The header printed over this column and its neighbours (法人或其他组织).
    group: str | None = None


class RowDef(msgspec.Struct, frozen=True, eq=False):
    key: str
    label: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    # The group heading the row sits under (（三）不予公开 …), used to tell apart leaf labels
    # that repeat across groups, such as 3.其他 and 3.补正后…. Set from the table's `Group`.
    group: str | None = None
    # Labels so short or common (其他, 总计) that they are only taken as this row when the
    # row before it, its group heading, or its printed number has just been read.
    needs_context: bool = False
    # A row of the other template that stands for these rows (2019's single 其他处理 for
    # 2021's three): a known variant, not an unknown row.
    variant_of: tuple[str, ...] = ()
    # The enumerator the template prints before the label (一、 （一） 1.), if any.
    number: str = ""
    # An outcome row: （七）总计 is their sum.
    outcome: bool = False
    # The one template that prints this row; None: both.
    only: TemplateId | None = None
    # The label messages use when it is not the number and label (（二）部分公开 without
    # its parenthetical).
    printed: str = ""


class Group(msgspec.Struct, frozen=True, eq=False):
    """Rows under one heading: 第二十条第（一）项 in 表二, （三）不予公开 in 表三."""

    name: str
    rows: tuple[str, ...]
    number: str = ""
    # Whether the heading sits in the first label cell of 表三 (三、本年度办理结果), beside
    # the row labels, rather than glued before the first row's label (（三）不予公开1.…).
    outer: bool = False
    # Whether a report may glue the heading before a row label, so the reader takes it off.
    glued: bool = True

    @property
    def heading(self) -> str:
        return f"{self.number}{self.name}"


class Check(msgspec.Struct, frozen=True, eq=False):
    """A cross-check the template states: sum(left) == sum(right), in every row (`along`
    "row": left and right are column keys) or in every column ("column": row keys, OUTCOME
    for the outcome rows). A column check is made only where its rows are printed."""

    code: str  # the rule that reports it when it fails (see `rules.arithmetic`)
    along: Literal["row", "column"]
    left: tuple[str, ...]
    right: tuple[str, ...] | Literal["outcome"]
    # The cell the finding points at: the column (row checks) or the row (column checks);
    # None: the whole column, at the line of the row `near`.
    at: str | None
    # How the cell-likely-wrong message names this check ({row}, {column} filled in).
    name: str
    # Which side is the figure the other must match (`expected` of the finding); the other
    # is what the report prints (`actual`).
    expected: Literal["left", "right"] = "right"
    near: str | None = None


class TableDef(msgspec.Struct, frozen=True, eq=False):
    key: str  # the table's key in the API (`shared/spec/tables.md`)
    section: str  # the key of the section that holds it
    short: str  # 表二, 表三, 表四: the template names a table after its section
    name: str  # the short name with the section's title, for messages
    layout: TableLayout
    rows: tuple[RowDef, ...]
    # The table's columns where every row has them (表三, 表四); else every column once.
    columns: tuple[Column, ...]
    groups: tuple[Group, ...] = ()
    checks: tuple[Check, ...] = ()
    # Header texts other than the column labels: a caption over the columns (申请人情况),
    # the printed note (本列数据的勾稽关系为…), the row group headings of a grid.
    caption: str = ""
    note: str = ""
    headers: tuple[str, ...] = ()

    def row(self, key: str) -> RowDef | None:
        return next((r for r in self.rows if r.key == key), None)

    def rows_of(self, template: str) -> tuple[RowDef, ...]:
        """The rows a report in `template` prints."""
        return tuple(r for r in self.rows if r.only is None or r.only == template)

    def group_of(self, row: RowDef, *, outer: bool = False) -> Group | None:
        """The group listing the row: the inner one, or with `outer` the outer one."""
        return next((g for g in self.groups if g.outer == outer and row.key in g.rows), None)

    def printed_label(self, row: RowDef) -> str:
        """The row's label as the template prints it, numbering included, for messages."""
        if row.printed:
            return row.printed
        group = self.group_of(row) if row.group is not None else None
        head = f"{group.heading}·" if group is not None else ""
        return f"{head}{row.number}{row.label}"

    def header_labels(self) -> tuple[str, ...]:
        """Every header text of the table: caption, column groups and labels, note."""
        column_groups = dict.fromkeys(c.group for c in self.columns if c.group)
        texts = (self.caption, *column_groups, *(c.label for c in self.columns), self.note, *self.headers)
        return tuple(t for t in texts if t)


class SectionDef(msgspec.Struct, frozen=True, eq=False):
    key: str
    number: str
    title: str
    aliases: tuple[str, ...] = ()


class Template(msgspec.Struct, frozen=True, eq=False):
    id: TemplateId
    # The tables in the order the report prints them.
    tables: tuple[TableDef, ...]
    # Column labels that tell the two templates' 表二 apart.
    markers: tuple[str, ...] = ()

    def table(self, key: str) -> TableDef:
        return next(t for t in self.tables if t.key == key)

    @property
    def active_rows(self) -> tuple[RowDef, ...]:
        return self.table("active_disclosure").rows

    @property
    def outcome_rows(self) -> tuple[str, ...]:
        """The keys of the outcome rows this template prints, in order."""
        return tuple(r.key for r in self.table("applications").rows_of(self.id) if r.outcome)


def grouped(group: Group, rows: tuple[RowDef, ...]) -> tuple[Group, tuple[RowDef, ...]]:
    """`group` listing `rows`, and the rows marked as under it (one statement of membership)."""
    marked = rows if group.outer else tuple(msgspec.structs.replace(r, group=group.name) for r in rows)
    return msgspec.structs.replace(group, rows=tuple(r.key for r in rows)), marked
