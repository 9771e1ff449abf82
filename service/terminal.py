"""What `nianbao parse`/`check` print for a person: a verdict line and a table of findings."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from service.domain.models import Issue, ParseResult

_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def verdict_line(name: str, result: ParseResult) -> Text:
    s = result.summary
    mark, style = ("✓ 通过", "bold green") if s.valid else ("✗ 有错误", "bold red")
    who = " ".join(str(x) for x in (result.meta.agency, result.meta.year) if x) or "（未识别机关与年度）"
    text = Text.assemble((mark, style), f"  {name}: {who}，{result.template} 格式；")
    text.append(f"{s.errors} 个错误，{s.warnings} 个警告，{s.infos} 个提示")
    return text


def where(issue: Issue) -> str:
    loc = issue.location
    # One part per line, so narrow terminals fold between parts, not inside keys.
    at = [f"第{loc.page}页" if loc.page else "", f"第{loc.line}行" if loc.line else "", loc.cell or ""]
    return "\n".join(x for x in (loc.table, loc.row, loc.column, *at) if x)


def findings_table(issues: list[Issue]) -> Table:
    table = Table(show_lines=False, expand=False, header_style="bold")
    for header in ("级别", "代码", "位置", "说明"):
        table.add_column(header, overflow="fold")
    for issue in sorted(issues, key=lambda i: _ORDER.get(i.severity, 3)):
        label, style = _SEVERITY.get(issue.severity, (issue.severity, ""))
        table.add_row(Text(label, style=style), issue.code, where(issue), issue.message)
    return table


def print_result(name: str, result: ParseResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(verdict_line(name, result), soft_wrap=True)
    if result.issues:
        console.print(findings_table(result.issues))
