"""Reports written as PDFs the way word processors draw them, for the differential test.

A report of `reports.values(...)` is drawn with reportlab (STSong-Light, a standard CJK
font readers know without embedding): title and sections as lines of text, each table as
a ruled grid of cell rectangles with the template's merged cells (headers over several
columns and rows, the 三、本年度办理结果 label down 22 rows), rows taller when their label
wraps, page numbers at the foot, and a table that runs past the foot of the page continued
on the next — merged cells cut by the break as a word processor cuts them. Options: the
vertical label as one character per line or as text turned 90°; table 4 on a landscape
page that is a portrait page turned by /Rotate 90.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from service.domain.render import section_text, table_rows
from service.domain.template import SECTIONS

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = 595.0, 842.0
MARGIN = 72.0
SIZE = 9.0
LINE = 13.0


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rows: int = 1
    cols: int = 1
    vertical: bool | str = False  # one character per line, or "turned" 90°


@dataclass
class Grid:
    widths: list[float]
    cells: list[Cell] = field(default_factory=list)
    nrows: int = 0


def _wrap(text: str, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, FONT, SIZE) > width - 6 and line:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _grid_active(rows: list[list[str]]) -> Grid:
    g = Grid([120.0, 110.0, 110.0, 111.0])
    for r, row in enumerate(rows):
        filled = [c for c in row if c]
        if len(filled) == 1 and row[0].startswith("第二十条"):
            g.cells.append(Cell(row[0], r, 0, cols=4))  # a heading across the table
        elif len(row) == 2:
            g.cells += [Cell(row[0], r, 0), Cell(row[1], r, 1, cols=3)]
        else:
            g.cells += [Cell(t, r, c) for c, t in enumerate(row)]
    g.nrows = len(rows)
    return g


def _grid_applications(rows: list[list[str]], vertical_label: bool | str) -> Grid:
    g = Grid([40.0, 165.0, *[35.0] * 7])
    g.cells += [Cell(rows[0][0], 0, 0, rows=3, cols=2), Cell(rows[0][2], 0, 2, cols=7),
                Cell(rows[1][2], 1, 2, rows=2), Cell(rows[1][3], 1, 3, cols=5), Cell(rows[1][8], 1, 8, rows=2)]
    g.cells += [Cell(rows[2][c], 2, c) for c in range(3, 8)]
    results = [r for r, row in enumerate(rows) if row[0] == "三、本年度办理结果"][0]
    last = max(r for r, row in enumerate(rows) if "（七）总计" in row[1])
    for r, row in enumerate(rows[3:], start=3):
        if r == results:
            g.cells.append(Cell(row[0], r, 0, rows=last - results + 1, vertical=vertical_label))
        if results <= r <= last:
            g.cells.append(Cell(row[1], r, 1))
        else:
            g.cells.append(Cell(row[0], r, 0, cols=2))
        g.cells += [Cell(t, r, c) for c, t in enumerate(row) if c >= 2]
    g.nrows = len(rows)
    return g


def _grid_reviews(rows: list[list[str]], width: float) -> Grid:
    g = Grid([width / 15] * 15)
    g.cells += [Cell(rows[0][0], 0, 0, cols=5), Cell(rows[0][5], 0, 5, cols=10)]
    g.cells += [Cell(rows[1][c], 1, c, rows=2) for c in range(5)]
    g.cells += [Cell(rows[1][5], 1, 5, cols=5), Cell(rows[1][10], 1, 10, cols=5)]
    g.cells += [Cell(rows[2][c], 2, c) for c in range(5, 15)]
    g.cells += [Cell(t, 3, c) for c, t in enumerate(rows[3])]
    g.nrows = len(rows)
    return g


class Writer:
    def __init__(self, rotate_reviews: bool) -> None:
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=(W, H))
        self.page = 1
        self.y = H - MARGIN
        self.rotate_reviews = rotate_reviews
        self.width, self.height = W, H
        self._start_page()

    def _start_page(self) -> None:
        self.c.setFont(FONT, SIZE)
        self.c.setLineWidth(0.5)

    def new_page(self, landscape: bool = False) -> None:
        self.c.setFont(FONT, SIZE)
        self.c.drawCentredString(self.width / 2, 40, f"- {self.page} -")
        self.c.showPage()
        self.page += 1
        self._start_page()
        self.width, self.height = W, H
        if landscape:  # a portrait page turned by /Rotate 90, drawn so it reads upright
            self.c.setPageRotation(90)
            self.c.rotate(90)
            self.c.translate(0, -W)
            self.width, self.height = H, W
        self.y = self.height - MARGIN

    def text(self, line: str) -> None:
        for part in _wrap(line, self.width - 2 * MARGIN):
            if self.y < MARGIN + LINE:
                self.new_page()
            self.c.drawString(MARGIN, self.y - SIZE, part)
            self.y -= LINE

    def table(self, g: Grid) -> None:
        heights = [LINE + 6.0] * g.nrows
        for cell in g.cells:
            if cell.rows == 1 and not cell.vertical:
                width = sum(g.widths[cell.col:cell.col + cell.cols])
                heights[cell.row] = max(heights[cell.row], len(_wrap(cell.text, width)) * LINE + 6)
        xs = [MARGIN]
        for w in g.widths:
            xs.append(xs[-1] + w)
        # Lay the rows out first (a row never splits: it moves to the next page), then draw
        # each page's part of every cell, page by page.
        tops: dict[int, tuple[int, float]] = {}
        page, y = self.page, self.y
        for r in range(g.nrows):
            if y - heights[r] < MARGIN:
                page, y = page + 1, self.height - MARGIN
            tops[r] = (page, y)
            y -= heights[r]
        for p in sorted({pg for pg, _ in tops.values()}):
            if p != self.page:
                self.new_page()
            _draw_cells(self.c, p, g, xs, heights, tops,
                        [c for c in g.cells if any(tops[r][0] == p for r in range(c.row, c.row + c.rows))])
        self.y = y - LINE

    def finish(self) -> bytes:
        self.c.setFont(FONT, SIZE)
        self.c.drawCentredString(self.width / 2, 40, f"- {self.page} -")
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def _draw_cells(c: canvas.Canvas, page: int, g: Grid, xs: list[float], heights: list[float],
                tops: dict[int, tuple[int, float]], cells: list[Cell]) -> None:
    for cell in cells:
        rows = [r for r in range(cell.row, cell.row + cell.rows) if tops[r][0] == page]
        top = tops[rows[0]][1]
        bottom = tops[rows[-1]][1] - heights[rows[-1]]
        x0, x1 = xs[cell.col], xs[cell.col + cell.cols]
        c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        if not cell.text or rows[0] != cell.row:
            continue  # a merged cell's text stays in its first part
        if cell.vertical == "turned":
            c.saveState()
            c.translate((x0 + x1) / 2 + SIZE / 3, bottom + 6)
            c.rotate(90)
            c.drawString(0, 0, cell.text)
            c.restoreState()
        elif cell.vertical:
            for n, ch in enumerate(cell.text):
                c.drawCentredString((x0 + x1) / 2, top - 4 - SIZE - n * (SIZE + 2), ch)
        else:
            for n, part in enumerate(_wrap(cell.text, x1 - x0)):
                c.drawString(x0 + 3, top - 3 - SIZE - n * LINE, part)


def report_pdf(v: dict, template: str, *, label: bool | str = True, rotate_reviews: bool = False,
               filler: int = 0) -> bytes:
    """The report of values `v` as a PDF. `label`: the vertical 三、本年度办理结果 as one
    character per line (True) or turned 90° ("turned"); `filler` lines of narrative before
    table 3 move it down the page so that it breaks at another row."""
    tables = table_rows(v, template)
    w = Writer(rotate_reviews)
    w.text(f"示例市示例局{2023 if template == '2021' else 2020}年政府信息公开工作年度报告")
    for sec in SECTIONS:
        if sec.key == "reviews_litigation" and rotate_reviews:
            w.new_page(landscape=True)
        w.text(f"{sec.number}、{sec.title}")
        if sec.key == "active_disclosure":
            w.table(_grid_active(tables[sec.key]))
        elif sec.key == "applications":
            for n in range(filler):
                w.text(f"本年度共受理政府信息公开申请，依法按时答复，第{n + 1}项工作情况如下。")
            w.table(_grid_applications(tables[sec.key], label))
        elif sec.key == "reviews_litigation":
            w.table(_grid_reviews(tables[sec.key], w.width - 2 * MARGIN))
        else:
            w.text(section_text(sec.key, sec.title))
    w.text("示例市示例局")
    return w.finish()
