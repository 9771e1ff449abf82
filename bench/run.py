"""nianbao's benchmark: how fast a report is checked, and what that costs as it grows.

A script, not a test: it measures the machine it runs on and prints its figures, the
machine, and the command that reproduces them. Nothing here asserts; the targets of issue 5
are printed beside each figure as met or missed.

    uv run python bench/run.py              # everything (about 3 minutes)
    uv run python bench/run.py --quick      # fewer runs, shorter loads (about 1 minute)
    uv run python bench/run.py --only inprocess   # or: pdf, http, memory

1. In-process: decode, parse, validate and encode the validate result (what a validate
   request costs without HTTP) for every golden seed, every corpus report (the extracted
   texts, and the PDFs through the PDF reader), and synthetic reports of 10 KB, 100 KB,
   1 MB and 5 MB; then hostile shapes at the body limit. Median and p99 of many runs.
2. HTTP on loopback: one worker started with the project's own `nianbao serve`, driven by
   `wrk` (peak rate) and `hey` (a fixed rate, for latency at half of the peak).
   `POST /v1/reports/validate` with seed 001 and `GET /healthz` in the same run.
3. Memory: the worker's resident set right after start, after 100 and after 10,000
   validate requests.
4. PDF (`bench/pdf.py`): each corpus PDF through the PDF path (PDFium reader, pipeline,
   validate result) beside pdfplumber's `extract_words` on the same file, timed in
   alternation in the same run, and the ratio (issue 14's target: at least 10×).

`wrk` and `hey` are Debian packages: `apt-get install wrk hey`. Without them the HTTP part is
skipped (and says so); the memory part then uses a plain keep-alive client.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # server_process, as pytest imports it

from service.domain.models import ValidateResult  # noqa: E402
from service.domain.pipeline import parse_bytes  # noqa: E402
from service.domain.render import consistent_values, table_rows  # noqa: E402
from service.domain.template import SECTIONS  # noqa: E402
from service.domain.textcache import TextMemo  # noqa: E402
from server_process import serve, serve_command  # noqa: E402

from pdf import bench_pdf  # noqa: E402  (bench/pdf.py, beside this script)

CORPUS = Path(os.environ.get("NIANBAO_CORPUS", "/work/shared/corpus"))
SEEDS = ROOT / "tests" / "golden"
KB = 1024
MB = 1024 * KB
BODY_LIMIT = 5 * MB  # NIANBAO_MAX_BODY_BYTES' default

# The targets of issue 5.
TARGET_SEED_MEDIAN_MS = 0.3
TARGET_GROWTH_1MB = 120.0
TARGET_LIMIT_S = 1.0
TARGET_HTTP_SHARE = 0.25
TARGET_HALF_RATE_P99_MS = 20.0
TARGET_MEMORY_GROWTH_MB = 10.0


# ---------------------------------------------------------------------------- printing


def out(line: str = "") -> None:
    print(line, flush=True)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def size(n: int) -> str:
    return f"{n / MB:.2f} MB" if n >= MB else f"{n / KB:.1f} KB"


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / MB:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True,
        ).stdout.strip()
        commit = commit + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        commit = "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), msgspec "
        f"{msgspec.__version__}",
        f"- commit {commit}; load average at start {load} (other work on the machine inflates "
        "every figure)",
    ]


# ---------------------------------------------------------------------------- timing


class Runs(list[float]):
    """Wall-clock seconds of each run, with the CPU seconds the thread spent beside them:
    on a machine shared with other work the wall clock includes waiting for a core, the
    CPU time does not."""

    cpu: list[float]


def timings(fn: Callable[[], object], *, min_runs: int, max_runs: int, budget_s: float) -> Runs:
    """Repeated calls: at least `min_runs`, then until the budget or `max_runs` is spent.
    Two warm-up calls first (imports, caches of template data)."""
    fn()
    fn()
    gc.collect()
    runs = Runs()
    runs.cpu = []
    started = time.perf_counter()
    while len(runs) < max_runs and (len(runs) < min_runs or time.perf_counter() - started < budget_s):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
        runs.cpu.append(time.thread_time() - c0)
    return runs


def p99(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def validate_bytes(data: bytes, reader: Callable[[bytes], object] = parse_bytes) -> bytes:
    """What POST /v1/reports/validate does with a body, minus HTTP."""
    result = reader(data)
    return msgspec.json.encode(ValidateResult.from_parse(result))  # type: ignore[arg-type]


def refusal(data: bytes, reader: Callable[[bytes], object] = parse_bytes) -> str | None:
    """Why the service refuses this input (a 4xx: too large to read, undecodable), or None."""
    try:
        validate_bytes(data, reader)
    except ValueError as exc:  # DecodeError, DocumentError: both are the client's input
        return f"{type(exc).__name__}: {getattr(exc, 'reason', '') or exc}"[:80]
    return None


# ---------------------------------------------------------------------------- inputs

_PHRASES = (
    "严格落实《中华人民共和国政府信息公开条例》", "坚持以公开为常态、不公开为例外", "围绕中心工作和群众关切",
    "及时准确公开政府信息", "持续优化政务公开专栏", "加强政策解读和回应关切", "规范依申请公开办理流程",
    "强化政府信息管理和保密审查", "推进基层政务公开标准化规范化", "完善信息发布协调机制",
    "全年在门户网站发布各类信息", "按照“谁公开、谁审查、谁负责”的原则", "开展政务公开业务培训",
    "主动接受社会监督", "进一步提升公开质量和实效", "落实政策文件集中公开", "做好重点领域信息公开",
    "畅通依申请公开受理渠道", "按时办结申请", "加强平台建设与运维管理",
)


def _paragraph(rnd: random.Random, chars: int) -> str:
    """A line of narrative of about `chars` characters: clauses joined as a clerk writes."""
    parts: list[str] = []
    n = 0
    while n < chars:
        p = rnd.choice(_PHRASES)
        if rnd.random() < 0.3:
            p += f"{rnd.randint(2, 480)}条"
        parts.append(p)
        n += len(p) + 1
    text = "，".join(parts)
    return text[: chars - 1] + "。"


def _unit(dept: int, narrative_lines: int) -> dict[str, list[str]]:
    """One department's part of a consolidated report: narrative and its three tables."""
    rnd = random.Random(dept)
    name = f"第{dept}分局"
    tables = table_rows(consistent_values(seed=dept))
    parts: dict[str, list[str]] = {}
    for sec in SECTIONS:
        lines = [f"{name}："]
        if sec.key in tables:
            lines += ["\t".join(row) for row in tables[sec.key]]
            lines.append(_paragraph(rnd, 120))
        else:
            lines += [_paragraph(rnd, rnd.randint(150, 400)) for _ in range(narrative_lines)]
        parts[sec.key] = lines
    return parts


def synthetic_report(target: int) -> bytes:
    """A report of about `target` bytes: many departments, each with long narrative and the
    three tables (tab-separated, as Word copies them). The first department's tables are the
    report's; the others' rows come back as row-unknown, so the output grows with the input.
    """
    # Small reports get less narrative per department so that one department, tables and
    # all, fits in 10 KB; large ones more, like a real consolidated report.
    narrative_lines = 3 if target <= 16 * KB else 8
    depts: list[dict[str, list[str]]] = []
    total = 0
    while total < target or not depts:
        unit = _unit(len(depts) + 1, narrative_lines)
        depts.append(unit)
        total += sum(len("\n".join(v).encode()) + 1 for v in unit.values())
        if len(depts) == 1 and total > target:
            break
    lines = ["示例市示例局2023年政府信息公开工作年度报告", ""]
    for sec in SECTIONS:
        lines.append(f"{sec.number}、{sec.title}")
        for unit in depts:
            lines += unit[sec.key]
        lines.append("")
    lines += ["示例市示例局", "2024年1月20日"]
    data = ("\n".join(lines) + "\n").encode()
    if len(data) > target:  # trim the narrative of the last section back to the target
        data = data[:target].decode("utf-8", "ignore").rsplit("\n", 1)[0].encode() + b"\n"
    return data


def hostile_inputs(limit: int) -> Iterator[tuple[str, bytes]]:
    """Shapes of input at the body limit that stress one reader each."""
    def fill(unit: str, head: str = "", tail: str = "") -> bytes:
        body = unit * ((limit - len((head + tail).encode())) // len(unit.encode()))
        return (head + body + tail).encode()

    head = "示例局2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"
    yield "one line, no breaks", fill("政府信息公开工作", head="示例局2023年政府信息公开工作年度报告\n")
    yield "short lines that look like headings", fill("三、主动公开政府信息\n")
    yield "table region of tab rows", fill("行政许可\t1\t2\t3\n", head=head)
    yield "numbers only (value cells)", fill("1\t", head=head)
    yield "cell-per-line, one cell wrapped forever", fill("短行\n", head=head + "\t行政许可\n\t1\n\t2\n")
    yield "pipe cells", fill("予以公开 |\n1 |\n||\n", head=head)
    yield "labels with no numbers", fill("（三）不予公开\t", head=head)
    yield "blank lines", fill("\n", head=head)


def seed_inputs() -> list[tuple[str, Path]]:
    return [(p.parent.name, p) for p in sorted(SEEDS.glob("seed-*/input.*"))]


def corpus_inputs() -> list[tuple[str, Path]]:
    if not CORPUS.is_dir():
        return []
    return [(p.name, p) for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".pdf")]


def reader_for(path: Path) -> Callable[[bytes], object] | None:
    """parse_bytes for text; the format readers for PDF, HTML, .docx when they exist."""
    if path.suffix == ".txt":
        return parse_bytes
    try:
        from service.domain.formats import format_of, parse_file
    except ImportError:
        return None
    fmt = format_of(None, path.read_bytes())
    return lambda data: parse_file(data, fmt)


# ---------------------------------------------------------------------------- 1. in-process


def unseen_timings(data: bytes, others: list[bytes], rounds: int) -> Runs:
    """Times of parsing `data` as a report the process has never read: before each run
    every text memo is emptied (see `service.domain.textcache`) and refilled by the
    `others` only, as in a server that has read other reports but not this one. The
    memos hold what reports share (the template's labels, common numbers); the repeated
    runs of `timings` find every text of the report in them, this does not."""
    runs = Runs()
    runs.cpu = []
    for _ in range(rounds):
        TextMemo.forget_all()
        for other in others:
            validate_bytes(other)
        gc.collect()
        c0, t0 = time.thread_time(), time.perf_counter()
        validate_bytes(data)
        runs.append(time.perf_counter() - t0)
        runs.cpu.append(time.thread_time() - c0)
    return runs


def bench_inprocess(quick: bool) -> dict[str, float]:
    out("## 1. In-process: decode → parse → validate → encode")
    out()
    out("Wall-clock time of `parse_bytes` (or the format reader) plus encoding the validate result, "
        "per report; warm process, garbage collector on. The same report parsed again finds its "
        "short texts in the parser's memos; *unseen* is the median of a report parsed after every "
        "memo was emptied and refilled by the other seeds only (a report new to the server).")
    out()
    out("| input | size | runs | median ms | p99 ms | min ms | median CPU ms | unseen median ms |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|")
    seed_bytes = {name: path.read_bytes() for name, path in seed_inputs()}
    budget = 0.5 if quick else 2.0
    figures: dict[str, float] = {}
    seed_medians: list[float] = []
    for group, items in (("seed", seed_inputs()), ("corpus", corpus_inputs())):
        for name, path in items:
            reader = reader_for(path)
            if reader is None:
                out(f"| {group} {name} | {size(path.stat().st_size)} | – | skipped: no reader | | | | |")
                continue
            data = path.read_bytes()
            refused = refusal(data, reader)
            if refused:
                out(f"| {group} {name} | {size(len(data))} | – | refused: {refused} | | | | |")
                continue
            big = len(data) > 100 * KB  # the PDFs: a second or so each
            runs = timings(lambda: validate_bytes(data, reader), min_runs=5 if big else 50,
                           max_runs=20 if big else 5000, budget_s=budget)
            med = statistics.median(runs)
            unseen, unseen_med = "", float("nan")
            if not big:
                others = [b for n, b in seed_bytes.items() if n != name]
                unseen_med = statistics.median(unseen_timings(data, others, 10 if quick else 40))
                unseen = ms(unseen_med)
            if group == "seed":
                seed_medians.append(med)
                figures[f"seed:{name}"] = med
                figures[f"seed-cpu:{name}"] = statistics.median(runs.cpu)
                figures[f"seed-unseen:{name}"] = unseen_med
            out(f"| {group} {name} | {size(len(data))} | {len(runs)} | {ms(med)} | {ms(p99(runs))} | "
                f"{ms(min(runs))} | {ms(statistics.median(runs.cpu))} | {unseen or '–'} |")
    out()
    out("Growth with size (synthetic reports: departments of narrative and tables, tab layout):")
    out()
    out("| synthetic | bytes | runs | median ms | p99 ms | min ms | median CPU ms | µs per KB | × the 10 KB report |")
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = None
    for target in (10 * KB, 100 * KB, MB, 5 * MB):
        data = synthetic_report(target)
        refused = refusal(data)
        if refused:
            out(f"| {size(target)} | {len(data)} | – | refused: {refused} | | | | | |")
            continue
        max_runs = 5000 if target <= 100 * KB else (30 if target <= MB else 10)
        runs = timings(lambda: validate_bytes(data), min_runs=5 if target >= MB else 30,
                       max_runs=max_runs, budget_s=budget * (2 if target >= MB else 1))
        med = statistics.median(runs)
        base = base or med
        figures[f"synthetic:{target}"] = med
        cpu = statistics.median(runs.cpu)
        figures[f"synthetic-cpu:{target}"] = cpu
        out(f"| {size(target)} | {len(data)} | {len(runs)} | {ms(med)} | {ms(p99(runs))} | {ms(min(runs))} | {ms(cpu)} | "
            f"{med * 1e6 / (len(data) / KB):.1f} | {med / base:.1f} |")
    out()
    out(f"Hostile shapes at the body limit ({size(BODY_LIMIT)}), slowest of 3 runs:")
    out()
    out("| shape | bytes | slowest s | answer |")
    out("|---|---:|---:|---:|")
    slowest = figures.get(f"synthetic:{5 * MB}", 0.0)
    for name, data in hostile_inputs(BODY_LIMIT):
        runs = []
        answer = ""
        for _ in range(1 if quick else 3):
            t0 = time.perf_counter()
            try:
                result = parse_bytes(data)
                msgspec.json.encode(ValidateResult.from_parse(result))
                answer = f"{len(result.issues)} issues"
            except ValueError as exc:
                answer = f"refused ({type(exc).__name__} {getattr(exc, 'reason', '')})"
            runs.append(time.perf_counter() - t0)
        slowest = max(slowest, max(runs))
        out(f"| {name} | {len(data)} | {max(runs):.3f} | {answer} |")
    figures["limit:slowest"] = slowest
    out()
    seed_med = statistics.median(seed_medians) if seed_medians else float("nan")
    ten = figures.get("synthetic:10240", float("nan"))
    growth = figures.get(f"synthetic:{MB}", float("nan")) / ten
    out("Targets:")
    out(f"- seed-sized report ≤ {TARGET_SEED_MEDIAN_MS} ms median: seed 001 "
        f"{ms(figures.get('seed:seed-001', float('nan')))} ms "
        f"(CPU {ms(figures.get('seed-cpu:seed-001', float('nan')))} ms; "
        f"unseen {ms(figures.get('seed-unseen:seed-001', float('nan')))} ms), median of the seeds {ms(seed_med)} ms, "
        f"synthetic 10 KB {ms(ten)} ms — {verdict(figures.get('seed:seed-001', 1e9) <= TARGET_SEED_MEDIAN_MS / 1000)}")
    growth_cpu = figures.get(f"synthetic-cpu:{MB}", float("nan")) / figures.get("synthetic-cpu:10240", float("nan"))
    out(f"- 1 MB ≤ {TARGET_GROWTH_1MB:.0f} × 10 KB: {growth:.1f} × (CPU time {growth_cpu:.1f} ×) — "
        f"{verdict(growth <= TARGET_GROWTH_1MB)}")
    out(f"- nothing at the body limit over {TARGET_LIMIT_S:.0f} s: slowest {slowest:.3f} s — "
        f"{verdict(slowest <= TARGET_LIMIT_S)}")
    out()
    return figures


# ---------------------------------------------------------------------------- the server


@contextmanager
def server() -> Iterator[tuple[str, int]]:
    """One worker of `nianbao serve`, ready: its base URL and pid. The tests' own helper
    (`tests/server_process.py`), so the benchmark measures the server the tests start."""
    with serve() as running:
        yield running.url, running.proc.pid


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def worker_rss(pid: int) -> tuple[int, float]:
    """(pid, resident MB) of the worker: the process itself when it serves alone, else its
    largest descendant (a server that forks workers)."""
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    best = (pid, 0.0)
    for p in seen if len(seen) == 1 else seen[1:]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                    if rss > best[1]:
                        best = (p, rss)
        except OSError:
            continue
    return best


# ---------------------------------------------------------------------------- 2. HTTP

_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_HEY_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_HEY_PCT = re.compile(r"^\s+(50|99)% in ([\d.]+) secs", re.M)
_HEY_STATUS = re.compile(r"\[(\d{3})\]\s+(\d+) responses")
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int, body: Path | None) -> dict[str, float]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if body is not None:
        script = body.with_suffix(".lua")
        script.write_text(
            'wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "text/plain; charset=utf-8"\n'
            f'local f = io.open("{body}", "rb"); wrk.body = f:read("*a"); f:close()\n'
        )
        cmd += ["-s", str(script)]
    text = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    pct = {p: float(v) * _UNIT[u] for p, v, u in _WRK_PCT.findall(text)}
    non2xx = _WRK_NON2XX.search(text)
    return {"rps": float(_WRK_RPS.search(text).group(1)), "p50": pct["50"], "p99": pct["99"],  # type: ignore[union-attr]
            "errors": float(non2xx.group(1)) if non2xx else 0.0, "cmd": shlex.join([*cmd, url])}  # type: ignore[dict-item]


def hey(url: str, seconds: int, connections: int, body: Path | None, rate: float | None) -> dict[str, float]:
    cmd = ["hey", "-z", f"{seconds}s", "-c", str(connections)]
    if rate is not None:
        cmd += ["-q", f"{max(rate / connections, 0.1):.2f}"]
    if body is not None:
        cmd += ["-m", "POST", "-T", "text/plain; charset=utf-8", "-D", str(body)]
    text = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    pct = {p: float(v) * 1000 for p, v in _HEY_PCT.findall(text)}
    bad = sum(int(n) for code, n in _HEY_STATUS.findall(text) if not code.startswith("2"))
    return {"rps": float(_HEY_RPS.search(text).group(1)), "p50": pct["50"], "p99": pct["99"],  # type: ignore[union-attr]
            "errors": float(bad), "cmd": shlex.join([*cmd, url])}  # type: ignore[dict-item]


def bench_http(quick: bool) -> dict[str, float]:
    out("## 2. HTTP on loopback, one worker")
    out()
    missing = [tool for tool in ("wrk", "hey") if shutil.which(tool) is None]
    if missing:
        out(f"Skipped: {' and '.join(missing)} not installed (Debian: `apt-get install wrk hey`).")
        out()
        return {}
    seconds = 5 if quick else 15
    connections = 8
    body = Path(tempfile.mkdtemp(prefix="nianbao-bench-")) / "seed-001.txt"
    body.write_bytes((SEEDS / "seed-001" / "input.txt").read_bytes())
    figures: dict[str, float] = {}
    with server() as (base, pid):
        out(f"Server: `{shlex.join(serve_command(0)).replace(' 0 ', ' PORT ')}` (pid {pid}); "
            f"wrk and hey on the same machine, {connections} connections, {seconds} s per run.")
        out()
        validate_url = f"{base}/v1/reports/validate"
        wrk(f"{base}/healthz", 2, connections, None)  # warm-up
        wrk(validate_url, 2, connections, body)
        health = wrk(f"{base}/healthz", seconds, connections, None)
        validate = wrk(validate_url, seconds, connections, body)
        half = validate["rps"] / 2
        # One paced connection: hey paces each connection on its own ticker, all started
        # together, so several paced connections send their requests in bursts, a queue the
        # rate itself does not cause.
        paced = hey(validate_url, seconds, 1, body, rate=half)
        out("| load | requests/s | p50 ms | p99 ms | non-2xx |")
        out("|---|---:|---:|---:|---:|")
        out(f"| GET /healthz, peak (wrk) | {health['rps']:.0f} | {health['p50']:.2f} | {health['p99']:.2f} | {health['errors']:.0f} |")
        out(f"| POST /v1/reports/validate seed 001, peak (wrk) | {validate['rps']:.0f} | {validate['p50']:.2f} | {validate['p99']:.2f} | {validate['errors']:.0f} |")
        out(f"| POST /v1/reports/validate seed 001 at {half:.0f}/s (hey -c 1 -q) | {paced['rps']:.0f} | {paced['p50']:.2f} | {paced['p99']:.2f} | {paced['errors']:.0f} |")
        out()
        share = validate["rps"] / health["rps"]
        out("Commands:")
        for run in (health, validate, paced):
            out(f"- `{run['cmd']}`")
        out()
        out("Targets:")
        out(f"- validate ≥ {TARGET_HTTP_SHARE:.0%} of /healthz requests/s: {share:.1%} — "
            f"{verdict(share >= TARGET_HTTP_SHARE)}")
        out(f"- p99 < {TARGET_HALF_RATE_P99_MS:.0f} ms at half the peak rate: {paced['p99']:.2f} ms — "
            f"{verdict(paced['p99'] < TARGET_HALF_RATE_P99_MS)}")
        out()
        figures.update(health_rps=health["rps"], validate_rps=validate["rps"], share=share,
                       half_p99=paced["p99"])
    return figures


# ---------------------------------------------------------------------------- 3. memory


def _send(base: str, body: bytes, n: int) -> int:
    """n validate requests over keep-alive connections; the count of non-200 answers."""
    if shutil.which("hey") and n >= 100:
        with tempfile.NamedTemporaryFile(suffix=".txt") as f:
            f.write(body)
            f.flush()
            text = subprocess.run(
                ["hey", "-n", str(n), "-c", "4", "-m", "POST", "-T", "text/plain; charset=utf-8",
                 "-D", f.name, f"{base}/v1/reports/validate"],
                capture_output=True, text=True, check=True,
            ).stdout
        done = sum(int(c) for _, c in _HEY_STATUS.findall(text))
        ok = sum(int(c) for code, c in _HEY_STATUS.findall(text) if code == "200")
        return (n - done) + (done - ok)
    import http.client

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    bad = 0
    for _ in range(n):
        conn.request("POST", "/v1/reports/validate", body, {"Content-Type": "text/plain; charset=utf-8"})
        response = conn.getresponse()
        response.read()
        bad += response.status != 200
    conn.close()
    return bad


def bench_memory(quick: bool) -> dict[str, float]:
    out("## 3. Worker memory under repeated validate requests")
    out()
    body = (SEEDS / "seed-001" / "input.txt").read_bytes()
    total = 2000 if quick else 10_000
    with server() as (base, pid):
        time.sleep(0.5)
        wpid, start = worker_rss(pid)
        bad = _send(base, body, 100)
        _, after_100 = worker_rss(pid)
        bad += _send(base, body, total - 100)
        _, after_all = worker_rss(pid)
    growth = after_all - after_100
    out(f"Worker pid {wpid}, seed 001 over keep-alive connections ({'hey -c 4' if shutil.which('hey') else 'one client'}); "
        f"{bad} non-200 answers.")
    out()
    out("| moment | resident MB |")
    out("|---|---:|")
    out(f"| right after start (ready) | {start:.1f} |")
    out(f"| after 100 requests | {after_100:.1f} |")
    out(f"| after {total:,} requests | {after_all:.1f} |")
    out()
    out("Target:")
    out(f"- after {total:,} within {TARGET_MEMORY_GROWTH_MB:.0f} MB of after 100: "
        f"{growth:+.1f} MB — {verdict(growth <= TARGET_MEMORY_GROWTH_MB)}"
        + ("" if total == 10_000 else " (quick run: 10,000 requests without --quick)"))
    out()
    return {"rss_start": start, "rss_100": after_100, "rss_all": after_all}


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter loads")
    parser.add_argument("--only", choices=("inprocess", "pdf", "http", "memory"), action="append",
                        help="run only this part (repeatable)")
    args = parser.parse_args(argv)
    parts = args.only or ["inprocess", "pdf", "http", "memory"]
    command = "uv run python bench/run.py" + (" --quick" if args.quick else "") + "".join(
        f" --only {p}" for p in args.only or ())
    out("# nianbao benchmark")
    out()
    for line in machine():
        out(line)
    out(f"- reproduce: `{command}` (from the repository root; HTTP needs `apt-get install wrk hey`)")
    out()
    if "inprocess" in parts:
        bench_inprocess(args.quick)
    if "pdf" in parts:
        bench_pdf(CORPUS, args.quick, out)
    if "http" in parts:
        bench_http(args.quick)
    if "memory" in parts:
        bench_memory(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
