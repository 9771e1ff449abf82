"""Report files inside a zip archive, read within bounds.

A province's reports arrive as one zip. Its central directory states each member's size,
but a hostile archive can lie there, so the bounds are checked on the bytes actually
inflated, while reading: the number of members, each member's size and the total. Names
that would escape a directory (absolute, `..`, drive letters) are not read at all, and
folders and hidden files are skipped; which members are reports is the caller's choice. Windows zip tools write Chinese
names in GBK without saying so; such names are decoded as GB18030.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

_CHUNK = 64 * 1024
_UTF8_FLAG = 0x800


class ArchiveError(ValueError):
    """The archive as a whole cannot be read, or exceeds a bound."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name, and its bytes or why they were not read."""

    name: str
    data: bytes | None
    reason: str | None = None


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it (GBK names of Windows tools decoded)."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def safe_name(name: str) -> bool:
    """False for names that would land outside the folder they are extracted to."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return False
    return ".." not in PurePosixPath(name).parts


def _wanted(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The member's bytes, or None as soon as more than `limit` of them come out."""
    out = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            if len(out) > limit:
                return None
    return bytes(out)


def read_members(data: bytes, limits: ArchiveLimits) -> Iterator[Member]:
    """Every file of the archive, in its order, each read (or refused) within the bounds.

    Raises ArchiveError when the archive cannot be opened, holds more than
    `max_members` files, or inflates to more than `max_total_bytes` in all.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a readable zip archive ({exc})") from None
    if len(infos) > limits.max_members:
        raise ArchiveError(f"the archive holds {len(infos)} files; at most {limits.max_members} are read")
    total = 0
    with archive:
        for info in infos:
            name = member_name(info)
            if not safe_name(name) or not _wanted(name):
                continue
            member = _member(archive, info, name, limits.max_member_bytes)
            total += len(member.data or b"")
            if total > limits.max_total_bytes:
                raise ArchiveError(f"the archive inflates to more than {limits.max_total_bytes} bytes")
            yield member


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int) -> Member:
    try:
        data = _read_bounded(archive, info, limit)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        return Member(name, None, f"member cannot be unpacked ({exc})")
    if data is None:
        return Member(name, None, f"member larger than {limit} bytes")
    return Member(name, data)
