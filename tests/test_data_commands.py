"""db export / load / backup / check, and undo."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import PG_URL, Cli, pg_schema
from test_storage_faults import fill, small_disk  # noqa: F401  (small_disk is a fixture)


def export(cli: Cli, *db: str) -> str:
    return cli.ok(*db, "db", "export").stdout


def busy(cli: Cli) -> None:
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    cli.ok("close", "11", "--note", "Guide published — see “annex” 東京")
    cli.ok("add", "Hand-made action", "--owner", "RSO", "--due", "2027-Q1", "--partner", "WGTIP")
    cli.ok("meeting", "import", str(Path(__file__).parent / "fixtures" / "ahg18-flattened.txt"))


def test_export_load_export_is_byte_identical(cli: Cli, tmp_path: Path) -> None:
    busy(cli)
    first = export(cli)
    dump = tmp_path / "dump.json"
    cli.ok("db", "export", "--output", str(dump))
    assert dump.read_text() == first and dump.stat().st_mode & 0o777 == 0o600
    copy = tmp_path / "copy.db"
    run = cli.ok("--db", str(copy), "db", "load", str(dump))
    assert "Loaded 36 actions" in run.stderr
    assert export(cli, "--db", str(copy)) == first
    # and the copy works: ids continue, refs stay
    new_id = int(cli.ok("--db", str(copy), "add", "Next", "--owner", "RSO").stdout)
    assert new_id == 37


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL tests need BPTRACK_TEST_PG_URL")
def test_sqlite_to_postgresql_and_back_is_byte_identical(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cli = Cli()
    lite = str(tmp_path / "laptop.db")
    monkeypatch.setenv("BPTRACK_DB", lite)
    busy(cli)
    first = export(cli)
    dump = tmp_path / "dump.json"
    dump.write_text(first)
    with pg_schema() as url:
        cli.ok("--db", url, "db", "load", str(dump))
        assert export(cli, "--db", url) == first
        back = tmp_path / "back.json"
        cli.ok("--db", url, "db", "export", "--output", str(back))
    again = str(tmp_path / "again.db")
    cli.ok("--db", again, "db", "load", str(back))
    assert export(cli, "--db", again) == first


def test_load_refuses_a_database_with_data_unless_replace(cli: Cli, tmp_path: Path) -> None:
    busy(cli)
    dump = tmp_path / "dump.json"
    dump.write_text(export(cli))
    cli.ok("close", "9")
    before = export(cli)
    run = cli("db", "load", str(dump))
    assert run.exit_code == 1 and "--replace" in run.stderr
    assert export(cli) == before
    cli.ok("db", "load", "--replace", str(dump))
    assert export(cli) == dump.read_text()


def indexes(target: str) -> set[tuple[str, str]]:
    from sqlalchemy import inspect

    if "://" not in target:  # SQLAlchemy does not list SQLite's indexes on an expression
        with sqlite3.connect(target) as conn:
            return set(conn.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = "
                                    "'index' AND sql IS NOT NULL").fetchall())
    engine = create_engine(target)
    try:
        found = inspect(engine)
        # PostgreSQL also lists the indexes behind unique constraints; those are not dropped.
        return {(table, index["name"] or "") for table in found.get_table_names()
                for index in found.get_indexes(table) if not index.get("duplicates_constraint")}
    finally:
        engine.dispose()


def test_a_load_rebuilds_every_index(cli: Cli, target: str, tmp_path: Path) -> None:
    """The load drops the indexes and builds them again at the end: all of them come back,
    over an existing tracker and in a new file."""
    from bptrack.store.schema import SQLModel

    def declared(on: str) -> set[tuple[str, str]]:
        dialect = "postgresql" if on.startswith("postgresql") else "sqlite"
        # An index declared for one kind of database only (ddl_if) is on that kind only.
        return {(t.name, i.name or "") for t in SQLModel.metadata.tables.values()
                for i in t.indexes if i._ddl_if is None or i._ddl_if.dialect in (None, dialect)}

    dump = tmp_path / "dump.json"
    dump.write_text(export(cli))  # which creates the tracker
    assert len(declared(target)) > 5 and indexes(target) == declared(target)
    cli.ok("db", "load", "--replace", str(dump))
    assert indexes(target) == declared(target)
    copy = str(tmp_path / "copy.db")
    cli.ok("--db", copy, "db", "load", str(dump))
    assert indexes(copy) == declared(copy)


@pytest.mark.parametrize(("content", "message"), [
    ("not json at all", "not a bptrack export"),
    ('{"format": "something-else"}', "not a bptrack export"),
    ('{\n"format": "bptrack-export",\n"version": 1,\n"schema_version": 99,\n"tables": {\n',
     "schema 99"),
])
def test_bad_dumps_change_nothing(cli: Cli, tmp_path: Path, content: str, message: str) -> None:
    before = export(cli)
    dump = tmp_path / "bad.json"
    dump.write_text(content)
    run = cli("db", "load", "--replace", str(dump))
    assert run.exit_code == 1 and message in run.stderr, run.output
    assert export(cli) == before


@pytest.mark.parametrize("bad", ['"yesterday"', '"2024-01-15T09:30:00+02:00"', "17",
                                 '"2024-13-45T09:30:00.000000Z"'])
def test_a_bad_timestamp_is_named_and_changes_nothing(cli: Cli, tmp_path: Path,
                                                      bad: str) -> None:
    dump = tmp_path / "dump.json"
    text = export(cli)
    dump.write_text(re.sub(r'"created_at":"[^"]*"', f'"created_at":{bad}', text, count=1))
    cli.ok("close", "9")
    before = export(cli)
    run = cli("db", "load", "--replace", str(dump))
    assert run.exit_code == 1 and "bad value" in run.stderr, run.output
    assert "unexpected" not in run.stderr
    assert export(cli) == before


def test_a_cut_dump_is_all_or_nothing(cli: Cli, tmp_path: Path) -> None:
    busy(cli)
    full = export(cli)
    cli.ok("note", "9", "after the export")
    before = export(cli)
    dump = tmp_path / "cut.json"
    dump.write_text(full[: len(full) * 2 // 3])
    run = cli("db", "load", "--replace", str(dump))
    assert run.exit_code == 1 and "cut" in run.stderr
    assert export(cli) == before


def test_a_failed_load_into_a_new_file_leaves_no_file(cli: Cli, tmp_path: Path) -> None:
    """The new file appears only with the whole export in it: no empty tracker is left at
    the name to surprise the next command."""
    busy(cli)
    full = export(cli)
    dump = tmp_path / "cut.json"
    dump.write_text(full[: len(full) * 2 // 3])
    folder = tmp_path / "new"
    folder.mkdir()
    copy = folder / "copy.db"
    run = cli("--db", str(copy), "db", "load", str(dump))
    assert run.exit_code == 1 and "cut" in run.stderr, run.output
    assert "Created" not in run.stderr
    assert list(folder.iterdir()) == []  # neither the file nor a temporary one
    dump.write_text(full)
    run = cli.ok("--db", str(copy), "db", "load", str(dump))
    assert "Created" in run.stderr and "Loaded 36 actions" in run.stderr
    assert export(cli, "--db", str(copy)) == full


def test_an_export_that_does_not_hold_together_is_bad_input(cli: Cli, tmp_path: Path) -> None:
    """A history event of an action the export does not have: refused as the export's fault
    (exit 1), into a new file (which never appears) and over an existing tracker alike."""
    full = export(cli)
    dump = tmp_path / "dangling.json"
    dump.write_text(re.sub(r'"action_id":\d+', '"action_id":9999', full, count=1))
    folder = tmp_path / "new"
    folder.mkdir()
    for db in (["--db", str(folder / "copy.db")], []):
        run = cli(*db, "db", "load", "--replace", str(dump))
        assert run.exit_code == 1, run.output
        assert "rows of event do not fit together" in run.stderr
    assert list(folder.iterdir()) == []
    assert export(cli) == full


def test_a_load_onto_a_full_disk_names_the_file_and_leaves_none(cli: Cli, tmp_path: Path,
                                                                small_disk: Path,  # noqa: F811
                                                                ) -> None:
    dump = tmp_path / "dump.json"
    dump.write_text(export(cli))
    fill(small_disk)
    copy = small_disk / "copy.db"
    run = cli("--db", str(copy), "db", "load", str(dump))
    assert run.exit_code == 3, run.output
    assert run.stderr.startswith(f"Error: disk full: {copy} could not be written"), run.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_load_that_loses_the_race_for_a_new_file_leaves_theirs(cli: Cli, tmp_path: Path
                                                                 ) -> None:
    """Another process creates the file while the export is being built beside it: the
    export is not poured into theirs (not even with --replace), and theirs is untouched."""
    from bptrack import service
    from bptrack.config import Settings
    from bptrack.errors import Conflict
    from bptrack.store import transfer
    from test_e2e import console_script

    busy(cli)
    dump = tmp_path / "dump.json"
    dump.write_text(export(cli))
    theirs = tmp_path / "theirs.db"
    loading = transfer.Loading(transfer.read_export(str(dump)), str(theirs), replace=True)

    def racing(conn: object) -> int:
        if not loading.started:
            subprocess.run([console_script(), "--db", str(theirs), "db", "init"], check=True,
                           capture_output=True)
        return loading(conn)  # type: ignore[arg-type]

    with pytest.raises(Conflict, match="another process created"):
        service.open_schema_tools(str(theirs), Settings(), init=True, seed=False, filler=racing)
    assert len(cli.json("--db", str(theirs), "list", "--all")) == 24
    assert sorted(p.name for p in tmp_path.glob(".bptrack-new-*")) == []


def test_a_pretty_printed_dump_loads_too(cli: Cli, tmp_path: Path) -> None:
    busy(cli)
    first = export(cli)
    dump = tmp_path / "pretty.json"
    dump.write_text(json.dumps(json.loads(first), indent=4))
    copy = tmp_path / "copy.db"
    cli.ok("--db", str(copy), "db", "load", str(dump))
    assert export(cli, "--db", str(copy)) == first


def test_backup_is_a_private_consistent_copy(cli: Cli, tmp_path: Path) -> None:
    busy(cli)
    target = tmp_path / "backup.db"
    run = cli.ok("db", "backup", str(target))
    assert "Backed up" in run.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    copy = export(cli, "--db", str(target)) if target.read_bytes()[:6] == b"SQLite" else None
    if copy is not None:
        assert copy == export(cli)
    else:  # from PostgreSQL the backup is an export
        assert target.read_text() == export(cli)
    again = cli("db", "backup", str(target))
    assert again.exit_code == 1 and "exists" in again.stderr


def test_check_finds_broken_rules(cli: Cli, target: str) -> None:
    assert cli.ok("db", "check").stderr.strip().endswith("ok")
    engine = create_engine(target if "://" in target else f"sqlite:///{target}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE action SET status = 'done' WHERE id = 9"))
        conn.execute(text("UPDATE action SET partners = 'oops' WHERE id = 11"))
    engine.dispose()
    run = cli("db", "check")
    assert run.exit_code == 1
    assert "action #9: closed without a closing time" in run.stdout
    assert "action #11: partners are not a list" in run.stdout


def test_undo_walks_back_my_changes_only(cli: Cli) -> None:
    cli.ok("assign", "9", "Thailand", "--actor", "alice")
    cli.ok("edit", "9", "--due", "2027-06", "--owner", "RSO", "--actor", "alice")
    cli.ok("note", "9", "from bob", "--actor", "bob")
    cli.ok("close", "9", "--note", "done", "--actor", "alice")
    cli.ok("undo", "--actor", "alice")
    assert cli.json("show", "9")["status"] == "open"
    cli.ok("undo", "--actor", "alice")  # the owner edit (the last field edited)
    cli.ok("undo", "--actor", "alice")  # the due edit
    jpa = cli.json("show", "9")
    assert (jpa["owner"], jpa["due"], jpa["assignee"]) == ("WGDPS", "2023-12-31", "Thailand")
    cli.ok("undo", "--actor", "alice")
    assert cli.json("show", "9")["assignee"] is None
    run = cli("undo", "--actor", "alice")
    assert run.exit_code == 1 and "no change left to undo" in run.stderr
    history = cli.json("history", "9")
    assert [e["type"] for e in history].count("undo") == 4
    assert any(e["actor"] == "bob" and e["type"] == "note" for e in history)


def test_undo_refuses_when_someone_changed_it_since(cli: Cli) -> None:
    cli.ok("assign", "9", "Thailand", "--actor", "alice")
    cli.ok("assign", "9", "Indonesia", "--actor", "bob")
    run = cli("undo", "--actor", "alice")
    assert run.exit_code == 1 and "changed since" in run.stderr
    assert cli.json("show", "9")["assignee"] == "Indonesia"


def test_undo_an_add_cancels_it(cli: Cli) -> None:
    new_id = cli.ok("add", "Typo", "--owner", "RSO", "--actor", "alice").stdout.strip()
    cli.ok("undo", "--actor", "alice")
    assert cli.json("show", new_id)["status"] == "cancelled"
