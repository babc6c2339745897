"""An older database is upgraded on first use, after a backup; the data comes through."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from bptrack.store.schema import SCHEMA_VERSION
from conftest import PG_URL, Cli, pg_schema
from fixtures import schema_v1


def make_v1(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        path = tmp_path / "v1.db"
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            schema_v1.create_v1(conn)
        engine.dispose()
        path.chmod(0o600)
        return str(path)
    raise AssertionError


def check_upgraded(cli: Cli, target: str) -> None:
    run = cli.ok("--db", target, "list", "--all", "--format", "json")
    assert f"from schema version 1 to {SCHEMA_VERSION}" in run.stderr
    items = {i["ref"]: i for i in run.json()}
    assert set(items) == {"AHG16-09", "AHG16-23"}
    assert items["AHG16-09"]["assignee"] == "Indonesia"
    assert items["AHG16-23"]["closed_at"] == "2023-02-01T14:30:00Z"
    assert items["AHG16-23"]["partners"] == ["WGDPS"]
    assert items["AHG16-23"]["follows"] == [] and items["AHG16-23"]["followed_by"] == []
    again = cli.ok("--db", target, "list", "--format", "ids")
    assert "Upgraded" not in again.stderr
    # What version 2 brought: undo (event.undoes) works on the old history.
    cli.ok("--db", target, "undo", "--actor", "alice")
    assert cli.json("--db", target, "show", "23")["status"] == "open"
    # What versions 6 and 7 brought: the indexes a report reads the linked actions and why
    # an action is blocked through (SQLite is told to use them, so they must be there).
    cli.ok("--db", target, "block", "9", "--note", "waiting for funds")
    blocked = cli.json("--db", target, "report")["blocked"]
    assert [(b["ref"], b["reason"]) for b in blocked] == [("AHG16-09", "waiting for funds")]
    # What version 8 brought: remind reads the active dated actions from an index of their
    # own on SQLite (told to: it must be there), and a report's notes through another.
    cli.ok("--db", target, "note", "9", "asked the co-chairs")
    digest = cli.ok("--db", target, "remind", "--within", "36500").stdout
    assert "AHG16-09" in digest and "blocked: waiting for funds" in digest
    assert "asked the co-chairs" in cli.ok("--db", target, "report", "--format", "html").stdout
    assert cli.ok("--db", target, "db", "check").exit_code == 0
    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    with engine.connect() as conn:
        inspector = inspect(conn)
        assert inspector.has_table("reminder_sent")
        assert "undoes" in {c["name"] for c in inspector.get_columns("event")}
        # By name from the catalogue: SQLAlchemy does not list an index on an expression.
        names = set(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'" if "://" not in target else
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()").scalars())
        assert {"ix_event_blocking", "ix_action_linked", "ix_event_notes",
                "ix_event_undoes"} <= names
        # What remind and a report's page read on SQLite; PostgreSQL has no room for them.
        sqlite_only = {"ix_action_dated", "ix_action_page"}
        assert (sqlite_only <= names) if "://" not in target else not sqlite_only & names
        version = conn.exec_driver_sql(
            "SELECT value FROM bptrack_meta WHERE key = 'schema_version'").scalar()
    engine.dispose()
    assert version == str(SCHEMA_VERSION)


def test_sqlite_v1_upgrade_with_backup(tmp_path: Path) -> None:
    target = make_v1("sqlite", tmp_path)
    check_upgraded(Cli(), target)
    backups = list(tmp_path.glob("v1.db.schema1-*.bak"))
    assert len(backups) == 1 and backups[0].stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT value FROM bptrack_meta").fetchall()[0] == ("1",)
    assert conn.execute("SELECT count(*) FROM action").fetchone() == (2,)
    conn.close()
    assert sqlite3.connect(target).execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL tests need BPTRACK_TEST_PG_URL")
def test_postgresql_v1_upgrade_with_backup(isolated_home: Path) -> None:
    with pg_schema() as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            schema_v1.create_v1(conn)
        engine.dispose()
        check_upgraded(Cli(), url)
    backups = list((isolated_home / ".local" / "share" / "bptrack" / "backups").glob("*.json"))
    assert len(backups) == 1 and backups[0].stat().st_mode & 0o777 == 0o600
    dump = json.loads(backups[0].read_text())
    assert dump["schema_version"] == 1 and len(dump["tables"]["action"]) == 2
    assert "undoes" not in dump["tables"]["event"][0]
