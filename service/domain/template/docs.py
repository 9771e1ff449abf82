"""The table-key reference (docs/tables.md) and the README's key table, written from the
declarations, so the documentation cannot drift from what the parser reads.

    uv run python -m service.domain.template.docs > docs/tables.md
"""

from __future__ import annotations

from service.domain.template import APPLICATIONS_WITH_SUBTOTAL, TEMPLATES
from service.domain.template.model import OUTCOME, Check, Column, TableDef

_KIND = {"count": "count", "signed": "count, may be negative", "amount": "a decimal"}


def _esc(text: str) -> str:
    return text.replace("|", "\\|")


def _columns(columns: tuple[Column, ...]) -> str:
    return ", ".join(f"`{c.key}` ({c.label}{'; ' + _KIND[c.kind] if c.kind != 'count' else ''})" for c in columns)


def _check(check: Check) -> str:
    def side(keys: tuple[str, ...] | str) -> str:
        if keys == OUTCOME:
            return "the outcome rows"
        return " + ".join(f"`{k}`" for k in keys)

    where = "in every row" if check.along == "row" else "in every column"
    return f"- `{check.code}`: {side(check.left)} = {side(check.right)}, {where}"


def _rows(table: TableDef) -> list[str]:
    uniform = all(r.columns == table.columns for r in table.rows)
    head = "| row key | printed label | accepted variants | flags |" if uniform else (
        "| row key | printed label | accepted variants | flags | columns |"
    )
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for r in table.rows:
        flags = [f for f, on in (("outcome", r.outcome), ("needs context", r.needs_context)) if on]
        if r.only:
            flags.append(f"{r.only} only")
        if r.variant_of:
            flags.append("stands for " + ", ".join(f"`{k}`" for k in r.variant_of))
        cells = [f"`{r.key}`", _esc(table.printed_label(r)), _esc(", ".join(r.aliases)), ", ".join(flags)]
        if not uniform:
            cells.append(_columns(r.columns))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _table(table: TableDef, heading: str) -> list[str]:
    out = [heading, ""]
    if all(r.columns == table.columns for r in table.rows):
        out += [f"Columns, in order: {_columns(table.columns)}.", ""]
    out += _rows(table)
    groups = [g for g in table.groups]
    if groups:
        out += ["", "Group headings: " + "; ".join(
            f"{_esc(g.heading)} ({', '.join(f'`{k}`' for k in g.rows)})" for g in groups) + "."]
    if table.checks:
        out += ["", "Cross-checks:", "", *(_check(c) for c in table.checks)]
    return [*out, ""]


def tables_markdown() -> str:
    """docs/tables.md: every table of both templates, as the parser reads them."""
    out = [
        "# The statistical tables, as the parser reads them",
        "",
        "Generated from `service/domain/template/` by "
        "`uv run python -m service.domain.template.docs > docs/tables.md`; a test keeps it in "
        "sync. The canonical keys are those of docs/spec-tables.md (a copy of "
        "`shared/spec/tables.md`). Printed labels are as messages name the rows.",
        "",
    ]
    for tpl in TEMPLATES.values():
        out += [f"## Template {tpl.id}", ""]
        for table in tpl.tables:
            out += _table(table, f"### {table.short} — `{table.key}` ({table.name})")
    out += _table(
        APPLICATIONS_WITH_SUBTOTAL,
        "## Variant: 表三 with a 小计 column (declared; not yet chosen by the reader)",
    )
    return "\n".join(out).rstrip("\n") + "\n"


def key_table_markdown() -> str:
    """The README's key table: each table, where it sits, and how many rows it has."""
    lines = ["| table | key | section | rows (2021 / 2019) | columns |", "|---|---|---|---|---|"]
    new, old = TEMPLATES["2021"], TEMPLATES["2019"]
    for t21 in new.tables:
        t19 = old.table(t21.key)
        columns = "per row" if any(r.columns != t21.columns for r in t21.rows) else str(len(t21.columns))
        lines.append(
            f"| {t21.short} | `{t21.key}` | `{t21.section}` | "
            f"{len(t21.rows_of('2021'))} / {len(t19.rows_of('2019'))} | {columns} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(tables_markdown(), end="")
