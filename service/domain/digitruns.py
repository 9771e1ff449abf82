"""Splitting a run of digits that lost its cell separators into the cells of a row.

A crawler that joins a page's text nodes with nothing between them prints 行政许可 | 396 | 0 |
181 as `行政许可3960181`. The run alone does not say where the cells end, so every split of it
into the row's cells is a candidate reading (a *composition*): spaces that survived are forced
cuts, a number of several digits never starts with 0, a decimal point or a unit stays inside
its cell, and only an amount column takes a decimal. The candidates that satisfy the row's
own cross-checks (表三: the six applicant columns add up to 总计) are kept: exactly one gives
the cells, read as `inferred`; none or several leave them blank as `ambiguous`. Nothing here
ever picks one reading among several: a guessed number would be worse than a blank.

The work is bounded: a run of more than `MAX_RUN` characters, or with more than
`MAX_CANDIDATES` compositions, is ambiguous without enumerating them (the count comes from a
small table over positions × cells, computed first).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Literal

import msgspec

from service.domain.template import Check, Column

MAX_RUN = 48
MAX_CANDIDATES = 20_000
MAX_KEPT = 256
_SIGNS = "+-"
_UNITS = ("万元", "元")


class Split(msgspec.Struct, frozen=True):
    """The reading of one run: the cells' texts (blank where not settled), how, and why."""

    texts: tuple[str, ...]
    reading: Literal["inferred", "ambiguous"] | None  # None: as printed
    why: str | None = None
    # An ambiguous run's candidate readings that passed the row checks (at most
    # `MAX_KEPT`), for a column check to choose from (`pin_by_columns`).
    options: tuple[tuple[str, ...], ...] = ()


def _cut_allowed(s: str, i: int) -> bool:
    """Whether a cell may end before `s[i]`: between two digits, or before a sign."""
    return s[i - 1].isdigit() and (s[i].isdigit() or s[i] in _SIGNS)


def _piece_fits(piece: str, kind: str) -> bool:
    """Whether `piece` can be the whole text of a cell of a column of `kind`."""
    body = piece
    if kind == "amount":
        for unit in _UNITS:
            if body.endswith(unit):
                body = body[: -len(unit)]
                break
        whole, _, frac = body.partition(".")
        return _plain(whole) and (frac == "" or frac.isdigit()) and not body.endswith(".")
    if kind == "signed" and body[:1] in _SIGNS:
        body = body[1:]
    return _plain(body)


def _plain(digits: str) -> bool:
    return digits.isascii() and digits.isdigit() and (len(digits) == 1 or digits[0] != "0")


class _Run:
    """A run as a string without spaces, and where a cell must or may end."""

    def __init__(self, run: str, kinds: Sequence[str]):
        tokens = run.split()
        self.text = "".join(tokens)
        self.kinds = tuple(kinds)
        self.forced = set()
        at = 0
        for t in tokens[:-1]:
            at += len(t)
            self.forced.add(at)
        self.tokens = tuple(tokens)
        n = len(self.text)
        self.ends = [i for i in range(1, n) if i in self.forced or _cut_allowed(self.text, i)] + [n]

    def _next_ends(self, start: int) -> Iterator[int]:
        """Where the cell starting at `start` may end: up to the next forced cut."""
        for end in self.ends:
            if end <= start:
                continue
            yield end
            if end in self.forced:
                return

    @functools.cached_property
    def counts(self) -> dict[tuple[int, int], int]:
        """How many compositions of text[start:] fill cells k… (capped), for every pair."""
        n, cells = len(self.text), len(self.kinds)
        table: dict[tuple[int, int], int] = {(n, cells): 1}
        starts = [0, *self.ends[:-1]]
        for k in range(cells - 1, -1, -1):
            for start in reversed(starts):
                total = 0
                for end in self._next_ends(start):
                    if _piece_fits(self.text[start:end], self.kinds[k]):
                        total += table.get((end, k + 1), 0)
                table[(start, k)] = min(total, MAX_CANDIDATES + 1)
        return table

    def compositions(self) -> Iterator[tuple[str, ...]]:
        yield from self._from(0, 0, ())

    def _from(self, start: int, k: int, head: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if k == len(self.kinds):
            yield head
            return
        for end in self._next_ends(start):
            piece = self.text[start:end]
            if self.counts.get((end, k + 1), 0) and _piece_fits(piece, self.kinds[k]):
                yield from self._from(end, k + 1, (*head, piece))


def _value(text: str) -> int | None:
    body = text[1:] if text[:1] in _SIGNS else text
    if not body.isdigit():
        return None
    return -int(body) if text[:1] == "-" else int(body)


def row_checks_hold(values: dict[str, str], checks: Sequence[Check]) -> bool:
    """Whether every row check whose columns are all in `values` holds (sum left == sum right)."""
    for check in checks:
        if check.along != "row" or check.right == "outcome":
            continue
        keys = (*check.left, *check.right)
        if not all(k in values for k in keys):
            continue
        nums = {k: _value(values[k]) for k in keys}
        if any(v is None for v in nums.values()):
            return False
        if sum(nums[k] or 0 for k in check.left) != sum(nums[k] or 0 for k in check.right):
            return False
    return True


def candidates(run: str, rows: Sequence[tuple[tuple[Column, ...], Sequence[Check]]]) -> list[tuple[str, ...]] | None:
    """The compositions of `run` into the cells of `rows` (each its columns and row checks)
    that pass every row's checks; None when there are more than `MAX_CANDIDATES` to try."""
    columns = [c for cols, _ in rows for c in cols]
    compact = "".join(run.split())
    if not compact or len(compact) > MAX_RUN:
        return None if compact else []
    parsed = _Run(run, [c.kind for c in columns])
    if parsed.counts.get((0, 0), 0) > MAX_CANDIDATES:
        return None
    return [texts for texts in parsed.compositions() if _checks_hold(texts, rows)]


def _checks_hold(texts: tuple[str, ...], rows: Sequence[tuple[tuple[Column, ...], Sequence[Check]]]) -> bool:
    at = 0
    for cols, checks in rows:
        part = texts[at : at + len(cols)]
        at += len(cols)
        if not row_checks_hold({c.key: t for c, t in zip(cols, part, strict=True)}, checks):
            return False
    return True


def split_run(run: str, rows: Sequence[tuple[tuple[Column, ...], Sequence[Check]]]) -> Split:
    """The reading of `run` as the cells of `rows`: as printed, inferred, or ambiguous."""
    n = sum(len(cols) for cols, _ in rows)
    tokens = run.split()
    compact = "".join(tokens)
    if len(tokens) == n and all(_piece_fits(t, c.kind) for t, c in zip(tokens, (c for cols, _ in rows for c in cols), strict=True)):
        return Split(tuple(tokens), None)  # every cell printed apart
    if len(compact) == n and compact.isdigit():
        return Split(tuple(compact), None)  # one digit a cell: no other split exists
    found = candidates(run, rows)
    if found is not None and len(found) == 1:
        why = f"数字连写（{compact}），按各栏数字位数和本表勾稽关系推定各栏分隔"
        return Split(found[0], "inferred", why)
    why = f"数字连写（{compact}），无法确定各栏分隔"
    kept = tuple(found) if found is not None and 1 < len(found) <= MAX_KEPT else ()
    return Split(("",) * n, "ambiguous", why, kept)


# ------------------------------------------------------------------ the column pass


def pin_by_columns(
    splits: dict[str, tuple[tuple[Column, ...], Split]], checks: Sequence[Check], outcome: tuple[str, ...]
) -> dict[str, tuple[tuple[Column, ...], Split]]:
    """The runs of a table's rows, with each ambiguous one that a column check settles made
    inferred: a check whose rows are all here, every one read but this one, and exactly
    one of this row's candidates makes it hold in every column. `outcome`: the outcome rows
    (the OUTCOME side of a check), or () when the rows read are not one template's set."""
    out = dict(splits)
    for check in checks:
        if check.along != "column" or (check.right == "outcome" and not outcome):
            continue
        right = outcome if check.right == "outcome" else check.right
        keys = (*check.left, *right)
        if not all(k in out for k in keys):
            continue
        open_ = [k for k in keys if out[k][1].reading == "ambiguous"]
        if len(open_) != 1 or not out[open_[0]][1].options:
            continue
        pinned = _pin(out, open_[0], check.left, right)
        if pinned is not None:
            out[open_[0]] = pinned
    return out


def _pin(
    rows: dict[str, tuple[tuple[Column, ...], Split]], key: str, left: tuple[str, ...], right: tuple[str, ...]
) -> tuple[tuple[Column, ...], Split] | None:
    columns, split = rows[key]
    fits = [texts for texts in split.options if _columns_hold(rows, key, texts, left, right)]
    if len(fits) != 1:
        return None
    why = (split.why or "").replace("无法确定各栏分隔", "按本表勾稽关系推定各栏分隔")
    return columns, Split(fits[0], "inferred", why)


def _columns_hold(
    rows: dict[str, tuple[tuple[Column, ...], Split]], key: str, texts: tuple[str, ...],
    left: tuple[str, ...], right: tuple[str, ...],
) -> bool:
    columns = rows[key][0]
    for n, column in enumerate(columns):
        sides = []
        for side in (left, right):
            values = [_value(texts[n] if k == key else _text_at(rows[k], column.key)) for k in side]
            if any(v is None for v in values):
                return False
            sides.append(sum(v or 0 for v in values))
        if sides[0] != sides[1]:
            return False
    return True


def _text_at(row: tuple[tuple[Column, ...], Split], column: str) -> str:
    columns, split = row
    return next((t for c, t in zip(columns, split.texts, strict=True) if c.key == column), "")
