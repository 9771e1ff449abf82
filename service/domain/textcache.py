"""A bounded memo for functions of one piece of client text (a cell, a label, a line).

The table labels, column headers and numbers of a report are the template's, so the same
short texts come back in every report and in several passes over each: reading them once
per process instead of once per pass and per report is most of the parser's speed. The
memo is keyed by client text, so it is bounded twice over (a fixed number of entries, and
only texts no longer than a label are kept), which keeps memory flat however many requests
are served; a longer text is computed every time, as without the memo.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Longer than any printed label with its enumerator and group heading glued on; running
# text and hostile megabyte cells are never kept.
LONGEST_KEPT = 100
ENTRIES = 4096


def text_cache(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` memoised for short texts, in at most `ENTRIES` entries (least recently used go).

    `fn` must be pure, and what it returns must not be changed by its callers: it is shared.
    """
    cached = functools.lru_cache(maxsize=ENTRIES)(fn)

    @functools.wraps(fn)
    def call(text: str) -> T:
        return cached(text) if len(text) <= LONGEST_KEPT else fn(text)

    call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    call.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return call
