"""Reading one table cell: a count, a signed count, an amount, a blank, or not a number.

The result keeps what the clerk printed (`raw`) beside what it means (`value`), and a status
the cell rules turn into issues. A blank (nothing, &nbsp;, —, /, 无) is never read as 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Literal

import msgspec

from service.domain.normalize import width_fold
from service.domain.textcache import TextMemo

Status = Literal["ok", "blank", "not_number", "negative", "fraction", "precision"]

BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "－", "/", "／", "\\", "无", "空", "—/—", "*"})
# Units a clerk may type into a cell; stripped, and reported when they disagree with the column.
UNITS = ("万元", "元", "件", "个", "项", "条", "次", "人", "家", "宗")
AMOUNT_PLACES = 4
# No count or amount in a report has more digits. Longer digit strings are not numbers a
# client could use (JSON numbers are exact to 2**53 only), and `int()` refuses strings of
# more than 4,300 digits with a ValueError that surfaced as a server error.
MAX_DIGITS = 15


class CellRead(msgspec.Struct, frozen=True):
    # Frozen: one reading is shared by every cell of the same text (see `read_cell`).
    raw: str
    value: int | str | None
    status: Status
    unit: str | None = None
    # A note the clerk wrote after the number, in brackets (22（其中修订16件）): the number
    # is read, the note kept so the reader can say the cell was not read as a bare number.
    note: str | None = None


def _strip_unit(s: str) -> tuple[str, str | None]:
    for unit in UNITS:
        if s.endswith(unit) and len(s) > len(unit):
            return s[: -len(unit)].strip(), unit
    return s, None


def _strip_note(s: str) -> tuple[str, str | None]:
    """A compacted cell without a bracketed note after its number, and the note:
    22（其中修订16件） gives 22 and 其中修订16件. (Width folding made the brackets ASCII.)"""
    if not s.endswith(")") or not s[:1].isdigit():
        return s, None
    at = s.rfind("(")
    if at <= 0 or "(" in s[:at] or ")" in s[:at]:
        return s, None  # one bracketed note, after something
    return s[:at], s[at + 1 : -1]


def _number(s: str) -> tuple[bool, bool, str, str]:
    """Split a decimal literal: (ok, negative, integer digits, fraction digits)."""
    neg = s[:1] == "-"
    if s[:1] in "+-":
        s = s[1:]
    whole, dot, frac = s.partition(".")
    if not whole and frac:
        whole = "0"
    ok = whole.isascii() and whole.isdigit() and (not dot or (frac.isascii() and frac.isdigit()))
    return ok, neg, whole, frac


def _compact(raw: str) -> str:
    """The cell as read: width-folded, without any whitespace."""
    return "".join(width_fold(raw).split())


# The fast paths below take a cell that is itself a blank mark as blank without compacting it.
assert all(_compact(mark) in BLANK_MARKS for mark in BLANK_MARKS)


def read_cell(raw: str, kind: str = "count") -> CellRead:
    """Interpret a cell for a column of the given kind (`count`, `signed` or `amount`)."""
    known = _KNOWN_READS.get(kind)
    return known[raw] if known is not None else _read(raw, kind)


def reader(kind: str) -> Callable[[str], CellRead]:
    """`read_cell` for one column kind, for a caller that reads many cells of it."""
    known = _KNOWN_READS.get(kind)
    return known.__getitem__ if known is not None else partial(_read, kind=kind)


def _read(raw: str, kind: str) -> CellRead:
    if raw.isascii() and raw.isdigit() and len(raw) <= MAX_DIGITS:
        # Most cells are plain ASCII digits: the reading the general path below gives them.
        return CellRead(raw, (raw.lstrip("0") or "0") if kind == "amount" else int(raw), "ok")
    if raw in BLANK_MARKS:
        # The next most common: an empty cell (or a mark as printed); every mark compacts to a mark.
        return CellRead(raw, None, "blank")
    s = _compact(raw)
    if s in BLANK_MARKS:
        return CellRead(raw, None, "blank")
    s = s.replace(",", "").replace("−", "-")
    s, note = _strip_note(s)
    if note is not None:
        read = _read(s, kind)
        return msgspec.structs.replace(read, raw=raw, note=note) if read.value is not None else CellRead(raw, None, "not_number")
    s, unit = _strip_unit(s)
    ok, neg, whole, frac = _number(s)
    whole = whole.lstrip("0") or "0"
    if not ok or len(whole) > MAX_DIGITS:
        return CellRead(raw, None, "not_number", unit)
    if kind == "amount":
        text = ("-" if neg else "") + whole.lstrip("0").rjust(1, "0") + (f".{frac}" if frac else "")
        if neg:
            return CellRead(raw, text, "negative", unit)
        if len(frac) > AMOUNT_PLACES:
            return CellRead(raw, text, "precision", unit)
        return CellRead(raw, text, "ok", unit)
    if frac.strip("0"):
        return CellRead(raw, None, "fraction", unit)
    value = -int(whole) if neg else int(whole)
    if neg and value != 0 and kind != "signed":
        return CellRead(raw, value, "negative", unit)
    return CellRead(raw, value, "ok", unit)


# A table's cells are the same few texts in every report (0, 1, 2 …, blank), each read once.
_KNOWN_READS = {kind: TextMemo(partial(_read, kind=kind)) for kind in ("count", "signed", "amount")}


def value_run_start(tokens: list[str], floor: int = 0) -> int:
    """Where the run of number (or blank-mark) tokens that ends `tokens` starts.

    A line of PDF text is a row whose cells lost their separators: `tokens[:k]` is its label,
    `tokens[k:]` its cells. The run is not followed back past `floor`.
    """
    k = len(tokens)
    while k > floor and is_value_like(tokens[k - 1]):
        k -= 1
    return k


def is_value_like(raw: str) -> bool:
    """Whether a cell reads as a number or a blank mark (so is data, not a label)."""
    if (raw.isascii() and raw.isdigit()) or raw in BLANK_MARKS:
        return True
    return _reads_as_value[raw]


# Every text cell and PDF token of a table region is asked (by the reflow pass, the region
# splitter and the table readers), and label texts recur across all reports, so most answers
# are a lookup instead of a full `read_cell`.
@TextMemo
def _reads_as_value(raw: str) -> bool:
    if _IDEOGRAPH_OF_WORDS.search(raw):
        # A label or a sentence, unless a number with a note: 22（其中修订16件）.
        stripped = raw.strip()
        return stripped[:1].isdigit() and stripped.endswith(("）", ")")) and _read(raw, "signed").note is not None
    return _read(raw, "signed").status in ("ok", "blank", "negative", "fraction")


# A Chinese character other than those of a unit or a blank mark (万元, 件, 无 …). A cell that
# has one is never a number or a blank: such a character has no NFKC decomposition, so it
# stays in the compacted cell, where `_read` allows only a unit suffix or a blank mark.
_IDEOGRAPH_OF_WORDS = re.compile(
    "(?![" + "".join(sorted({c for c in "".join((*UNITS, *BLANK_MARKS)) if "\u4e00" <= c <= "\u9fff"})) + "])"
    "[\u4e00-\u9fff]"
)


def is_blank(raw: str) -> bool:
    """Whether a cell is empty or holds only a blank mark (—, /, 无): `read_cell`'s "blank"."""
    if raw in BLANK_MARKS:
        return True  # every mark compacts to a mark
    if raw.isascii() and raw.isdigit():
        return False  # compacts to itself, and no mark has a digit
    return _compact(raw) in BLANK_MARKS
