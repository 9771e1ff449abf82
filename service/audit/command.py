"""`nianbao audit DIR_OR_ZIP`: the command's wiring, progress bar and closing summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from service.audit.output import write_csv, write_workbook
from service.audit.run import audit_all
from service.audit.sources import Source, sources
from service.audit.worker import Audited
from service.domain.archive import ArchiveError


@dataclass(frozen=True)
class AuditOptions:
    jobs: int | None = None
    shards: int = 1
    shard_index: int = 0
    # For a Job: reports with errors are the audit's findings, not a failure to retry.
    exit_zero: bool = False


def _listed(path: Path, shards: int = 1, index: int = 0) -> list[Source] | str:
    """The sources, or the one-line reason the input cannot be audited at all."""
    if not path.exists():
        return f"{path}: no such file or folder"
    try:
        # Every shard lists the same files in the same order and keeps its share of them.
        return [s for k, s in enumerate(sources(path)) if k % shards == index]
    except ArchiveError as exc:
        return f"{path}: {exc}"
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"


def _run(items: list[Source], jobs: int, console: Console) -> list[Audited]:
    if not console.is_terminal:
        return audit_all(items, jobs)
    columns = (TextColumn("审核 audit"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("audit", total=len(items))
        return audit_all(_lazy(items), jobs, lambda _row: progress.advance(task))


def _lazy(items: list[Source]) -> Iterator[Source]:
    yield from items


def audit(path: Path, output: Path, options: AuditOptions | None = None) -> int:
    """0 when every report is valid, 1 when one has errors or cannot be read, 2 on bad input."""
    opts = options or AuditOptions()
    err = Console(stderr=True)
    items = _listed(path, opts.shards, opts.shard_index)
    if isinstance(items, str):
        print(f"nianbao: {items}", file=sys.stderr)
        return 2
    if not items:
        print(f"nianbao: {path}: no report files (.txt .html .docx .pdf) found", file=sys.stderr)
        return 2
    results = _run(items, max(1, opts.jobs or os.cpu_count() or 1), err)
    write_workbook(results, output)
    reports_csv, findings_csv = (output.with_name(f"{output.stem}-{k}.csv") for k in ("reports", "findings"))
    write_csv(results, reports_csv, findings_csv)
    counts = {v: sum(1 for r in results if r.verdict == v) for v in ("valid", "errors", "unreadable")}
    err.print(f"{len(results)} 份报告：{counts['valid']} 份通过，{counts['errors']} 份有错误，"
              f"{counts['unreadable']} 份无法读取 → {output}, {reports_csv.name}, {findings_csv.name}",
              soft_wrap=True)
    return 0 if opts.exit_zero or counts["valid"] == len(results) else 1
