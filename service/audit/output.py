"""The audit's results as an Excel workbook (sheets 报告 and 问题) and the same as CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from service.audit.worker import Audited

REPORT_COLUMNS = ("file", "agency", "year", "template", "verdict", "errors", "warnings", "infos",
                  "reason")
FINDING_COLUMNS = ("file", "code", "severity", "table", "row", "column", "line", "page", "cell",
                   "message")
# Header labels of the sheets: the clerk's words first, the machine's key in brackets.
_HEADERS = {
    "file": "文件 file", "agency": "机关 agency", "year": "年度 year", "template": "格式 template",
    "verdict": "结论 verdict", "errors": "错误 errors", "warnings": "警告 warnings",
    "infos": "提示 infos", "reason": "无法读取原因 reason", "code": "代码 code",
    "severity": "级别 severity", "table": "表 table", "row": "行 row", "column": "列 column",
    "line": "行号 line", "page": "页 page", "cell": "单元格 cell", "message": "说明 message",
}
REPORTS_SHEET, FINDINGS_SHEET = "报告 reports", "问题 findings"


def report_rows(results: Sequence[Audited]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(r, c) for c in REPORT_COLUMNS) for r in results]


def finding_rows(results: Sequence[Audited]) -> list[tuple[Any, ...]]:
    return [
        (r.file, *(getattr(f, c) for c in FINDING_COLUMNS[1:]))
        for r in results for f in r.findings
    ]


def _sheet(sheet: Worksheet, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    sheet.append([_HEADERS[c] for c in columns])
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for letter, column in zip("ABCDEFGHIJ", columns, strict=False):
        sheet.column_dimensions[letter].width = 60 if column in ("message", "reason") else 18


def write_workbook(results: Sequence[Audited], path: Path) -> None:
    book = Workbook()
    reports = book.active
    assert reports is not None
    reports.title = REPORTS_SHEET
    _sheet(reports, REPORT_COLUMNS, report_rows(results))
    _sheet(book.create_sheet(FINDINGS_SHEET), FINDING_COLUMNS, finding_rows(results))
    book.save(path)


def write_csv(results: Sequence[Audited], reports: Path, findings: Path) -> None:
    """UTF-8 with a BOM, which Excel needs to open Chinese CSV text correctly."""
    for path, columns, rows in ((reports, REPORT_COLUMNS, report_rows(results)),
                                (findings, FINDING_COLUMNS, finding_rows(results))):
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            writer.writerows(rows)
