"""Opening databases: a file that is not bptrack's is refused and left exactly as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from bptrack.store.schema import SCHEMA_VERSION
from conftest import Cli


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(cli: Cli, path: Path, message: str) -> None:
    run = cli("--db", str(path), "list")
    assert run.exit_code == 3, run.output
    assert run.stderr.startswith("Error: ") and message in run.stderr
    assert "Traceback" not in run.stderr


def test_text_file_is_refused_untouched(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("minutes of the meeting\n" * 100)
    before = digest(path)
    refused(cli, path, "not a bptrack database")
    assert digest(path) == before


def test_other_sqlite_database_is_refused_untouched(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE action (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO action VALUES (1, 'theirs')")
    conn.commit()
    conn.close()
    before = digest(path)
    refused(cli, path, "an SQLite database of another program")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("other")) in (
        ["other.db"], ["other.db", "other.db-shm", "other.db-wal"])


def test_empty_file_and_directory_are_refused(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    refused(cli, empty, "empty file")
    assert empty.stat().st_size == 0
    refused(cli, tmp_path, "is a directory")


def test_unwritable_location(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    # The directory cannot exist (a file is in the way): refused before anything is made.
    refused(cli, blocker / "sub" / "bptrack.db", "does not exist")


def test_newer_schema_is_refused(cli: Cli, db_path: Path) -> None:
    cli.ok("list", "--format", "ids")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE bptrack_meta SET value = ? WHERE key = 'schema_version'",
                 (str(SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    refused(cli, db_path, "upgrade bptrack")


def test_database_is_private_wal_with_foreign_keys(cli: Cli, db_path: Path) -> None:
    cli.ok("list", "--format", "ids")
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert db_path.parent.stat().st_mode & 0o077 == 0 or db_path.parent.exists()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x62707472
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert not list(db_path.parent.glob(".bptrack-new-*"))


def test_default_location_is_the_user_data_dir(isolated_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BPTRACK_DB", raising=False)
    run = Cli().ok("list", "--format", "ids")
    expected = isolated_home / ".local" / "share" / "bptrack" / "bptrack.db"
    assert expected.exists()
    assert str(expected) in run.stderr


def test_locked_database_times_out_with_exit_3(cli: Cli, db_path: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("list", "--format", "ids")
    config = tmp_path / "fast.toml"
    config.write_text("busy_timeout = 0.2\n")
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        run = cli("close", "9")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run.exit_code == 3, run.output
    assert "locked" in run.stderr
    assert cli.json("show", "9")["status"] == "open"


def test_sqlite_url_target(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "via-url.db"
    cli.ok("--db", f"sqlite:///{path}", "list", "--format", "ids")
    assert path.exists()


def test_wal_and_shm_files_are_private_too(cli: Cli, db_path: Path) -> None:
    from bptrack import service
    from bptrack.config import Settings

    cli.ok("list", "--format", "ids")
    store = service.connect(str(db_path), Settings()).store
    try:
        with store.write() as conn:  # a writer holds the WAL and SHM files open
            conn.execute("UPDATE action SET title = title WHERE id = 9")
            for suffix in ("-wal", "-shm"):
                side = Path(f"{db_path}{suffix}")
                assert side.exists() and side.stat().st_mode & 0o777 == 0o600, suffix
    finally:
        store.close()


def planned_tables(path: Path) -> set[str]:
    """The tables SQLite's query planner has statistics of (ANALYZE's sqlite_stat1)."""
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return set()
        return {table for (table,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}


def test_writes_keep_the_query_planners_statistics(cli: Cli, tmp_path: Path) -> None:
    """Without statistics SQLite chose, for a report at 100,000 actions, an index that sorted
    30,000 whole rows to show 20. Building and seeding a database leaves them; an everyday
    write brings them back when they are missing; and `db check` finds nothing amiss."""
    db = tmp_path / "tracker.db"
    assert cli("--db", str(db), "list").exit_code == 0
    assert {"action", "event"} <= planned_tables(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE sqlite_stat1")
    assert planned_tables(db) == set()
    closed = cli("--db", str(db), "close", "AHG16-06", "--note", "done")
    assert closed.exit_code == 0, closed.output
    assert "action" in planned_tables(db)
    checked = cli("--db", str(db), "db", "check")
    assert checked.exit_code == 0, checked.output
