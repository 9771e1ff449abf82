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


def _clusters(values: list[float], tolerance: float) -> dict[float, float]:
    """Each value mapped to the mean of its cluster (sorted values within `tolerance` of
    their neighbour chain together)."""
    out: dict[float, float] = {}
    group: list[float] = []
    for v in sorted(set(values)):
        if group and v > group[-1] + tolerance:
            mean = sum(group) / len(group)
            out.update((g, mean) for g in group)
            group = []
        group.append(v)
    if group:
        mean = sum(group) / len(group)
        out.update((g, mean) for g in group)
    return out


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """Snap, join and drop short edges (pdfplumber's merge_edges and edge_min_length).

    pdfplumber moves each cluster to the mean of its members' positions (duplicates
    counted); the mean of the distinct positions differs only when duplicates are uneven,
    by less than the tolerance."""
    h = [e for e in edges if e.orientation == "h"]
    v = [e for e in edges if e.orientation == "v"]
    snapped_h = _snap(h, lambda e: e.top, lambda e, p: Edge("h", e.x0, p, e.x1, p))
    snapped_v = _snap(v, lambda e: e.x0, lambda e, p: Edge("v", p, e.top, p, e.bottom))
    out = _join(snapped_h, "h") + _join(snapped_v, "v")
    return [e for e in out if (e.x1 - e.x0 if e.orientation == "h" else e.bottom - e.top) >= MIN_LENGTH]


def _snap(edges: list[Edge], pos, move) -> list[Edge]:  # type: ignore[no-untyped-def]
    # Means over the members themselves (duplicates count), as pdfplumber's move_to_avg.
    positions = [pos(e) for e in edges]
    cluster_of = _clusters(positions, SNAP)
    members: dict[float, list[float]] = defaultdict(list)
    for p in positions:
        members[cluster_of[p]].append(p)
    mean = {key: sum(ps) / len(ps) for key, ps in members.items()}
    return [move(e, mean[cluster_of[pos(e)]]) for e in edges]


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """Collinear edges that overlap or nearly touch become one."""
    out: list[Edge] = []
    if orientation == "h":
        for e in sorted(edges, key=lambda e: (e.top, e.x0)):
            last = out[-1] if out else None
            if last is not None and last.top == e.top and e.x0 <= last.x1 + JOIN:
                out[-1] = last._replace(x1=max(last.x1, e.x1))
            else:
                out.append(e)
    else:
        for e in sorted(edges, key=lambda e: (e.x0, e.top)):
            last = out[-1] if out else None
            if last is not None and last.x0 == e.x0 and e.top <= last.bottom + JOIN:
                out[-1] = last._replace(bottom=max(last.bottom, e.bottom))
            else:
                out.append(e)
    return out


def _corners(edges: list[Edge]) -> dict[Point, tuple[set[int], set[int]]]:
    """Every crossing of a vertical and a horizontal edge (within the tolerance), with the
    indices of the vertical and horizontal edges through it."""
    hs = sorted((e for e in edges if e.orientation == "h"), key=lambda e: e.top)
    tops = [e.top for e in hs]
    vs = [e for e in edges if e.orientation == "v"]
    corners: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vs):
        lo = bisect.bisect_left(tops, v.top - INTERSECT)
        hi = bisect.bisect_right(tops, v.bottom + INTERSECT)
        for hi_index in range(lo, hi):
            h = hs[hi_index]
            if h.x0 - INTERSECT <= v.x0 <= h.x1 + INTERSECT:
                entry = corners.get((v.x0, h.top))
                if entry is None:
                    if len(corners) >= MAX_CORNERS:
                        raise DocumentError("too-large", f"a page of the PDF has more than {MAX_CORNERS} table grid corners")
                    entry = corners[(v.x0, h.top)] = (set(), set())
                entry[0].add(vi)
                entry[1].add(hi_index)
    return corners


def _cells(corners: dict[Point, tuple[set[int], set[int]]], deadline: float | None) -> list[BBox]:
    """For each corner, the smallest cell it is the top left of (pdfplumber's
    intersections_to_cells: the first corner below, then the first to the right, joined
    by edges, whose fourth corner exists and is joined to both)."""
    columns: dict[float, list[float]] = defaultdict(list)  # x → ys of corners, sorted
    rows: dict[float, list[float]] = defaultdict(list)  # y → xs of corners, sorted
    for x, y in sorted(corners):
        columns[x].append(y)
        rows[y].append(x)

    def v_joined(p: Point, q: Point) -> bool:
        return not corners[p][0].isdisjoint(corners[q][0])

    def h_joined(p: Point, q: Point) -> bool:
        return not corners[p][1].isdisjoint(corners[q][1])

    cells: list[BBox] = []
    for n, (x, y) in enumerate(sorted(corners)):
        if deadline is not None and n % 256 == 0 and time.monotonic() > deadline:
            raise DocumentError("too-large", "the PDF's table grids take too long to read")
        below = [(x, by) for by in columns[x] if by > y]
        right = [(rx, y) for rx in rows[y] if rx > x]
        cell = _smallest_cell((x, y), below, right, corners, v_joined, h_joined)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: list[Point], right: list[Point], corners, v_joined, h_joined) -> BBox | None:  # type: ignore[no-untyped-def]
    for b in below:
        if not v_joined(pt, b):
            continue
        for r in right:
            if not h_joined(pt, r):
                continue
            corner = (r[0], b[1])
            if corner in corners and v_joined(corner, r) and h_joined(corner, b):
                return (pt[0], pt[1], corner[0], corner[1])
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
    merged = merge_edges(edges)
    corners = _corners(merged)
    return [_table(group) for group in _group(_cells(corners, deadline))]
