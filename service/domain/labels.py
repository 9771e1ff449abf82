"""Tolerant label matching: a printed label against the template's labels.

Labels are compared by their folded form (see `normalize.fold`) after the enumerator
(一、 （三） 2. …) is taken off. A label matches when it is equal, when one is a prefix of the
other and long enough (a label cut by a line break, or with its parenthetical dropped), or
when the Indel similarity (rapidfuzz) is high enough for its length: a missing or extra
character in a long label is tolerated, in a two-character one it is not.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from service.domain.normalize import fold, width_fold
from service.domain.textcache import TextMemo

CN_NUMERALS = "一二三四五六七八九十"
_ENUM_END = "、.,，．"
# A label longer than this is running text, not a table label.
MAX_LABEL = 64


# The same line is split by the heading finder, the reflow pass and the table readers, and
# the template's labels recur in every report.
@TextMemo
def split_enumerator(text: str) -> tuple[str | None, str]:
    """Split a leading enumerator off: ('三', '本年度办理结果') for 三、本年度办理结果.

    Handles 一、 （一） (一) 1. 1、 and a stray numeral before a numbered label (a character
    of a vertical merged cell glued to the row label in a PDF extraction).
    """
    s = "".join(width_fold(text).split())
    first = s[:1]
    if first != "(" and first not in CN_NUMERALS and not first.isdigit():
        return None, s  # most texts: nothing below can apply
    enum: str | None = None
    for _ in range(2):
        if s[:1] == "(":
            close = s.find(")", 1, 6)
            if close > 1 and all(c in CN_NUMERALS for c in s[1:close]):
                enum, s = s[1:close], s[close + 1 :]
                continue
        i = 0
        while i < len(s) and i < 3 and s[i] in CN_NUMERALS:
            i += 1
        if i and i < len(s) and s[i] in _ENUM_END:
            enum, s = s[:i], s[i + 1 :]
            continue
        if i == 1 and i < len(s) and s[i].isdigit():
            s = s[1:]  # stray character of a vertical label: 三2.其他…
            continue
        j = 0
        while j < len(s) and j < 2 and s[j].isdigit():
            j += 1
        if j and j < len(s) and s[j] in _ENUM_END:
            enum, s = s[:j], s[j + 1 :]
            continue
        break
    return enum, s


@TextMemo
def core(text: str) -> str:
    """The folded label without its enumerator."""
    return fold(split_enumerator(text)[1])


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """Similarity 0–100 of two folded labels, with the prefix rule for cut labels.

    A score below `cutoff` may come back as 0: callers that only act on scores at or above
    a threshold pass it, and rapidfuzz skips the alignment when the lengths alone rule it out.
    """
    if a == b:
        return 100.0
    if not a or not b:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short) and len(short) >= 0.6 * len(long_):
        return 90.0
    if len(short) >= 6 and long_.startswith(short):
        return 82.0
    return fuzz.ratio(a, b, score_cutoff=cutoff)


def threshold(label: str) -> float:
    """How similar a printed label must be to this template label to count as it."""
    n = len(label)
    if n <= 4:
        return 100.0
    if n <= 8:
        return 85.0
    return 80.0


K = TypeVar("K", bound=Hashable)


class LabelIndex(Generic[K]):
    """Folded labels, each standing for a key, matched against a text in one pass.

    Gives the same scores as calling `similarity` on every label, but only for the few labels
    that can reach their threshold: those rapidfuzz finds at or above the lowest threshold in
    one C loop, and those in a prefix relation with the text (the prefix rule can lift a
    label above its Indel ratio). Every text cell and every short line of a report is
    matched, so this is the parser's innermost loop.
    """

    def __init__(
        self,
        entries: Iterable[tuple[K, str]],
        bar: Callable[[str], float] = threshold,
        longest: int | None = MAX_LABEL,
    ):
        self._longest = longest
        self._keys: list[K] = []
        self._labels: list[str] = []
        self._bars: list[float] = []
        self._by_first: dict[str, list[int]] = {}
        for key, label in entries:
            if not label:
                continue
            self._by_first.setdefault(label[0], []).append(len(self._labels))
            self._keys.append(key)
            self._labels.append(label)
            self._bars.append(bar(label))
        self._floor = min(self._bars, default=100.0)
        # A text sharing no character with any label scores 0 against all of them.
        self._chars = frozenset("".join(self._labels))
        # Printed labels recur across all reports (they are the template's), so most texts
        # are scored once per process, not once per cell.
        self._known_scores = TextMemo(self._scores)

    def shares_nothing(self, text: str) -> bool:
        """Whether `text` has no character of any label, so matches none of them."""
        return self._chars.isdisjoint(text)

    def scores(self, text_core: str) -> dict[K, float]:
        """The best score per key among labels whose threshold `text_core` reaches."""
        return dict(self._known_scores[text_core])  # a copy: the remembered one is shared

    def _scores(self, text_core: str) -> dict[K, float]:
        if not text_core or (self._longest is not None and len(text_core) > self._longest):
            return {}
        if self.shares_nothing(text_core):
            return {}
        found = {
            i
            for _, _, i in process.extract(
                text_core, self._labels, scorer=fuzz.ratio, score_cutoff=self._floor, limit=None
            )
        }
        for i in self._by_first.get(text_core[0], ()):
            label = self._labels[i]
            if label.startswith(text_core) or text_core.startswith(label):
                found.add(i)
        out: dict[K, float] = {}
        for i in found:
            bar = self._bars[i]
            score = similarity(text_core, self._labels[i], bar)
            key = self._keys[i]
            if score >= bar and score > out.get(key, 0.0):
                out[key] = score
        return out
