"""Render a report into each plain-text layout the service reads.

The inverse of the readers, used to build example reports, synthetic reports for the
benchmark, and round-trip tests: tables rendered here in any layout must parse back to the
same values. Labels are the template's own, as a clerk's Word table prints them.
"""

from __future__ import annotations

from collections.abc import Mapping

from service.domain.template import (
    APP_COLUMNS,
    APPLICATIONS_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SECTIONS,
    TEMPLATES,
)

Values = Mapping[str, Mapping[str, Mapping[str, int | str | None]]]
LAYOUTS = ("tab", "pipe", "cell-per-line", "markdown")

# The template's group headings over 表二's rows, and over 表三's numbered rows.
ACTIVE_GROUPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "2021": (
        ("第二十条第（一）项", ("regulations", "normative_documents")),
        ("第二十条第（五）项", ("licensing",)),
        ("第二十条第（六）项", ("punishment", "coercion")),
        ("第二十条第（八）项", ("fees",)),
    ),
    "2019": (
        ("第二十条第（一）项", ("regulations", "normative_documents")),
        ("第二十条第（五）项", ("licensing", "other_services")),
        ("第二十条第（六）项", ("punishment", "coercion")),
        ("第二十条第（八）项", ("fees",)),
        ("第二十条第（九）项", ("procurement",)),
    ),
}
GROUP_HEADINGS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}


def _cell(v: int | str | None) -> str:
    return "" if v is None else str(v)


def table_rows(values: Values, template: str = "2021") -> dict[str, list[list[str]]]:
    """The three tables as rows of cell texts, headers included."""
    tpl = TEMPLATES[template]
    act = values.get("active_disclosure", {})
    rows1: list[list[str]] = []
    by_key = {r.key: r for r in tpl.active_rows}
    for head, keys in ACTIVE_GROUPS[template]:
        cols = by_key[keys[0]].columns
        rows1.append([head] + [""] * len(cols))
        labels = [c.label + ("（单位：万元）" if c.kind == "amount" else "") for c in cols]
        rows1.append(["信息内容", *labels])
        for k in keys:
            rows1.append([by_key[k].label, *(_cell(act.get(k, {}).get(c.key)) for c in by_key[k].columns)])

    app = values.get("applications", {})
    rows2: list[list[str]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "申请人情况", *[""] * 6],
        ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", *(c.label for c in APP_COLUMNS[1:6]), ""],
    ]
    counters: dict[str, int] = {}
    printed_group: set[str] = set()
    for r in APPLICATIONS_ROWS:
        if r.key in tpl.absent_app_rows:
            continue
        vals = [_cell(app.get(r.key, {}).get(c.key)) for c in APP_COLUMNS]
        if r.key == "new_received":
            rows2.append(["一、本年新收政府信息公开申请数量", "", *vals])
        elif r.key == "carried_over":
            rows2.append(["二、上年结转政府信息公开申请数量", "", *vals])
        elif r.key == "granted":
            rows2.append(["三、本年度办理结果", "（一）予以公开", *vals])
        elif r.key == "partially_granted":
            rows2.append(["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *vals])
        elif r.key == "other":
            rows2.append(["", "（六）其他处理", *vals])
        elif r.key == "total":
            rows2.append(["", "（七）总计", *vals])
        elif r.key == "carried_forward":
            rows2.append(["四、结转下年度继续办理", "", *vals])
        else:
            group = r.key.split(".")[0]
            counters[group] = counters.get(group, 0) + 1
            head = "" if group in printed_group else GROUP_HEADINGS[group]
            printed_group.add(group)
            rows2.append(["", f"{head}{counters[group]}.{r.label}", *vals])

    rev = values.get("reviews_litigation", {})
    parts = [c.label for c in REVIEW_COLUMNS]
    rows3 = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*parts, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        [*[""] * 5, *parts, *parts],
        [_cell(rev.get(r.key, {}).get(c.key)) for r in REVIEW_ROWS for c in REVIEW_COLUMNS],
    ]
    return {"active_disclosure": rows1, "applications": rows2, "reviews_litigation": rows3}


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


def render_report(
    values: Values,
    *,
    layout: str = "tab",
    template: str = "2021",
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
        text = narrative.get(sec.key, "" if sec.key in tables else _DEFAULT_TEXT.get(sec.key, f"本年度{sec.title}如下。"))
        if text:
            lines.append(text)
        lines.append("")
    lines.append(agency)
    lines.append(f"{year + 1}年1月20日")
    return "\n".join(lines) + "\n"


def consistent_values(seed: int = 7, template: str = "2021") -> dict[str, dict[str, dict[str, int | str | None]]]:
    """A set of tables with non-zero numbers that satisfy every cross-check."""
    import random

    rnd = random.Random(seed)
    tpl = TEMPLATES[template]
    active: dict[str, dict[str, int | str | None]] = {}
    for r in tpl.active_rows:
        active[r.key] = {
            c.key: (f"{rnd.randint(0, 9999)}.{rnd.randint(0, 99):02d}" if c.kind == "amount"
                    else rnd.randint(-5, 5) if c.kind == "signed" else rnd.randint(0, 60))
            for c in r.columns
        }
    outcome = [k for k in tpl.outcome_rows]
    app: dict[str, dict[str, int | str | None]] = {}
    applicant_keys = [c.key for c in APP_COLUMNS[:-1]]
    for k in outcome:
        app[k] = {c: rnd.choice((0, 0, 1, 2, 3, 5)) for c in applicant_keys}
    total = {c: sum(app[k][c] for k in outcome) for c in applicant_keys}  # type: ignore[misc]
    app["total"] = dict(total)
    carried_forward = {c: rnd.randint(0, 3) for c in applicant_keys}
    carried_over = {c: rnd.randint(0, min(3, total[c] + carried_forward[c])) for c in applicant_keys}
    app["carried_forward"] = dict(carried_forward)
    app["carried_over"] = dict(carried_over)
    app["new_received"] = {c: total[c] + carried_forward[c] - carried_over[c] for c in applicant_keys}
    for row in app.values():
        row["total"] = sum(row[c] for c in applicant_keys)  # type: ignore[misc]
    rev: dict[str, dict[str, int | str | None]] = {}
    for r in REVIEW_ROWS:
        parts = {c.key: rnd.randint(0, 6) for c in REVIEW_COLUMNS[:-1]}
        rev[r.key] = {**parts, "total": sum(parts.values())}
    return {"active_disclosure": active, "applications": app, "reviews_litigation": rev}
