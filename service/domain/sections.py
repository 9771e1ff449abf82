"""Finding the six standard sections by their titles.

A heading is a short line whose text, enumerator removed, matches one of the six titles of
the template (or a known older wording). Numbering is read but never trusted: a report
that numbers the sub-headings of 总体情况 一、二、… still has exactly one 主动公开政府信息情况,
and that is the one with the matching title.
"""

from __future__ import annotations

import msgspec

from service.domain.document import Block, Document
from service.domain.labels import CN_NUMERALS, LabelIndex, split_enumerator
from service.domain.normalize import fold
from service.domain.template import SECTIONS

MAX_HEADING = 40
MIN_SCORE = 80.0
_TRAILING = "。.:：;；"


class Heading(msgspec.Struct):
    key: str
    index: int  # canonical position 0–5
    block: int  # index into Document.blocks
    line: int
    number: str | None
    title: str
    score: float


# Every section's title and aliases, folded once, under the section's position: every short
# block of a report is scored against all of them.
_TITLES: LabelIndex[int] = LabelIndex(
    ((index, fold(label)) for index, sec in enumerate(SECTIONS) for label in (sec.title, *sec.aliases)),
    bar=lambda _label: MIN_SCORE,
    longest=None,
)


def heading_candidates(doc: Document) -> list[Heading]:
    out: list[Heading] = []
    for i, block in enumerate(doc.blocks):
        text = block.heading_text()
        if not text:
            continue
        text = text.strip().rstrip(_TRAILING)
        if not text or len(text) > MAX_HEADING:
            continue
        if text.isascii() and _TITLES.shares_nothing(text.lower()):
            continue  # a number, most often (ASCII folds to itself, lower-cased)
        enum, rest = split_enumerator(text)
        core_f = fold(rest)
        if not core_f:
            continue
        scores = _TITLES.scores(core_f)
        for index in sorted(scores):
            out.append(Heading(SECTIONS[index].key, index, i, block.line, enum, text, scores[index]))
    return out


def find_headings(doc: Document) -> list[Heading]:
    """The heading of each section found, in order of appearance (at most one each).

    For each section the best-scoring candidate wins; among equals, the one numbered as
    the template numbers it, then the first.
    """
    best: dict[str, Heading] = {}
    for h in heading_candidates(doc):
        expected = SECTIONS[h.index].number
        rank = (h.score, h.number == expected)
        cur = best.get(h.key)
        if cur is None or rank > (cur.score, cur.number == expected):
            best[h.key] = h
    # One block cannot head two sections: keep the better claim.
    by_block: dict[int, Heading] = {}
    for h in best.values():
        other = by_block.get(h.block)
        if other is None or h.score > other.score:
            by_block[h.block] = h
    return sorted(by_block.values(), key=lambda h: h.block)


def section_spans(doc: Document, headings: list[Heading]) -> dict[str, tuple[int, int]]:
    """Block ranges [start, end) of each found section, heading excluded."""
    spans: dict[str, tuple[int, int]] = {}
    for n, h in enumerate(headings):
        end = headings[n + 1].block if n + 1 < len(headings) else len(doc.blocks)
        spans[h.key] = (h.block + 1, end)
    return spans


def table_region(doc: Document, headings: list[Heading], section_index: int) -> tuple[int, int]:
    """Blocks where the table of a section is to be looked for.

    The section's own span when its heading was found; otherwise the stretch between the
    nearest found sections before and after it in template order.
    """
    for n, h in enumerate(headings):
        if h.index == section_index:
            end = headings[n + 1].block if n + 1 < len(headings) else len(doc.blocks)
            return h.block + 1, end
    start, end = 0, len(doc.blocks)
    for h in headings:
        if h.index < section_index:
            start = max(start, h.block + 1)
        elif h.index > section_index:
            end = min(end, h.block)
    if start >= end:
        return 0, len(doc.blocks)
    return start, end


def paragraph_text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks if b.cells is None)


def is_top_level_enumerated(text: str) -> str | None:
    """The numeral of a line numbered like a top-level heading (一、), else None."""
    s = text.lstrip()
    i = 0
    while i < len(s) and i < 3 and s[i] in CN_NUMERALS:
        i += 1
    if i and i < len(s) and s[i] == "、":
        return s[:i]
    return None
