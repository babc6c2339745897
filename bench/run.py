"""The benchmark: whole `bptrack` processes, timed against a floor measured in the same run,
and Taskwarrior side by side on the same data.

    python bench/run.py                  # builds bench/data/ on first use (about a minute)
    python bench/run.py --runs 9 --markdown docs/performance.md

Each figure is the median of --runs runs after one warm-up, as a ratio to the floor
F1 = `python -c "import typer"`, timed just before each of those runs. Peak RSS is the
largest of the runs. PostgreSQL is measured when BPTRACK_BENCH_PG_URL (default
postgresql+psycopg://postgres@127.0.0.1/bptrack_bench) can be reached, Taskwarrior when
`task` is installed (apt-get install taskwarrior); each is skipped with a note otherwise.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
SIZES = {"1k": 1_000, "100k": 100_000}
RSS_LIMIT_MB = 60
PG_URL = os.environ.get("BPTRACK_BENCH_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1/bptrack_bench")

Command = list[str] | Callable[[int], list[str]]


def bptrack() -> str:
    found = Path(sys.executable).parent / "bptrack"
    return str(found) if found.exists() else (shutil.which("bptrack") or "bptrack")


@dataclass
class Result:
    name: str
    seconds: float
    rss_mb: float
    target: float | None  # ratio to F1; None: no ratio target (seconds, see `limit`)
    floor: float  # F1, timed in turn with this command's runs
    limit: float | None = None  # seconds
    task: tuple[str, float] | None = None  # Taskwarrior's command and median, side by side
    faster_than_task: bool = False  # a target of its own: quicker than Taskwarrior
    within: float | None = None  # a target of its own: at most this many times the side one
    rss_checked: bool = True  # peak RSS within rss_limit (RSS_LIMIT_MB for everyday commands)
    informational: bool = False  # a figure to know, with F1 beside it; no target
    rss_limit: float = RSS_LIMIT_MB


def next_typer(work: Path) -> str | None:
    """A Python with Typer 0.29 (bptrack holds Typer below it), to show what moving would
    cost every command; None when it cannot be installed here."""
    venv = work / "typer-0.29"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
    python = venv / "bin" / "python"
    if made.returncode != 0 or subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "typer==0.29.*"],
            capture_output=True).returncode != 0:
        return None
    return str(python)


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


FLOOR = [sys.executable, "-c", "import typer"]


def measure(cmd: Command, env: dict[str, str], runs: int, *, floor: bool = True
            ) -> tuple[float, float, float]:
    """Median seconds of `runs` after a warm-up, the peak RSS in MB, and the median of the
    floor F1 timed just before each run (0 when `floor` is off). Pairing them keeps a ratio
    true when the machine as a whole slows down or speeds up during the benchmark."""
    times, floors, peak = [], [], 0.0
    for n in range(runs + 1):
        args = cmd(n) if callable(cmd) else cmd
        before = run_once(FLOOR, env)[0] if floor else 0.0
        seconds, rss = run_once(args, env)
        peak = max(peak, rss)
        if n:
            times.append(seconds)
            floors.append(before)
    return statistics.median(times), peak, statistics.median(floors)


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


# --- Taskwarrior --------------------------------------------------------------------------

TASK_STATUS = {"open": "pending", "in_progress": "pending", "blocked": "pending",
               "done": "completed", "cancelled": "deleted"}


def _taskrc(folder: Path) -> Path:
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder}\nconfirmation=no\nverbose=nothing\n"
                  "news.version=2.6.2\n")
    return rc


def taskwarrior(db: Path, label: str, work: Path) -> dict[str, str] | None:
    """A Taskwarrior data dir holding the same commitments as `db` (task import, once, kept
    in bench/data), copied for this run; the environment that points `task` at the copy.
    None when Taskwarrior is not installed."""
    if shutil.which("task") is None:
        return None
    folder = DATA / f"task-{label}"
    if not (folder / "pending.data").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        rc = _taskrc(folder)
        export = folder / "import.json"
        # In a process of its own: a child forked from a bench grown by 100,000 rows would
        # report that size as its own peak RSS.
        subprocess.run([sys.executable, __file__, "--task-export", str(db), str(export)],
                       check=True)
        print(f"task import into {folder}…", file=sys.stderr)
        subprocess.run(["task", "import", str(export)], env={**os.environ, "TASKRC": str(rc)},
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        export.unlink()
    copy = work / f"task-{label}"
    shutil.copytree(folder, copy)
    return {"TASKRC": str(_taskrc(copy))}


def task_export(db: Path, export: Path) -> None:
    """The commitments of `db` as Taskwarrior's import format, a task a line."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT a.id, a.title, b.code, a.status, a.due, a.created_at FROM action a "
        "JOIN body b ON a.owner_id = b.id WHERE a.kind IN ('action', 'ongoing') "
        "ORDER BY a.id")
    with export.open("w") as fh:
        for id_, title, code, status, due, created in rows:
            entry = created[:10].replace("-", "") + "T000000Z"
            task = {"uuid": str(uuid.UUID(int=id_)), "description": title,
                    "project": code, "status": TASK_STATUS[status], "entry": entry}
            if due:
                task["due"] = due.replace("-", "") + "T000000Z"
            if status in ("done", "cancelled"):
                task["end"] = entry
            fh.write(json.dumps(task) + "\n")
    conn.close()


def pg_ready(env: dict[str, str], exe: str) -> str | None:
    """A fresh, seeded PostgreSQL database for the bench, or None (with why) when there is
    none to be had."""
    try:
        import psycopg
    except ImportError:
        return None
    base, _, name = PG_URL.rpartition("/")
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: {exc}".strip(), file=sys.stderr)
        return None
    run_once([exe, "--db", PG_URL, "db", "init"], env)
    return PG_URL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", help="also write the tables to this file")
    parser.add_argument("--task-export", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task_export:
        task_export(Path(args.task_export[0]), Path(args.task_export[1]))
        return 0
    runs = max(5, args.runs)
    data = ensure_data()
    work = Path(tempfile.mkdtemp(prefix="bptrack-bench-"))
    home = work / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "BPTRACK_ACTOR": "bench"}
    for name in ("BPTRACK_DB", "BPTRACK_CONFIG", "PYTHONDONTWRITEBYTECODE", "FORCE_COLOR",
                 "TTY_COMPATIBLE"):
        env.pop(name, None)
    exe = bptrack()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).parents[1]
                                                              / "src")], check=False,
                   stdout=subprocess.DEVNULL, env=env)  # as an installed copy would have it

    results: list[Result] = []
    notes: list[str] = []

    def add(name: str, cmd: Command, target: float | None, extra_env: dict[str, str] | None
            = None, *, limit: float | None = None, task: tuple[str, Command] | None = None,
            task_env: dict[str, str] | None = None, faster_than_task: bool = False,
            rss_checked: bool = True, informational: bool = False,
            within: float | None = None, rss_limit: float = RSS_LIMIT_MB) -> None:
        seconds, rss, f1 = measure(cmd, {**env, **(extra_env or {})}, runs,
                                   floor=target is not None or informational)
        side = None
        if task is not None and task_env is not None:
            task_seconds, _, _ = measure(task[1], {**env, **task_env}, runs, floor=False)
            side = (task[0], task_seconds)
        results.append(Result(name, seconds, rss, target, f1, limit, side,
                              faster_than_task=faster_than_task, within=within,
                              rss_checked=rss_checked, informational=informational,
                              rss_limit=rss_limit))
        print(f"  {name}: {seconds:.3f}s", file=sys.stderr)

    terminal = {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1", "COLUMNS": "120"}  # as on one

    # The seeded database: the everyday commands, and completion.
    seeded = work / "seeded.db"
    run_once([exe, "--db", str(seeded), "db", "init"], env)
    s = ["--db", str(seeded)]
    add("--version", [exe, "--version"], 1.5)
    add("list (seeded, table)", [exe, *s, "list"], 2.0, terminal)
    add("show 9 (seeded)", [exe, *s, "show", "9"], 2.0)
    for n in range(len(open_ids(seeded, 40)) + 7, runs + 1):  # more runs than active actions
        run_once([exe, *s, "add", f"Bench commitment {n}", "--owner", "RSO"], env)
    active = [*open_ids(seeded, 40), 15, 16, 17, 18, 19, 20, 23]  # actions, then ongoing
    add("close (seeded)", lambda n: [exe, *s, "close", str(active[n]), "--quiet"], 2.0)
    add("note (seeded)", [exe, *s, "note", "9", "Spoke to the co-chairs", "--quiet"], 2.0)
    add("assign (seeded)", lambda n: [exe, *s, "assign", "9", f"Focal Point {n}", "--quiet"],
        2.0)
    add("remind (seeded)", [exe, *s, "remind"], 2.0)
    add("history (seeded)", [exe, *s, "history"], 2.0, terminal)
    # The secretariat's own commands, on the seed and a follow-up statement (issue 26).
    meetings = work / "meetings.db"
    shutil.copy(seeded, meetings)
    follow_up = HERE / "reconcile" / "ahg17.txt"
    run_once([exe, "--db", str(meetings), "meeting", "import", str(follow_up)], env)
    m = ["--db", str(meetings)]
    add("meeting list (seeded)", [exe, *m, "meeting", "list"], 3.0)
    add("meeting show AHG17 (seeded)", [exe, *m, "meeting", "show", "AHG17"], 3.0)
    add("meeting reconcile AHG17 (seeded)", [exe, *m, "meeting", "reconcile", "AHG17"], 3.0)
    add("meeting import FILE --dry-run (text)", [exe, *m, "meeting", "import",
                                                  str(HERE / "reconcile" / "ahg18.txt"),
                                                  "--dry-run"], 3.0)
    add("body list (seeded)", [exe, *m, "body", "list"], 3.0)
    add("db path", [exe, *m, "db", "path"], 3.0)
    add("db check (seeded)", [exe, *m, "db", "check"], 3.0)
    add("completion of ids (close <TAB>)", [exe], 1.5,
        {"_BPTRACK_COMPLETE": "complete_bash", "COMP_WORDS": "bptrack close ",
         "COMP_CWORD": "2", "BPTRACK_DB": str(seeded)})

    # 100,000 actions, beside Taskwarrior on the same commitments.
    big = work / "100k.db"
    shutil.copy(data["100k"], big)
    b = ["--db", str(big)]
    # Data made by an older bptrack is upgraded here, not in the first timed row's warm-up
    # (whose peak memory would be the upgrade's).
    run_once([exe, *b, "list", "--limit", "1"], env)
    ids = open_ids(big, 2 * runs + 2)
    tw = taskwarrior(data["100k"], "100k", work)
    if tw is None:
        notes.append("Taskwarrior is not installed (apt-get install taskwarrior): its column "
                     "is empty.")
    add("list (100k, table, first page)", [exe, *b, "list"], 2.5, terminal,
        task=("task list", ["task", "list"]), task_env=tw)
    add("show ID (100k)", lambda n: [exe, *b, "show", str(ids[n])], 2.5,
        task=("task ID info", lambda n: ["task", str(n + 1), "info"]), task_env=tw)
    add("close ID (100k)", lambda n: [exe, *b, "close", str(ids[runs + 1 + n]), "--quiet"],
        2.5, task=("task ID done", lambda n: ["task", str(n + 1), "done"]), task_env=tw)
    add("note ID (100k)", lambda n: [exe, *b, "note", str(ids[n]), "a note", "--quiet"], 2.5,
        task=("task ID annotate", lambda n: ["task", str(n + 1), "annotate", "a note"]),
        task_env=tw)
    add("list --overdue --owner B001 --format json (100k)",
        [exe, *b, "list", "--overdue", "--owner", "B001", "--format", "json"], 2.5,
        task=("task project:B001 overdue", ["task", "project:B001", "overdue"]), task_env=tw)
    add("remind (100k)", [exe, *b, "remind"], 2.5)
    add("report (100k, terminal)", [exe, *b, "report"], 2.5, terminal,
        task=("task summary", ["task", "summary"]), task_env=tw, faster_than_task=True)
    add("report --format json (100k, 42 MB)", [exe, *b, "report", "--format", "json"], 10.0)
    add("report --format html --output FILE (100k)",
        [exe, *b, "report", "--format", "html", "--output", str(work / "report.html"),
         "--force"], 8.0, rss_limit=120)
    plain = [sys.executable, str(HERE / "plain.py")]
    # A follow-up statement read into the 100k tracker, weighed against its 60,000 active
    # actions (pair by pair this took 15 s).
    followed = work / "100k-ahg17.db"
    shutil.copy(data["100k"], followed)
    run_once([exe, "--db", str(followed), "meeting", "import", str(follow_up)], env)
    add("meeting reconcile AHG17 (100k)", [exe, "--db", str(followed), "meeting", "reconcile",
                                           "AHG17"], None, limit=1.5, rss_checked=False)
    # The secretariat's big files, made by bench/big_files.py, beside the plain reads of them.
    sheet, statement = work / "tracker.xlsx", work / "statement.pdf"
    subprocess.run([sys.executable, str(HERE / "big_files.py"), "tracker", str(sheet)],
                   check=True)
    subprocess.run([sys.executable, str(HERE / "big_files.py"), "statement", str(statement)],
                   check=True)

    def fresh(n: int) -> list[str]:  # each run imports into a copy of the seeded tracker
        shutil.copy(seeded, work / f"import{n}.db")
        return [exe, "--db", str(work / f"import{n}.db"), "import", str(sheet),
                "--create-bodies"]

    add("import FILE.xlsx (10,000 rows)", fresh, None, rss_checked=False, task=(
        "plain.py xlsx: openpyxl reads the same file", [*plain, "xlsx", str(sheet)]),
        task_env={}, within=5.0)
    add("meeting import FILE.pdf --dry-run (60 pages)", [
        exe, *s, "meeting", "import", str(statement), "--dry-run", "--format", "json"], None,
        rss_checked=False, task=("plain.py pdf: pypdf extracts its text",
                                 [*plain, "pdf", str(statement)]), task_env={}, within=2.0)
    for fmt in ("csv", "json"):
        add(f"list --all --format {fmt} --output FILE (100k)",
            [exe, *b, "list", "--all", "--format", fmt, "--output", str(work / f"all.{fmt}"),
             "--force"], None, task=(f"plain.py {fmt}: the same rows and columns",
                                     [*plain, fmt, str(big), str(work / f"plain.{fmt}")]),
            task_env={}, within=2.0, rss_checked=False)
    add("list --all --format xlsx --output FILE (100k)",
        [exe, *b, "list", "--all", "--format", "xlsx", "--output", str(work / "all.xlsx"),
         "--force"], None, task=("bptrack list --all --format csv", [
             exe, *b, "list", "--all", "--format", "csv", "--output", str(work / "all.csv"),
             "--force"]), task_env={}, within=3.0, rss_checked=False)
    if tw is not None:
        small = taskwarrior(data["1k"], "1k", work)
        add("list (1k, table)", [exe, "--db", str(data["1k"]), "list"], 2.5, terminal,
            task=("task list", ["task", "list"]), task_env=small)

    # Team mode: the everyday commands on PostgreSQL.
    pg = pg_ready(env, exe)
    if pg is None:
        notes.append(f"PostgreSQL was not reachable at {PG_URL}: its rows are missing.")
    else:
        p = ["--db", pg]
        for name, cmd in (("list", [exe, *p, "list"]), ("show 9", [exe, *p, "show", "9"]),
                          ("note", [exe, *p, "note", "9", "x", "--quiet"]),
                          ("assign", [exe, *p, "assign", "9", "Indonesia", "--quiet"]),
                          ("history", [exe, *p, "history"]), ("remind", [exe, *p, "remind"]),
                          ("report", [exe, *p, "report"]), ("calendar", [exe, *p, "calendar"]),
                          ("add", [exe, *p, "add", "A commitment", "--owner", "RSO"])):
            add(f"{name} (PostgreSQL, seeded)", cmd, 4.0, terminal if name == "list" else None)
        add("close/reopen (PostgreSQL, seeded)", lambda n: [
            exe, *p, "close" if n % 2 == 0 else "reopen", "11", "--quiet"], 4.0)

    # What Typer 0.29 would cost each command: a small Typer app shaped like a bptrack
    # command, under the installed Typer and under 0.29, against F1 in the same run.
    app = str(Path(__file__).with_name("typer_app.py"))
    add("a Typer app like one command (installed Typer)", [sys.executable, app], None,
        informational=True, rss_checked=False)
    python = next_typer(work)
    if python is None:
        notes.append("Typer 0.29 could not be installed here: its row is missing.")
    else:
        add("the same app on Typer 0.29 (not used: what moving would cost)", [python, app],
            None, informational=True, rss_checked=False)

    # Moving a whole database.
    dump = work / "100k.json"
    run_once([exe, *b, "db", "export", "--output", str(dump)], env)
    empty = work / "empty.db"  # the tables and nothing in them, for the plain script
    run_once([exe, "--db", str(empty), "db", "init"], env)
    conn = sqlite3.connect(empty)
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite%' AND name <> 'bptrack_meta'"
                                 ).fetchall():
        conn.execute(f'DELETE FROM "{table}"')
    conn.commit()
    conn.close()  # the file whole, its write-ahead log folded in, before it is copied

    def plain_load(n: int) -> list[str]:
        shutil.copy(empty, work / f"plain{n}.db")
        return [*plain, "load", str(dump), str(work / f"plain{n}.db")]

    add("db load (100k)", lambda n: [exe, "--db", str(work / f"load{n}.db"), "db", "load",
                                     str(dump)], None, limit=10.0, rss_checked=False,
        task=("plain.py load: executemany of the same rows", plain_load), task_env={},
        within=2.0)

    ok = True
    floors = [r.floor for r in results if r.target is not None or r.informational]
    lines = [f"Floor: F1 = `python -c \"import typer\"`, timed before each run of each command "
             f"({min(floors):.3f}–{max(floors):.3f} s over the commands). Median of {runs} runs "
             "after a warm-up.", "",
             "| command | median | F1 | ratio | target | peak RSS | beside it (Taskwarrior, "
             "a plain script) | bptrack ÷ beside | met |",
             "|---|---:|---:|---:|---:|---:|---|---:|:---:|"]
    for r in results:
        ratio = r.seconds / r.floor if r.floor else 0.0
        met = (ratio <= r.target if r.target is not None else r.informational
               or r.seconds <= (r.limit or 0))
        if r.rss_checked:
            met = met and r.rss_mb <= r.rss_limit
        if r.faster_than_task and r.task is not None:
            met = met and r.seconds < r.task[1]
        if r.within is not None and r.task is not None:
            met = (met if r.target is not None or r.limit is not None else True) and (
                r.seconds <= r.within * r.task[1])
        ok = ok and met
        with_floor = r.target is not None or r.informational
        shown = f"{ratio:.2f}× F1" if with_floor else f"{r.seconds:.1f} s"
        target = (f"≤ {r.target}× F1" if r.target is not None else "—" if r.informational
                  else f"≤ {r.limit:g} s" if r.limit is not None else "")
        if r.faster_than_task:
            target += ", < task"
        if r.rss_checked and r.rss_limit != RSS_LIMIT_MB:
            target += f", ≤ {r.rss_limit:.0f} MB"
        if r.within is not None:
            target = (f"{target}, " if r.target is not None or r.limit is not None
                      else "") + f"≤ {r.within}× beside"
        side = f"`{r.task[0]}` {r.task[1]:.3f} s" if r.task else ""
        versus = f"{r.seconds / r.task[1]:.2f}" if r.task else ""
        f1_shown = f"{r.floor:.3f} s" if with_floor else ""
        lines.append(f"| `{r.name}` | {r.seconds:.3f} s | {f1_shown} | {shown} | {target} | "
                     f"{r.rss_mb:.0f} MB | {side} | {versus} | "
                     f"{'—' if r.informational else 'yes' if met else 'NO'} |")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    task_version = subprocess.run(["task", "--version"], capture_output=True, text=True
                                  ).stdout.strip() if shutil.which("task") else "absent"
    lines += ["", f"Machine: {machine}; Taskwarrior {task_version}. Peak RSS limit "
              f"{RSS_LIMIT_MB} MB for the everyday commands.", *notes,
              "Every target met." if ok else "Some targets were missed (NO above)."]
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        _write_figures(Path(args.markdown), table)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


FIGURES = ("<!-- figures:begin -->", "<!-- figures:end -->")


def _write_figures(path: Path, table: str) -> None:
    """The figures into their section of the page, leaving the sections other benchmarks
    write (reading, hostile input) as they are; a new page when there is none."""
    text = path.read_text() if path.exists() else ""
    if FIGURES[0] in text and FIGURES[1] in text:
        head, rest = text.split(FIGURES[0], 1)
        text = f"{head}{FIGURES[0]}\n{table}\n{FIGURES[1]}{rest.split(FIGURES[1], 1)[1]}"
    else:
        text = _page(table)
    path.write_text(text)


def _page(table: str) -> str:
    return f"""# Performance

bptrack must feel instant at any size: people run it dozens of times a day, and shell
completion runs it on every <TAB>. Python's start-up dominates a command-line tool, so every
figure is a ratio to a floor measured in the same run: F1, `python -c "import typer"`, timed
just before each run of each command, so that a machine that slows down or speeds up during
the benchmark does not move the ratios. Taskwarrior 2.6 runs beside it on the same
commitments (`task import` of the same data).

## Figures from one run

{FIGURES[0]}
{table}
{FIGURES[1]}

## How to reproduce

```sh
python3 -m venv .venv && .venv/bin/pip install '.[test,postgres]'
apt-get install taskwarrior        # optional: the side-by-side column
.venv/bin/python bench/run.py --markdown docs/performance.md
```

The first run generates `bench/data/{{1k,100k}}.db` with `bench/generate.py` (a fixed random
seed: 40 bodies, a meeting per 400 actions, 170 assignees, 55% open / 12% in progress / 5%
blocked / 23% done / 5% cancelled, 80% of actions and ongoing items dated between 2020 and
2030), and imports the same commitments into Taskwarrior (`bench/data/task-*`). `list`,
`history` and `report` on a terminal are measured as tables (`TTY_COMPATIBLE=1
FORCE_COLOR=1`); `show`, `close` and `note` use a different action each run; `db load` loads
a 100k export into a new file each run. PostgreSQL rows use a fresh seeded database
(`BPTRACK_BENCH_PG_URL`).

## How it stays fast

- The everyday commands (`list`, `show`, `history`, `add`, `assign`/`unassign`,
  `start`/`block`/`close`/`reopen`, `edit`, `note`, `undo`, `remind`, `report`, `calendar`)
  run their SQL through DB-API (sqlite3, psycopg): they import neither SQLAlchemy, SQLModel
  nor pydantic (`tests/test_startup.py` checks `sys.modules` in a subprocess, on both
  backends). SQLModel stays the declared schema for `db init`, upgrades, import and transfer;
  `tests/test_queries.py` runs every query against a database built from it.
- Only the command invoked is built from its signature (Typer would build all of them), and
  Typer is held below 0.29, which imports pydantic on every run. Completion does the same once
  the command's name is typed (`close <TAB>` builds only `close`).
- `calendar` writes its iCalendar feed itself (escaping, folding, two date forms): importing
  the icalendar library cost 0.025–0.03 s. The tests read every feed back with that library.
- Tables on a terminal are laid out by `terminal.py`, with Rich measuring their text
  (`rich.cells`, 0.012 s to import: graphemes, so non-ASCII names line up); Rich's console
  and tables would cost 0.06 s to import before drawing anything. Piped, JSON and completion
  output import no Rich at all (`tests/test_terminal_text.py`). A progress bar (Rich's) is
  drawn only once long work has taken half a second.
- The meeting commands and `db check` read over DB-API like the everyday ones; only the
  writes of a statement or sheet import, and the schema and transfer tools, open SQLAlchemy.
- Filtering, counting, sorting and paging run in SQL, with indexes for the filters; the default
  order (soonest due first, undated last) is two index-ordered reads, so a first page reads a
  page. A terminal report shows counts and a page of each list.
- Rows are read as plain tuples, in batches, with dates and timestamps already formatted by the
  database; JSON, CSV and TSV stream as they are read; `remind` groups after one ordered read.
- The report and the reminders for everyone read the action table in stored order: they need
  most of it, and SQLite's choice of an index would look each row up by id (at 100k, 0.07 s
  more for the report, 0.02 s for `remind`).
- The report's JSON has each action's object built by the database (`json_object` on SQLite,
  `json_build_object` on PostgreSQL), checked equal to the Python objects in the tests.
- `db load` reads the export a line at a time and inserts in batches of 5,000 through the
  driver's own `executemany` (SQLAlchemy's per-row parameter handling cost a third); timestamps
  are read with `fromisoformat` (strptime took 4 of its 9 seconds at 100k). The indexes are
  dropped and built once at the end, in the same transaction: 9.5 → 6.5 s at 100k. A new file
  is built beside its name and appears only once the whole export is in it.

## Where `report --format json` spends its time

On 100,000 actions (85,000 commitments, 42 MB of JSON) the command takes about 0.40 s, against
1.23 s before this work:
- SQLite builds each action's object (`json_object`, twenty fields) in about 0.2 s; building
  them in Python takes twice as long.
- It reads the action table in stored order (`NOT INDEXED`): through the index on `kind` it
  looked every row up by id, 0.07 s more.
- The sort by group and due date runs on a second core (`PRAGMA threads = 2`): 0.05 s instead
  of 0.1 s.
- The counts per group read the report index in its order and sort nothing (0.02 s, was
  0.05 s).
- The document is written a run of one group's actions at a time, not 85,000 writes.
- Tried without gain: sorting ids first and then fetching the objects by id, one query per
  group, mmap, a larger page cache, and a second thread on its own connection.
"""


if __name__ == "__main__":
    sys.exit(main())
