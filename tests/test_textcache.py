"""The memos keyed by client text stay bounded, and the shortcuts taken before them agree
with the full reading they skip."""

from __future__ import annotations

import random

from service.domain import cells
from service.domain.textcache import ENTRIES, LONGEST_KEPT, TextMemo


def test_memo_gives_the_function_and_stays_bounded() -> None:
    calls: list[str] = []

    def measure(text: str) -> int:
        calls.append(text)
        return len(text)

    memo = TextMemo(measure)
    assert memo("abc") == 3 and memo["abc"] == 3 and calls == ["abc"]
    long_text = "x" * (LONGEST_KEPT + 1)
    assert memo(long_text) == LONGEST_KEPT + 1 and memo(long_text) == LONGEST_KEPT + 1
    assert long_text not in memo and calls.count(long_text) == 2
    for n in range(3 * ENTRIES):
        assert memo(str(n)) == len(str(n))
        assert len(memo) <= ENTRIES


def test_shortcuts_agree_with_reading_the_cell() -> None:
    rnd = random.Random(5)
    alphabet = list("0123456789０１２３ .,，+-−－—–/／\\*无空万元件个项条次人家宗\u3000一十规章总计其他单位") + [
        "\uf900",  # a compatibility ideograph (NFKC gives another character)
        "\u2f00",  # a Kangxi radical (NFKC gives 一)
    ]
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
        full = cells._read(text, "signed").status in ("ok", "blank", "negative", "fraction")
        assert cells.is_value_like(text) == full, text
        assert cells.is_blank(text) == (cells._compact(text) in cells.BLANK_MARKS), text
        for kind in ("count", "signed", "amount"):
            assert cells.read_cell(text, kind) == cells._read(text, kind), text
