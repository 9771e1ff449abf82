"""`nianbao`: the command line.

    nianbao parse FILE [--validate] [--json] [--charset CS] [--previous FILE]
                                                      verdict and findings (FILE may be -);
                                                      --json: the result as JSON
    nianbao check FILE [--json]                       the same as parse --validate
    nianbao audit DIR_OR_ZIP [-o BOOK.xlsx] [--jobs N] every report checked; workbook and CSV
    nianbao serve [--host H] [--port P] [--workers N] start the HTTP service
    nianbao rules                                     print the rule catalogue
    nianbao openapi [-o FILE]                         write the OpenAPI document

Exit status: 0 the report is valid, 1 it has errors, 2 a usage error or an unreadable file
(a one-line message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:  # the domain is imported where a command needs it, to start quickly
    from service.domain.models import RuleExample


def _parse(args: argparse.Namespace) -> int:
    from service.domain.decode import DecodeError
    from service.domain.formats import DocumentError, parse_file
    from service.domain.formats.registry import format_of_file
    from service.domain.models import ValidateResult
    from service.domain.rules.crossyear import with_previous

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        print(f"nianbao: {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        fmt = args.format or format_of_file(args.file, data)
        result = parse_file(data, fmt, args.charset)
    except (DecodeError, DocumentError) as exc:
        print(f"nianbao: {args.file}: {exc}", file=sys.stderr)
        return 2
    if args.previous:
        # Last year's report: its format by extension or first bytes, never --format/--charset.
        try:
            before = Path(args.previous).read_bytes()
        except OSError as exc:
            print(f"nianbao: {args.previous}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        try:
            result = with_previous(result, parse_file(before, format_of_file(args.previous, before)))
        except (DecodeError, DocumentError) as exc:
            print(f"nianbao: {args.previous}: {exc}", file=sys.stderr)
            return 2
    if args.json:
        out = ValidateResult.from_parse(result) if args.validate else result
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(out).decode(), indent=2) + "\n")
    else:
        from service.terminal import print_result

        print_result("标准输入" if args.file == "-" else args.file, result)
    return 0 if result.summary.valid else 1


def _audit(args: argparse.Namespace) -> int:
    import os

    from service.audit.command import AuditOptions, audit

    index = args.shard_index if args.shard_index is not None else int(os.environ.get("JOB_COMPLETION_INDEX", "0") or 0)
    if args.shards < 1 or not 0 <= index < args.shards:
        print(f"nianbao: shard {index} of {args.shards} does not exist", file=sys.stderr)
        return 2
    return audit(Path(args.path), Path(args.output),
                 AuditOptions(args.jobs, args.shards, index, args.exit_zero))


def _exit_cleanly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _serve(args: argparse.Namespace) -> int:
    import os
    import tempfile

    import uvicorn

    from service.api.metrics import MULTIPROC_ENV, prepare_multiprocess_dir
    from service.logs import server_log_config
    from service.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        # Refuse to start, in one clear line (an empty API-key file must not mean "open").
        print(f"nianbao: cannot start: {exc}", file=sys.stderr)
        return 2
    workers = args.workers or settings.workers
    if workers > 1 or os.environ.get(MULTIPROC_ENV):
        # Each worker counts on its own; multiprocess mode lets /metrics add them up. It must
        # be set before any worker imports prometheus_client, i.e. here, in the supervisor,
        # and its directory must exist and hold no earlier run's files.
        directory = Path(os.environ.get(MULTIPROC_ENV) or tempfile.mkdtemp(prefix="nianbao-metrics-"))
        prepare_multiprocess_dir(directory)
        os.environ[MULTIPROC_ENV] = str(directory)
    # uvicorn drains on SIGTERM, restores the handler it found and raises the signal again.
    # Finding this one, the process then exits 0, a clean drained stop, rather than dying by
    # the signal (status 143), which Kubernetes would record as an error.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    host, port = args.host or settings.host, args.port or settings.port
    _announce(host, port, settings.log_level)
    uvicorn.run(
        "service.app:app",
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the service writes its own canonical request line
        log_level=settings.log_level,
        log_config=server_log_config(settings.log_level),
        # On SIGTERM uvicorn closes the listener at once, then waits this long for in-flight
        # requests; the chart's terminationGracePeriodSeconds is larger than this.
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )
    return 0


def _announce(host: str, port: int, level: str) -> None:
    """One JSON line saying where a person finds the page and the API documentation."""
    from service.logs import configure, log

    configure(level)
    shown = "localhost" if host in ("0.0.0.0", "::", "") else host
    base = f"http://{shown}:{port}"
    log.info("serving", page=f"{base}/", api_docs=f"{base}/schema/swagger",
             openapi=f"{base}/schema/openapi.json")


def rules_markdown() -> str:
    """The rule catalogue as the Markdown table the README carries."""
    from service.domain.rules import catalogue

    lines = [
        "| code | severity | family | title | meaning | passes | fails |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in catalogue():
        meaning = r.description.replace("|", "\\|")
        passes, fails = ("<br>".join(map(_example, examples)) for examples in (r.passing, r.failing))
        lines.append(f"| `{r.code}` | {r.severity} | {r.family} | {r.title} | {meaning} | {passes} | {fails} |")
    return "\n".join(lines) + "\n"


def _example(example: RuleExample) -> str:
    """One example on a table line: its report, then last year's after *previous:* or the
    reports it sums after *parts:*."""
    out = _fragment(example.report)
    if example.previous is not None:
        out += " *previous:* " + _fragment(example.previous)
    if example.parts:
        out += " *parts:* " + " ; ".join(map(_fragment, example.parts))
    return out


def _fragment(text: str) -> str:
    """A report fragment as a code span: lines joined by ⏎, cells by spaces."""
    return "`" + " ⏎ ".join(" ".join(line.split("\t")) for line in text.split("\n")).replace("|", "\\|") + "`"


def _rules(args: argparse.Namespace) -> int:
    from service.domain.rules import catalogue

    if args.markdown:
        sys.stdout.write(rules_markdown())
        return 0
    for r in catalogue():
        print(f"{r.code:24} {r.severity:8} {r.title}")
    return 0


def openapi_document() -> bytes:
    """The OpenAPI document exactly as the app serves it at /schema/openapi.json, formatted."""
    from litestar.testing import TestClient

    from service.app import OPENAPI_PATH, create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(log_level="error"))) as client:
        answer = client.get(f"{OPENAPI_PATH}/openapi.json")
    # A document that fails to build must not be written over the committed one.
    answer.raise_for_status()
    return msgspec.json.format(answer.content, indent=2) + b"\n"


def _openapi(args: argparse.Namespace) -> int:
    doc = openapi_document()
    if args.output:
        Path(args.output).write_bytes(doc)
    else:
        sys.stdout.buffer.write(doc)
    return 0


def _add_report_command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
                        validate: bool) -> None:
    what = "validate a report: the verdict and findings" if validate else "parse and validate a report"
    from service.domain.formats import registry

    p = sub.add_parser(name, help=what)
    p.add_argument("file", help="report file, or - for standard input")
    if not validate:
        p.add_argument("--validate", action="store_true",
                       help="with --json: the verdict and issues only, no sections and tables")
    p.add_argument("--json", action="store_true", help="print the result as JSON (for machines)")
    p.add_argument("--charset", help="the file's encoding (detected when absent)")
    p.add_argument("--previous", metavar="FILE", help="last year's report, for the cross-year checks")
    p.add_argument("--format", choices=registry.names(),
                   help="how the file is written (by extension, else sniffed, when absent)")
    p.set_defaults(func=_parse, validate=validate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nianbao", description="年报校验服务: parse and validate annual reports")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, validate in (("parse", False), ("check", True)):
        _add_report_command(sub, name, validate)
    a = sub.add_parser("audit", help="check every report of a folder or zip; write a workbook and CSV")
    a.add_argument("path", help="a folder (searched recursively) or a .zip of report files")
    a.add_argument("-o", "--output", default="nianbao-audit.xlsx",
                   help="the Excel workbook to write (CSV files beside it; default %(default)s)")
    a.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    a.add_argument("--shards", type=int, default=1,
                   help="split the files into this many shards and audit one (a Kubernetes indexed Job)")
    a.add_argument("--shard-index", type=int,
                   help="the shard to audit, 0-based (default: $JOB_COMPLETION_INDEX, else 0)")
    a.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when reports have errors or are unreadable (2 still for bad input)")
    a.set_defaults(func=_audit)
    s = sub.add_parser("serve", help="start the HTTP service")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int)
    s.set_defaults(func=_serve)
    r = sub.add_parser("rules", help="print the rule catalogue")
    r.add_argument("--markdown", action="store_true", help="as the Markdown table of the README")
    r.set_defaults(func=_rules)
    o = sub.add_parser("openapi", help="write the OpenAPI document")
    o.add_argument("-o", "--output")
    o.set_defaults(func=_openapi)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
