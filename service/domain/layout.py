"""Plain text to blocks: recognise how the report's tables reached us.

The layouts seen in practice, each recognised line by line:

* tab-separated rows, merged cells left empty (Word "copy as text");
* one cell per line, each line starting with a tab, rows separated by blank lines, a cell's
  own line breaks kept (so a vertical label comes one character per line);
* web scrapes where every cell ends with `` |`` and runs of empty cells are bare pipes;
* Markdown tables ``| a | b |``;
* anything else is a paragraph. Tables that reach us as plain space-separated text (PDF
  extractions) stay paragraphs here; the table reader splits their numbers off.

Every step is a single pass over the lines: the cost is linear in the input.
"""

from __future__ import annotations

from service.domain.document import Block, Cell, Document
from service.domain.limits import check_lines
from service.domain.normalize import normalize_text

# A continuation line of a wrapped cell in the one-cell-per-line layout is short; a longer
# untabbed line after a cell is the next paragraph.
_MAX_CONTINUATION = 24
_ENUMERATORS = "一二三四五六七八九十"


def _is_pipe_only(s: str) -> bool:
    return s != "" and s.strip("| ") == ""


def _is_markdown_row(s: str) -> bool:
    return len(s) > 2 and s[0] == "|" and s[-1] == "|" and not _is_pipe_only(s)


def _is_markdown_rule(cells: list[str]) -> bool:
    return all(c and c.strip(":- ") == "" for c in cells)


def detect_layout(lines: list[str]) -> str:
    """Name the dominant table layout of the text, for the tab-separated cases."""
    single = multi = pipes = markdown = 0
    for raw in lines:
        s = raw.strip(" ")
        if "\t" in raw:
            if raw.startswith("\t") and raw.count("\t") == 1:
                single += 1
            else:
                multi += 1
        elif _is_markdown_row(s):
            markdown += 1
        elif s.endswith("|"):
            pipes += 1
    counts = {"cell-per-line": single, "tab-rows": multi, "pipe-cells": pipes, "markdown": markdown}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 3 else "paragraphs"


def _looks_like_heading(s: str) -> bool:
    return len(s) > 2 and s[0] in _ENUMERATORS and s[1] in "、．." or s[:1] in "（(" and s[1:2] in _ENUMERATORS


def read_text(text: str) -> Document:
    """Split normalised text into paragraph and cell-row blocks."""
    lines = normalize_text(text).split("\n")
    check_lines(lines)  # before any per-line work: see `limits`
    layout = detect_layout(lines)
    cell_per_line = layout == "cell-per-line"
    blocks: list[Block] = []
    row: Block | None = None  # the open row of the one-cell-per-line layout
    # The lines of each wrapped cell, joined at the end: `+=` on the cell's text would copy
    # it once per line, quadratic in a cell wrapped over many lines.
    wrapped: dict[int, tuple[Cell, list[str]]] = {}

    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip(" ")
        if not stripped:
            row = None
            continue
        if "\t" in raw:
            if cell_per_line and raw.startswith("\t") and raw.count("\t") == 1:
                cell = Cell(raw[1:].strip(" "), number)
                if row is None:
                    row = Block(number, cells=[])
                    blocks.append(row)
                row.cells.append(cell)  # type: ignore[union-attr]
                continue
            row = None
            blocks.append(Block(number, cells=[Cell(c.strip(" "), number) for c in raw.split("\t")]))
            continue
        if row is not None and row.cells:
            # An untabbed line right after a cell, with no blank line between: the cell's
            # own text wrapped (商业 / 企业, or a vertical label one character per line).
            if len(stripped) <= _MAX_CONTINUATION and not _looks_like_heading(stripped):
                last = row.cells[-1]
                wrapped.setdefault(id(last), (last, [last.text]))[1].append(stripped)
                continue
            row = None
        if _is_pipe_only(stripped):
            n = stripped.count("|")
            blocks.append(Block(number, cells=[Cell("", number) for _ in range(n)]))
        elif _is_markdown_row(stripped):
            cells = [c.strip() for c in stripped[1:-1].split("|")]
            if not _is_markdown_rule(cells):
                blocks.append(Block(number, cells=[Cell(c, number) for c in cells]))
        elif stripped.endswith("|"):
            parts = stripped.split("|")[:-1]
            blocks.append(Block(number, cells=[Cell(p.strip(), number) for p in parts]))
        else:
            blocks.append(Block(number, text=stripped))
    for cell, parts in wrapped.values():
        cell.text = "".join(parts)
    return Document(blocks=blocks, layout=layout, line_count=len(lines))
