"""Nothing lost: concurrent writers in real processes, a lock held too long, and kill -9."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import Cli

WRITER = textwrap.dedent("""
    import sys
    from bptrack import service
    from bptrack.config import Settings
    target, writer = sys.argv[1], sys.argv[2]
    store = service.connect(target, Settings(busy_timeout=60)).store
    for n in range(25):
        if n % 2:
            service.assign(store, writer, ["9"], f"{writer}-{n}")
        else:
            service.add_note(store, writer, "9", f"{writer} note {n}")
    store.close()
""")


def test_eight_writers_lose_nothing(cli: Cli, target: str) -> None:
    cli.ok("list", "--format", "ids")  # make and seed the database first
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, target, f"w{i}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(8)]
    results = [(w.wait(timeout=240), w.stderr.read() if w.stderr else "") for w in writers]
    assert all(code == 0 for code, _ in results), results
    history = cli.json("history", "9")
    changes = [e for e in history if e["type"] != "create"]
    assert len(changes) == 200
    for i in range(8):
        mine = [e for e in changes if e["actor"] == f"w{i}"]
        assert sorted(e["note"] for e in mine if e["type"] == "note") == sorted(
            f"w{i} note {n}" for n in range(0, 25, 2))
        assert len([e for e in mine if e["type"] == "assign"]) == 12
    # Per-field changes: the notes did not undo any assignment; the last one stands.
    last_assign = [e for e in changes if e["type"] == "assign"][-1]
    assert cli.json("show", "9")["assignee"] == last_assign["new"]
    # Each assign event's "old" is the value the previous one set: no lost update.
    assigns = [e for e in changes if e["type"] == "assign"]
    assert all(b["old"] == a["new"] for a, b in itertools.pairwise(assigns))


def test_row_lock_past_the_timeout_is_exit_3(cli: Cli, target: str, backend: str,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import create_engine, text

    cli.ok("list", "--format", "ids")
    config = tmp_path / "fast.toml"
    config.write_text("busy_timeout = 0.3\n")
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    url = target if "://" in target else f"sqlite:///{target}"
    holder = create_engine(url).connect()
    transaction = holder.begin()
    if backend == "sqlite":  # SQLite locks the whole database for a writer
        holder.execute(text("UPDATE action SET title = title WHERE id = 9"))
    else:
        holder.execute(text("SELECT id FROM action WHERE id = 9 FOR UPDATE"))
    try:
        run = cli("assign", "9", "Thailand")
    finally:
        transaction.rollback()
        holder.close()
    assert run.exit_code == 3, run.output
    assert "locked" in run.stderr and "try again" in run.stderr
    assert cli.json("show", "9")["assignee"] is None
    assert len(cli.json("history", "9")) == 1


def _big_export(cli: Cli, path: Path, copies: int) -> None:
    """An export of the seeded database with many more actions and events."""
    doc = json.loads(cli.ok("db", "export").stdout)
    actions, events = doc["tables"]["action"], doc["tables"]["event"]
    template, first_event = actions[0], events[0]
    for n in range(copies):
        new_id = 1000 + n
        actions.append({**template, "id": new_id, "ref": f"BIG-{new_id}"})
        events.append({**first_event, "id": 1000 + n, "action_id": new_id})
    path.write_text(json.dumps(doc))


def _kill_while_writing(proc: subprocess.Popen[bytes], backend: str, target: str) -> None:
    """kill -9 once the process is inside its write transaction."""
    deadline = time.monotonic() + 120
    if backend == "sqlite":
        wal = Path(f"{target}-wal")
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > 256 * 1024:
                break
            time.sleep(0.005)
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(target)
        with engine.connect() as conn:
            while time.monotonic() < deadline and proc.poll() is None:
                busy = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND state <> 'idle' AND query ILIKE 'INSERT INTO%'")).scalar()
                conn.commit()
                if busy:
                    break
                time.sleep(0.005)
        engine.dispose()
    assert proc.poll() is None, "the command finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _bptrack() -> str:
    return str(Path(sys.executable).parent / "bptrack")


def test_kill_9_during_db_load_changes_nothing(cli: Cli, target: str, backend: str,
                                               tmp_path: Path) -> None:
    cli.ok("assign", "9", "Indonesia")
    before = cli.ok("db", "export").stdout
    dump = tmp_path / "big.json"
    _big_export(cli, dump, 60_000)
    proc = subprocess.Popen([_bptrack(), "db", "load", "--replace", str(dump)],
                            env={**os.environ, "BPTRACK_DB": target},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_while_writing(proc, backend, target)
    assert proc.returncode == -signal.SIGKILL
    assert cli.ok("db", "export").stdout == before
    assert cli.ok("db", "check").exit_code == 0


def test_kill_9_during_meeting_import_changes_nothing(cli: Cli, target: str, backend: str,
                                                      tmp_path: Path) -> None:
    before = cli.ok("db", "export").stdout
    statement = tmp_path / "long.txt"
    lines = ["On 1 May 2026 the Co-Chairs hosted the Twenty-first Meeting of the Ad Hoc Group "
             "Senior Officials in Bali, Indonesia.", "Outcomes:",
             "- Working Group on Trafficking in Persons:"]
    # Just under the reader's 2,000 items, each with a long title: a write that takes a while
    lines += [f"- Will run regional workshop number {n} on " + ", ".join(
        f"the identification of victims of trafficking in sector {k}" for k in range(8)) +
        " in 2027." for n in range(1_990)]
    statement.write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen([_bptrack(), "meeting", "import", str(statement)],
                            env={**os.environ, "BPTRACK_DB": target},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_while_writing(proc, backend, target)
    assert cli.ok("db", "export").stdout == before
    assert cli.ok("db", "check").exit_code == 0
    assert [m["ref"] for m in cli.json("meeting", "list")] == ["AHG16"]
