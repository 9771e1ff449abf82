"""The report files of a folder or a zip archive, each with its format or why it is unread.

A file is a report by its extension (.txt, .html, .docx, .pdf …); a file with another or no
extension is taken when its first bytes say PDF, Word or HTML. A legacy .doc is listed, so
the auditor sees it as unreadable rather than not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from service.domain.archive import ArchiveLimits, is_zip, read_members
from service.domain.errors import DocumentError
from service.domain.formats import registry

_HEAD = 1024
# A zip given to `audit`: bounds a province's archive fits in, far from exhausting memory.
AUDIT_ZIP_LIMITS = ArchiveLimits(max_members=20_000, max_member_bytes=50 * 1024 * 1024,
                                 max_total_bytes=4 * 1024 * 1024 * 1024)


@dataclass(frozen=True)
class Source:
    """One report to audit: its name, and its path or bytes (`reason` when unreadable)."""

    name: str
    format: str | None
    path: str | None = None
    data: bytes | None = None
    reason: str | None = None


def report_format(name: str, head: bytes) -> str | None:
    """The format a file is read as (the registry's name), "doc" for a legacy Word file (listed,
    so that the auditor sees why it is not read), or None when it is no report."""
    found = registry.by_extension(name)
    if found is not None:
        return found.name
    try:
        found = registry.sniffed(head)
    except DocumentError:
        return "doc"
    # Only a format its first bytes prove: a file of no known extension is not taken as text.
    return found.name if found.magic is not None else None


def from_folder(folder: Path) -> Iterator[Source]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        try:
            with path.open("rb") as f:
                head = f.read(_HEAD)
        except OSError as exc:
            yield Source(rel.as_posix(), None, reason=f"cannot be opened ({exc.strerror})")
            continue
        fmt = report_format(path.name, head)
        if fmt is not None:
            yield Source(rel.as_posix(), fmt, path=str(path))


def from_zip(data: bytes, limits: ArchiveLimits = AUDIT_ZIP_LIMITS) -> Iterator[Source]:
    """Raises ArchiveError when the archive as a whole is unreadable or too large."""
    for member in read_members(data, limits):
        if member.data is None:
            yield Source(member.name, None, reason=member.reason)
            continue
        fmt = report_format(member.name, member.data[:_HEAD])
        if fmt is not None:
            yield Source(member.name, fmt, data=member.data)


def sources(path: Path) -> Iterator[Source]:
    """The reports under a folder, in a zip file, or the one file given."""
    if path.is_dir():
        yield from from_folder(path)
        return
    data = path.read_bytes()
    if is_zip(data) and path.suffix.lower() != ".docx":
        yield from from_zip(data)
        return
    yield Source(path.name, report_format(path.name, data[:_HEAD]) or "text", path=str(path))
