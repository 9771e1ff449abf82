"""The layout-neutral form every input is brought into before it is read.

A report, whatever it arrived as, becomes a list of blocks: paragraphs of running text and
rows of table cells, each carrying where it came from (the 1-based input line; for HTML,
Word and PDF also the page or the table cell). Sections and meta data are read from the
paragraphs, tables from the cells; neither reader knows which layout produced them.
"""

from __future__ import annotations

from typing import Literal

import msgspec

# The structs are built by the hundred per report and hold only strings, numbers and lists
# of each other, never a reference back: they cannot form a reference cycle, so they are
# kept out of the cycle collector (`gc=False`): cheaper to build, and no collector passes
# over them while the rest of the report is read.


class Cell(msgspec.Struct, gc=False):
    text: str
    line: int
    page: int | None = None
    # Where the cell sits in a source that has cells of its own (HTML, Word): "T2R5C3".
    ref: str | None = None
    # Split off a line of running text (a PDF extraction), not a cell of the source: only
    # such cells may be the wrapped continuation of the label before them.
    from_text: bool = False
    # How sure the reading of this cell is, when a step chose among candidate readings of the
    # text (issue 10): None for a cell read as printed; "inferred" for a value chosen because it
    # alone fits the layout and the template's cross-checks; "ambiguous" for a cell left blank
    # because several readings fit. `why` says why, in Chinese, for the clerk.
    reading: Literal["inferred", "ambiguous"] | None = None
    why: str | None = None


class Block(msgspec.Struct, gc=False):
    """A paragraph (`cells` is None) or a row of table cells."""

    line: int
    text: str = ""
    cells: list[Cell] | None = None
    page: int | None = None

    def heading_text(self) -> str | None:
        """The text of a block that could be a heading: a paragraph, or a row with one
        non-empty cell (a heading that slipped into a table row in transit)."""
        if self.cells is None:
            return self.text
        filled = [c for c in self.cells if c.text]
        return filled[0].text if len(filled) == 1 else None


class Document(msgspec.Struct, gc=False):
    blocks: list[Block]
    layout: str
    line_count: int
