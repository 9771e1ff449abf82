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


def _cluster(chars: list[Char], tolerance: float) -> list[list[Char]]:
    """Characters grouped by their tops chained within `tolerance`, groups top to bottom,
    characters in their drawing order within a group."""
    values = sorted({c.top for c in chars})
    group_of: dict[float, int] = {}
    n, last = -1, -1e300
    for v in values:
        if v > last + tolerance:
            n += 1
        group_of[v] = n
        last = v
    groups: list[list[Char]] = [[] for _ in range(n + 1)]
    for c in chars:
        groups[group_of[c.top]].append(c)
    return groups


def _words(line: list[Char]) -> list[str]:
    """The words of one line: a space character, a step back, a gap over `X_TOLERANCE` or
    a shift across the line over `Y_TOLERANCE` starts a new word."""
    words: list[str] = []
    current: list[str] = []
    px0 = px1 = ptop = 0.0
    for text, x0, top, x1, _, _ in sorted(line, key=_BY_X):  # stable: drawing order among equals
        if text.isspace():
            if current:
                words.append("".join(current))
                current = []
            continue
        if current and (x0 < px0 or x0 > px1 + X_TOLERANCE or top - ptop > Y_TOLERANCE or ptop - top > Y_TOLERANCE):
            words.append("".join(current))
            current = []
        current.append(text)
        px0, px1, ptop = x0, x1, top
    if current:
        words.append("".join(current))
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
    for group in _cluster(upright, Y_TOLERANCE):
        words = _words(group)
        if words:
            out.append(Line(min(c.top for c in group), " ".join(words)))
    if len(upright) < len(chars):
        for turn in (1, 2, 3):
            turned = [c for c in chars if c.turn == turn]
            # Each framed character carries its index, to place the line by the originals.
            framed = [_in_frame(c, turn)._replace(turn=n) for n, c in enumerate(turned)]
            for group in _cluster(framed, Y_TOLERANCE):
                words = _words(group)
                if words:
                    top = min(turned[f.turn].top for f in group)
                    out.append(Line(top, " ".join(words)))
    out.sort(key=lambda line: line.top)
    return out


def text(chars: list[Char]) -> str:
    """The characters' text, lines joined by newlines (pdfplumber's extract_text)."""
    if not chars:
        return ""
    # Most cells hold one upright line: read it without clustering.
    tops = [c.top for c in chars]
    if max(tops) - min(tops) <= Y_TOLERANCE and not any(c.turn for c in chars):
        return " ".join(_words(chars))
    return "\n".join(line.text for line in lines(chars))
