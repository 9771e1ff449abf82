"""The reflow pass (`service/domain/textlayout.py`): PDF-text rows put back together before
the table reader cuts them into cells."""

from __future__ import annotations

from service.domain.document import Block, Cell
from service.domain.textlayout import reflow


def paragraphs(*lines: str) -> list[Block]:
    return [Block(n, text=t) for n, t in enumerate(lines, 1)]


def texts(blocks: list[Block]) -> list[str]:
    return [b.text if b.cells is None else " ".join(c.text for c in b.cells) for b in blocks]


def test_rows_of_cells_pass_through_untouched() -> None:
    blocks = [Block(1, cells=[Cell("规章", 1), Cell("1", 1)])]
    assert reflow(blocks) is blocks


def test_numbers_between_the_parts_of_a_label_join_it() -> None:
    out = reflow(paragraphs("（二）部分公开（区分处理的，只计这一情", "4 0 0 0 0 0 4", "形，不计其他情形）"))
    assert texts(out) == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形） 4 0 0 0 0 0 4"]
    # Each cell keeps the line it came from.
    assert [c.line for c in out[0].cells or []] == [1, 2, 2, 2, 2, 2, 2, 2]


def test_numbers_before_a_label_belong_to_it() -> None:
    out = reflow(paragraphs("1 0 0 0 0 0 1", "1.属于国家秘密"))
    assert texts(out) == ["1.属于国家秘密 1 0 0 0 0 0 1"]


def test_a_group_heading_between_numbers_and_their_row_stays() -> None:
    out = reflow(paragraphs("7 0 0 0 0 0 7", "（四）无法提供", "1.本机关不掌握相关政府信息"))
    assert texts(out) == ["（四）无法提供", "1.本机关不掌握相关政府信息 7 0 0 0 0 0 7"]


def test_page_footers_and_stray_characters_of_vertical_cells_go() -> None:
    out = reflow(paragraphs("- 3 -", "度 4.保护第三方合法权益 0 0 0 0 0 0 0", "、", "第 3 页"))
    assert texts(out) == ["4.保护第三方合法权益 0 0 0 0 0 0 0"]


def test_numbers_after_an_open_label_are_left_to_the_reader() -> None:
    """A label still waiting, and the next row's numbers on the line after it: the layout
    puts numbers after labels."""
    lines = ("1.属于国家秘密", "1 0 0 0 0 0 1", "2.其他法律行政法规禁止公开", "0 0 0 0 0 0 0")
    assert texts(reflow(paragraphs(*lines))) == list(lines)
