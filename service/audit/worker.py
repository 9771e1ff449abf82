"""Audit one report, in a worker process: a row of the reports sheet and its findings.

Runs in a process of the pool, so it takes and returns plain picklable data. Whatever the
file does to the reader, the answer is a row: unreadable files carry their reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from service.audit.sources import Source
from service.domain.decode import DecodeError
from service.domain.formats import DocumentError, parse_file
from service.domain.models import Issue, ParseResult


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    table: str | None
    row: str | None
    column: str | None
    line: int | None
    page: int | None
    cell: str | None
    message: str


@dataclass(frozen=True)
class Audited:
    """One row of the reports sheet; `reason` set (and `verdict` 'unreadable') when unread."""

    file: str
    verdict: str
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    reason: str | None = None
    findings: tuple[Finding, ...] = field(default=())


def _finding(issue: Issue) -> Finding:
    loc = issue.location
    return Finding(issue.code, issue.severity, loc.table, loc.row, loc.column, loc.line, loc.page,
                   loc.cell, issue.message)


def _audited(name: str, result: ParseResult) -> Audited:
    s = result.summary
    return Audited(
        file=name, verdict="valid" if s.valid else "errors", agency=result.meta.agency,
        year=result.meta.year, template=result.template, errors=s.errors, warnings=s.warnings,
        infos=s.infos, findings=tuple(_finding(i) for i in result.issues),
    )


def unreadable(name: str, reason: str) -> Audited:
    return Audited(file=name, verdict="unreadable", reason=reason)


def audit_one(source: Source) -> Audited:
    """Parse and validate one report; never raises for anything the file holds."""
    if source.reason is not None or source.format is None:
        return unreadable(source.name, source.reason or "not a report file")
    if source.format == "doc":
        return unreadable(source.name, "legacy Word .doc files are not read: save the report as .docx")
    try:
        data = source.data if source.data is not None else Path(source.path or "").read_bytes()
        return _audited(source.name, parse_file(data, source.format, None))
    except (DecodeError, DocumentError) as exc:
        return unreadable(source.name, str(exc))
    except OSError as exc:
        return unreadable(source.name, f"cannot be read ({exc.strerror})")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a province's audit
        return unreadable(source.name, f"the reader failed ({type(exc).__name__})")
