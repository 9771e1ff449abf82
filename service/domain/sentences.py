"""Running text cut into sentences, each knowing the input lines it spans.

Reports reach us hard-wrapped (PDF text, converters): a sentence runs over several lines,
and a figure in it sits on one of them. The pieces (a paragraph's text and its line) are
joined without a separator — Chinese has no spaces between words — and cut after each
sentence end (。！？；). One pass over the characters: linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import msgspec

from service.domain.normalize import fold

_END = frozenset("。！？；!?;")
# Years and counts differ from year to year in text that is otherwise copied.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|[〇零一二两三四五六七八九十百千万]+")


class Sentence(msgspec.Struct, frozen=True):
    text: str
    # (offset in `text`, input line) where each piece the sentence spans begins.
    marks: tuple[tuple[int, int], ...]

    @property
    def line(self) -> int:
        return self.marks[0][1]

    def line_at(self, offset: int) -> int:
        """The input line of the character at `offset`."""
        line = self.marks[0][1]
        for start, ln in self.marks:
            if start > offset:
                break
            line = ln
        return line


def split(pieces: Iterable[tuple[str, int]]) -> list[Sentence]:
    out: list[Sentence] = []
    buf: list[str] = []
    size = 0
    marks: list[tuple[int, int]] = []
    for text, line in pieces:
        text = text.strip()
        if not text:
            continue
        marks.append((size, line))
        for ch in text:
            buf.append(ch)
            size += 1
            if ch in _END:
                out.append(Sentence("".join(buf), tuple(marks)))
                buf, size, marks = [], 0, [(0, line)]
        if not buf:
            marks = []
    if buf:
        out.append(Sentence("".join(buf), tuple(marks)))
    return out


def of_text(text: str, first_line: int = 1) -> list[Sentence]:
    """The sentences of a text whose lines are numbered from `first_line`."""
    return split((ln, first_line + n) for n, ln in enumerate(text.split("\n")))


def comparable(text: str) -> str:
    """A sentence as compared across years: folded (no spaces, punctuation, width), with
    every number, Arabic or Chinese, replaced by one mark."""
    return _NUMBER.sub("#", fold(text))


__all__ = ["Sentence", "comparable", "of_text", "split"]
