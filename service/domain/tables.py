"""Reading the three statistical tables out of a region of cells.

The reader is driven by the template: it walks the cells of the table's region in reading
order, recognises each row by its label (tolerantly, see `labels`), and gives the row the
cells that follow the label. It never relies on how many cells a layout put on a line:
merged cells arrive as empty cells, wrapped rows arrive as extra lines, scraped pages have no
row breaks at all. Where a row has more cells than columns, the run of columns with the most
filled cells is the row's data (the rest are the empty halves of merged cells).
"""

from __future__ import annotations

import functools

import msgspec

from service.domain.cells import CellRead, is_blank, is_value_like, read_cell, value_run_start
from service.domain.document import Block, Cell
from service.domain.limits import MAX_REGION_CELLS
from service.domain.labels import LabelIndex, core, split_enumerator
from service.domain.normalize import fold
from service.domain.template import (
    APP_GROUPS,
    APP_HEADER_LABELS,
    APPLICATIONS_ROWS,
    REVIEW_COLUMNS,
    REVIEW_HEADER_LABELS,
    REVIEW_ROWS,
    TEMPLATE_MARKERS,
    TEMPLATES,
    Column,
    RowDef,
)


class RawRow(msgspec.Struct):
    key: str
    label: str
    line: int
    columns: tuple[Column, ...]
    cells: dict[str, CellRead]
    where: dict[str, Cell]  # the source cell of each column that had one
    unit: str | None = None


class UnknownRow(msgspec.Struct):
    label: str
    line: int


class DuplicateRow(msgspec.Struct):
    """A template row printed again after it was read: its first occurrence counts."""

    key: str
    line: int  # where it is printed again first
    count: int = 1  # how many times again


class RawTable(msgspec.Struct):
    key: str
    rows: list[RawRow]
    unknown: list[UnknownRow]
    line: int | None = None
    duplicates: list[DuplicateRow] = msgspec.field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.rows)

    def row(self, key: str) -> RawRow | None:
        return next((r for r in self.rows if r.key == key), None)


# ------------------------------------------------------------------ cells of a region


def region_cells(blocks: list[Block]) -> list[tuple[Cell, int]]:
    """Cells of the blocks in reading order, each with the index of its block.

    A paragraph inside a table region is a row whose cells lost their separators (PDF text):
    its trailing numbers become value cells and the rest its label.
    """
    out: list[tuple[Cell, int]] = []
    for n, block in enumerate(blocks):
        room = MAX_REGION_CELLS - len(out)
        if room <= 0:
            break  # see `limits`: no table is this long; the rest is not read
        if block.cells is not None:
            out.extend((c, n) for c in block.cells[:room])
            continue
        tokens = block.text.split()
        k = value_run_start(tokens, floor=max(0, len(tokens) - room))
        if k:
            out.append((Cell(" ".join(tokens[:k]), block.line, block.page, from_text=True), n))
        out.extend((Cell(t, block.line, block.page, from_text=True), n) for t in tokens[k:])
    return out


def pick_window(cells: list[Cell], n: int) -> list[Cell | None]:
    """The `n` consecutive cells with the most filled ones (earliest on a tie)."""
    if len(cells) <= n:
        return [*cells, *([None] * (n - len(cells)))]
    filled = [0 if is_blank(c.text) else 1 for c in cells]
    window = best = sum(filled[:n])
    start = 0
    for i in range(1, len(cells) - n + 1):
        window += filled[i + n - 1] - filled[i - 1]
        if window > best:
            best, start = window, i
    return list(cells[start : start + n])


def _header_unit(text: str) -> str | None:
    """The unit a column header states: 本年收费金额（单位：万元，…） gives 万元."""
    f = fold(text)
    at = f.find("单位")
    if at < 0:
        return None
    rest = f[at + 2 :]
    for unit in ("万元", "元"):
        if rest.startswith(unit):
            return unit
    return None


# ------------------------------------------------------------------ template detection


def detect_template(cells: list[tuple[Cell, int]], app_rows: RawTable | None = None) -> str:
    """'2021', '2019' or 'unknown', from the first table's column labels and rows.

    Table 2 alone cannot tell: the 淮安市洪泽区 reports print the 2019 single 其他处理 row
    inside a 2021 report. It decides only when table 1 says nothing.
    """
    markers = {t: [fold(m) for m in ms] for t, ms in TEMPLATE_MARKERS.items()}
    score = {"2021": 0, "2019": 0}
    for cell, _ in cells:
        f = fold(cell.text)
        if not f or len(f) > 64:
            continue
        for t, ms in markers.items():
            if any(m in f for m in ms):
                score[t] += 1
    if score["2021"] != score["2019"]:
        return "2021" if score["2021"] > score["2019"] else "2019"
    if app_rows is not None and app_rows.found:
        if any(r.key.startswith("other.") for r in app_rows.rows):
            return "2021"
        if app_rows.row("other") is not None:
            return "2019"
    return "unknown"


# ------------------------------------------------------------------ label-driven reader

# A label of PDF text wraps over up to three lines, and the fragments of a vertical merged
# cell beside it (他处理 of （六）其他处理) come between them: 2、申请人逾期未按收费通知要 /
# 他处理 / 求缴纳费用、行政机关不再处理 6 0 0 … All are the label until its numbers come.
MAX_CONTINUATIONS = 3


class _Pending:
    __slots__ = ("row", "label", "cell", "values", "provisional", "continued", "block", "duplicate")

    def __init__(
        self, row: RowDef | None, label: str, cell: Cell, provisional: bool = False, block: int = -1
    ):
        self.block = block
        self.row = row
        self.label = label
        self.cell = cell
        self.values: list[Cell] = []
        self.provisional = provisional
        self.continued = 0  # lines of running text appended to the label
        self.duplicate = False  # a row read already, printed again: its cells are set aside

    def filled(self) -> int:
        return sum(1 for c in self.values if not is_blank(c.text))


_NUMERAL_WORDS = frozenset("零〇一二三四五六七八九十百千万两")


def _numeral_words(folded: str) -> bool:
    return bool(folded) and all(c in _NUMERAL_WORDS for c in folded)


def _finish(p: _Pending, unit: str | None) -> RawRow | None:
    assert p.row is not None
    cols = p.row.columns
    window = pick_window(p.values, len(cols))
    cells: dict[str, CellRead] = {}
    where: dict[str, Cell] = {}
    row_unit = None
    for col, cell in zip(cols, window, strict=True):
        if cell is None:
            cells[col.key] = CellRead("", None, "blank")
            continue
        cells[col.key] = read_cell(cell.text, col.kind)
        where[col.key] = cell
        if col.kind == "amount":
            row_unit = unit
    return RawRow(p.row.key, p.label, p.cell.line, cols, cells, where, row_unit)


@functools.cache
def _row_labels(rows: tuple[RowDef, ...]) -> LabelIndex[int]:
    """The folded labels and aliases of a table's rows, under each row's position.

    Template data only, so built once per process and shared by every request.
    """
    return LabelIndex((n, fold(x)) for n, r in enumerate(rows) for x in (r.label, *r.aliases))


def read_labelled(
    table_key: str,
    cells: list[tuple[Cell, int]],
    rows: tuple[RowDef, ...],
    groups: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
) -> RawTable:
    """Read a table whose rows each start with a label (tables 1 and 2)."""
    index = _row_labels(rows)
    group_f = [fold(g) for g in groups]
    header_f = {fold(h) for h in headers}
    out: list[RawRow] = []
    unknown: list[UnknownRow] = []
    duplicates: dict[str, DuplicateRow] = {}
    matched: set[str] = set()
    group: str | None = None
    last_key: str | None = None
    pending: _Pending | None = None
    unit: str | None = None
    first_line: int | None = None

    def finish() -> None:
        nonlocal pending, last_key
        p, pending = pending, None
        if p is None:
            return
        if p.row is None:
            if p.filled() and not p.duplicate:
                unknown.append(UnknownRow(p.label, p.cell.line))
            return
        if p.provisional and not p.filled():
            return  # a group heading (（六）其他处理) that only looked like a row
        if p.row.key in matched:
            return
        row = _finish(p, unit)
        if row is not None:
            out.append(row)
            matched.add(row.key)
            last_key = row.key

    def read(key: str) -> bool:
        """Whether the row has been read, or is being read now."""
        return key in matched or (pending is not None and pending.row is not None and pending.row.key == key)

    def allowed(r: RowDef, enum: str | None) -> bool:
        if read(r.key):
            return False
        if not r.needs_context:
            return True
        if r.key == "total":
            return enum == "七" or any(k not in ("new_received", "carried_over") for k in matched)
        prev = rows[rows.index(r) - 1].key if rows.index(r) else None
        return group == r.group or last_key == prev

    previous_block = -1
    for cell, _block in cells:
        first_in_block, previous_block = _block != previous_block, _block
        text = cell.text
        if not text.strip():
            if pending is not None:
                pending.values.append(cell)
            continue
        if is_value_like(text):
            if pending is not None:
                pending.values.append(cell)
            continue
        header_unit = _header_unit(text)
        if header_unit:
            unit = header_unit
        enum, rest = split_enumerator(text)
        f = fold(rest)
        # A group heading, alone or glued before the row label: （三）不予公开1.属于国家秘密.
        for g, gf in zip(groups, group_f, strict=True):
            if f.startswith(gf) and len(gf) >= 4:
                group = g
                f = f[len(gf) :]
                enum, rest2 = split_enumerator(f)
                f = fold(rest2)
                break
        else:
            g = None
        if g is not None and not f:
            finish()
            # 其他处理 is a group in 2021 and a row of its own in 2019: try it as a row.
            row_other = next((r for r in rows if r.key == "other"), None)
            if g == "其他处理" and row_other is not None and "other" not in matched:
                pending = _Pending(row_other, text, cell, provisional=True)
            continue
        key_row = None
        best = 0.0
        scores = index.scores(f)
        for n in sorted(scores):  # template order: the first row wins a tie
            if scores[n] > best and allowed(rows[n], enum):
                key_row, best = rows[n], scores[n]
        if key_row is not None:
            finish()
            pending = _Pending(key_row, text, cell, block=_block)
            if first_line is None:
                first_line = cell.line
            continue
        again = next((rows[n] for n in sorted(scores) if read(rows[n].key) and not rows[n].needs_context), None)
        if again is not None:
            # A row read already, printed again: counted once, its numbers set aside (not an
            # unknown row, and not added to the row that happens to be open).
            finish()
            seen = duplicates.get(again.key)
            if seen is None:
                duplicates[again.key] = DuplicateRow(again.key, cell.line)
            else:
                seen.count += 1
            pending = _Pending(None, text, cell)
            pending.duplicate = True
            continue
        if pending is not None and not pending.values and pending.continued < MAX_CONTINUATIONS:
            # The label wrapped onto a second cell: 部分公开（区分处理的，只计这一情 / 形…）.
            # Only in running text (a wrapped line of a PDF extraction): a cell of a real
            # table never continues its neighbour. Never for a number in words (十二): that
            # is a value the clerk did not write in digits.
            # A label cut by a line break in a tab or pipe layout also leaves its first part
            # as a line of text, and the rest as the first cell of the next row.
            if (
                f not in header_f
                and pending.cell.from_text
                and _block != pending.block
                and (cell.from_text or first_in_block)
                and not _numeral_words(f)
            ):
                pending.label += text
                pending.continued += 1
                continue
        if (
            pending is not None
            and pending.row is not None
            and pending.filled() < len(pending.row.columns)
            and len(f) <= 6
            and f not in header_f
        ):
            pending.values.append(cell)  # a cell that should hold a number and does not
            continue
        finish()
        if f and f not in header_f and len(f) <= 64 and not any(h in f for h in header_f if len(h) > 3):
            pending = _Pending(None, text, cell)
    finish()
    order = {r.key: i for i, r in enumerate(rows)}
    out.sort(key=lambda r: order[r.key])
    return RawTable(table_key, out, unknown, first_line, list(duplicates.values()))


# ------------------------------------------------------------------ table 3


def read_reviews(cells: list[tuple[Cell, int]]) -> RawTable:
    """Table 3: three rows of five, usually printed as one line of fifteen numbers.

    Row by row when each row's label is followed by its numbers; otherwise the longest run
    of numbers after the header gives the fifteen cells in template order.
    """
    headers = {fold(h) for h in REVIEW_HEADER_LABELS}
    n_cols = len(REVIEW_COLUMNS)
    row_labels = [(r, [fold(x) for x in (r.label, *r.aliases)]) for r in REVIEW_ROWS]

    # Row-wise: label, then at least four values before the next text cell.
    rowwise: list[tuple[RowDef, Cell, list[Cell]]] = []
    i = 0
    while i < len(cells):
        cell = cells[i][0]
        f = core(cell.text)
        hit = next((r for r, labs in row_labels if f in labs), None)
        if hit is not None:
            j = i + 1
            vals: list[Cell] = []
            while j < len(cells) and (not cells[j][0].text.strip() or is_value_like(cells[j][0].text)):
                vals.append(cells[j][0])
                j += 1
            if sum(1 for v in vals if not is_blank(v.text)) >= n_cols - 1:
                rowwise.append((hit, cell, vals))
                i = j
                continue
        i += 1
    rows: list[RawRow] = []
    if len(rowwise) >= 2:
        for r, label_cell, vals in rowwise:
            rows.append(_row_from(r, label_cell.text, label_cell.line, pick_window(vals, n_cols)))
        return RawTable("reviews_litigation", rows, [], rows[0].line)

    # One run of fifteen: start after the first header cell when there is one.
    start = next((k for k, (c, _) in enumerate(cells) if fold(c.text) in headers), 0)
    best: list[Cell] = []
    best_filled = 0
    run: list[Cell] = []
    tail = [*cells[start:], (Cell("end", 0), -1)]
    for k, (cell, _) in enumerate(tail):
        text = cell.text
        if not text.strip() or is_value_like(text) or _misprinted_number(text, run, tail[k + 1] if k + 1 < len(tail) else None, headers):
            run.append(cell)
            continue
        filled = sum(1 for c in run if not is_blank(c.text))
        if filled > best_filled:
            best, best_filled = run, filled
        run = []
    if best_filled == 0:
        return RawTable("reviews_litigation", [], [], None)
    window = pick_window(best, n_cols * len(REVIEW_ROWS))
    for n, r in enumerate(REVIEW_ROWS):
        part = window[n * n_cols : (n + 1) * n_cols]
        line = next((c.line for c in part if c is not None), best[0].line)
        rows.append(_row_from(r, r.label, line, part))
    return RawTable("reviews_litigation", rows, [], rows[0].line)


def _misprinted_number(text: str, run: list[Cell], after: tuple[Cell, int] | None, headers: set[str]) -> bool:
    """A short text inside the run of fifteen (十二, O, 约5): a cell that should hold a number
    and does not. Ending the run there would shift every later number into the wrong cell."""
    n = len(REVIEW_COLUMNS) * len(REVIEW_ROWS)
    f = fold(text)
    if len(run) >= n or not 0 < len(f) <= 6 or f in headers:
        return False
    following = after[0].text if after is not None and after[1] >= 0 else None
    return len(run) == n - 1 or (following is not None and is_value_like(following))


def _row_from(r: RowDef, label: str, line: int, window: list[Cell | None]) -> RawRow:
    cells: dict[str, CellRead] = {}
    where: dict[str, Cell] = {}
    for col, cell in zip(r.columns, window, strict=True):
        if cell is None:
            cells[col.key] = CellRead("", None, "blank")
        else:
            cells[col.key] = read_cell(cell.text, col.kind)
            where[col.key] = cell
    return RawRow(r.key, label, line, r.columns, cells, where)


# ------------------------------------------------------------------ entry points


def read_active(cells: list[tuple[Cell, int]], template: str) -> RawTable:
    rows = TEMPLATES[template if template in TEMPLATES else "2021"].active_rows
    return read_labelled("active_disclosure", cells, rows)


def read_applications(cells: list[tuple[Cell, int]]) -> RawTable:
    return read_labelled("applications", cells, APPLICATIONS_ROWS, APP_GROUPS, APP_HEADER_LABELS)
