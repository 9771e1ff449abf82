"""Instructions per report: a machine-load-independent measure of the parser's cost.

Wall-clock figures on a shared machine move by a factor of two with the neighbours' load;
`valgrind --tool=callgrind` counts executed instructions, the same on every run of the same
code and input. This script runs the parser under callgrind once with one parse and once
with `1 + N` parses of each input, and prints the difference divided by N: the
instructions of one parse+validate+encode, start-up and imports excluded. Use it to compare
two versions of the code; use `bench/run.py` for the figures issue 5 asks for.

    uv run python bench/instructions.py                    # every golden seed
    uv run python bench/instructions.py FILE... [--n 10]

Needs valgrind (Debian package `valgrind`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run under valgrind: parse the file `count` times (the first parse warms the caches and
# imports; both runs do it, so it cancels out).
CHILD = """
import sys
sys.path.insert(0, {root!r})
import msgspec
from service.domain.models import ValidateResult
from service.domain.pipeline import parse_bytes
data = open({path!r}, "rb").read()
encode = msgspec.json.Encoder().encode
for _ in range({count}):
    encode(ValidateResult.from_parse(parse_bytes(data)))
"""


def instructions(path: Path, count: int) -> int:
    code = CHILD.format(root=str(ROOT), path=str(path), count=count)
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--n", type=int, default=10, help="extra parses in the second run")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: apt-get install valgrind", file=sys.stderr)
        return 2
    paths = args.paths or sorted((ROOT / "tests" / "golden").glob("seed-*/input.*"))
    print(f"{'input':48s} {'bytes':>8s} {'M instructions per report':>28s}")
    for path in paths:
        per = (instructions(path, 1 + args.n) - instructions(path, 1)) / args.n
        print(f"{str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path):48s} "
              f"{path.stat().st_size:8d} {per / 1e6:28.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
