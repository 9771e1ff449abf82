"""What the readers found in a report, handed to the rules.

The readers (layout, sections, meta, tables) only record; every judgement about the report
is a rule's. This struct is the boundary between the two.
"""

from __future__ import annotations

import msgspec

from service.domain.document import Document
from service.domain.meta import MetaFacts
from service.domain.models import Location
from service.domain.sections import Heading
from service.domain.tables import RawRow, RawTable
from service.domain.template import Template


class Facts(msgspec.Struct):
    doc: Document
    headings: list[Heading]
    template: str
    meta: MetaFacts
    tables: dict[str, RawTable]
    # Block ranges [start, end) of each found section, heading excluded (`section_spans`),
    # computed once per report for the readers and the rules.
    spans: dict[str, tuple[int, int]] = msgspec.field(default_factory=dict)
    # The declarations the tables were read by, where they are not `template`'s own (表三
    # printed with a 小计 column: `template.WITH_SUBTOTAL`); the checks are made by them.
    declared: Template | None = None

    def table(self, key: str) -> RawTable | None:
        t = self.tables.get(key)
        return t if t is not None and t.found else None


def cell_location(table: str, row: RawRow, column: str | None = None) -> Location:
    """The location of a row, or of one of its cells when `column` is given."""
    line, page, ref = row.line, None, None
    if column is not None:
        src = row.where.get(column)
        if src is not None:
            line, page, ref = src.line, src.page, src.ref
    return Location(
        section=table,  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
        table=table,  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
        row=row.key,
        column=column,
        line=line,
        page=page,
        cell=ref,
    )
