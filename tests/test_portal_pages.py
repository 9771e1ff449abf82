"""Portal pages: a report inside the whole CMS page, as a site serves it and a collector saves
it, with the Word-pasted markup that breaks labels and headers (see `degrade.portal_page`).

Each class of issue 10's portal pages is held on pages the tests build — every seed, and
random consistent reports over both templates — never on one saved file:
navigation, search form, side menu with its own 政府信息公开 heading, breadcrumb, an older
CMS's frame of layout tables around the content, a metadata
table (名称/索引号/发布机构/公开日期) as the first table, a collector's wrapper
(标题/单位/来源/采集时间), footer and scripts; labels split over <p>/<span>/<font>/<o:p> runs
padded with &nbsp;; tall rowspan labels one character per paragraph; <br> inside headers; a
column left blank in every row (null, not 0); an amount with more than four decimals (a
warning, not an error).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from degrade import (
    LEGAL_COLUMNS,
    WordStyle,
    base_report,
    blank_legal_columns,
    errors,
    long_decimals,
    missing_cells,
    portal_page,
    report_values,
    wrong_cells,
)
from golden_support import GOLDEN
from renderings import comparable_tables
from service.domain.formats import parse_html, read_html
from service.domain.pipeline import parse_bytes

SEEDS = sorted(GOLDEN.glob("seed-*/input.txt"))
STYLES = {
    "plain": WordStyle(),
    "split-runs": WordStyle(split_runs=0.8),
    "split-paragraphs": WordStyle(split_paragraphs=0.6),
    "vertical-labels": WordStyle(vertical=True),
    "header-br": WordStyle(header_br=1.0),
    "all": WordStyle(split_runs=0.7, split_paragraphs=0.3, vertical=True, header_br=0.5),
}


@pytest.mark.parametrize("style", STYLES, ids=str)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.parent.name)
def test_seed_as_a_portal_page_reads_as_its_text(seed: Path, style: str) -> None:
    data = seed.read_bytes()
    text_result = parse_bytes(data)
    page = portal_page(text_result, data.decode("utf-8"), random.Random(style), STYLES[style],
                       collector=style != "plain", layout_tables=style in ("all", "split-runs"))
    result = parse_html(page.encode("utf-8"))
    assert result.template == text_result.template
    assert comparable_tables(result) == comparable_tables(text_result)
    assert [s.key for s in result.sections] == [s.key for s in text_result.sections]
    assert (result.meta.agency, result.meta.year) == (text_result.meta.agency, text_result.meta.year)
    assert errors(result) == errors(text_result) == []


VALUE_SHAPES = ("consistent", "blank-legal-columns", "long-decimals")


@pytest.mark.parametrize("shape", VALUE_SHAPES)
@pytest.mark.parametrize("template", ["2021", "2019"])
@pytest.mark.parametrize("seed", range(4))
def test_generated_portal_page_reads_every_cell(seed: int, template: str, shape: str) -> None:
    values = report_values(seed, template)
    if shape == "blank-legal-columns":
        values = blank_legal_columns(values)
    elif shape == "long-decimals":
        values = long_decimals(values, random.Random(seed))
    text, base = base_report(values, template)
    style = list(STYLES.values())[seed % len(STYLES)] if seed else STYLES["all"]
    result = parse_html(portal_page(base, text, random.Random(seed), style, collector=seed % 2 == 0).encode("utf-8"))
    assert result.template == template
    assert wrong_cells(result, values) == []
    assert missing_cells(result, values) == []
    assert errors(result) == []
    assert (result.meta.agency, result.meta.index_number) == ("某县示例局", "014314799/2024-00002")
    codes = {i.code for i in result.issues}
    if shape == "blank-legal-columns":
        # Blank is null, never 0; a warning asks for the zeros, the arithmetic stays silent.
        assert all(r.values[c] is None for r in result.tables.applications.rows for c in LEGAL_COLUMNS)
        assert "cell-blank" in codes
    if shape == "long-decimals":
        assert "cell-precision" in codes


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        pytest.param("<p class=MsoNormal><span>自然</span><span lang=EN-US>人<o:p></o:p></span></p>", "自然人",
                     id="label-over-two-spans"),
        pytest.param("<p><font face=宋体>法人或</font><font>其他组织</font></p>", "法人或其他组织", id="font-runs"),
        pytest.param("<p><span>（</span><span>一</span><span>）</span><span>予以公开</span><o:p>&nbsp;</o:p></p>",
                     "（一）予以公开", id="enumerator-split-over-runs"),
        pytest.param("".join(f"<p align=center><span>{c}</span></p>" for c in "三、本年度办理结果"), "三、本年度办理结果",
                     id="vertical-label-one-character-per-paragraph"),
        pytest.param("<p>本年新<br>制作数量</p>", "本年新制作数量", id="br-inside-a-header"),
        pytest.param("<p>本年新制\r\n作数量</p>", "本年新制作数量", id="source-line-wrapped-mid-word"),
        pytest.param("<p><span>&nbsp;1</span><span>2</span><o:p></o:p></p>", "12", id="number-over-two-runs"),
        pytest.param("<p><span lang=EN-US><o:p>&nbsp;</o:p></span></p>", "", id="blank-cell"),
    ],
)
def test_a_word_cell_reads_as_its_text(cell: str, text: str) -> None:
    doc = read_html(f"<table><tr><td rowspan=22>{cell}</td><td>1</td></tr></table>")
    assert doc.blocks[0].cells is not None
    assert doc.blocks[0].cells[0].text == text
