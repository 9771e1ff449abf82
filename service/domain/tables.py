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
from collections.abc import Callable
from typing import NamedTuple

import msgspec

from service.domain.cells import CellRead, is_blank, is_value_like, read_cell, reader, value_run_start
from service.domain.document import Block, Cell
from service.domain.limits import MAX_REGION_CELLS
from service.domain.labels import LabelIndex, core, split_enumerator
from service.domain.normalize import fold
from service.domain.textcache import TextMemo
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
    append = out.append
    for n, block in enumerate(blocks):
        cells = block.cells
        if cells is not None:
            # A plain loop: most blocks are rows of one to nine cells, where slicing and
            # extending with zip(…, repeat(n)) cost four times as much per block.
            for cell in cells:
                append((cell, n))
        else:
            tokens = block.text.split()
            room = MAX_REGION_CELLS - len(out)
            k = value_run_start(tokens, floor=max(0, len(tokens) - room))
            if k:
                append((Cell(" ".join(tokens[:k]), block.line, block.page, from_text=True), n))
            out.extend((Cell(t, block.line, block.page, from_text=True), n) for t in tokens[k:])
        if len(out) >= MAX_REGION_CELLS:  # see `limits`: no table is this long; the rest is not read
            if cells is not None:
                del out[MAX_REGION_CELLS:]
            break
    return out


# What a cell of a table region is to the readers, told once per text (see `textcache`):
# a blank (nothing, or a blank mark: `is_blank`), a value (`is_value_like` and filled), or a
# text (a label, a header, running text, or a number the clerk wrote in words).
BLANK, VALUE, TEXT = 0, 1, 2  # BLANK 0 and VALUE 1: a value cell's kind is its filled count


@TextMemo
def cell_kind(text: str) -> int:
    if not text.strip() or is_value_like(text):
        return BLANK if is_blank(text) else VALUE
    return TEXT


def pick_window(cells: list[Cell], n: int) -> list[Cell | None]:
    """The `n` consecutive cells with the most filled ones (earliest on a tie)."""
    if len(cells) <= n:
        return [*cells, *([None] * (n - len(cells)))]
    filled = [0 if cell_kind[c.text] == BLANK else 1 for c in cells]  # `is_blank`, remembered
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

_MARKERS_2021 = tuple(fold(m) for m in TEMPLATE_MARKERS["2021"])
_MARKERS_2019 = tuple(fold(m) for m in TEMPLATE_MARKERS["2019"])


@TextMemo
def _template_votes(text: str) -> tuple[int, int]:
    """Whether a cell holds a column label of template 2021, and of 2019 (1 or 0 each)."""
    f = fold(text)
    if not f or len(f) > 64:
        return 0, 0
    return int(any(m in f for m in _MARKERS_2021)), int(any(m in f for m in _MARKERS_2019))


def detect_template(cells: list[tuple[Cell, int]], app_rows: RawTable | None = None) -> str:
    """'2021', '2019' or 'unknown', from the first table's column labels and rows.

    Table 2 alone cannot tell: the 淮安市洪泽区 reports print the 2019 single 其他处理 row
    inside a 2021 report. It decides only when table 1 says nothing.
    """
    score_2021 = score_2019 = 0
    for cell, _ in cells:
        votes_2021, votes_2019 = _template_votes[cell.text]
        score_2021 += votes_2021
        score_2019 += votes_2019
    if score_2021 != score_2019:
        return "2021" if score_2021 > score_2019 else "2019"
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
    __slots__ = ("row", "label", "cell", "values", "filled", "provisional", "continued", "block", "duplicate")

    def __init__(
        self, row: RowDef | None, label: str, cell: Cell, provisional: bool = False, block: int = -1
    ):
        self.block = block
        self.row = row
        self.label = label
        self.cell = cell
        self.values: list[Cell] = []
        self.filled = 0  # how many values are filled (not `is_blank`), counted as they come
        self.provisional = provisional
        self.continued = 0  # lines of running text appended to the label
        self.duplicate = False  # a row read already, printed again: its cells are set aside


_NUMERAL_WORDS = frozenset("零〇一二三四五六七八九十百千万两")


def _numeral_words(folded: str) -> bool:
    return bool(folded) and all(c in _NUMERAL_WORDS for c in folded)


# A column the row has no cell for (CellRead is frozen, so one instance serves them all).
_NO_CELL = CellRead("", None, "blank")


ColumnReaders = tuple[tuple[str, Callable[[str], CellRead], bool], ...]


def _column_readers(columns: tuple[Column, ...]) -> ColumnReaders:
    """Each column's key, cell reader and whether it is an amount."""
    return tuple((c.key, reader(c.kind), c.kind == "amount") for c in columns)


def _finish(p: _Pending, unit: str | None, readers: ColumnReaders) -> RawRow | None:
    assert p.row is not None
    cols = p.row.columns
    window = pick_window(p.values, len(cols))
    cells: dict[str, CellRead] = {}
    where: dict[str, Cell] = {}
    row_unit = None
    for (key, read, amount), cell in zip(readers, window, strict=True):
        if cell is None:
            cells[key] = _NO_CELL
            continue
        cells[key] = read(cell.text)
        where[key] = cell
        if amount:
            row_unit = unit
    return RawRow(p.row.key, p.label, p.cell.line, cols, cells, where, row_unit)


class _Label(NamedTuple):
    """What a text cell says as a row label of one table: everything the reader asks of it
    that depends on the text alone (see `_TableLabels.reading`)."""

    unit: str | None  # the unit a column header in it states (本年收费金额（单位：万元）)
    group: str | None  # the group heading it starts with (（三）不予公开1.属于国家秘密)
    enum: str | None  # the enumerator of the label, after the group heading
    folded: str  # the label folded, without its enumerator and group heading
    # (row position, score) of each row it matches, in template order
    scores: tuple[tuple[int, float], ...]
    header: bool  # it is one of the table's column headers
    numeral_words: bool  # a number in words (十二)
    may_be_row: bool  # it can stand for an unknown row: not a header, not running text


class _TableLabels:
    """What the reader knows of one table: its rows, group headings and column headers,
    folded once per process (template data), and what each printed label says."""

    def __init__(self, rows: tuple[RowDef, ...], groups: tuple[str, ...] = (), headers: tuple[str, ...] = ()):
        self.rows = rows
        self.index: LabelIndex[int] = LabelIndex(
            (n, fold(x)) for n, r in enumerate(rows) for x in (r.label, *r.aliases)
        )
        # Only a group heading of four characters or more is taken off the front of a label.
        self.groups = tuple((g, fold(g)) for g in groups if len(fold(g)) >= 4)
        self.headers = frozenset(fold(h) for h in headers)
        self.long_headers = tuple(h for h in self.headers if len(h) > 3)
        self.previous_key = tuple(rows[n - 1].key if n else None for n in range(len(rows)))
        self.order = {r.key: n for n, r in enumerate(rows)}
        self.row_other = next((r for r in rows if r.key == "other"), None)
        self.readers = {r.key: _column_readers(r.columns) for r in rows}
        # A report prints the template's labels, so the same texts come back in every report.
        self.reading = TextMemo(self._read)

    def _read(self, text: str) -> _Label:
        unit = _header_unit(text)
        enum, rest = split_enumerator(text)
        f = fold(rest)
        # A group heading, alone or glued before the row label: （三）不予公开1.属于国家秘密.
        group = None
        for g, gf in self.groups:
            if f.startswith(gf):
                group = g
                enum, rest = split_enumerator(f[len(gf) :])
                f = fold(rest)
                break
        scores = tuple(sorted(self.index.scores(f).items()))
        may_be_row = (
            bool(f) and f not in self.headers and len(f) <= 64 and not any(h in f for h in self.long_headers)
        )
        return _Label(unit, group, enum, f, scores, f in self.headers, _numeral_words(f), may_be_row)


def read_labelled(table_key: str, cells: list[tuple[Cell, int]], labels: _TableLabels) -> RawTable:
    """Read a table whose rows each start with a label (tables 1 and 2)."""
    rows = labels.rows
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
            if p.filled and not p.duplicate:
                unknown.append(UnknownRow(p.label, p.cell.line))
            return
        if p.provisional and not p.filled:
            return  # a group heading (（六）其他处理) that only looked like a row
        if p.row.key in matched:
            return
        row = _finish(p, unit, labels.readers[p.row.key])
        if row is not None:
            out.append(row)
            matched.add(row.key)
            last_key = row.key

    def read(key: str) -> bool:
        """Whether the row has been read, or is being read now."""
        return key in matched or (pending is not None and pending.row is not None and pending.row.key == key)

    def allowed(n: int, enum: str | None) -> bool:
        r = rows[n]
        if read(r.key):
            return False
        if not r.needs_context:
            return True
        if r.key == "total":
            return enum == "七" or any(k not in ("new_received", "carried_over") for k in matched)
        return group == r.group or last_key == labels.previous_key[n]

    previous_block = -1
    for cell, _block in cells:
        first_in_block, previous_block = _block != previous_block, _block
        text = cell.text
        kind = cell_kind[text]
        if kind != TEXT:
            if pending is not None:
                pending.values.append(cell)
                pending.filled += kind  # BLANK is 0, VALUE 1
            continue
        label = labels.reading[text]
        if label.unit:
            unit = label.unit
        f = label.folded
        if label.group is not None:
            group = label.group
            if not f:
                finish()
                # 其他处理 is a group in 2021 and a row of its own in 2019: try it as a row.
                row_other = labels.row_other
                if group == "其他处理" and row_other is not None and "other" not in matched:
                    pending = _Pending(row_other, text, cell, provisional=True)
                continue
        key_row = None
        best = 0.0
        for n, score in label.scores:  # template order: the first row wins a tie
            if score > best and allowed(n, label.enum):
                key_row, best = rows[n], score
        if key_row is not None:
            finish()
            pending = _Pending(key_row, text, cell, block=_block)
            if first_line is None:
                first_line = cell.line
            continue
        again = next(
            (rows[n] for n, _ in label.scores if read(rows[n].key) and not rows[n].needs_context), None
        )
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
                not label.header
                and pending.cell.from_text
                and _block != pending.block
                and (cell.from_text or first_in_block)
                and not label.numeral_words
            ):
                pending.label += text
                pending.continued += 1
                continue
        if (
            pending is not None
            and pending.row is not None
            and pending.filled < len(pending.row.columns)
            and len(f) <= 6
            and not label.header
        ):
            pending.values.append(cell)  # a cell that should hold a number and does not
            pending.filled += 1  # a text is never blank
            continue
        finish()
        if label.may_be_row:
            pending = _Pending(None, text, cell)
    finish()
    out.sort(key=lambda r: labels.order[r.key])
    return RawTable(table_key, out, unknown, first_line, list(duplicates.values()))


# ------------------------------------------------------------------ table 3


def _review_labels() -> dict[str, RowDef]:
    """Table 3's rows under each folded label and alias (the first row on a clash)."""
    out: dict[str, RowDef] = {}
    for r in REVIEW_ROWS:
        for x in (r.label, *r.aliases):
            out.setdefault(fold(x), r)
    return out


_REVIEW_LABELS = _review_labels()
_REVIEW_HEADERS = frozenset(fold(h) for h in REVIEW_HEADER_LABELS)
# Each cell of table 3 is folded twice (header? misprinted number?); its texts are the template's.
_folded = TextMemo(fold)


def read_reviews(cells: list[tuple[Cell, int]]) -> RawTable:
    """Table 3: three rows of five, usually printed as one line of fifteen numbers.

    Row by row when each row's label is followed by its numbers; otherwise the longest run
    of numbers after the header gives the fifteen cells in template order.
    """
    n_cols = len(REVIEW_COLUMNS)

    # Row-wise: label, then at least four values before the next text cell.
    rowwise: list[tuple[RowDef, Cell, list[Cell]]] = []
    i = 0
    while i < len(cells):
        cell = cells[i][0]
        hit = _REVIEW_LABELS.get(core(cell.text))
        if hit is not None:
            j = i + 1
            vals: list[Cell] = []
            filled = 0
            while j < len(cells):
                kind = cell_kind[cells[j][0].text]
                if kind == TEXT:
                    break
                vals.append(cells[j][0])
                filled += kind == VALUE
                j += 1
            if filled >= n_cols - 1:
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
    start = next((k for k, (c, _) in enumerate(cells) if _folded[c.text] in _REVIEW_HEADERS), 0)
    best: list[Cell] = []
    best_filled = 0
    run: list[Cell] = []
    run_filled = 0
    tail = [*cells[start:], (Cell("end", 0), -1)]
    for k, (cell, _) in enumerate(tail):
        text = cell.text
        kind = cell_kind[text]
        if kind != TEXT or _misprinted_number(text, len(run), tail[k + 1] if k + 1 < len(tail) else None):
            run.append(cell)
            run_filled += kind != BLANK  # a misprinted number is a text, never blank
            continue
        if run_filled > best_filled:
            best, best_filled = run, run_filled
        run, run_filled = [], 0
    if best_filled == 0:
        return RawTable("reviews_litigation", [], [], None)
    window = pick_window(best, n_cols * len(REVIEW_ROWS))
    for n, r in enumerate(REVIEW_ROWS):
        part = window[n * n_cols : (n + 1) * n_cols]
        line = next((c.line for c in part if c is not None), best[0].line)
        rows.append(_row_from(r, r.label, line, part))
    return RawTable("reviews_litigation", rows, [], rows[0].line)


def _misprinted_number(text: str, run_length: int, after: tuple[Cell, int] | None) -> bool:
    """A short text inside the run of fifteen (十二, O, 约5): a cell that should hold a number
    and does not. Ending the run there would shift every later number into the wrong cell."""
    n = len(REVIEW_COLUMNS) * len(REVIEW_ROWS)
    f = _folded[text]
    if run_length >= n or not 0 < len(f) <= 6 or f in _REVIEW_HEADERS:
        return False
    following = after[0].text if after is not None and after[1] >= 0 else None
    return run_length == n - 1 or (following is not None and is_value_like(following))


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


@functools.cache
def _active_labels(template: str) -> _TableLabels:
    return _TableLabels(TEMPLATES[template].active_rows)


@functools.cache
def _application_labels() -> _TableLabels:
    return _TableLabels(APPLICATIONS_ROWS, APP_GROUPS, APP_HEADER_LABELS)


def read_active(cells: list[tuple[Cell, int]], template: str) -> RawTable:
    labels = _active_labels(template if template in TEMPLATES else "2021")
    return read_labelled("active_disclosure", cells, labels)


def read_applications(cells: list[tuple[Cell, int]]) -> RawTable:
    return read_labelled("applications", cells, _application_labels())
