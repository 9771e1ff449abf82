"""The worker side of the parse pool: one process that reads uploaded documents, one at a time.

Web-free on purpose (no Litestar import): the forkserver preloads this module, so every
worker starts with the domain already imported and forks in milliseconds. A worker caps its
own address space (`RLIMIT_AS`) before it reads anything, so an allocation past the ceiling
fails inside the worker (MemoryError, or a native library giving up) instead of growing the
pod towards the kernel's OOM killer. Whatever happens, the parent gets one answer per job:
the result, the reader's own refusal, or nothing at all (the process died), which the
parent turns into a problem and a fresh worker (`service.api.pool`).
"""

from __future__ import annotations

import importlib
import pickle
import resource
from multiprocessing.connection import Connection

import msgspec

from service.domain.decode import DecodeError
from service.domain.formats import DocumentError, parse_file, read_html
from service.domain.layout import read_text
from service.domain.models import ParseResult
from service.domain.pipeline import parse_document

# The PDF readers' libraries are imported by the reader on first use; importing them here
# means the forkserver's preload brings them in, and a fresh worker pays for no import on
# its first PDF. Whichever the reader uses today is there; the others are skipped.
for _module in ("pdfplumber", "pypdfium2"):
    try:
        importlib.import_module(_module)
    except ImportError:  # pragma: no cover - depends on which reader is installed
        pass


class Upload(msgspec.Struct):
    """A report as received: text (from JSON) or bytes, the format to read it as, and the
    charset the client declared for text formats."""

    data: bytes | str
    format: str
    charset: str | None = None


# What a job answers, as (kind, payload...) tuples pickled over the pipe.
OK, DECODE, DOCUMENT, MEMORY, FAILED = "ok", "decode", "document", "memory", "failed"


def parse_sync(upload: Upload) -> ParseResult:
    """Read and parse one upload in this process. Raises DecodeError or DocumentError."""
    if isinstance(upload.data, str):
        if upload.format == "html":
            return parse_document(read_html(upload.data))
        return parse_document(read_text(upload.data))
    return parse_file(upload.data, upload.format, upload.charset)


def answer(upload: Upload) -> tuple[object, ...]:
    """The job's answer; never raises (a bug in a reader is reported by its type only: an
    exception's text could quote the report)."""
    try:
        return (OK, parse_sync(upload))
    except DecodeError as exc:
        return (DECODE, str(exc), exc.offset, exc.charset)
    except DocumentError as exc:
        return (DOCUMENT, exc.reason, str(exc))
    except MemoryError:
        return (MEMORY,)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which logs the type
        return (FAILED, type(exc).__name__)


def limit_address_space(limit_bytes: int) -> None:
    """Cap this process's virtual memory at `limit_bytes` above what it maps now."""
    if limit_bytes <= 0:
        return
    with open("/proc/self/statm", encoding="ascii") as f:
        mapped = int(f.read().split()[0]) * resource.getpagesize()
    ceiling = mapped + limit_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def serve_jobs(conn: Connection, limit_bytes: int) -> None:
    """The worker's main loop: one pickled Upload in, one pickled answer out, until EOF
    (the parent closed its end or died) or an empty message (asked to retire)."""
    limit_address_space(limit_bytes)
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not message:
            return
        try:
            reply = pickle.dumps(answer(pickle.loads(message)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            reply = pickle.dumps((MEMORY,))
        try:
            conn.send_bytes(reply)
        except (BrokenPipeError, OSError):
            return
