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

from service.domain.candidates import Gap, Placed, Unit, check_votes, fill, gaps, marked
from service.domain.cells import CellRead, is_blank, is_value_like, read_cell, reader, value_run_start
from service.domain.document import Block, Cell
from service.domain.limits import MAX_REGION_CELLS
from service.domain.labels import LabelIndex, core, split_enumerator
from service.domain.normalize import fold
from service.domain.textcache import TextMemo
from service.domain.template import DEFAULT, TEMPLATES, Column, RowDef, TableDef, template_of


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
    # Lines of rows of values printed without a label that no template row could be given
    # (outside any gap between rows read with their labels): a row the table lacks may be
    # among them, so its absence is not certain.
    unplaced: list[int] = msgspec.field(default_factory=list)

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
        if cells is not None and _placeholder_row(cells):
            continue  # a converter's placeholder header (数据1 | 数据2 …): layout, not data
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


def _placeholder_row(cells: list[Cell]) -> bool:
    """A header row a converter makes up when the table it read had none: every filled cell
    the same short word and consecutive ordinals (数据1 | 数据2 …, 列1 | 列2 …, Column1 …)."""
    first = cells[0].text.strip()
    if len(cells) < 2 or not first[-1:].isdigit():
        return False  # the usual row, told at its first cell
    prefix = first.rstrip("0123456789")
    if not prefix or len(prefix) > 6:
        return False
    expected: int | None = None
    for cell in cells:
        text = cell.text.strip()
        if not text:
            continue
        ordinal = text[len(prefix) :]
        if not text.startswith(prefix) or not ordinal.isascii() or not ordinal.isdigit() or len(ordinal) > 3:
            return False
        if expected is not None and int(ordinal) != expected:
            return False
        expected = int(ordinal) + 1
    return True


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


def _without_padding(cells: list[Cell], n: int) -> list[Cell]:
    """A row's cells without the padding a merged cell left (HTML, Word: an empty cell of no
    source cell of its own) when exactly `n` cells are left: where a value's `colspan` shifts
    from row to row (2019's 表二), the padding says which cells are the row's."""
    if len(cells) <= n or not any(c.ref for c in cells):
        return cells
    own = [c for c in cells if c.ref is not None or c.text]
    return own if len(own) == n else cells


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

@functools.cache
def _template_votes(markers_2021: tuple[str, ...], markers_2019: tuple[str, ...]) -> TextMemo[tuple[int, int]]:
    """Whether a cell holds a 表二 column label of template 2021, and of 2019 (1 or 0 each)."""
    folded_2021 = tuple(fold(m) for m in markers_2021)
    folded_2019 = tuple(fold(m) for m in markers_2019)

    def votes(text: str) -> tuple[int, int]:
        f = fold(text)
        if not f or len(f) > 64:
            return 0, 0
        return int(any(m in f for m in folded_2021)), int(any(m in f for m in folded_2019))

    return TextMemo(votes)


def detect_template(cells: list[tuple[Cell, int]], app_rows: RawTable | None = None) -> str:
    """'2021', '2019' or 'unknown', from 表二's column labels and 表三's rows.

    表三 alone cannot tell: the 淮安市洪泽区 reports print the 2019 single 其他处理 row
    inside a 2021 report. It decides only when 表二 says nothing: the rows only 2021 prints
    say 2021, the row only 2019 prints says 2019.
    """
    template_votes = _template_votes(TEMPLATES["2021"].markers, TEMPLATES["2019"].markers)
    score_2021 = score_2019 = 0
    for cell, _ in cells:
        votes_2021, votes_2019 = template_votes[cell.text]
        score_2021 += votes_2021
        score_2019 += votes_2019
    if score_2021 != score_2019:
        return "2021" if score_2021 > score_2019 else "2019"
    if app_rows is not None and app_rows.found:
        only = _only_in(TEMPLATES[DEFAULT].table("applications"))
        if any(only.get(r.key) == "2021" for r in app_rows.rows):
            return "2021"
        if any(only.get(r.key) == "2019" for r in app_rows.rows):
            return "2019"
    return "unknown"


@functools.cache
def _only_in(table: TableDef) -> dict[str, str]:
    """The rows of the table that one template alone prints, and that template."""
    return {r.key: r.only for r in table.rows if r.only is not None}


# ------------------------------------------------------------------ label-driven reader

# A label of PDF text wraps over up to three lines, and the fragments of a vertical merged
# cell beside it (他处理 of （六）其他处理) come between them: 2、申请人逾期未按收费通知要 /
# 他处理 / 求缴纳费用、行政机关不再处理 6 0 0 … All are the label until its numbers come.
MAX_CONTINUATIONS = 3


class _Pending:
    __slots__ = (
        "row", "label", "cell", "values", "filled", "provisional", "continued", "block", "duplicate",
        "seq", "own", "own_cells", "value_block",
    )

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
        self.seq = 0  # its place in reading order among rows and value units (`candidates`)
        self.own = 0  # filled values in the label's own block
        self.own_cells = 0  # value cells (blank or filled) in the label's own block
        self.value_block = -1  # the block of its first filled value


_NUMERAL_WORDS = frozenset("零〇一二三四五六七八九十百千万两")


def _numeral_words(folded: str) -> bool:
    return bool(folded) and all(c in _NUMERAL_WORDS for c in folded)


# A column the row has no cell for (CellRead is frozen, so one instance serves them all).
_NO_CELL = CellRead("", None, "blank")


ColumnReaders = tuple[tuple[str, Callable[[str], CellRead], bool], ...]


def _column_readers(columns: tuple[Column, ...]) -> ColumnReaders:
    """Each column's key, cell reader and whether it is an amount."""
    return tuple((c.key, reader(c.kind), c.kind == "amount") for c in columns)


def _finish(p: _Pending, unit: str | None, readers: ColumnReaders) -> RawRow:
    assert p.row is not None
    cols = p.row.columns
    window = pick_window(_without_padding(p.values, len(cols)), len(cols))
    cells: dict[str, CellRead] = {}
    where: dict[str, Cell] = {}
    row_unit = None
    for (key, read, amount), cell in zip(readers, window, strict=True):
        if cell is None:
            cells[key] = _NO_CELL
            continue
        # An ambiguous cell (several readings fit) is null, whatever its text: never guessed.
        cells[key] = _NO_CELL if cell.reading == "ambiguous" else read(cell.text)
        where[key] = _noted(cell, cells[key])
        if amount:
            row_unit = unit
    return RawRow(p.row.key, p.label, p.cell.line, cols, cells, where, row_unit)


def _noted(cell: Cell, read: CellRead) -> Cell:
    """The source cell, said to be inferred when a note follows its number (22（其中修订16件）)."""
    if read.note is None or cell.reading is not None:
        return cell
    why = f"单元格内数字后附有说明「{read.note}」，按说明前的数字读取"
    return msgspec.structs.replace(cell, reading="inferred", why=why)


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

    def __init__(self, table: TableDef):
        rows = self.rows = table.rows
        self.key = table.key
        self.index: LabelIndex[int] = LabelIndex(
            (n, fold(x)) for n, r in enumerate(rows) for x in (r.label, *r.aliases)
        )
        # Only a group heading of four characters or more is taken off the front of a label.
        self.groups = tuple((g.name, fold(g.name)) for g in table.groups if g.glued and len(fold(g.name)) >= 4)
        # 表二's header cells are not told apart from labels (as the reader always did).
        headers = table.header_labels() if table.layout == "nested" else ()
        self.headers = frozenset(fold(h) for h in headers)
        self.long_headers = tuple(h for h in self.headers if len(h) > 3)
        self.previous_key = tuple(rows[n - 1].key if n else None for n in range(len(rows)))
        self.order = {r.key: n for n, r in enumerate(rows)}
        # A group of one template that is a row of the other (其他处理: rows in 2021, one
        # row in 2019): its heading alone is tried as that row.
        self.group_rows = {
            g: r for r in rows if r.variant_of for g, _ in self.groups if fold(g) == fold(r.label)
        }
        # 总计 is a row only once a row from the outcome rows on has been read, or printed
        # with its number (（七）总计): before that it is a column header.
        first_outcome = min((n for n, r in enumerate(rows) if r.outcome), default=len(rows))
        self.after_outcome = frozenset(r.key for r in rows[first_outcome:])
        self.numbers = tuple(r.number.strip("（）()、.") or None for r in rows)
        self.readers = {r.key: _column_readers(r.columns) for r in rows}
        self.variants = tuple((n, tuple(self.order[k] for k in r.variant_of)) for n, r in enumerate(rows) if r.variant_of)
        # A report prints the template's labels, so the same texts come back in every report.
        self.reading = TextMemo(self._read)

    def slots(self, read: set[str], headings: set[str]) -> list[int]:
        """The rows a report may print, by position: a variant row (2019's single 其他处理)
        stands for its rows where it was read, or seen as a heading while none of its rows
        was read; else its rows stand for it."""
        dropped: set[int] = set()
        for n, variant_of in self.variants:
            key = self.rows[n].key
            alone = key in headings and not any(self.rows[k].key in read for k in variant_of)
            dropped |= set(variant_of) if key in read or alone else {n}
        return [n for n in range(len(self.rows)) if n not in dropped]

    def _group_fragment(self, text: str) -> tuple[str | None, str] | None:
        """A piece of a group heading split across rows, glued before a row label:
        （五）不 | 1.信访举报投诉类申请, 予处理 | 2.重复申请. Returns the group (None when the
        piece fits several) and the label from its enumerator on; None if it is no such text."""
        k = next((i for i, c in enumerate(text) if c.isascii() and c.isdigit()), -1)
        if k <= 0 or split_enumerator(text[k:])[0] is None:
            return None
        head = fold(text[:k])
        fits = [g for g, gf in self.groups if head and (gf.startswith(head) or gf.endswith(head))]
        if not fits:
            return None
        return (fits[0] if len(fits) == 1 else None), text[k:]

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
        else:
            fragment = self._group_fragment(rest)
            if fragment is not None:
                group, (enum, rest) = fragment[0], split_enumerator(fragment[1])
                f = fold(rest)
        scores = tuple(sorted(self.index.scores(f).items()))
        may_be_row = (
            bool(f) and f not in self.headers and len(f) <= 64 and not any(h in f for h in self.long_headers)
        )
        return _Label(unit, group, enum, f, scores, f in self.headers, _numeral_words(f), may_be_row)


def _row_of_values(cells: list[tuple[Cell, int]], n: int, block: int) -> bool:
    """Whether the block starting at `n` is a printed row of values: two cells or more, at
    least one a number, none a text. (A block of one cell is a cell of a layout that puts
    each cell on a line of its own, not a row.)"""
    j = n
    numbers = 0
    while j < len(cells) and cells[j][1] == block:
        kind = cell_kind[cells[j][0].text]
        if kind == TEXT:
            return False
        numbers += kind
        j += 1  # each block is scanned once, at its start: linear
    return j - n >= 2 and numbers > 0


def _why_filled(unit: Unit) -> str:
    return f"第{unit.cells[0].line}行的数字与行名分开印刷（版式转换所致），按年报格式的行序归入此行"


def _why_unfilled(gap: Gap) -> str:
    lines = [u.cells[0].line for u in gap.units]
    where = f"第{min(lines)}行至第{max(lines)}行" if lines else "此处"
    return (f"{where}有{len(gap.units)}行未标行名的数字，而按年报格式此处应有{len(gap.slots)}行，"
            "无法确定各行数字的归属")


class _LabelledReader:
    """One pass over a region's cells, reading rows that each start with a label (表二, 表三).

    Each text cell is a row label (a new row starts), a group heading, a label repeated, the
    wrapped continuation of the open row's label, a misprinted value of the open row, or
    text that ends the open row. Value cells go to the open row."""

    def __init__(self, labels: _TableLabels):
        self.labels = labels
        self.rows: list[RawRow] = []
        self.unknown: list[UnknownRow] = []
        self.duplicates: dict[str, DuplicateRow] = {}
        self.matched: set[str] = set()
        self.group: str | None = None  # the group heading read last
        self.last_key: str | None = None  # the row read last
        self.pending: _Pending | None = None  # the row open, taking the cells that follow
        self.unit: str | None = None  # the unit a column header stated last
        self.first_line: int | None = None
        # For reading value rows printed apart from their labels (`candidates`): every row
        # recognised, every block of values no open row takes, and the row each became.
        self.seq = 0
        self.placed: list[Placed] = []
        self.bare: list[Unit] = []
        self.loose: Unit | None = None  # the unclaimed block of values being read
        self.by_seq: dict[int, RawRow] = {}
        self.headings_seen: set[str] = set()  # rows of the other template seen as headings
        self.handled: set[int] = set()  # the value units a gap was read from

    def read(self, cells: list[tuple[Cell, int]]) -> RawTable:
        previous_block = -1
        for n, (cell, block) in enumerate(cells):
            first_in_block, previous_block = block != previous_block, block
            if first_in_block:
                self._close_loose()
                if self._unclaimed(cells, n, block):
                    self.seq += 1
                    self.loose = Unit(self.seq, [], 0)
            kind = cell_kind[cell.text]
            if kind != TEXT:
                self._value(cell, kind, block)
                continue
            self._close_loose()
            self._text(cell, block, first_in_block)
        self._finish()
        self._close_loose()
        self._refill()
        self.rows.sort(key=lambda r: self.labels.order[r.key])
        unplaced = [u.cells[0].line for u in self.bare if u.seq not in self.handled]
        return RawTable(
            self.labels.key, self.rows, self.unknown, self.first_line, list(self.duplicates.values()), unplaced
        )

    def _refill(self) -> None:
        """Value rows printed apart from their labels (converter Markdown, labels floated after
        their numbers): between two rows read with their labels and numbers together, the
        value rows fill the template rows between them in template order when their count
        matches (lone page numbers set aside); else those rows stay null, as ambiguous."""
        if not self.bare and all(p.anchor or p.unit is None for p in self.placed):
            return  # the usual table: every row's numbers in its label's block
        rows = self.labels.rows
        for gap in gaps(self.placed, self.bare, self.labels.slots(self.matched, self.headings_seen)):
            for placed in gap.placed:
                row = self.by_seq.pop(placed.seq)
                self.rows.remove(row)
                self.matched.discard(row.key)
            self.handled.update(u.seq for u in gap.units)
            units = fill(gap, max(len(rows[s].columns) for s in gap.slots))
            if units is not None and all(u.filled <= len(rows[s].columns) for s, u in zip(gap.slots, units, strict=True)):
                for s, u in zip(gap.slots, units, strict=True):
                    self._placed_row(rows[s], [c for c in marked(u.cells, "inferred", _why_filled(u)) if c is not None])
                continue
            line = gap.units[0].cells[0].line if gap.units else 0
            unread = Cell("", line, reading="ambiguous", why=_why_unfilled(gap))
            for s in gap.slots:
                self._placed_row(rows[s], [unread] * len(rows[s].columns))

    def _placed_row(self, row: RowDef, values: list[Cell]) -> None:
        if row.key in self.matched:
            return
        p = _Pending(row, row.label, values[0])
        p.values = values
        p.filled = len(values)
        self.rows.append(_finish(p, self.unit, self.labels.readers[row.key]))
        self.matched.add(row.key)

    def _open(self, pending: _Pending) -> None:
        self.seq += 1
        pending.seq = self.seq
        self.pending = pending

    def _value(self, cell: Cell, kind: int, block: int) -> None:
        """A value cell: to the unclaimed block being read, else to the open row."""
        if self.loose is not None:
            self.loose.cells.append(cell)
            self.loose = self.loose._replace(filled=self.loose.filled + kind)
            return
        p = self.pending
        if p is None:
            return
        p.values.append(cell)
        # BLANK is 0, VALUE 1; a cell left blank because its digits admit several readings
        # (`Cell.reading`, the running-text pre-pass) was printed: it fills the row all the same.
        p.filled += kind or cell.reading == "ambiguous"
        p.own_cells += block == p.block
        if kind == VALUE or cell.reading == "ambiguous":
            p.own += block == p.block
            if p.value_block < 0:
                p.value_block = block

    def _unclaimed(self, cells: list[tuple[Cell, int]], n: int, block: int) -> bool:
        """Whether the block starting at `n` is a row of values no open row can take: it
        starts (after blanks) with a number, and the open row has its numbers from an earlier
        block already, or is no template row. Such a block is placed by `_refill`."""
        p = self.pending
        if p is not None and (p.duplicate or (p.row is not None and p.filled == 0)):
            return False
        if not _row_of_values(cells, n, block):
            return False
        return p is None or p.row is None or p.value_block != block

    def _close_loose(self) -> None:
        if self.loose is not None:
            if self.loose.cells:
                self.bare.append(self.loose)
            self.loose = None

    def _text(self, cell: Cell, block: int, first_in_block: bool) -> None:
        label = self.labels.reading[cell.text]
        if label.unit:
            self.unit = label.unit
        if label.group is not None:
            self.group = label.group
            if not label.folded:
                self._group_heading(cell)
                return
        row = self._best_row(label)
        if row is not None:
            self._finish()
            self._open(_Pending(row, cell.text, cell, block=block))
            if self.first_line is None:
                self.first_line = cell.line
            return
        again = self._read_again(label)
        if again is not None:
            self._repeated(again, cell)
        elif not self._continues_label(label, cell, block, first_in_block) and not self._misprinted_value(label, cell):
            self._finish()
            if label.may_be_row:
                self._open(_Pending(None, cell.text, cell, block=block))

    def _group_heading(self, cell: Cell) -> None:
        """A group heading alone: it ends the open row; where the group is a row of the
        other template (其他处理), it is tried as that row."""
        self._finish()
        row = self.labels.group_rows.get(self.group or "")
        if row is not None and row.key not in self.matched:
            self._open(_Pending(row, cell.text, cell, provisional=True))

    def _best_row(self, label: _Label) -> RowDef | None:
        """The best-scoring row the label may start; the first in template order on a tie."""
        rows = self.labels.rows
        key_row = None
        best = 0.0
        for n, score in label.scores:
            if score > best and self._allowed(n, label.enum):
                key_row, best = rows[n], score
        return key_row

    def _is_read(self, key: str) -> bool:
        """Whether the row has been read, or is being read now."""
        p = self.pending
        return key in self.matched or (p is not None and p.row is not None and p.row.key == key)

    def _allowed(self, n: int, enum: str | None) -> bool:
        r = self.labels.rows[n]
        if self._is_read(r.key):
            return False
        if not r.needs_context:
            return True
        if r.group is None:  # 总计: with its number, or once the outcome rows have begun
            return enum == self.labels.numbers[n] or not self.labels.after_outcome.isdisjoint(self.matched)
        previous = self.labels.previous_key[n]
        open_row = self.pending.row if self.pending is not None else None
        # The row before it read last, or still open (its numbers may come later).
        return self.group == r.group or previous in (self.last_key, open_row.key if open_row else None)

    def _read_again(self, label: _Label) -> RowDef | None:
        rows = self.labels.rows
        return next(
            (rows[n] for n, _ in label.scores if self._is_read(rows[n].key) and not rows[n].needs_context), None
        )

    def _repeated(self, row: RowDef, cell: Cell) -> None:
        """A row read already, printed again: counted once, its numbers set aside (not an
        unknown row, and not added to the row that happens to be open)."""
        self._finish()
        seen = self.duplicates.get(row.key)
        if seen is None:
            self.duplicates[row.key] = DuplicateRow(row.key, cell.line)
        else:
            seen.count += 1
        self._open(_Pending(None, cell.text, cell))
        self.pending.duplicate = True  # type: ignore[union-attr]  # just opened

    def _continues_label(self, label: _Label, cell: Cell, block: int, first_in_block: bool) -> bool:
        """The open row's label wrapped onto this cell: 部分公开（区分处理的，只计这一情 / 形…）.

        Only in running text (a wrapped line of a PDF extraction): a cell of a real table
        never continues its neighbour. Never for a number in words (十二): that is a value
        the clerk did not write in digits. A label cut by a line break in a tab or pipe
        layout also leaves its first part as a line of text, and the rest as the first cell
        of the next row."""
        p = self.pending
        if p is None or p.values or p.continued >= MAX_CONTINUATIONS:
            return False
        if (
            label.header
            or not p.cell.from_text
            or block == p.block
            or not (cell.from_text or first_in_block)
            or label.numeral_words
        ):
            return False
        p.label += cell.text
        p.continued += 1
        return True

    def _misprinted_value(self, label: _Label, cell: Cell) -> bool:
        """A short text where the open row still lacks values: a cell that should hold a
        number and does not (十二, O)."""
        p = self.pending
        if p is None or p.row is None or p.filled >= len(p.row.columns) or len(label.folded) > 6 or label.header:
            return False
        if cell.from_text and p.values and p.values[-1].line != cell.line:
            return False  # a line of text of its own after the row's numbers: a floated label
        p.values.append(cell)
        p.filled += 1  # a text is never blank
        return True

    def _finish(self) -> None:
        """Close the open row: a template row is kept (its first occurrence), an unknown row
        with numbers is recorded, anything else is dropped."""
        p, self.pending = self.pending, None
        if p is None:
            return
        if p.row is None:
            if p.filled and not p.duplicate:
                self.unknown.append(UnknownRow(p.label, p.cell.line))
            return
        if p.provisional and not p.filled:
            self.headings_seen.add(p.row.key)  # which rows the report prints (`_refill`)
            return  # a group heading (（六）其他处理) that only looked like a row
        if p.row.key in self.matched:
            return
        row = _finish(p, self.unit, self.labels.readers[p.row.key])
        self.rows.append(row)
        self.matched.add(row.key)
        self.last_key = row.key
        self.by_seq[p.seq] = row
        # Its numbers in its label's block, a full row of cells (blanks included).
        anchor = p.own > 0 and p.own_cells >= len(p.row.columns) - 1
        unit = None if anchor or not p.filled else Unit(p.seq, p.values, p.filled)
        self.placed.append(Placed(p.seq, self.labels.order[row.key], anchor, unit))


def read_labelled(cells: list[tuple[Cell, int]], table: TableDef) -> RawTable:
    """Read a table whose rows each start with a label (表二, 表三)."""
    return _LabelledReader(_labels_of(table)).read(cells)


@functools.cache  # template data: one per declared table
def _labels_of(table: TableDef) -> _TableLabels:
    return _TableLabels(table)


# ------------------------------------------------------------------ grid tables (表四)


class _GridLabels:
    """表四's row labels and header texts, folded once per process (template data)."""

    def __init__(self, table: TableDef):
        self.table = table
        self.n_cols = len(table.columns)
        self.n_cells = self.n_cols * len(table.rows)
        # Each row under each folded label and alias (the first row on a clash).
        self.by_label: dict[str, RowDef] = {}
        for r in table.rows:
            for x in (r.label, *r.aliases):
                self.by_label.setdefault(fold(x), r)
        self.headers = frozenset(fold(h) for h in table.header_labels())
        # Every header text in one string, to tell a fragment of a header (尚未 of 尚未审结).
        self.header_text = "\n".join(sorted(self.headers))


@functools.cache  # template data: one per declared table
def _grid_labels(table: TableDef) -> _GridLabels:
    return _GridLabels(table)


# Each cell of 表四 is folded twice (header? misprinted number?); its texts are the template's.
_folded = TextMemo(fold)


def read_grid(cells: list[tuple[Cell, int]], table: TableDef) -> RawTable:
    """表四: three rows of five, usually printed as one line of fifteen numbers.

    Row by row when each row's label is followed by its numbers; otherwise the longest run
    of numbers after the header gives the fifteen cells in template order.
    """
    grid = _grid_labels(table)
    rowwise = _rows_by_label(cells, grid)
    if len(rowwise) >= 2:
        rows = [
            _row_from(r, label_cell.text, label_cell.line, pick_window(vals, grid.n_cols))
            for r, label_cell, vals in rowwise
        ]
        return RawTable(table.key, rows, [], rows[0].line)
    run = _longest_value_run(cells, grid)
    if not run:
        return RawTable(table.key, [], [], None)
    window = _run_window(run, grid)
    rows = []
    for n, r in enumerate(table.rows):
        part = window[n * grid.n_cols : (n + 1) * grid.n_cols]
        line = next((c.line for c in part if c is not None), run[0].line)
        rows.append(_row_from(r, r.label, line, part))
    return RawTable(table.key, rows, [], rows[0].line)


# Why the reader chose (or could not choose) the fifteen numbers of a longer run.
_WHY_RUN_CHOSEN = "表四此处的数字多于15个（夹有页码或多余的数字），按各行“总计=四项之和”的核对关系确定了其中15个"
_WHY_RUN_AMBIGUOUS = "表四此处的数字多于15个（夹有页码或多余的数字），无法确定哪15个是表中的数字"


def _run_window(run: list[Cell], grid: _GridLabels) -> list[Cell | None]:
    """表四's fifteen cells out of the run of numbers after its header.

    The candidates are the windows of fifteen with the most numbers in them (a run longer
    than fifteen holds a page number or a stray number). One candidate, or several that read
    the same: read as printed. Else the rows' checks choose: the one window whose checks all
    hold is taken as inferred; none or several: the cells are ambiguous (null, never guessed).
    """
    n = grid.n_cells
    if len(run) <= n:
        return pick_window(run, n)
    values = [cell_kind[c.text] == VALUE for c in run]
    counts = [sum(values[s : s + n]) for s in range(len(run) - n + 1)]  # runs are short: ≤ MAX_REGION_CELLS
    best = max(counts)
    tied = [run[s : s + n] for s, c in enumerate(counts) if c == best]
    if len({tuple(c.text for c in w) for w in tied}) == 1:
        return list(tied[0])
    supported = [w for w in tied if _window_holds(w, grid)]
    if len({tuple(c.text for c in w) for w in supported}) == 1:
        return marked(supported[0], "inferred", _WHY_RUN_CHOSEN)
    return marked(tied[0], "ambiguous", _WHY_RUN_AMBIGUOUS)


def _window_holds(window: list[Cell], grid: _GridLabels) -> bool:
    """Whether every row check of 表四 holds on this reading of its fifteen cells."""
    k = grid.n_cols
    rows = grid.table.rows
    reading = {r.key: {c.key: window[i * k + j] for j, c in enumerate(r.columns)} for i, r in enumerate(rows)}
    holds, fails = check_votes(grid.table, reading)
    return holds > 0 and fails == 0


def _rows_by_label(cells: list[tuple[Cell, int]], grid: _GridLabels) -> list[tuple[RowDef, Cell, list[Cell]]]:
    """Rows printed each after its label: a label, then at least all but one of its values
    before the next text cell."""
    out: list[tuple[RowDef, Cell, list[Cell]]] = []
    i = 0
    while i < len(cells):
        cell = cells[i][0]
        hit = grid.by_label.get(core(cell.text))
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
            if filled >= grid.n_cols - 1:
                out.append((hit, cell, vals))
                i = j
                continue
        i += 1
    return out


def _longest_value_run(cells: list[tuple[Cell, int]], grid: _GridLabels) -> list[Cell]:
    """The run of value cells with the most filled ones, after the first header cell when
    there is one; empty when no run has a filled cell."""
    start = next((k for k, (c, _) in enumerate(cells) if _folded[c.text] in grid.headers), 0)
    best: list[Cell] = []
    best_filled = 0
    run: list[Cell] = []
    run_filled = 0
    tail = [*cells[start:], (Cell("end", 0), -1)]
    for k, (cell, _) in enumerate(tail):
        text = cell.text
        kind = cell_kind[text]
        if kind != TEXT or _misprinted_number(text, len(run), tail[k + 1] if k + 1 < len(tail) else None, grid):
            run.append(cell)
            run_filled += kind != BLANK  # a misprinted number is a text, never blank
            continue
        if run_filled > best_filled:
            best, best_filled = run, run_filled
        run, run_filled = [], 0
    return best


def _misprinted_number(text: str, run_length: int, after: tuple[Cell, int] | None, grid: _GridLabels) -> bool:
    """A short text inside the run of fifteen (十二, O, 约5): a cell that should hold a number
    and does not. Ending the run there would shift every later number into the wrong cell."""
    n = grid.n_cells
    f = _folded[text]
    # Never a piece of a header (尚未 of 尚未审结, the last cell of a header row before the
    # numbers); a placeholder before the run (数据15) is outvoted by `_run_window`.
    if run_length >= n or not 0 < len(f) <= 6 or f in grid.header_text:
        return False
    following = after[0].text if after is not None and after[1] >= 0 else None
    return run_length == n - 1 or (following is not None and is_value_like(following))


def _row_from(r: RowDef, label: str, line: int, window: list[Cell | None]) -> RawRow:
    cells: dict[str, CellRead] = {}
    where: dict[str, Cell] = {}
    for col, cell in zip(r.columns, window, strict=True):
        if cell is None:
            cells[col.key] = _NO_CELL
        else:
            cells[col.key] = _NO_CELL if cell.reading == "ambiguous" else read_cell(cell.text, col.kind)
            where[col.key] = _noted(cell, cells[col.key])
    return RawRow(r.key, label, line, r.columns, cells, where)


# ------------------------------------------------------------------ entry points

# How each layout of table is read (see `template.model.TableLayout`).
READERS: dict[str, Callable[[list[tuple[Cell, int]], TableDef], RawTable]] = {
    "grouped": read_labelled,
    "nested": read_labelled,
    "grid": read_grid,
}


def read_table(cells: list[tuple[Cell, int]], table: TableDef) -> RawTable:
    return READERS[table.layout](cells, table)


def has_subtotal(cells: list[tuple[Cell, int]]) -> bool:
    """Whether 表三's region prints a 小计 column header (eight value columns)."""
    return any("小计" in c.text and fold(c.text) == "小计" for c, _ in cells)


def read_active(cells: list[tuple[Cell, int]], template: str) -> RawTable:
    return read_table(cells, template_of(template).table("active_disclosure"))


def read_applications(cells: list[tuple[Cell, int]]) -> RawTable:
    """表三, before the template is known: the 2021 table, which takes 2019's single
    其他处理 row as a variant."""
    return read_table(cells, TEMPLATES[DEFAULT].table("applications"))


def read_reviews(cells: list[tuple[Cell, int]]) -> RawTable:
    return read_table(cells, TEMPLATES[DEFAULT].table("reviews_litigation"))
