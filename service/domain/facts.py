"""What the readers found in a report, handed to the rules.

The readers (layout, sections, meta, tables) only record; every judgement about the report
is a rule's. This struct is the boundary between the two.
"""

from __future__ import annotations

from functools import cached_property

import msgspec

from service.domain.document import Document
from service.domain.meta import MetaFacts
from service.domain.models import Location
from service.domain.sections import Heading
from service.domain.sentences import Sentence, split
from service.domain.tables import RawRow, RawTable
from service.domain.template import Template


# dict=True: room for `sentences`, worked out on first use (rules on text need it, rules on
# tables do not) and then kept for the rest of the report's rules.
class Facts(msgspec.Struct, dict=True):
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

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The sentences of the report's paragraphs (its running text). A heading or the
        title ends a sentence and is none of it: without a full stop it would run into the
        text after it."""
        stops = {h.block for h in self.headings}
        title_line = self.meta.title_line
        out: list[Sentence] = []
        run: list[tuple[str, int]] = []
        for n, b in enumerate(self.doc.blocks):
            if n in stops or b.line == title_line or b.cells is not None:
                if run:
                    out.extend(split(run))
                    run = []
            else:
                run.append((b.text, b.line))
        out.extend(split(run))
        return out


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
