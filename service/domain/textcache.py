"""A bounded memo for functions of one piece of client text (a cell, a label, a line).

The table labels, column headers and numbers of a report are the template's, so the same
short texts come back in every report and in several passes over each: reading them once
per process instead of once per pass and per report is most of the parser's speed. The
memo is keyed by client text, so it is bounded twice over (at most `ENTRIES` entries, and
only texts no longer than a label are kept), which keeps memory flat however many requests
are served; a longer text is computed every time, as without the memo.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

T = TypeVar("T")

# As long as the longest label (labels.MAX_LABEL), enumerator and group heading glued on
# included; running text and hostile megabyte cells are never kept. A report has a few
# hundred short texts, most of them the template's; with every memo full of distinct
# texts of this length (every table memo built), the process holds about 7 MB more.
LONGEST_KEPT = 64
ENTRIES = 2048


class TextMemo(dict[str, T], Generic[T]):
    """`fn` of a text, remembered for short texts: `memo[text]` or `memo(text)`.

    A dict rather than `functools.lru_cache`: a hit is a dict lookup in C, where
    lru_cache needs a Python wrapper to keep long texts out, which cost more than the
    lookup itself in the table reader's per-cell loop. When full it starts over (the
    template's texts come back at once), so it never holds more than `ENTRIES` texts.
    `fn` must be pure, and what it returns must not be changed by callers: it is shared.
    """

    # Every memo of the process, for `forget_all` (by id: a dict is not hashable).
    _every: ClassVar[weakref.WeakValueDictionary[int, TextMemo[Any]]] = weakref.WeakValueDictionary()

    def __init__(self, fn: Callable[[str], T]):
        super().__init__()
        self.fn = fn
        TextMemo._every[id(self)] = self

    @classmethod
    def forget_all(cls) -> None:
        """Empty every memo: the process as if it had never read a report (for the
        benchmark's figure of a report whose texts were never seen, and for tests)."""
        for memo in list(cls._every.values()):
            memo.clear()

    def __missing__(self, text: str) -> T:
        value = self.fn(text)
        if len(text) <= LONGEST_KEPT:
            if len(self) >= ENTRIES:
                self.clear()
            self[text] = value
        return value

    # Called like the function it remembers, without a Python frame in between.
    __call__ = dict.__getitem__
