"""Running text cut into sentences, each knowing the input lines it spans.

Reports reach us hard-wrapped (PDF text, converters): a sentence runs over several lines,
and a figure in it sits on one of them. The pieces (a paragraph's text and its line) are
joined without a separator — Chinese has no spaces between words — and cut after each
sentence end (。！？；): one join and one regular-expression pass, linear in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

import msgspec

from service.domain.normalize import fold

_ENDS = re.compile("[。！？；!?;]")
# Years and counts differ from year to year in text that is otherwise copied.
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|[〇零一二两三四五六七八九十百千万]+")


class Run(msgspec.Struct, frozen=True, gc=False):
    """Where each piece of a stretch of text begins: offsets into the joined text, lines."""

    starts: tuple[int, ...]
    lines: tuple[int, ...]


class Sentence(msgspec.Struct, frozen=True, gc=False):
    text: str
    start: int  # offset of the sentence in its run's joined text
    run: Run

    @property
    def line(self) -> int:
        return self.line_at(0)

    def line_at(self, offset: int) -> int:
        """The input line of the sentence's character at `offset`."""
        i = bisect_right(self.run.starts, self.start + offset) - 1
        return self.run.lines[max(i, 0)]


def split(pieces: Iterable[tuple[str, int]]) -> list[Sentence]:
    texts: list[str] = []
    starts: list[int] = []
    lines: list[int] = []
    size = 0
    for text, line in pieces:
        text = text.strip()
        if text:
            texts.append(text)
            starts.append(size)
            lines.append(line)
            size += len(text)
    if not texts:
        return []
    joined = "".join(texts)
    run = Run(tuple(starts), tuple(lines))
    out: list[Sentence] = []
    start = 0
    for m in _ENDS.finditer(joined):
        out.append(Sentence(joined[start : m.end()], start, run))
        start = m.end()
    if start < len(joined):
        out.append(Sentence(joined[start:], start, run))
    return out


def of_text(text: str, first_line: int = 1) -> list[Sentence]:
    """The sentences of a text whose lines are numbered from `first_line`."""
    return split((ln, first_line + n) for n, ln in enumerate(text.split("\n")))


def comparable(text: str) -> str:
    """A sentence as compared across years: folded (no spaces, punctuation, width), with
    every number, Arabic or Chinese, replaced by one mark."""
    return _NUMBER.sub("#", fold(text))


__all__ = ["Run", "Sentence", "comparable", "of_text", "split"]
