"""Hostile input: the time and peak memory of each case of tests/hostile_files.py, run through
the installed bptrack (the same cases tests/test_hostile_inputs.py asserts on: exit 1, one
`Error:` line, under 30 s and 1 GB), and the reader's time on a one-line text of 1 and 2 MB.

    python bench/hostile.py [--markdown docs/performance.md]

`--markdown FILE` rewrites FILE's section between its hostile markers with the table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_files import CASES, Case, prose, run_bounded, web_page  # noqa: E402

T = TypeVar("T")

BEGIN, END = "<!-- hostile:begin -->", "<!-- hostile:end -->"


def _make(name: str, folder: str) -> Case:
    return CASES[name](Path(folder))


def _prose(megabytes: int, folder: str) -> Path:
    return prose(Path(folder), megabytes) if megabytes else web_page(Path(folder))


def made(maker: Callable[..., T], *args: object) -> T:
    """Files are made in a child process: a peak of the making (the maximum resident size a
    fork inherits and an exec keeps) would otherwise count in bptrack's peak."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(maker, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="rewrite this file's hostile section")
    options = parser.parse_args()
    lines = ["| Input | Exit | Seconds | Peak MB | The error |", "|---|---|---|---|---|"]
    worst = 0.0
    for name in CASES:
        with tempfile.TemporaryDirectory() as folder:
            case = made(_make, name, folder)
            code, stderr, seconds, peak = run_bounded(case.args, Path(folder), case.env)
            error = next((line for line in stderr.splitlines() if line.startswith("Error:")),
                         "").replace(folder + "/", "")
        worst = max(worst, seconds)
        lines.append(f"| {name} | {code} | {seconds:.2f} | {peak:.0f} | "
                     f"{error[:110].replace('|', '/')} |")
        print(lines[-1], flush=True)
    for megabytes in (1, 2, 0):
        with tempfile.TemporaryDirectory() as folder:
            path = made(_prose, megabytes, folder)
            code, _, seconds, peak = run_bounded(
                ["meeting", "import", str(path), "--dry-run", "--format", "json"], Path(folder))
        what = f"one-line prose, {megabytes} MB" if megabytes else "a web page of 4.9 MB"
        lines.append(f"| {what}, read to the end (dry run) | {code} | {seconds:.2f} | "
                     f"{peak:.0f} | (none: it is read) |")
        print(lines[-1], flush=True)
    if options.markdown:
        text = options.markdown.read_text()
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        options.markdown.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail)
    print(f"slowest refusal: {worst:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
