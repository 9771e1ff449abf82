"""Render a report into each plain-text layout the service reads.

The inverse of the readers, used to build example reports, synthetic reports for the
benchmark, and round-trip tests: tables rendered here in any layout must parse back to the
same values. Labels are the template's own, as a clerk's Word table prints them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from service.domain.template import SECTIONS, TEMPLATES, TableDef, Template

Values = Mapping[str, Mapping[str, Mapping[str, int | str | None]]]
TableValues = Mapping[str, Mapping[str, int | str | None]]
LAYOUTS = ("tab", "pipe", "cell-per-line", "markdown")
# How an amount column's header states its unit.
_AMOUNT_UNIT = "（单位：万元）"


def _cell(v: int | str | None) -> str:
    return "" if v is None else str(v)


def _values(row: str, table: TableDef, values: TableValues, columns: tuple[str, ...] | None = None) -> list[str]:
    keys = columns if columns is not None else tuple(c.key for c in table.columns)
    return [_cell(values.get(row, {}).get(c)) for c in keys]


def _grouped_rows(table: TableDef, values: TableValues, template: str) -> list[list[str]]:
    """表二: each group as its heading, a header row of its columns, and its rows."""
    by_key = {r.key: r for r in table.rows_of(template)}
    out: list[list[str]] = []
    for group in table.groups:
        cols = by_key[group.rows[0]].columns
        out.append([group.heading] + [""] * len(cols))
        out.append(["信息内容", *(c.label + (_AMOUNT_UNIT if c.kind == "amount" else "") for c in cols)])
        for key in group.rows:
            row = by_key[key]
            out.append([row.label, *_values(key, table, values, tuple(c.key for c in row.columns))])
    return out


def _nested_header(table: TableDef) -> list[list[str]]:
    """表三's header block: the note and caption, then the columns under their groups."""
    cols = table.columns
    seen: set[str] = set()
    top: list[str] = []
    for c in cols:
        if c.group is None:
            top.append(c.label)
        else:
            top.append("" if c.group in seen else c.group)
            seen.add(c.group)
    return [
        [f"（{table.note}）", "", table.caption, *[""] * (len(cols) - 1)],
        ["", "", *top],
        ["", "", *("" if c.group is None else c.label for c in cols)],
    ]


def _nested_rows(table: TableDef, values: TableValues, template: str) -> list[list[str]]:
    """表三: each row labelled in two cells, an outer group's heading in the first (三、本年度
    办理结果) and an inner group's glued before its first row's label (（三）不予公开1.…)."""
    out = _nested_header(table)
    printed: set[str] = set()  # the groups whose heading is printed already
    for row in table.rows_of(template):
        outer, inner = table.group_of(row, outer=True), table.group_of(row)
        own = f"{row.number}{row.label}"
        if outer is None:
            label = [own, ""]
        else:
            head = "" if inner is None or inner.name in printed else inner.heading
            label = ["" if outer.name in printed else outer.heading, head + own]
            printed.update(g.name for g in (outer, inner) if g is not None)
        out.append([*label, *_values(row.key, table, values)])
    return out


def _grid_rows(table: TableDef, values: TableValues, template: str) -> list[list[str]]:
    """表四: row headings over their columns (a group's heading over its rows), then every
    number on one line, as the template prints it."""
    rows = table.rows_of(template)
    blank = [""] * (len(table.columns) - 1)
    parts = [c.label for c in table.columns]
    top: list[str] = []
    middle: list[str] = []
    bottom: list[str] = []
    printed: set[str] = set()
    for row in rows:
        group = table.group_of(row)
        if group is None:
            top += [row.label, *blank]
            middle += parts
            bottom += ["", *blank]
            continue
        top += ["" if group.name in printed else group.name, *blank]
        printed.add(group.name)
        middle += [row.aliases[0], *blank]
        bottom += parts
    return [top, middle, bottom, [v for row in rows for v in _values(row.key, table, values)]]


_RENDER = {"grouped": _grouped_rows, "nested": _nested_rows, "grid": _grid_rows}


def _template(template: str | Template) -> Template:
    return template if isinstance(template, Template) else TEMPLATES[template]


def table_rows(values: Values, template: str | Template = "2021") -> dict[str, list[list[str]]]:
    """The tables as rows of cell texts, headers included, as the template declares them."""
    tpl = _template(template)
    return {t.key: _RENDER[t.layout](t, values.get(t.key, {}), tpl.id) for t in tpl.tables}


def _lines(rows: list[list[str]], layout: str) -> list[str]:
    out: list[str] = []
    if layout == "tab":
        out = ["\t".join(r) for r in rows]
    elif layout == "markdown":
        width = max(len(r) for r in rows)
        for n, r in enumerate(rows):
            cells = [*r, *[""] * (width - len(r))]
            out.append("| " + " | ".join(cells) + " |")
            if n == 0:
                out.append("|" + "---|" * width)
    elif layout == "pipe":
        for r in rows:
            empties = 0
            for c in r:
                if c:
                    if empties:
                        out.append("|" * empties)
                        empties = 0
                    out.append(f"{c} |")
                else:
                    empties += 1
            if empties:
                out.append("|" * empties)
    elif layout == "cell-per-line":
        for r in rows:
            out.extend(f"\t{c}" for c in r)
            out.append("")
    else:
        raise ValueError(f"unknown layout {layout}")
    return out


# A part of more than one sentence where evaluators expect one (see rules/evaluation.py).
_DEFAULT_TEXT = {"problems": "本年度存在的主要问题是政策解读形式单一。下一步将丰富解读形式，加强业务培训。"}


def section_text(key: str, title: str) -> str:
    """A rendered report's text of a section without a table: enough for the evaluators'
    checks (a problems part of more than one sentence), nothing any rule objects to."""
    return _DEFAULT_TEXT.get(key, f"本年度{title}如下。")


def render_report(
    values: Values,
    *,
    layout: str = "tab",
    template: str | Template = "2021",
    agency: str = "示例市示例局",
    year: int = 2023,
    narrative: Mapping[str, str] | None = None,
) -> str:
    """A complete report: title, six sections, the three tables in `layout`."""
    narrative = narrative or {}
    tables = table_rows(values, template)
    lines = [f"{agency}{year}年政府信息公开工作年度报告", ""]
    for sec in SECTIONS:
        lines.append(f"{sec.number}、{sec.title}")
        if sec.key in tables:
            lines.extend(_lines(tables[sec.key], layout))
            lines.append("")
        text = narrative.get(sec.key, "" if sec.key in tables else section_text(sec.key, sec.title))
        if text:
            lines.append(text)
        lines.append("")
    lines.append(agency)
    lines.append(f"{year + 1}年1月20日")
    return "\n".join(lines) + "\n"


def consistent_values(
    seed: int = 7, template: str | Template = "2021"
) -> dict[str, dict[str, dict[str, int | str | None]]]:
    """A set of tables with non-zero numbers that satisfy every cross-check."""
    import random

    rnd = random.Random(seed)
    tpl = _template(template)
    applications, reviews = tpl.table("applications"), tpl.table("reviews_litigation")
    active: dict[str, dict[str, int | str | None]] = {}
    for r in tpl.active_rows:
        active[r.key] = {
            c.key: (f"{rnd.randint(0, 9999)}.{rnd.randint(0, 99):02d}" if c.kind == "amount"
                    else rnd.randint(-5, 5) if c.kind == "signed" else rnd.randint(0, 60))
            for c in r.columns
        }
    outcome = [k for k in tpl.outcome_rows]
    app: dict[str, dict[str, int | str | None]] = {}
    applicant_keys = [c.key for c in applications.columns[:-1]]
    for k in outcome:
        app[k] = {c: rnd.choice((0, 0, 1, 2, 3, 5)) for c in applicant_keys}
    total = {c: sum(app[k][c] for k in outcome) for c in applicant_keys}  # type: ignore[misc]  # the cells generated above are ints
    app["total"] = dict(total)
    carried_forward = {c: rnd.randint(0, 3) for c in applicant_keys}
    carried_over = {c: rnd.randint(0, min(3, total[c] + carried_forward[c])) for c in applicant_keys}
    app["carried_forward"] = dict(carried_forward)
    app["carried_over"] = dict(carried_over)
    app["new_received"] = {c: total[c] + carried_forward[c] - carried_over[c] for c in applicant_keys}
    for row in app.values():
        row["total"] = sum(row[c] for c in applicant_keys)  # type: ignore[misc]  # the cells generated above are ints
    rev: dict[str, dict[str, int | str | None]] = {}
    for r in reviews.rows:
        parts = {c.key: rnd.randint(0, 6) for c in reviews.columns[:-1]}
        rev[r.key] = {**parts, "total": sum(parts.values())}
    return {"active_disclosure": active, "applications": app, "reviews_litigation": rev}


def summed_values(parts: Sequence[Values]) -> dict[str, dict[str, dict[str, int | str | None]]]:
    """The tables whose every cell is the sum of that cell over `parts` (counts as ints,
    amounts as decimal strings): the summary report of several consistent reports."""
    from decimal import Decimal

    out: dict[str, dict[str, dict[str, int | str | None]]] = {}
    for table, rows in parts[0].items():
        out[table] = {}
        for row, cells in rows.items():
            out[table][row] = {}
            for col, v in cells.items():
                got = [p[table][row][col] for p in parts]
                if isinstance(v, str):
                    out[table][row][col] = format(sum(Decimal(str(x)) for x in got), "f")
                else:
                    out[table][row][col] = sum(x for x in got if isinstance(x, int))
    return out
