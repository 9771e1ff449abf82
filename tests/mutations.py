"""Random edits of a label or title, for tests that hold a fast matcher or pre-filter to
the brute-force scoring it stands in for."""

from __future__ import annotations

import random
from collections.abc import Callable


def mutate(
    text: str,
    rnd: random.Random,
    alphabet: str,
    max_edits: int,
    replace: Callable[[str], str] | None = None,
) -> str:
    """`text` after 1 to `max_edits` random edits, each deleting a character, inserting or
    substituting one from `alphabet`, or (when `replace` is given) turning a character
    into `replace(c)` (its compatibility form, say)."""
    chars = list(text)
    kinds = 4 if replace is not None else 3
    for _ in range(rnd.randint(1, max_edits)):
        if not chars:
            break
        kind, i = rnd.randrange(kinds), rnd.randrange(len(chars))
        if kind == 0:
            del chars[i]
        elif kind == 1:
            chars.insert(i, rnd.choice(alphabet))
        elif kind == 2:
            chars[i] = rnd.choice(alphabet)
        else:
            chars[i] = replace(chars[i])  # type: ignore[misc]
    return "".join(chars)
