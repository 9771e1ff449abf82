"""From input to result: decode → lay out → find sections and meta → read tables → rules."""

from __future__ import annotations

from service.domain.decode import decode
from service.domain.document import Cell, Document
from service.domain.confidence import table_reading, unsure_cells
from service.domain.facts import Facts
from service.domain.layout import read_text
from service.domain.limits import check_document
from service.domain.meta import extract
from service.domain.models import CellReading, Meta, ParseResult, Row, Section, Table, Tables, summarise
from service.domain.rules import run
from service.domain.runningtext import split_sections, table_blocks
from service.domain.stats import compute as compute_stats
from service.domain.sections import Heading, find_headings, paragraph_text, section_spans, table_region
from service.domain.tables import RawTable, detect_template, has_subtotal, read_table, region_cells
from service.domain.template import DEFAULT, SECTIONS, TEMPLATES, WITH_SUBTOTAL, Template, template_of
from service.domain.textlayout import reflow


def parse_text(text: str) -> ParseResult:
    """Parse and validate a report given as text (any of the plain-text layouts)."""
    return parse_document(read_text(text))


def parse_bytes(data: bytes, charset: str | None = None) -> ParseResult:
    """Parse and validate a report given as bytes of text; see `decode` for encodings."""
    return parse_text(decode(data, charset))


_SECTION_INDEX = {s.key: n for n, s in enumerate(SECTIONS)}


def table_regions(
    doc: Document, headings: list[Heading], spans: dict[str, tuple[int, int]] | None = None
) -> dict[str, list[tuple[Cell, int]]]:
    """Each table's cells: its section's blocks (its span, or see `table_region` when its
    heading was not found), PDF text reflowed."""
    spans = section_spans(doc, headings) if spans is None else spans
    regions = {}
    for table in TEMPLATES[DEFAULT].tables:
        span = spans.get(table.section) or table_region(doc, headings, _SECTION_INDEX[table.section])
        regions[table.key] = region_cells(reflow(table_blocks(doc.blocks[slice(*span)], table.key)))
    return regions


def read_tables(regions: dict[str, list[tuple[Cell, int]]]) -> tuple[str, dict[str, RawTable]]:
    """The template and the three tables read from their regions. 表三 first: it is the
    same in both templates, and its rows decide the template when 表二's columns do not
    (`detect_template`); then every table as the template declares it. 表三 with a 小计
    column in its header is read by the declaration of that variant (`declared`)."""
    first = TEMPLATES[DEFAULT].table("applications")
    if has_subtotal(regions[first.key]):
        first = WITH_SUBTOTAL[DEFAULT].table("applications")
    applications = read_table(regions[first.key], first)
    template = detect_template(regions["active_disclosure"], applications)
    return template, {
        table.key: applications if table.key == first.key else read_table(regions[table.key], table)
        for table in template_of(template).tables
    }


def declared(template: str, tables: dict[str, RawTable]) -> Template | None:
    """The declarations the tables were read by when not the template's own (小计)."""
    subtotal = tables.get("applications")
    if subtotal is None or not subtotal.rows or "subtotal" not in {c.key for c in subtotal.rows[0].columns}:
        return None
    return WITH_SUBTOTAL.get(template) or WITH_SUBTOTAL[DEFAULT]


def parse_document(doc: Document) -> ParseResult:
    check_document(doc)
    doc = split_sections(doc)  # crawler text: the whole report on one line (see runningtext)
    headings = find_headings(doc)
    spans = section_spans(doc, headings)
    template, raw = read_tables(table_regions(doc, headings, spans))
    meta = extract(doc, headings[0].block if headings else None)
    facts = Facts(
        doc=doc, headings=headings, template=template, meta=meta, tables=raw, spans=spans,
        declared=declared(template, raw),
    )
    issues = run(facts)
    tables = Tables(**{k: _table(t) for k, t in raw.items()})
    sections = [
        Section(
            key=h.key,  # type: ignore[arg-type]  # a str key where models want a SectionKey/TableKey Literal
            number=h.number,
            title=h.title,
            text=paragraph_text(doc.blocks[slice(*spans[h.key])]),
            line=h.line,
        )
        for h in sorted(headings, key=lambda h: h.index)
    ]
    return ParseResult(
        template=template,  # type: ignore[arg-type]  # read_tables names the template as str; it is a TemplateName
        meta=Meta(
            title=meta.title,
            agency=meta.agency,
            year=meta.year,
            published=meta.published,
            index_number=meta.index_number,
        ),
        sections=sections,
        tables=tables,
        issues=issues,
        summary=summarise(issues),
        stats=compute_stats(tables),
    )


def _table(raw: RawTable) -> Table | None:
    if not raw.found:
        return None
    unsure = unsure_cells(raw)
    return Table(
        reading=table_reading(unsure),
        rows=[
            Row(
                key=r.key,
                label=r.label,
                values={k: c.value for k, c in r.cells.items()},
                line=r.line,
                unit=r.unit,
            )
            for r in raw.rows
        ],
        line=raw.line,
        cells=[CellReading(row=c.row, column=c.column, reading=c.reading, why=c.why, line=c.line) for c in unsure],
    )


__all__ = ["SECTIONS", "parse_bytes", "parse_document", "parse_text"]
