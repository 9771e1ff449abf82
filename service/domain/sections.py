"""Finding the six standard sections by their titles.

A heading is a short line whose text, enumerator removed, matches one of the six titles of
the template (or a known older wording). Numbering is read but never trusted: a report
that numbers the sub-headings of 总体情况 一、二、… still has exactly one 主动公开政府信息情况,
and that is the one with the matching title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import msgspec

from service.domain.document import Block, Cell, Document
from service.domain.labels import CN_NUMERALS, LabelIndex, split_enumerator
from service.domain.normalize import fold
from service.domain.template import SECTIONS
from service.domain.textcache import TextMemo

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


# Every section's title and aliases, folded once.
_LABELS: tuple[tuple[int, str], ...] = tuple(
    (index, fold(label)) for index, sec in enumerate(SECTIONS) for label in (sec.title, *sec.aliases)
)
# Under the section's position: the short blocks that pass `_may_match_a_title` are scored
# against all of them.
_TITLES: LabelIndex[int] = LabelIndex(_LABELS, bar=lambda _label: MIN_SCORE, longest=None)


# ---------------------------------------------------------------- the pre-filter
# Scoring a block (enumerator split, NFKC fold, rapidfuzz over every title) costs ~10,000
# instructions; a report has hundreds of short blocks (table labels, numbers, sub-headings)
# and six headings. A block is only scored when it holds `_ANCHOR_HITS` occurrences of the
# anchor characters below: a necessary condition for any title match, so the headings found
# are exactly those of scoring every block (tests/test_heading_filter.py).
# - A score of MIN_SCORE (80) by Indel ratio, 2·LCS/(L+T) ≥ 0.8 with LCS ≤ T, needs an LCS of
#   at least 2L/3 of the label's L characters: at most L//3 of its positions go unmatched.
# - The prefix rules of `labels.similarity` need the text to hold the label's first
#   `_prefix_needed(L)` characters, or the whole label.
# So when a label has at least L//3 + HITS anchor positions, and HITS among those first
# characters, every text matching it holds HITS anchor occurrences. The core that is scored
# is the NFKC form with characters removed (spaces, punctuation, the enumerator) and Latin
# letters lower-cased: it never holds more anchors (CJK characters) than the NFKC form, whose
# anchors come from the same characters in the text or from compatibility forms of them.
_ANCHOR_HITS = 3
# Title characters in the order the anchors are picked: first a set chosen to let through as
# few report lines that are not headings as possible (table labels, sub-headings, wrapped PDF
# text; counted over the golden seeds, the corpus and the rendered layouts), then the rest.
# Only selectivity depends on this order, never correctness: `_anchor_chars` takes what each
# title needs from its own characters.
_ANCHOR_PREFERENCE = "因到讼诉议需存收况情总体报告处事题请要在主公开府项" + "改依动问及提复他其工和申作的理行息信政"


def _prefix_needed(length: int) -> int:
    """How many leading characters of a label of `length` a prefix match shares with the text
    at least (`labels.similarity`: 4 and 60 % of the label, or 6); rounded down, to be safe."""
    return min(6, max(4, int(0.6 * length)))


def _anchor_positions(label: str, anchors: set[str]) -> int:
    return sum(c in anchors for c in label)


def _anchor_chars(labels: Iterable[str], hits: int, preference: str) -> frozenset[str]:
    """The fewest, rarest characters such that every text matching one of `labels` holds
    `hits` occurrences of them (see above)."""
    anchors: set[str] = set()

    def rank(c: str) -> tuple[int, str]:
        return (preference.index(c) if c in preference else len(preference), c)

    for label in labels:
        candidates = sorted({c for c in label if not c.isascii()}, key=rank)
        head = label[: _prefix_needed(len(label))]
        for part, needed in ((label, len(label) // 3 + hits), (head, hits)):
            for c in candidates:
                if _anchor_positions(part, anchors) >= needed:
                    break
                if c in part:
                    anchors.add(c)
            if _anchor_positions(part, anchors) < needed:
                raise ValueError(f"title {label!r} has too few non-ASCII characters to anchor")
    return frozenset(anchors)


def _compatibility_forms(chars: frozenset[str]) -> tuple[str, str]:
    """The characters NFKC turns into one of `chars` (a compatibility ideograph such as 況
    for 况), split into those giving one occurrence and those giving several.

    Decomposition mappings exist only in Unicode planes 0–2, so those are the ones scanned
    (once per process, ~30 ms).
    """
    single, several = [], []
    for code in range(0x30000):
        c = chr(code)
        if not unicodedata.decomposition(c):
            continue
        n = sum(d in chars for d in unicodedata.normalize("NFKC", c))
        if n == 1:
            single.append(c)
        elif n > 1:
            several.append(c)
    return "".join(single), "".join(several)


_ANCHORS = _anchor_chars((label for _, label in _LABELS), _ANCHOR_HITS, _ANCHOR_PREFERENCE)
_SINGLE_FORMS, _SEVERAL_FORMS = _compatibility_forms(_ANCHORS)
_CLASS = re.escape("".join(sorted(_ANCHORS)) + _SINGLE_FORMS)
# HITS occurrences of an anchor or of a form NFKC makes one of: […][^…]*[…][^…]*[…]. The two
# classes are disjoint, so the search cannot backtrack more than the text's length.
_ANCHORED = re.compile(
    f"[^{_CLASS}]*".join([f"[{_CLASS}]"] * _ANCHOR_HITS)
    + (f"|[{re.escape(_SEVERAL_FORMS)}]" if _SEVERAL_FORMS else "")
)


def _may_match_a_title(text: str) -> bool:
    """False only for a text that no title can match (see the comment above `_ANCHOR_HITS`).

    Searched on the text as printed: NFKC costs ~2,500 instructions a character on a line
    with full-width punctuation, which most lines of a report have.
    """
    return _ANCHORED.search(text) is not None


def _only_filled_cell(cells: list[Cell]) -> str:
    """The text of the row's only filled cell, as `Block.heading_text` takes it, else "";
    without listing every cell: a table row is given up at its second filled cell."""
    found = ""
    for cell in cells:
        if cell.text:
            if found:
                return ""
            found = cell.text
    return found


# How a text that may match a title matches them: its enumerator, and (section position,
# score) of each title it matches, in position order.
TitleScores = tuple[str | None, tuple[tuple[int, float], ...]]


def _score_titles(text: str) -> TitleScores:
    enum, rest = split_enumerator(text)
    scores = _TITLES.scores(fold(rest))
    return enum, tuple(sorted(scores.items()))


# Only texts past the pre-filter: the headings themselves and the few table labels that
# share enough of their characters, which come back in every report.
_TITLE_SCORES: TextMemo[TitleScores] = TextMemo(_score_titles)


def heading_candidates(doc: Document) -> list[Heading]:
    out: list[Heading] = []
    for i, block in enumerate(doc.blocks):
        # Block.heading_text, inlined for the two common cases: this loop sees every block.
        cells = block.cells
        if cells is None:
            text = block.text
        elif len(cells) == 1:  # one-cell-per-line layouts make a row of every line
            text = cells[0].text
        else:
            text = _only_filled_cell(cells)
        # ASCII (numbers, mostly): every title needs non-ASCII anchors; str.isascii is O(1).
        if not text or text.isascii():
            continue
        text = text.strip().rstrip(_TRAILING)
        if not text or len(text) > MAX_HEADING or not _may_match_a_title(text):
            continue
        enum, scores = _TITLE_SCORES(text)
        for index, score in scores:
            out.append(Heading(SECTIONS[index].key, index, i, block.line, enum, text, score))
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
    nearest found sections before and after it in template order; empty when those two
    are adjacent (the section is absent: no table, not the whole document).
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
        return start, start
    return start, end


def paragraph_text(blocks: list[Block]) -> str:
    # A list, not a generator: join makes one of a generator first anyway.
    return "\n".join([b.text for b in blocks if b.cells is None])


def is_top_level_enumerated(text: str) -> str | None:
    """The numeral of a line numbered like a top-level heading (一、), else None."""
    s = text.lstrip()
    i = 0
    while i < len(s) and i < 3 and s[i] in CN_NUMERALS:
        i += 1
    if i and i < len(s) and s[i] == "、":
        return s[:i]
    return None
