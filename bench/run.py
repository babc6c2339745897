"""The benchmark: whole `bptrack` processes, timed against floors measured in the same run.

    python bench/run.py                  # builds bench/data/ on first use (about a minute)
    python bench/run.py --runs 7 --markdown docs/performance.md

Each figure is the median of --runs runs after one warm-up, as a ratio to the floors
F1 = `python -c "import typer"` and F2 = `python -c "import typer, rich.table, sqlmodel"`.
Peak RSS is the largest of the runs. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
RSS_LIMIT_MB = 150


def bptrack() -> str:
    found = Path(sys.executable).parent / "bptrack"
    return str(found) if found.exists() else (shutil.which("bptrack") or "bptrack")


@dataclass
class Result:
    name: str
    seconds: float
    rss_mb: float
    floor: str  # "F1", "F2" or "s" (absolute seconds)
    target: float  # ratio to the floor, or seconds


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def measure(cmd: list[str] | Callable[[int], list[str]], env: dict[str, str], runs: int
            ) -> tuple[float, float]:
    """Median seconds of `runs` after a warm-up, and the peak RSS in MB."""
    times, peak = [], 0.0
    for n in range(runs + 1):
        args = cmd(n) if callable(cmd) else cmd
        seconds, rss = run_once(args, env)
        peak = max(peak, rss)
        if n:
            times.append(seconds)
    return statistics.median(times), peak


def ensure_data() -> dict[str, Path]:
    DATA.mkdir(exist_ok=True)
    paths = {}
    for label, count in SIZES.items():
        path = DATA / f"{label}.db"
        if not path.exists():
            print(f"generating {path} ({count:,} actions)…", file=sys.stderr)
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(count), str(path)],
                           check=True)
        paths[label] = path
    return paths


def open_ids(path: Path, count: int) -> list[int]:
    conn = sqlite3.connect(path)
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM action WHERE status = 'open' AND kind = 'action' ORDER BY id "
        "LIMIT ?", (count,))]
    conn.close()
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    runs = max(5, args.runs)
    data = ensure_data()
    work = Path(tempfile.mkdtemp(prefix="bptrack-bench-"))
    home = work / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "BPTRACK_ACTOR": "bench"}
    env.pop("BPTRACK_DB", None)
    env.pop("BPTRACK_CONFIG", None)
    exe = bptrack()

    f1, _ = measure([sys.executable, "-c", "import typer"], env, runs)
    f2, _ = measure([sys.executable, "-c", "import typer, rich.table, sqlmodel"], env, runs)
    results: list[Result] = []

    def add(name: str, cmd: list[str] | Callable[[int], list[str]], floor: str,
            target: float, extra_env: dict[str, str] | None = None) -> None:
        seconds, rss = measure(cmd, {**env, **(extra_env or {})}, runs)
        results.append(Result(name, seconds, rss, floor, target))
        print(f"  {name}: {seconds:.3f}s", file=sys.stderr)

    seeded = work / "seeded.db"
    run_once([exe, "--db", str(seeded), "list"], env)  # create and seed it
    terminal = {"FORCE_COLOR": "1", "COLUMNS": "120"}  # a Rich table, as on a terminal
    add("--version", [exe, "--version"], "F1", 1.5)
    add("--help", [exe, "--help"], "F1", 1.5)
    add("list (seeded, table)", [exe, "--db", str(seeded), "list"], "F2", 1.3, terminal)

    big = work / "100k.db"
    shutil.copy(data["100k"], big)
    db = ["--db", str(big)]
    owner = "B001"
    ids = open_ids(big, runs + 1)
    add("list (100k, table, first page)", [exe, *db, "list"], "F2", 1.5, terminal)
    add(f"list --overdue --owner {owner} --format json (100k)",
        [exe, *db, "list", "--overdue", "--owner", owner, "--format", "json"], "F2", 2.0)
    add("report --format json (100k)", [exe, *db, "report", "--format", "json"], "F2", 3.0)
    add("remind (100k)", [exe, *db, "remind"], "F2", 2.0)
    add("show ID (100k)", lambda n: [exe, *db, "show", str(ids[n])], "F2", 1.3)
    add("close ID (100k)", lambda n: [exe, *db, "close", str(ids[n])], "F2", 1.3)

    dump = work / "100k.json"
    run_once([exe, *db, "db", "export", "--output", str(dump)], env)
    add("db load (100k)", lambda n: [exe, "--db", str(work / f"load{n}.db"), "db", "load",
                                     str(dump)], "s", 20.0)

    floors = {"F1": f1, "F2": f2, "s": 1.0}
    ok = True
    lines = [f"Floors: F1 = {f1:.3f} s (`python -c \"import typer\"`), F2 = {f2:.3f} s "
             "(`python -c \"import typer, rich.table, sqlmodel\"`). Median of "
             f"{runs} runs after a warm-up.", "",
             "| command | median | ratio | target | peak RSS | met |",
             "|---|---:|---:|---:|---:|:---:|"]
    for r in results:
        ratio = r.seconds / floors[r.floor]
        met = ratio <= r.target and r.rss_mb <= RSS_LIMIT_MB
        ok = ok and met
        shown = f"{ratio:.2f}× {r.floor}" if r.floor != "s" else f"{r.seconds:.1f} s"
        target = f"≤ {r.target}× {r.floor}" if r.floor != "s" else f"≤ {r.target:.0f} s"
        lines.append(f"| `{r.name}` | {r.seconds:.3f} s | {shown} | {target} | "
                     f"{r.rss_mb:.0f} MB | {'yes' if met else 'NO'} |")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    lines += ["", f"Machine: {machine}. Peak RSS limit {RSS_LIMIT_MB} MB.",
              "Every target met." if ok else "Some targets were missed."]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(_page(table))
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


def _page(table: str) -> str:
    return f"""# Performance

bptrack must feel instant at any size: people run it dozens of times a day and the database
grows with every meeting. Python's start-up dominates a command-line tool, so every figure is a
ratio to two floors measured in the same run: F1, `python -c "import typer"`, and F2, `python
-c "import typer, rich.table, sqlmodel"`.

## Figures from one run

{table}

For comparison, Taskwarrior 2.6 on 100,000 tasks takes 3.7 s and 370 MB for `task list`, and
2.9 s for `task overdue`.

## How to reproduce

```sh
python3 -m venv .venv && .venv/bin/pip install '.[test]'
.venv/bin/python bench/run.py --markdown docs/performance.md
```

The first run generates `bench/data/{{1k,10k,100k}}.db` with `bench/generate.py` (a fixed random
seed: 40 bodies, a meeting per 400 actions, 170 assignees, 55% open / 12% in progress / 5%
blocked / 23% done / 5% cancelled, 80% of actions and ongoing items dated between 2020 and
2030). `list` on a terminal is measured as a Rich table (`FORCE_COLOR=1`); `show` and `close`
use a different open action each run; `db load` loads a 100k export into a new file each run.

## How it stays fast

- `--help` and `--version` import neither SQLAlchemy, SQLModel, pydantic nor Rich tables
  (`tests/test_startup.py` checks `sys.modules` in a subprocess; ruff's TID253 bans module-level
  imports of them outside the storage modules).
- Filtering, counting, sorting and paging run in SQL, with indexes for the filters; the default
  order (soonest due first, undated last) is two index-ordered reads, so a first page reads a
  page.
- Rows are read as plain tuples, in batches, with dates and timestamps already formatted by the
  database; JSON, CSV and TSV stream as they are read; a terminal table shows one page.
- The report's JSON has each action's object built by the database (`json_object` on SQLite,
  `json_build_object` on PostgreSQL), checked equal to the Python objects in the tests.
- `db load` reads the export a line at a time and inserts in batches of 5,000.
"""


if __name__ == "__main__":
    sys.exit(main())
