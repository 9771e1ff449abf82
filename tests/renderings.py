"""A parsed report rendered back as an editor would store it: CMS HTML and Word .docx.

Driven by the parsed result (its tables' rows, printed labels and values; its sections),
never hand-typed per report. The tables are laid out as the official template prints them,
merged cells and all, as a grid of spanned cells that both renderers share:

* HTML in the shape Word-pasted CMS content has: `mso-` styles, `<p>`/`<span>`/`<br>` and
  `<o:p>` inside cells, source lines wrapped in the middle of Chinese words, `&nbsp;` for
  blanks, a unit typed into a cell, table 2 split over two `<table>` elements, and the whole
  report inside a page with a navigation table, a menu and a footer;
* .docx built with python-docx, merged horizontally (gridSpan) and vertically (vMerge).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from service.domain.models import ParseResult, Row, Table
from service.domain.template import APP_COLUMNS, APPLICATIONS, REVIEW_COLUMNS, REVIEW_ROWS, SECTIONS, TEMPLATES

# The group headings of 表三's rows by their keys' prefix (（三）不予公开 for denied.…).
GROUP_HEADINGS = {
    r.key.split(".")[0]: g.heading
    for r in APPLICATIONS.rows
    if r.group is not None and (g := APPLICATIONS.group_of(r)) is not None
}


@dataclass
class Span:
    text: str
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = False


Grid = list[list[Span]]  # rows of the cells that start in that row, HTML-style

def _value(v: int | str | None) -> str:
    return "" if v is None else str(v)


def active_grid(table: Table, template: str) -> Grid:
    """Table 1 on a 4-column grid: one-column groups span the three number columns."""
    rows = {r.key: r for r in table.rows}
    defs = {r.key: r for r in TEMPLATES[template].active_rows}
    grid: Grid = []
    for head, keys in ((g.heading, g.rows) for g in TEMPLATES[template].table("active_disclosure").groups):
        present = [k for k in keys if k in rows]
        if not present:
            continue
        cols = defs[keys[0]].columns
        span = 3 if len(cols) == 1 else 1
        grid.append([Span(head, colspan=4)])
        labels = []
        for c in cols:
            unit = rows[present[0]].unit if c.kind == "amount" else None
            labels.append(Span(c.label + (f"（单位：{unit}）" if unit else ""), colspan=span))
        grid.append([Span("信息内容"), *labels])
        for k in present:
            row = rows[k]
            grid.append([Span(row.label), *(Span(_value(row.values.get(c.key)), span, numeric=True) for c in cols)])
    return grid


def applications_grids(table: Table, split_before: str | None = None) -> list[Grid]:
    """Table 2 as the template prints it: a 3-row header with merged cells, then each row
    under its merged group cells. With `split_before`, the table is cut into two tables
    before that row, each with its own spans (as a CMS splits a long table)."""
    header: Grid = [
        [Span("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3),
         Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        [Span(c.label) for c in APP_COLUMNS[1:6]],
    ]
    parts: list[list[Row]] = [[]]
    for r in table.rows:
        if r.key == split_before and parts[-1]:
            parts.append([])
        parts[-1].append(r)
    grids = []
    for n, rows in enumerate(parts):
        grid: Grid = [list(h) for h in header] if n == 0 else []
        outcome = [r for r in rows if r.key not in ("new_received", "carried_over", "carried_forward")]
        groups: dict[str, int] = {}
        for r in outcome:
            g = r.key.split(".")[0] if "." in r.key else ""
            if g:
                groups[g] = groups.get(g, 0) + 1
        seen_outcome = False
        seen_groups: set[str] = set()
        for r in rows:
            vals = [Span(_value(r.values.get(c.key)), numeric=True) for c in APP_COLUMNS]
            if r not in outcome:
                grid.append([Span(r.label, colspan=3), *vals])
                continue
            cells: list[Span] = []
            if not seen_outcome:
                cells.append(Span("三、本年度办理结果", rowspan=len(outcome)))
                seen_outcome = True
            g = r.key.split(".")[0] if "." in r.key else ""
            if g:
                if g not in seen_groups:
                    cells.append(Span(GROUP_HEADINGS[g], rowspan=groups[g]))
                    seen_groups.add(g)
                cells.append(Span(r.label))
            else:
                cells.append(Span(r.label, colspan=2))
            grid.append([*cells, *vals])
        grids.append(grid)
    return grids


def reviews_grid(table: Table) -> Grid:
    parts = [c.label for c in REVIEW_COLUMNS]
    values = {r.key: r.values for r in table.rows}
    return [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [*(Span(p, rowspan=2) for p in parts), Span("未经复议直接起诉", colspan=5), Span("复议后起诉", colspan=5)],
        [*(Span(p) for p in parts), *(Span(p) for p in parts)],
        [Span(_value(values.get(r.key, {}).get(c.key)), numeric=True) for r in REVIEW_ROWS for c in REVIEW_COLUMNS],
    ]


def report_grids(result: ParseResult, split_applications: bool = False) -> dict[str, list[Grid]]:
    out: dict[str, list[Grid]] = {}
    t = result.tables
    if t.active_disclosure:
        out["active_disclosure"] = [active_grid(t.active_disclosure, result.template)]
    if t.applications:
        split = None
        if split_applications:
            keys = [r.key for r in t.applications.rows]
            split = keys[len(keys) // 2]
        out["applications"] = applications_grids(t.applications, split)
    if t.reviews_litigation:
        out["reviews_litigation"] = [reviews_grid(t.reviews_litigation)]
    return out


def _section_paragraphs(result: ParseResult, key: str) -> list[str]:
    """A section's running text; the table sections get a line of their own instead, as
    their text in a text report may hold the table's rows."""
    if key in ("active_disclosure", "applications", "reviews_litigation"):
        return ["本年度情况见下表。"]
    sec = next((s for s in result.sections if s.key == key), None)
    return [p for p in (sec.text.split("\n") if sec else []) if p.strip()][:20]


# ------------------------------------------------------------------ HTML


def _wide(ch: str) -> bool:
    return ch >= "\u2e80"


def cut(text: str, at: int) -> int:
    """The place nearest `at` between two wide characters: where a line break in Word's
    HTML source, or between a cell's paragraphs, means no space (0 when there is none)."""
    points = [i for i in range(1, len(text)) if _wide(text[i - 1]) and _wide(text[i])]
    return min(points, key=lambda i: abs(i - at)) if points else 0


def _wrap_source(text: str, width: int = 12) -> str:
    """Word's HTML breaks long source lines, in the middle of Chinese words too."""
    parts = []
    while len(text) > width:
        i = cut(text, width)
        if not i:
            break
        parts.append(text[:i])
        text = text[i:]
    parts.append(text)
    return "\r\n".join(escape(p) for p in parts)


def _html_cell(span: Span, n: int) -> str:
    attrs = ""
    if span.colspan > 1:
        attrs += f" colspan={span.colspan}"
    if span.rowspan > 1:
        attrs += f" rowspan={span.rowspan}"
    style = "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt"
    if not span.text:
        inner = "<p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p>"
    elif span.numeric:
        text = span.text
        if n % 7 == 3 and text.isdigit():
            text = f"{text}件"  # a unit typed into the cell
        inner = (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                 f"style='font-size:10.5pt;mso-bidi-font-size:11.0pt'>{escape(text)}<o:p></o:p></span></p>")
    elif len(span.text) > 10 and cut(span.text, len(span.text) // 2):
        half = cut(span.text, len(span.text) // 2)
        # a long label: two paragraphs, the first with a <br> in its middle
        a, b = span.text[:half], span.text[half:]
        q = cut(a, len(a) // 2) or len(a)
        inner = (f"<p class=MsoNormal><span style='font-family:宋体;mso-ascii-font-family:Calibri'>"
                 f"{_wrap_source(a[:q])}<br>{_wrap_source(a[q:])}</span></p>"
                 f"<p class=MsoNormal><span style='font-family:宋体'>{_wrap_source(b)}<o:p></o:p></span></p>")
    else:
        inner = f"<p class=MsoNormal><span style='font-family:宋体'>{escape(span.text)}</span></p>"
    return f"<td width=60 valign=top style='{style}'>\r\n{inner}</td>"


def _html_table(grid: Grid) -> str:
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
           "style='border-collapse:collapse;mso-table-layout-alt:fixed;mso-yfti-tbllook:1184'>", "<tbody>"]
    n = 0
    for row in grid:
        cells = []
        for span in row:
            n += 1
            cells.append(_html_cell(span, n))
        out.append("<tr style='mso-yfti-irow:0;height:20.0pt'>\r\n" + "\r\n".join(cells) + "\r\n</tr>")
    out.append("</tbody></table>")
    return "\r\n".join(out)


def _p(text: str, heading: bool = False) -> str:
    body = f"<b><span style='font-family:黑体'>{escape(text)}</span></b>" if heading else (
        f"<span style='font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\"'>"
        f"{_wrap_source(text, 38)}</span>")
    return f"<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'>{body}</p>"


def to_html(result: ParseResult, page: bool = True) -> str:
    """The report as Word-pasted CMS HTML; `page` wraps it in a portal page."""
    grids = report_grids(result, split_applications=True)
    body: list[str] = []
    if result.meta.title:
        body.append(f"<p class=MsoTitle align=center style='text-align:center'><span>{escape(result.meta.title)}</span></p>")
    for sec in SECTIONS:
        found = next((s for s in result.sections if s.key == sec.key), None)
        if found is None and sec.key not in grids:
            continue
        body.append(_p(found.title if found else f"{sec.number}、{sec.title}", heading=True))
        for g in grids.get(sec.key, []):
            body.append(_html_table(g))
        body.extend(_p(t) for t in _section_paragraphs(result, sec.key))
    content = "\r\n".join(body)
    if not page:
        return content
    return (
        "<!DOCTYPE html>\r\n<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>政府信息公开</title>"
        "<style>p.MsoNormal{mso-style-parent:\"\";margin:0cm;}</style>"
        "<script>var nav = '<table><tr><td>一、总体情况</td></tr></table>';</script></head>\r\n<body>\r\n"
        "<div class=\"header\"><table class=\"nav\"><tr><td><a href=\"/\">首页</a></td>"
        "<td><a href=\"/zwgk\">政务公开</a></td><td><a href=\"/hdjl\">互动交流</a></td></tr></table>"
        "<ul class=\"menu\"><li>政府信息公开年报</li><li>政策解读</li></ul></div>\r\n"
        "<div class=\"breadcrumb\">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>\r\n"
        f"<div class=\"TRS_Editor\"><div class=\"Section1\" style=\"layout-grid:15.6pt\">\r\n{content}\r\n</div></div>\r\n"
        "<div class=\"footer\"><p>主办单位：某某人民政府办公室　网站标识码：1234567890</p>"
        "<p>ICP备案：京ICP备12345678号</p></div>\r\n"
        "</body></html>\r\n"
    )


# ------------------------------------------------------------------ Word


def place(grid: Grid) -> tuple[list[tuple[int, int, Span]], int]:
    """Grid positions (row, column) of each spanned cell, and the grid's width."""
    occupied: set[tuple[int, int]] = set()
    out: list[tuple[int, int, Span]] = []
    width = 0
    for r, row in enumerate(grid):
        c = 0
        for span in row:
            while (r, c) in occupied:
                c += 1
            out.append((r, c, span))
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    occupied.add((r + dr, c + dc))
            c += span.colspan
            width = max(width, c)
    return out, width


def to_docx(result: ParseResult) -> bytes:
    """The report as a Word document with merged table cells."""
    import docx  # python-docx, a test dependency

    document = docx.Document()
    if result.meta.title:
        document.add_paragraph(result.meta.title)
    grids = report_grids(result)
    for sec in SECTIONS:
        found = next((s for s in result.sections if s.key == sec.key), None)
        if found is None and sec.key not in grids:
            continue
        document.add_paragraph(found.title if found else f"{sec.number}、{sec.title}")
        for grid in grids.get(sec.key, []):
            placed, width = place(grid)
            table = document.add_table(rows=len(grid), cols=width)
            table.style = "Table Grid"
            for r, c, span in placed:
                cell = table.cell(r, c)
                if span.rowspan > 1 or span.colspan > 1:
                    cell = cell.merge(table.cell(r + span.rowspan - 1, c + span.colspan - 1))
                half = cut(span.text, len(span.text) // 2) if len(span.text) > 10 else 0
                if half and not span.numeric:  # a label over two paragraphs of the cell
                    cell.paragraphs[0].text = span.text[:half]
                    cell.add_paragraph(span.text[half:])
                else:
                    cell.paragraphs[0].text = span.text
        for text in _section_paragraphs(result, sec.key):
            document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def comparable_tables(result: ParseResult) -> dict:
    """The tables without source positions (lines differ between forms by nature)."""
    import msgspec

    tables = msgspec.to_builtins(result.tables)
    for table in tables.values():
        if table:
            table.pop("line", None)
            for row in table["rows"]:
                row.pop("line", None)
    return tables
