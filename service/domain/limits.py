"""Bounds on the work one report may ask of the parser.

The body limit (5 MiB) bounds bytes, not work: five mebibytes of tabs are five million
cells, and every line and every cell costs the readers a few microseconds and a Python
object. Left alone, such a body held a core for a minute and took 1.5 GiB. Real reports
are far inside these bounds (the seeds and the corpus: at most ~450 lines and ~2,000 cells;
a report in the one-cell-per-line layout, the most line-hungry, ~1,000 lines), so a text
beyond them is not an annual report: it is refused as a document too large to read
(`DocumentError("too-large")`, answered 422 `unsupported-document`), before any per-line
work is done.

A table region is read up to `MAX_REGION_CELLS` cells. Cells of table rows are already
bounded by `MAX_CELLS`; the cap bounds the number tokens split off paragraphs (PDF text), of
which one 5 MiB line of `1 1 1 …` has 2.5 million.
"""

from __future__ import annotations

from service.domain.document import Document
from service.domain.errors import DocumentError

MAX_LINES = 50_000
MAX_CELLS = 100_000
MAX_REGION_CELLS = MAX_CELLS


def _too_large(what: str, count: int, limit: int) -> DocumentError:
    return DocumentError(
        "too-large",
        f"the report has {count:,} {what}, more than the {limit:,} the service reads "
        "(an annual report has a few hundred)",
    )


def check_text(text: str) -> None:
    """Refuse text with more lines, or more cell separators, than any report has.

    Counted with `str.count` over the whole text (C loops), before the text is split into
    lines. Only a text past the cell bound is split, into at most `MAX_LINES` lines, so that
    the refusal names the same count as `check_lines`.
    """
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise _too_large("lines", lines, MAX_LINES)
    if text.count("\t") + text.count("|") > MAX_CELLS:
        check_lines(text.split("\n"))  # the figure the refusal has always named


def check_lines(lines: list[str]) -> None:
    """`check_text` on lines already split; names the count at which the limit is passed."""
    if len(lines) > MAX_LINES:
        raise _too_large("lines", len(lines), MAX_LINES)
    separators = 0
    for line in lines:
        separators += line.count("\t") + line.count("|")
        if separators > MAX_CELLS:
            raise _too_large("table cells", separators, MAX_CELLS)


def check_document(doc: Document) -> None:
    """The same bounds on a document from any reader (HTML, Word, PDF, text)."""
    if len(doc.blocks) > MAX_LINES:
        raise _too_large("blocks", len(doc.blocks), MAX_LINES)
    cells = 0
    for block in doc.blocks:
        if block.cells is not None:
            cells += len(block.cells)
            if cells > MAX_CELLS:
                raise _too_large("table cells", cells, MAX_CELLS)
