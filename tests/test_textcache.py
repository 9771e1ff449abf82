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


def test_parsing_keeps_no_long_text_and_forget_all_empties_every_memo() -> None:
    """Whatever a report holds, the memos the parser fills keep only short texts (a memo
    holding every long PDF-text line of every request would grow with the traffic)."""
    from pathlib import Path

    from service.domain.pipeline import parse_text

    # PDF text: table 2's lines are running text, each scored as a possible row label.
    text = (Path(__file__).parent / "golden/corpus-huaian-city-2024-pdfplumber/input.txt").read_text()
    long_line = "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" * 40 + " 1 2 3"
    assert "\n（二）部分公开" in text
    parse_text(text.replace("\n（二）部分公开", "\n" + long_line + "\n（二）部分公开", 1))
    memos = list(TextMemo._every.values())
    assert memos and any(memo for memo in memos)
    assert all(len(key) <= LONGEST_KEPT for memo in memos for key in memo)
    TextMemo.forget_all()
    assert not any(memo for memo in memos)
