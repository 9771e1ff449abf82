"""Tables from their drawn grid: ruling edges → cells → tables, as pdfplumber finds them.

The steps and tolerances are pdfplumber's `find_tables()` with its default "lines" settings
(so a PDF gives the same grid through either reader): edges within 3 pt of each other are
snapped onto their mean and joined where they touch, edges under 3 pt dropped; crossings
within 3 pt are the grid's corners; a cell is the smallest rectangle of four corners joined
by edges; cells sharing a corner form one table, and a lone cell is no table.

Unlike pdfplumber's quadratic loops, every step here is a sort, a scan or a hash look-up,
and the number of corners a page may have is bounded (`MAX_CORNERS`).
"""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from service.domain.formats.errors import DocumentError
from service.domain.formats.pdfium_page import Edge

SNAP = 3.0
JOIN = 3.0
MIN_LENGTH = 3.0
INTERSECT = 3.0
# A real report's largest table has a few hundred corners; a page of more is refused
# rather than walked (cells are found per corner).
MAX_CORNERS = 20_000

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]


class Table(NamedTuple):
    bbox: BBox
    # Rows top to bottom; each holds one slot per distinct cell left edge of the table,
    # None where a merged cell from the left or above covers that slot.
    rows: list[list[BBox | None]]


Segment = tuple[float, float, float]  # position across, start and end along


def _snap(segments: list[Segment]) -> list[Segment]:
    """Positions within `SNAP` of their neighbour chain into one cluster, each moved to
    the mean of its cluster's members (duplicates counted, as pdfplumber's move_to_avg)."""
    if not segments:
        return []
    order = sorted(range(len(segments)), key=lambda i: segments[i][0])
    out: list[Segment] = [segments[0]] * len(segments)
    group: list[int] = []
    total = 0.0
    last = segments[order[0]][0]
    for i in order:
        p = segments[i][0]
        if group and p > last + SNAP:
            _move(segments, group, total / len(group), out)
            group, total = [], 0.0
        group.append(i)
        total += p
        last = p
    _move(segments, group, total / len(group), out)
    return out


def _move(segments: list[Segment], group: list[int], mean: float, out: list[Segment]) -> None:
    for i in group:
        _, a, b = segments[i]
        out[i] = (mean, a, b)


def _join(segments: list[Segment]) -> list[Segment]:
    """Collinear segments that overlap or come within `JOIN` of each other become one;
    those then shorter than `MIN_LENGTH` are dropped."""
    out: list[Segment] = []
    pos, start, end = None, 0.0, 0.0
    for p, a, b in sorted(segments):
        if p == pos and a <= end + JOIN:
            if b > end:
                end = b
            continue
        if pos is not None and end - start >= MIN_LENGTH:
            out.append((pos, start, end))
        pos, start, end = p, a, b
    if pos is not None and end - start >= MIN_LENGTH:
        out.append((pos, start, end))
    return out


def merge_edges(edges: Iterable[Edge]) -> tuple[list[Segment], list[Segment]]:
    """Snap, join and drop short edges (pdfplumber's merge_edges and edge_min_length):
    the horizontal ones as (top, x0, x1), the vertical ones as (x, top, bottom)."""
    hs: list[Segment] = []
    vs: list[Segment] = []
    for e in edges:
        if e.orientation == "h":
            hs.append((e.top, e.x0, e.x1))
        else:
            vs.append((e.x0, e.top, e.bottom))
    return _join(_snap(hs)), _join(_snap(vs))


def _corners(hs: list[Segment], vs: list[Segment]) -> dict[Point, tuple[set[int], set[int]]]:
    """Every crossing of a vertical and a horizontal edge (within the tolerance), with the
    indices of the vertical and horizontal edges through it (`hs` sorted by position)."""
    tops = [h[0] for h in hs]
    corners: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, (x, top, bottom) in enumerate(vs):
        lo = bisect.bisect_left(tops, top - INTERSECT)
        hi = bisect.bisect_right(tops, bottom + INTERSECT)
        for hi_index in range(lo, hi):
            y, x0, x1 = hs[hi_index]
            if x0 - INTERSECT <= x <= x1 + INTERSECT:
                entry = corners.get((x, y))
                if entry is None:
                    if len(corners) >= MAX_CORNERS:
                        raise DocumentError("too-large", f"a page of the PDF has more than {MAX_CORNERS} table grid corners")
                    entry = corners[(x, y)] = (set(), set())
                entry[0].add(vi)
                entry[1].add(hi_index)
    return corners


def _cells(corners: dict[Point, tuple[set[int], set[int]]], deadline: float | None) -> list[BBox]:
    """For each corner, the smallest cell it is the top left of (pdfplumber's
    intersections_to_cells: the first corner below, then the first to the right, joined
    by edges, whose fourth corner exists and is joined to both)."""
    columns: dict[float, list[float]] = defaultdict(list)  # x → ys of its corners, sorted
    rows: dict[float, list[float]] = defaultdict(list)  # y → xs of its corners, sorted
    points = sorted(corners)
    for x, y in points:
        columns[x].append(y)
        rows[y].append(x)
    cells: list[BBox] = []
    for n, (x, y) in enumerate(points):
        if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
            raise DocumentError("too-large", "the PDF's table grids take too long to read")
        ys, xs = columns[x], rows[y]
        below = ys[bisect.bisect_right(ys, y):]
        right = xs[bisect.bisect_right(xs, x):]
        cell = _smallest_cell(x, y, below, right, corners)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(x: float, y: float, below: list[float], right: list[float],
                   corners: dict[Point, tuple[set[int], set[int]]]) -> BBox | None:
    v_here, h_here = corners[(x, y)]
    for by in below:
        v_below, h_below = corners[(x, by)]
        if v_here.isdisjoint(v_below):
            continue
        for rx in right:
            v_right, h_right = corners[(rx, y)]
            if h_here.isdisjoint(h_right):
                continue
            far = corners.get((rx, by))
            if far is not None and not far[0].isdisjoint(v_right) and not far[1].isdisjoint(h_below):
                return (x, y, rx, by)
    return None


def _group(cells: list[BBox]) -> list[list[BBox]]:
    """Cells sharing a corner, transitively: one table each; tables of one cell dropped."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[BBox]] = defaultdict(list)
    for i, cell in enumerate(cells):
        groups[find(i)].append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return tables


def _table(cells: list[BBox]) -> Table:
    xs = sorted({c[0] for c in cells})
    by_top: dict[float, dict[float, BBox]] = defaultdict(dict)
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        by_top[c[1]][c[0]] = c
    rows = [[by_top[top].get(x) for x in xs] for top in sorted(by_top)]
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
            max(c[2] for c in cells), max(c[3] for c in cells))
    return Table(bbox, rows)


def find_tables(edges: list[Edge], deadline: float | None = None) -> list[Table]:
    """The page's tables, top to bottom; DocumentError("too-large") past `deadline`
    (a `time.monotonic()` value) or `MAX_CORNERS`."""
    hs, vs = merge_edges(edges)
    corners = _corners(hs, vs)
    return [_table(group) for group in _group(_cells(corners, deadline))]
