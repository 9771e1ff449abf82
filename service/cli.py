"""`nianbao`: the command line.

    nianbao parse FILE [--validate] [--charset CS]   print the result as JSON (FILE may be -)
    nianbao serve [--host H] [--port P] [--workers N] start the HTTP service
    nianbao rules                                     print the rule catalogue
    nianbao openapi [-o FILE]                         write the OpenAPI document
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import msgspec


# The file's extension names its format; anything else is sniffed from its first bytes.
_EXTENSIONS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
               ".docx": "docx", ".pdf": "pdf"}


def _parse(args: argparse.Namespace) -> int:
    from service.domain.decode import DecodeError
    from service.domain.formats import DocumentError, format_of, parse_file
    from service.domain.models import ValidateResult

    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    try:
        fmt = args.format or _EXTENSIONS.get(Path(args.file).suffix.lower()) or format_of(None, data)
        result = parse_file(data, fmt, args.charset)
    except (DecodeError, DocumentError) as exc:
        print(f"nianbao: {args.file}: {exc}", file=sys.stderr)
        return 2
    out = ValidateResult.from_parse(result) if args.validate else result
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(out).decode(), indent=2) + "\n")
    return 0 if result.summary.valid else 1


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
    uvicorn.run(
        "service.app:app",
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=workers,
        access_log=False,  # the service writes its own canonical request line
        log_level=settings.log_level,
        log_config=server_log_config(settings.log_level),
        # On SIGTERM uvicorn closes the listener at once, then waits this long for in-flight
        # requests; the chart's terminationGracePeriodSeconds is larger than this.
        timeout_graceful_shutdown=settings.shutdown_timeout,
    )
    return 0


def rules_markdown() -> str:
    """The rule catalogue as the Markdown table the README carries."""
    from service.domain.rules import catalogue

    lines = ["| code | severity | family | title | meaning |", "|---|---|---|---|---|"]
    for r in catalogue():
        meaning = r.description.replace("|", "\\|")
        lines.append(f"| `{r.code}` | {r.severity} | {r.family} | {r.title} | {meaning} |")
    return "\n".join(lines) + "\n"


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
        raw = client.get(f"{OPENAPI_PATH}/openapi.json").content
    return msgspec.json.format(raw, indent=2) + b"\n"


def _openapi(args: argparse.Namespace) -> int:
    doc = openapi_document()
    if args.output:
        Path(args.output).write_bytes(doc)
    else:
        sys.stdout.buffer.write(doc)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nianbao", description="年报校验服务: parse and validate annual reports")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("parse", help="parse a report file and print the JSON result")
    p.add_argument("file", help="report file, or - for standard input")
    p.add_argument("--validate", action="store_true", help="print the verdict and issues only")
    p.add_argument("--charset", help="the file's encoding (detected when absent)")
    p.add_argument("--format", choices=["text", "html", "docx", "pdf"],
                   help="how the file is written (by extension, else sniffed, when absent)")
    p.set_defaults(func=_parse)
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
