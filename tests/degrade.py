"""The degradation harness: a rendered consistent report turned into the shapes real reports
arrive in (issue 10, item 3), so that a property can be checked over many random tables:
no error-severity finding, and every cell either exact or `null` (not read) — never a wrong
number.

A report starts as `service.domain.render.render_report(consistent_values(seed, template))`
(tab layout), is parsed once (it must read back exactly: `base`), and is then rendered again
from that result in a degraded shape:

* HTML (`portal_page`): the whole CMS page — collector's wrapper (标题/单位/来源/采集时间),
  `<head>` with meta tags, site header with search form and menus, a metadata table
  (名称/索引号/发布机构/公开日期) as the page's first table, the `<h1>` title, the Word-pasted
  body, footer and scripts; inside the tables, `WordStyle` chooses per cell how the markup
  breaks: labels split over `<p>`/`<span>`/`<font>`/`<o:p>` runs padded with `&nbsp;`, tall
  `rowspan` labels one character per paragraph, `<br>` inside headers;
* text (`TEXT_SHAPES`): what crawlers and converters make of such pages — each a function
  from the tab-layout report text to the degraded text.

Every mutator is seeded (`random.Random`), so a failing example is reproduced by its seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from renderings import Grid, Span, cut, report_grids
from service.domain.models import ParseResult
from service.domain.pipeline import parse_text
from service.domain.render import consistent_values, render_report

Values = dict[str, dict[str, dict[str, Any]]]
TABLES = ("active_disclosure", "applications", "reviews_litigation")


# ------------------------------------------------------------------ the starting report


def report_values(seed: int, template: str) -> Values:
    return consistent_values(seed=seed, template=template)


def base_report(values: Values, template: str) -> tuple[str, ParseResult]:
    """The tab-layout report and its parse (which the caller may check reads exactly)."""
    year = 2023 if template == "2021" else 2020
    text = render_report(values, layout="tab", template=template, agency="某县示例局", year=year)
    return text, parse_text(text)


def table_values(result: ParseResult) -> Values:
    out: Values = {}
    for key in TABLES:
        table = getattr(result.tables, key)
        out[key] = {r.key: dict(r.values) for r in table.rows} if table else {}
    return out


def wrong_cells(result: ParseResult, values: Values) -> list[str]:
    """Cells read as a number that is not the truth (a `null` is not wrong)."""
    got = table_values(result)
    bad = []
    for t, rows in values.items():
        for r, cols in rows.items():
            for c, want in cols.items():
                v = got.get(t, {}).get(r, {}).get(c)
                if v is not None and str(v) != str(want):
                    bad.append(f"{t}.{r}.{c}: {want!r} read as {v!r}")
    return bad


def missing_cells(result: ParseResult, values: Values) -> list[str]:
    """Cells of the truth read as `null` although they hold a number."""
    got = table_values(result)
    return [f"{t}.{r}.{c}" for t, rows in values.items() for r, cols in rows.items()
            for c, want in cols.items() if want is not None and got.get(t, {}).get(r, {}).get(c) is None]


def errors(result: ParseResult) -> list[str]:
    return [f"{i.code}@{i.location.table}.{i.location.row}.{i.location.column}"
            for i in result.issues if i.severity == "error"]


# ------------------------------------------------------------------ Word-pasted HTML


@dataclass
class WordStyle:
    """How the markup of one page breaks its cells (each a probability per cell)."""

    split_runs: float = 0.0  # a label over <span>/<font> runs, some only &nbsp;
    split_paragraphs: float = 0.0  # a label over two <p> of the cell
    vertical: bool = False  # a label spanning 4+ rows: one character per paragraph
    header_br: float = 0.0  # a <br> inside a header cell
    nbsp_blank: bool = True  # a blank cell holds &nbsp;/<o:p> </o:p>


_RUN_TAGS = (
    ("<span style='font-family:宋体;mso-ascii-font-family:Calibri'>", "</span>"),
    ("<span lang=EN-US style='font-size:10.5pt'>", "</span>"),
    ("<font face=宋体>", "</font>"),
    ("<span style='mso-spacerun:yes'>", "<o:p></o:p></span>"),
)


def _runs(text: str, rng: random.Random, style: WordStyle) -> str:
    """`text` as Word's runs: split where a cut between two wide characters is, each piece in
    a run, empty &nbsp; runs between some (Word's padding), `<o:p>` at the end."""
    pieces = [text]
    if rng.random() < style.split_runs:
        pieces = []
        rest = text
        for _ in range(rng.randint(1, 3)):
            i = cut(rest, rng.randint(1, max(1, len(rest) - 1)))
            if not i:
                break
            pieces.append(rest[:i])
            rest = rest[i:]
        pieces.append(rest)
    out = []
    for n, p in enumerate(pieces):
        open_, close = rng.choice(_RUN_TAGS)
        out.append(f"{open_}{escape(p)}{close}")
        if n + 1 < len(pieces) and rng.random() < 0.3:
            out.append("<span lang=EN-US><o:p></o:p></span>")
    pad = "<span lang=EN-US>&nbsp;</span>" if rng.random() < 0.3 else ""
    return pad + "".join(out) + pad + "<o:p></o:p>"


def _label_cell(span: Span, rng: random.Random, style: WordStyle, header: bool) -> str:
    text = span.text
    if style.vertical and span.rowspan >= 4 and len(text) <= 12:
        return "".join(f"<p class=MsoNormal align=center><span>{escape(c)}</span></p>" for c in text)
    if header and rng.random() < style.header_br and cut(text, len(text) // 2):
        i = cut(text, len(text) // 2)
        return f"<p class=MsoNormal align=center>{_runs(text[:i], rng, style)}<br>{_runs(text[i:], rng, style)}</p>"
    if rng.random() < style.split_paragraphs and cut(text, len(text) // 2):
        i = cut(text, len(text) // 2)
        return (f"<p class=MsoNormal>{_runs(text[:i], rng, style)}</p>"
                f"<p class=MsoNormal>{_runs(text[i:], rng, style)}</p>")
    return f"<p class=MsoNormal>{_runs(text, rng, style)}</p>"


def _value_cell(span: Span, style: WordStyle) -> str:
    if not span.text:
        blank = "<o:p>&nbsp;</o:p>" if style.nbsp_blank else ""
        return f"<p class=MsoNormal align=center><span lang=EN-US>{blank}</span></p>"
    return (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
            f"style='font-size:10.5pt'>{escape(span.text)}<o:p></o:p></span></p>")


def _td(span: Span, rng: random.Random, style: WordStyle, header: bool) -> str:
    attrs = (f" colspan={span.colspan}" if span.colspan > 1 else "") + (f" rowspan={span.rowspan}" if span.rowspan > 1 else "")
    inner = _value_cell(span, style) if span.numeric or not span.text else _label_cell(span, rng, style, header)
    return f"<td width=64 valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'{attrs}>\r\n{inner}</td>"


def word_table(grid: Grid, rng: random.Random, style: WordStyle) -> str:
    rows = []
    for r, row in enumerate(grid):
        header = not any(s.numeric for s in row)
        cells = "\r\n".join(_td(s, rng, style, header and r < 4) for s in row)
        rows.append(f"<tr style='mso-yfti-irow:{r};height:18.0pt'>\r\n{cells}\r\n</tr>")
    return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;mso-yfti-tbllook:1184'>\r\n<tbody>"
            + "\r\n".join(rows) + "</tbody></table>")


def _p(text: str) -> str:
    return (f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;"
            f"font-family:仿宋_GB2312'>{escape(text)}</span></p>")


def word_body(result: ParseResult, text: str, rng: random.Random, style: WordStyle) -> str:
    """The report's body as Word-pasted editor HTML: its lines as paragraphs, and each table
    section as its heading, its tables as Word tables and one line of text (the section's own
    lines, which in a text report hold the table, are left out)."""
    grids = report_grids(result, split_applications=rng.random() < 0.5)
    headings = {s.line: s.key for s in result.sections}
    title = "".join((result.meta.title or "").split())
    in_table = False
    out: list[str] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if n in headings:
            out.append(f"<p class=MsoNormal><b><span style='font-family:黑体'>{escape(line)}</span></b></p>")
            in_table = headings[n] in grids
            out.extend(word_table(g, rng, style) for g in grids.get(headings[n], []))
            if in_table:
                out.append(_p("本年度情况见上表。"))
        elif not in_table and line.strip() and "".join(line.split()) not in title:  # the <h1> has the title
            out.append(_p(line))
    return "\r\n".join(out)


def portal_page(result: ParseResult, text: str, rng: random.Random, style: WordStyle, collector: bool = True,
                layout_tables: bool = False) -> str:
    """The whole CMS page around the body, as a site serves it and a collector saves it;
    with `layout_tables`, an older CMS's page laid out in nested tables (the report's own
    tables and the metadata table inside a frame table's cells)."""
    title = result.meta.title or "政府信息公开工作年度报告"
    agency = result.meta.agency or "某县示例局"
    meta_table = (
        "<table class=xxgk_table><tr><td>名称</td><td colspan=3>" + escape(title) + "</td></tr>"
        "<tr><td>索引号</td><td>014314799/2024-00002</td><td>分类</td><td>信息公开年报&nbsp;&nbsp;其他</td></tr>"
        f"<tr><td>发布机构</td><td>{escape(agency)}</td><td>公开日期</td><td>2024-01-17</td></tr>"
        "<tr><td>文号</td><td></td><td>关键词</td><td></td></tr></table>"
    )
    frame = ("<table width=1000 align=center><tr><td width=200><ul><li>政府信息公开指南</li></ul></td>"
             "<td><table width=100%><tr><td>", "</td></tr></table></td></tr></table>")
    page = (
        "<!DOCTYPE html><html xmlns:o='urn:schemas-microsoft-com:office:office'><head>"
        "<meta charset='utf-8'><meta name='ArticleTitle' content='" + escape(title) + "'>"
        "<meta name='ColumnName' content='政府信息公开年报'><title>" + escape(title) + "-某县人民政府</title>"
        "<style>.nav li{float:left}</style><script>var m='<table><tr><td>一、总体情况</td></tr></table>';</script>"
        "</head><body><div class=top><span>2025年12月30日 星期二</span><a>繁體版</a><a>无障碍</a></div>"
        "<div class=header><h2>某县人民政府</h2><form action=/search><input name=q value='请输入关键字'>"
        "<button>搜索</button><select><option>全站</option></select></form>"
        "<ul class=nav><li>首页</li><li>走进某县</li><li>政府信息公开</li><li>政民互动</li></ul></div>"
        "<div class=side><h3>政府信息公开</h3><ul><li>法定主动公开内容</li><li>政府信息公开年报</li></ul></div>"
        "<div class=crumb>当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>"
        + (frame[0] if layout_tables else "") + meta_table +
        "<h1 class=title>" + escape(title) + "</h1><div class='TRS_Editor'><div class=WordSection1>"
        + word_body(result, text, rng, style) +
        "</div></div>" + (frame[1] if layout_tables else "") + "<div class=share>分享到：<a>微信</a><a>微博</a></div>"
        "<div class=footer><p>主办单位：某县人民政府办公室　网站标识码：3213220001</p>"
        "<p>苏ICP备05009061号　<a>网站地图</a></p></div>"
        "<script>document.write('<div>访问量</div>');</script><script src='/js/stat.js'></script></body></html>"
    )
    if not collector:
        return page
    return (
        "<html><head><meta charset='utf-8'></head><body><div class='meta'>"
        f"<p>标题：{escape(title)}-某县示例局</p><p>单位：{escape(agency)}</p>"
        "<p>来源：http://www.example.gov.cn/xxgk/202401/t20240117_1.html</p>"
        "<p>采集时间：2025-12-30T21:37:37+08:00</p></div><div class='content'>" + page + "</div></body></html>"
    )


# ------------------------------------------------------------------ text shapes


TextShape = Callable[[str, random.Random], str]
_HEADING = re.compile(r"^[一二三四五六]、")


def _table_lines(text: str) -> list[tuple[int, list[str]]]:
    """(line index, cells) of each table row of a tab-layout report."""
    return [(n, line.split("\t")) for n, line in enumerate(text.split("\n")) if "\t" in line]


def crawler_spaces(text: str, rng: random.Random) -> str:
    """A crawler's 'copy text': each table's rows run together on one line, cells separated
    by one space only (blank cells vanish), the rest of the report kept as lines."""
    out: list[str] = []
    run: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            run.append(" ".join(c for c in line.split("\t") if c.strip()))
            continue
        if run:
            out.append(" ".join(run))
            run = []
        out.append(line)
    return "\n".join(out)


def crawler_one_line(text: str, rng: random.Random) -> str:
    """The whole report on one line after a collector's header, cells separated by spaces."""
    flat = crawler_spaces(text, rng)
    body = " ".join(line for line in flat.split("\n") if line.strip())
    return f"标题: {text.split(chr(10))[0]}\n发布时间: 2024-01-20 15:22\n==== 正文 ====\n{body}\n"


def crawler_glued(text: str, rng: random.Random) -> str:
    """Text nodes joined with no separator at all: a label runs into its numbers and the
    numbers into each other (规范性文件898989), rows one after another on one line."""
    out: list[str] = []
    run: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            run.append("".join(c for c in line.split("\t")))
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(line)
    return "\n".join(out)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_rule(n: int) -> str:
    return "|" + "---|" * n


def markdown_per_group(text: str, rng: random.Random, placeholder: str | None = None,
                       repeat_header: bool = False, dash_tables: bool = False,
                       footer: bool = False) -> str:
    """Converter Markdown: each table as small pipe tables of a few rows, each with a header
    row of its own (the table's first row, or placeholders 数据1…, 列1…), optionally the
    header repeated, `-` placeholder tables and a page footer between the small tables."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        i = 0
        while i < len(rows):
            k = rng.randint(2, 5)
            part, first = [[*r, *[""] * (width - len(r))] for r in rows[i : i + k]], i == 0
            i += k
            if placeholder is not None:
                head, body = [f"{placeholder}{j + 1}" for j in range(width)], part
            elif repeat_header and not first:
                head, body = [*rows[0], *[""] * (width - len(rows[0]))], part
            else:
                head, body = part[0], part[1:]
            out.extend([_md_row(head), _md_rule(width), *(_md_row(r) for r in body), ""])
            if dash_tables and rng.random() < 0.5:
                out.extend([_md_row(["-"] * 3), _md_rule(3), _md_row(["-"] * 3), ""])
            if footer and rng.random() < 0.5:
                out.extend([f"— {rng.randint(2, 9)} —", ""])
        rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out)


def markdown_labels_floated(text: str, rng: random.Random) -> str:
    """Converter Markdown where some row labels float out of their row onto a line of their
    own just before it (the row keeps its numbers, its label cell empty)."""
    out: list[str] = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if "\t" in line and any(c.strip().isdigit() for c in cells) and rng.random() < 0.4:
            labels = [c for c in cells if c.strip() and not c.strip().lstrip("-").replace(".", "").isdigit()]
            if labels:
                out.append("".join(labels))
                cells = [c if c not in labels else "" for c in cells]
        out.append(_md_row(cells) if "\t" in line else line)
    return "\n".join(out)


def markdown_group_split(text: str, rng: random.Random) -> str:
    """Converter Markdown where a group heading is split across two rows: （三）不予 in the
    first row's label cell, 公开 in the next row's."""
    out: list[str] = []
    carry = ""
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        for k, c in enumerate(cells):
            m = re.match(r"^(（[三四五六]）[^0-9]{2,4})(\d+\..*)$", c)
            if m and not carry:
                head = m.group(1)
                cut_at = len(head) // 2 + 1
                cells[k] = head[:cut_at] + m.group(2)
                carry = head[cut_at:]
                break
            if carry and re.match(r"^\d+\.", c):
                cells[k] = carry + c
                carry = ""
                break
        out.append(_md_row(cells))
    return "\n".join(out)


def table_as_one_row(text: str, rng: random.Random) -> str:
    """Table 二 (active disclosure) printed as one Markdown row: every label and number of
    the table one after another in one row (the other tables as Markdown rows)."""
    out: list[str] = []
    run: list[str] = []
    section = 0
    for line in text.split("\n"):
        if _HEADING.match(line) and "\t" not in line:
            section += 1
        if "\t" in line and section == 2:
            run += [c for c in line.split("\t") if c.strip()]
            continue
        if run:
            out += [_md_row(run), _md_rule(len(run))]
            run = []
        out.append(_md_row(line.split("\t")) if "\t" in line else line)
    return "\n".join(out)


TEXT_SHAPES: dict[str, TextShape] = {
    "crawler-spaces": crawler_spaces,
    "crawler-one-line": crawler_one_line,
    "crawler-glued": crawler_glued,
    "markdown-per-group": markdown_per_group,
    "markdown-placeholder-数据": lambda t, r: markdown_per_group(t, r, placeholder="数据"),
    "markdown-placeholder-列": lambda t, r: markdown_per_group(t, r, placeholder="列"),
    "markdown-repeated-header": lambda t, r: markdown_per_group(t, r, repeat_header=True),
    "markdown-dash-tables": lambda t, r: markdown_per_group(t, r, dash_tables=True),
    "markdown-page-footer": lambda t, r: markdown_per_group(t, r, footer=True),
    "markdown-labels-floated": markdown_labels_floated,
    "markdown-group-split": markdown_group_split,
    "markdown-table-one-row": table_as_one_row,
}


def markdown_labels_after(text: str, rng: random.Random) -> str:
    """Converter Markdown where some row labels float out of their row onto loose lines just
    after it, wrapped over two lines (the row keeps its numbers, its label cell empty)."""
    out: list[str] = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if "\t" not in line:
            out.append(line)
            continue
        labels = [c for c in cells if c.strip() and not re.fullmatch(r"-?[\d.]+", c.strip())]
        numbers = len(cells) - len(labels) > 2
        if numbers and labels and rng.random() < 0.4:
            out.append(_md_row([c if c not in labels else "" for c in cells]))
            label = "".join(labels)
            i = cut(label, len(label) // 2) or len(label)
            out.extend(p for p in (label[:i], label[i:]) if p)
        else:
            out.append(_md_row(cells))
    return "\n".join(out)


def markdown_page_number(text: str, rng: random.Random) -> str:
    """Converter Markdown with a bare page number on a line of its own between two rows of a
    table (a PDF page break inside the table)."""
    out: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            out.append(_md_row(line.split("\t")))
            if rng.random() < 0.1:
                out.append(str(rng.randint(1, 9)))
        else:
            out.append(line)
    return "\n".join(out)


TEXT_SHAPES["markdown-converter-mix"] = lambda t, r: markdown_per_group(
    t, r, repeat_header=True, dash_tables=True, footer=True)
TEXT_SHAPES["markdown-labels-after"] = markdown_labels_after
TEXT_SHAPES["markdown-page-number"] = markdown_page_number


def combine(*shapes: str) -> TextShape:
    """Shapes applied one after another: a converter's tables, then a crawler's flattening."""
    def apply(text: str, rng: random.Random) -> str:
        for name in shapes:
            text = TEXT_SHAPES[name](text, rng)
        return text
    return apply


# ------------------------------------------------------------------ value shapes


LEGAL_COLUMNS = ("commercial", "research", "social_welfare", "legal_services", "other")


def blank_legal_columns(values: Values) -> Values:
    """Table 三 with the five 法人或其他组织 columns left blank in every row (the report
    had no such applicants and left the cells empty): `null`, never 0; 总计 = 自然人."""
    out = {t: {r: dict(c) for r, c in rows.items()} for t, rows in values.items()}
    for row in out["applications"].values():
        for c in LEGAL_COLUMNS:
            row[c] = None
        row["total"] = row["natural_person"]
    return out


def long_decimals(values: Values, rng: random.Random) -> Values:
    """An amount with more than the four decimals the template asks for (a warning only)."""
    out = {t: {r: dict(c) for r, c in rows.items()} for t, rows in values.items()}
    for row in out["active_disclosure"].values():
        if "amount" in row:
            row["amount"] = f"{rng.randint(0, 9999)}.{rng.randint(0, 999999):06d}"
    return out
