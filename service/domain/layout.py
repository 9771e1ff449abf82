"""Plain text to blocks: recognise how the report's tables reached us.

The layouts seen in practice, each recognised line by line:

* tab-separated rows, merged cells left empty (Word "copy as text");
* one cell per line, each line starting with a tab, rows separated by blank lines, a cell's
  own line breaks kept (so a vertical label comes one character per line);
* web scrapes where every cell ends with `` |`` and runs of empty cells are bare pipes;
* Markdown tables ``| a | b |``;
* anything else is a paragraph. Tables that reach us as plain space-separated text (PDF
  extractions) stay paragraphs here; the table reader splits their numbers off.

Every step is a single pass over the lines: the cost is linear in the input. A text is read
in ONE pass that both builds the blocks and counts the lines of each layout, at most twice
(see `read_text`).
"""

from __future__ import annotations

from service.domain.document import Block, Cell, Document
from service.domain.limits import check_text
from service.domain.normalize import normalize_text

# A continuation line of a wrapped cell in the one-cell-per-line layout is short; a longer
# untabbed line after a cell is the next paragraph.
_MAX_CONTINUATION = 24
_ENUMERATORS = "一二三四五六七八九十"
# The layout needs this many lines of its kind to be named; a tie goes to the earlier name.
_MIN_LINES = 3


def _is_pipe_only(s: str) -> bool:
    return s != "" and s.strip("| ") == ""


def _is_markdown_row(s: str) -> bool:
    return len(s) > 2 and s[0] == "|" and s[-1] == "|" and not _is_pipe_only(s)


def _is_markdown_rule(cells: list[str]) -> bool:
    return all(c and c.strip(":- ") == "" for c in cells)


def _dominant(single: int, multi: int, pipes: int, markdown: int) -> str:
    counts = {"cell-per-line": single, "tab-rows": multi, "pipe-cells": pipes, "markdown": markdown}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] >= _MIN_LINES else "paragraphs"


def _guess_cell_per_line(text: str) -> bool:
    """A guess, counted in C over the whole text, at whether the text is in the
    one-cell-per-line layout: at least three lines start with a tab, and most tabs start a
    line (a tab row has several tabs; a one-cell line has one, first)."""
    starts = text.count("\n\t") + text.startswith("\t")
    return starts >= _MIN_LINES and 2 * starts > text.count("\t")


def _looks_like_heading(s: str) -> bool:
    return len(s) > 2 and s[0] in _ENUMERATORS and s[1] in "、．." or s[:1] in "（(" and s[1:2] in _ENUMERATORS


def read_text(text: str) -> Document:
    """Split normalised text into paragraph and cell-row blocks."""
    text = normalize_text(text)
    check_text(text)  # before any per-line work: see `limits`
    lines = text.split("\n")
    # The layout is counted while the blocks are built, but the one-cell-per-line layout
    # reads lines differently, so the reading is guessed first and done again in the other
    # mode when the counts say the guess was wrong (the counts do not depend on the mode).
    cell_per_line = _guess_cell_per_line(text)
    blocks, counts = _read_lines(lines, cell_per_line)
    layout = _dominant(*counts)
    if (layout == "cell-per-line") != cell_per_line:
        blocks, _ = _read_lines(lines, not cell_per_line)
    return Document(blocks=blocks, layout=layout, line_count=len(lines))


def _read_lines(
    lines: list[str], cell_per_line: bool
) -> tuple[list[Block], tuple[int, int, int, int]]:
    """The blocks of the lines, and how many lines are of each layout: one-cell lines (a
    single tab, first), other tab rows, pipe rows, Markdown rows; the same in either mode.

    One pass; each line is stripped once and tested from the cheapest, most telling test
    on. Structs are built positionally (`Block(line, text, cells)`): keywords cost more.
    """
    single = multi = pipes = markdown = 0  # the lines of each layout
    blocks: list[Block] = []
    append = blocks.append
    row: list[Cell] | None = None  # the cells of the open row of the one-cell-per-line layout
    # The lines of each wrapped cell, joined at the end: `+=` on the cell's text would copy
    # it once per line, quadratic in a cell wrapped over many lines. Only the row's last
    # cell can take a continuation line, so one list is open at a time (`parts`).
    wrapped: list[tuple[Cell, list[str]]] = []
    parts: list[str] | None = None

    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip(" ")
        if not stripped:
            row = None
            continue
        if "\t" in raw:
            if raw[0] == "\t" and raw.count("\t") == 1:
                single += 1
                if cell_per_line:
                    cell = Cell(raw[1:].strip(" "), number)
                    parts = None
                    if row is None:
                        row = [cell]
                        append(Block(number, "", row))
                    else:
                        row.append(cell)
                    continue
            else:
                multi += 1
            row = None
            append(Block(number, "", [Cell(c.strip(" "), number) for c in raw.split("\t")]))
            continue
        if row is not None:
            # An untabbed line right after a cell, with no blank line between: the cell's
            # own text wrapped (商业 / 企业, or a vertical label one character per line).
            if len(stripped) <= _MAX_CONTINUATION and not _looks_like_heading(stripped):
                if parts is None:
                    parts = [row[-1].text]
                    wrapped.append((row[-1], parts))
                parts.append(stripped)
                if "|" in stripped:  # counted as if it were not a continuation
                    is_markdown = _is_markdown_row(stripped)
                    markdown += is_markdown
                    pipes += not is_markdown and stripped[-1] == "|"
                continue
            row = None
        if stripped[-1] != "|":
            append(Block(number, stripped))
            continue
        block, is_markdown = _pipe_row(stripped, number)
        markdown += is_markdown
        pipes += not is_markdown
        if block is not None:
            append(block)
    for cell, texts in wrapped:
        cell.text = "".join(texts)
    return blocks, (single, multi, pipes, markdown)


def _pipe_row(stripped: str, number: int) -> tuple[Block | None, bool]:
    """A line ending in a pipe: its row (None for a Markdown rule line), and whether it is
    a Markdown row rather than a scraped one."""
    if stripped[0] != "|":
        # A scraped row `a | b |` (neither bare pipes nor Markdown, which both start
        # with one); most often a single cell, which needs no split.
        body = stripped[:-1]
        if "|" in body:
            return Block(number, "", [Cell(p.strip(), number) for p in body.split("|")]), False
        return Block(number, "", [Cell(body.strip(), number)]), False
    if not stripped.strip("| "):
        return Block(number, "", [Cell("", number) for _ in range(stripped.count("|"))]), False
    # `| a | b |`: starts and ends with a pipe and is not pipes alone, so it has at least
    # three characters.
    cells = [c.strip() for c in stripped[1:-1].split("|")]
    if _is_markdown_rule(cells):
        return None, True
    return Block(number, "", [Cell(c, number) for c in cells]), True
