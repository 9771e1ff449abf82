"""Characters to words and lines by position, as pdfplumber's `extract_text()` groups them.

Characters whose tops lie within 3 pt of each other (chained) share a line; within a line,
left to right, a space character or a gap over 3 pt starts a new word, and words are
joined by one space. Lines run top to bottom. Turned characters (not upright on the page
as shown) are read by the same rules in the frame of their own direction: a label turned
90° in a merged cell reads as its text, in its order, not as one line per character.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from service.domain.formats.pdfium_page import Char

X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0


_BY_X = attrgetter("x0", "top")


class Line(NamedTuple):
    top: float
    text: str


def _cluster(chars: list[Char], key, tolerance: float) -> list[list[Char]]:  # type: ignore[no-untyped-def]
    """Characters grouped by `key` values chained within `tolerance`, groups in key order,
    characters in their drawing order within a group."""
    values = sorted({key(c) for c in chars})
    group_of: dict[float, int] = {}
    n, last = -1, None
    for v in values:
        if last is None or v > last + tolerance:
            n += 1
        group_of[v] = n
        last = v
    groups: list[list[Char]] = [[] for _ in range(n + 1)]
    for c in chars:
        groups[group_of[key(c)]].append(c)
    return groups


def _words(line: list[Char]) -> list[tuple[float, str]]:
    """The words of one line as (start, text): a space character, a step back, a gap over
    `X_TOLERANCE` or a shift across the line over `Y_TOLERANCE` starts a new word."""
    ordered = sorted(line, key=_BY_X)  # stable: drawing order among equals
    words: list[tuple[float, str]] = []
    current: list[str] = []
    start = 0.0
    prev: Char | None = None
    for c in ordered:
        if c.text.isspace():
            if current:
                words.append((start, "".join(current)))
            current, prev = [], None
            continue
        if prev is not None and (
            c.x0 < prev.x0 or c.x0 > prev.x1 + X_TOLERANCE or abs(c.top - prev.top) > Y_TOLERANCE
        ):
            words.append((start, "".join(current)))
            current = []
        if not current:
            start = c.x0
        current.append(c.text)
        prev = c
    if current:
        words.append((start, "".join(current)))
    return words


def _in_frame(c: Char, turn: int) -> Char:
    """The character in the frame of its own reading direction (text reads left to right,
    lines follow downwards), so turned text is read by the upright rules."""
    if turn == 1:  # reads up the page; its next line is to the right
        return Char(c.text, -c.bottom, c.x0, -c.top, c.x1, 0)
    if turn == 3:  # reads down the page; its next line is to the left
        return Char(c.text, c.top, -c.x1, c.bottom, -c.x0, 0)
    return Char(c.text, -c.x1, -c.bottom, -c.x0, -c.top, 0)  # upside down


def lines(chars: Iterable[Char]) -> list[Line]:
    """The lines of text the characters make, top to bottom (upright text and turned runs
    together, each at the top of its first character)."""
    chars = list(chars)
    out: list[Line] = []
    upright = [c for c in chars if c.turn == 0]
    for group in _cluster(upright, lambda c: c.top, Y_TOLERANCE):
        words = _words(group)
        if words:
            out.append(Line(min(c.top for c in group), " ".join(w for _, w in words)))
    if len(upright) < len(chars):
        for turn in (1, 2, 3):
            turned = [c for c in chars if c.turn == turn]
            # Each framed character carries its index, to place the line by the originals.
            framed = [_in_frame(c, turn)._replace(turn=n) for n, c in enumerate(turned)]
            for group in _cluster(framed, lambda c: c.top, Y_TOLERANCE):
                words = _words(group)
                if words:
                    top = min(turned[f.turn].top for f in group)
                    out.append(Line(top, " ".join(w for _, w in words)))
    out.sort(key=lambda line: line.top)
    return out


def text(chars: list[Char]) -> str:
    """The characters' text, lines joined by newlines (pdfplumber's extract_text)."""
    if not chars:
        return ""
    # Most cells hold one upright line: read it without clustering.
    tops = [c.top for c in chars]
    if max(tops) - min(tops) <= Y_TOLERANCE and all(c.turn == 0 for c in chars):
        return " ".join(w for _, w in _words(chars))
    return "\n".join(line.text for line in lines(chars))
