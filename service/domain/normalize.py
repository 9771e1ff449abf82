"""Text normalisation: one pass that makes every later step see the same characters.

Two levels. `normalize_text` is applied to the whole input and keeps the report as printed
(so labels, titles and section text come back as the clerk wrote them) while removing what
no reader can see: `\\r\\n`, BOMs, zero-width and direction-control characters; NBSP,
ideographic and other exotic spaces become plain spaces. `fold` is the matching key: NFKC
(full-width digits, letters, brackets and colons to half-width), no whitespace, no quotes,
lower case; labels are compared by their folded form only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters removed outright: BOM, zero-width, word joiner, soft hyphen, direction marks
# and embeddings/isolates. None of them is visible or carries meaning in a report.
_INVISIBLE = dict.fromkeys(
    [0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x00AD, 0x200E, 0x200F, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# Spaces of every width become one ASCII space. Tabs are kept: they separate cells.
_SPACES = {c: " " for c in [0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B)]}
# C0 controls other than tab and newline (NUL, form feed, ...) become line breaks or go.
_CONTROLS: dict[int, str | None] = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0C)}
_CONTROLS[0x0C] = "\n"  # form feed: a page break in extracted PDF text
_CONTROLS[0x7F] = None


def _any_of(codes: Iterable[int]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(codes)) + "]")


# Applied as regex substitutions with a constant replacement rather than one `str.translate`
# with a dict: translate looks every character of a Chinese text up in the dict (~45 ns each,
# half a millisecond for a 12 KB report), a character class scans in C. The three sets are
# disjoint and no replacement is in any of them, so the order does not matter.
_DROPPED = _any_of([*_INVISIBLE, *(c for c, v in _CONTROLS.items() if v is None)])
_TO_SPACE = _any_of(_SPACES)
# Every character `normalize_text` changes (form feed included).
_CHANGED = _any_of([*_INVISIBLE, *_CONTROLS, *_SPACES])

_FOLD_DROP = _any_of(map(ord, " \t\n\"'“”‘’「」『』〝〞·•．.、，,：:;；。"))


def normalize_text(text: str) -> str:
    """Normalise line endings and invisible characters; keep everything a reader sees."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Most reports have none of these characters: one scan for the first of them, and the
    # substitutions (a scan each) only over the text from there on.
    first = _CHANGED.search(text)
    if first is None:
        return text
    start = first.start()
    tail = _TO_SPACE.sub(" ", _DROPPED.sub("", text[start:])).replace("\f", "\n")
    return text[:start] + tail


def fold(text: str) -> str:
    """The matching key of a label: width-folded, without spaces, quotes or punctuation."""
    return _FOLD_DROP.sub("", unicodedata.normalize("NFKC", text)).lower()


def width_fold(text: str) -> str:
    """Full-width to half-width (digits, signs, brackets) without removing anything."""
    return unicodedata.normalize("NFKC", text)
