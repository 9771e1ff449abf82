"""pdfplumber `extract_text()` output: rows taken apart by the extraction are read whole.

The corpus reports in three renderings (the PDF, `pdftotext -layout`, pdfplumber text) give
the same tables; the golden `expected.json` files of the PDF and layout cases hold the
numbers checked against the PDFs. Beyond the corpus, reports of every seed and both
templates, written the way pdfplumber takes tables apart (numbers between or before a
wrapped label, a vertical label's characters glued to lines, page footers), read back to
their tables.
"""

from __future__ import annotations

import json
import random

import msgspec
import pytest
from golden_support import GOLDEN
from reports import values

from service.domain.cells import is_value_like
from service.domain.document import Block
from service.domain.pipeline import parse_bytes, parse_text
from service.domain.render import table_rows
from service.domain.template import SECTIONS
from service.domain.textlayout import reflow

CORPUS = ["huaian-city-2024", "huaian-hongze-2023", "huaian-hongze-2024"]
RENDERINGS = ["pdf", "layout", "pdfplumber"]


def _golden(name: str, rendering: str) -> dict:
    return json.loads((GOLDEN / f"corpus-{name}-{rendering}" / "expected.json").read_text("utf-8"))


def _values(tables: dict) -> dict:
    return {
        k: [(r["key"], r["values"]) for r in t["rows"]] if t else None for k, t in tables.items()
    }


def _findings(issues: list) -> list:
    """Issue code, severity, row and column: what a finding says, not where the form put it."""
    return sorted((i[0], i[1], i[2].get("row"), i[2].get("column")) for i in issues)


@pytest.mark.parametrize("name", CORPUS)
def test_the_three_renderings_of_a_report_give_identical_tables(name: str) -> None:
    goldens = {r: _golden(name, r) for r in RENDERINGS}
    pdf = goldens["pdf"]
    for rendering, golden in goldens.items():
        assert golden["template"] == pdf["template"], rendering
        assert _values(golden["tables"]) == _values(pdf["tables"]), rendering
        assert _findings(golden["issues"]) == _findings(pdf["issues"]), rendering


@pytest.mark.parametrize("name", CORPUS)
def test_pdfplumber_text_parses_to_the_checked_numbers(name: str) -> None:
    # Parsed here rather than only through test_golden: a regenerated expected.json of the
    # pdfplumber case cannot drift from the numbers checked against the PDF.
    result = parse_bytes((GOLDEN / f"corpus-{name}-pdfplumber" / "input.txt").read_bytes())
    tables = msgspec.to_builtins(result.tables)
    layout = _golden(name, "layout")
    assert _values(tables) == _values(layout["tables"])
    issues = [[i.code, i.severity, msgspec.to_builtins(i.location)] for i in result.issues]
    assert _findings(issues) == _findings(layout["issues"])


# ------------------------------------------------------------------ reflow, one case each


def _lines(*texts: str) -> list[Block]:
    return [Block(n, text=t) for n, t in enumerate(texts, start=1)]


def _rows(blocks: list[Block]) -> list[tuple[str, list[str]]]:
    """Each block as (label, numbers), whether it came back as a paragraph or as cells."""
    out = []
    for b in blocks:
        parts = [c.text for c in b.cells] if b.cells is not None else b.text.split()
        k = len(parts)
        while k and parts[k - 1].isdigit():
            k -= 1
        out.append(("".join(parts[:k]), parts[k:]))
    return out


def test_numbers_between_the_parts_of_a_wrapped_label_join_it() -> None:
    blocks = reflow(
        _lines(
            "（二）部分公开（区分处理的，只计",
            "3 0 1 0 0 0 4",
            "这一情形，不计其他情形）",
            "1.属于国家秘密 1 0 0 0 0 0 1",
        )
    )
    assert _rows(blocks) == [
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ["3", "0", "1", "0", "0", "0", "4"],
        ),
        ("1.属于国家秘密", ["1", "0", "0", "0", "0", "0", "1"]),
    ]
    # The numbers keep their own line, the label its own.
    assert [c.line for c in blocks[0].cells or []] == [1, 2, 2, 2, 2, 2, 2, 2]


def test_numbers_before_a_label_belong_to_it() -> None:
    blocks = reflow(
        _lines(
            "（一）予以公开 5 0 0 0 0 0 5",
            "2 0 0 0 0 0 2",
            "1.属于国家秘密",
            "（四）无法提供",
            "7 0 0 0 0 0 7",
            "2.没有现成信息需要另行",
            "制作",
        )
    )
    assert _rows(blocks) == [
        ("（一）予以公开", ["5", "0", "0", "0", "0", "0", "5"]),
        ("1.属于国家秘密", ["2", "0", "0", "0", "0", "0", "2"]),
        ("（四）无法提供", []),
        ("2.没有现成信息需要另行制作", ["7", "0", "0", "0", "0", "0", "7"]),
    ]


def test_numbers_after_each_label_are_left_to_the_reader() -> None:
    # Every label followed by its numbers: the extraction's other order, read as it stands.
    texts = (
        "行政处罚",
        "12",
        "行政强制",
        "3",
        "1.属于国家秘密",
        "1 0 0 0 0 0 1",
        "2.其他法律行政法规禁止公开",
        "0 0 0 0 0 0 0",
    )
    assert reflow(_lines(*texts)) == _lines(*texts)


def test_a_single_value_is_not_joined_to_a_header_after_it() -> None:
    texts = ("行政许可", "550", "第二十条第（六）项", "信息内容 本年处理决定数量", "行政处罚 4119")
    assert reflow(_lines(*texts)) == _lines(*texts)


def test_vertical_label_characters_and_page_footers_go() -> None:
    blocks = reflow(
        _lines(
            "三",
            "、 2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
            "本",
            "- 3 -",
            "度 4.保护第三方合法权益 6 0 0 0 0 0 6",
            "— 4 —3.补正后申请内容仍不明确 1 0 0 0 0 0 1",
            "第 5 页",
        )
    )
    assert [b.text for b in blocks] == [
        "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
        "4.保护第三方合法权益 6 0 0 0 0 0 6",
        "3.补正后申请内容仍不明确 1 0 0 0 0 0 1",
    ]


def test_lines_that_only_look_like_footers_or_strays_stay() -> None:
    texts = (
        "规章 - 3 -",
        "- 3 - 5",
        "总 计",
        "自然人 社会 法律 总计",
        "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0",
    )
    assert reflow(_lines(*texts)) == _lines(*texts)


def test_rows_of_cells_pass_through() -> None:
    blocks = [Block(1, cells=[]), *_lines("1 0 0 0 0 0 1", "1.属于国家秘密")]
    rows_only = [Block(1, cells=[]), Block(2, cells=[])]
    assert reflow(rows_only) is rows_only
    assert reflow(blocks)[0] is blocks[0]


# ------------------------------------------------------------------ whole reports


def _pdfplumber_table(rows: list[list[str]], rng: random.Random, page: list[int]) -> list[str]:
    """A table as pdfplumber's extract_text() gives it: cells joined by spaces; a long label
    wraps with its numbers between or before its parts, or its numbers before it; the vertical
    三、本年度办理结果 scattered over the lines; now and then a page footer."""
    vertical = list("三、本年度办理结果")
    out: list[str] = []
    for row in rows:
        cells = [c for c in row if c]
        k = len(cells)
        while k and is_value_like(cells[k - 1]):
            k -= 1
        texts, numbers = [c for c in cells[:k] if c != "三、本年度办理结果"], " ".join(cells[k:])
        label = "".join(texts)
        if "三、本年度办理结果" in cells[:k]:
            vertical = list("三、本年度办理结果")
        if not numbers:
            out.append(" ".join(texts))
            continue
        style = rng.choice(
            ["inline", "before", "between"] if len(label) > 14 else ["inline", "before"]
        )
        if style == "between":
            cut = rng.randint(8, len(label) - 4)
            lines = [label[:cut], numbers, label[cut:]]
        elif style == "before":
            lines = [numbers, label]
        else:
            lines = [f"{label} {numbers}"]
        if (
            vertical
            and "三、本年度办理结果" not in row
            and any(c.startswith(("（", "1", "2", "3", "4", "5", "6", "7", "8")) for c in texts)
        ):
            at = rng.randrange(len(lines))
            if lines[at][:1] in "（123456789" or lines[at][:1].isdigit():
                lines[at] = f"{vertical.pop(0)} {lines[at]}"
            if vertical and rng.random() < 0.5:
                lines.append(vertical.pop(0))
        out.extend(lines)
        if rng.random() < 0.12:
            page[0] += 1
            out.append(f"- {page[0]} -\f" + out.pop())
    return out


def pdfplumber_report(v: dict, template: str, rng: random.Random) -> str:
    tables = table_rows(v, template)
    page = [1]
    lines = [f"示例市示例局{2023 if template == '2021' else 2020}年政府信息公开工作年度报告", ""]
    for sec in SECTIONS:
        lines.append(f"{sec.number}、{sec.title}")
        if sec.key in tables:
            lines.extend(_pdfplumber_table(tables[sec.key], rng, page))
        else:
            # a problems part of two sentences: one alone is a problems-thin warning
            lines.append(f"本年度{sec.title}如下。" + ("下一步将加强培训。" if sec.key == "problems" else ""))
    lines.append("示例市示例局")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_reports_taken_apart_like_pdfplumber_read_back(template: str, seed: int) -> None:
    v = values(seed=seed, template=template)
    text = pdfplumber_report(v, template, random.Random(seed * 31 + len(template)))
    result = parse_text(text)
    got = {k: {r.key: r.values for r in getattr(result.tables, k).rows} for k in v}
    assert result.template == template
    assert got == v, text
    assert result.issues == []


def test_the_synthetic_reports_do_take_rows_apart() -> None:
    # The test above would prove nothing if the writer never moved a row's numbers.
    text = "\n".join(
        pdfplumber_report(values(seed=s, template="2021"), "2021", random.Random(s * 31 + 4))
        for s in range(1, 7)
    )
    lines = text.split("\n")
    alone = [
        n
        for n, line in enumerate(lines)
        if line and all(t.replace(".", "", 1).isdigit() for t in line.split())
    ]
    assert (
        sum(1 for n in alone if n + 1 < len(lines) and lines[n + 1][:1] in "123456789（") >= 10
    )  # before
    assert (
        sum(1 for n in alone if n + 1 < len(lines) and lines[n + 1][:1] not in "123456789（一二四")
        >= 5
    )  # between
    assert any(line.startswith(("度 ", "办 ", "理 ")) for line in lines)
    assert "\f" in text
