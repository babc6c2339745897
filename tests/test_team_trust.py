"""Team mode under pressure, in real processes: a close that lands while reconcile waits, eight
imports of one sheet or one statement at once, a lock held elsewhere, and a database that
belongs to another program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import PG_URL, Cli, pg_schema
from test_reconcile import FOLLOW_UP


def bptrack(*args: str, target: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(Path(sys.executable).parent / "bptrack"), *args],
                            env={**os.environ, "BPTRACK_DB": target, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    return [(p.returncode, out, err) for p in procs for out, err in [p.communicate(timeout=240)]]


def pg_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("a PostgreSQL row lock and its waiters")


def waiting_on_a_lock(url: str, seconds: float = 60) -> None:
    """Until another session of the database waits on a lock."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    deadline = time.monotonic() + seconds
    try:
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                waiting = conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    "AND wait_event_type = 'Lock' AND datname = current_database()")).scalar()
                conn.commit()
                if waiting:
                    return
                time.sleep(0.02)
    finally:
        engine.dispose()
    pytest.fail("nobody waited on the lock")


def test_reconcile_never_reopens_what_was_closed_while_it_waited(
        cli: Cli, target: str, backend: str, tmp_path: Path) -> None:
    """The race of close and reconcile --apply, made deterministic: a second connection holds
    the row of AHG16-09, reconcile reads its proposals and waits for the row; the holder
    cancels the action and commits; reconcile must then leave it cancelled."""
    from sqlalchemy import create_engine, text

    pg_only(backend)
    statement = tmp_path / "ahg17.txt"
    statement.write_text(FOLLOW_UP)
    cli.ok("meeting", "import", str(statement))
    assert "AHG16-09" in {p["ref"] for p in cli.json("meeting", "reconcile", "AHG17")}
    action_id = cli.json("show", "AHG16-09")["id"]
    engine = create_engine(target)
    try:
        with engine.connect() as holder:
            holder.execute(text("SELECT id FROM action WHERE id = :id FOR UPDATE"),
                           {"id": action_id})
            applier = bptrack("meeting", "reconcile", "AHG17", "--apply", "--actor",
                              "applier", target=target)
            waiting_on_a_lock(target)
            holder.execute(text(
                "UPDATE action SET status = 'cancelled', closed_at = now(), updated_at = now(),"
                " resolution = 'no longer needed' WHERE id = :id"), {"id": action_id})
            holder.execute(text(
                "INSERT INTO event (action_id, at, actor, type, field, old, new, note) VALUES "
                "(:id, now(), 'closer', 'status', 'status', 'open', 'cancelled', 'no longer "
                "needed')"), {"id": action_id})
            holder.commit()
        [(code, _, stderr)] = finish([applier])
    finally:
        engine.dispose()
    assert code == 0, stderr
    shown = cli.json("show", "AHG16-09")
    assert shown["status"] == "cancelled" and shown["resolution"] == "no longer needed"
    assert [e["actor"] for e in shown["history"]][-1] == "closer"
    assert cli.json("show", "AHG16-06")["status"] == "done"  # the other proposals went in


SHEET = "Ref,Action,Lead,Deadline,Status\n" + "".join(
    f"TRK-{n},Hold workshop {n} on victim identification,RSO,2027-0{n}-28,Open\n"
    for n in range(1, 4))
SHEET_NO_REFS = "Action,Lead,Meeting\n" + "".join(
    f"Publish guide {n} on safe migration,RSO,AHG16\n" for n in range(1, 4)) + (
    "Publish guide 1 on safe migration,RSO,AHG16\n")  # the same text twice: two rows


@pytest.mark.parametrize("sheet", [SHEET, SHEET_NO_REFS], ids=["with refs", "without refs"])
def test_eight_imports_of_one_sheet_add_each_row_once(cli: Cli, target: str, tmp_path: Path,
                                                      sheet: str) -> None:
    cli.ok("list", "--format", "ids")
    before = len(cli.json("list", "--all"))
    path = tmp_path / "small.csv"
    path.write_text(sheet)
    for _ in range(2):  # rounds: the second imports nothing new
        results = finish([bptrack("import", str(path), target=target) for _ in range(8)])
        assert all(code == 0 for code, _, _ in results), results
    rows = sheet.count("\n") - 1
    actions = cli.json("list", "--all")
    assert len(actions) == before + rows
    added = [r for _, _, r in results]
    assert cli.ok("db", "check").exit_code == 0, added


def test_eight_imports_of_one_statement_give_one_meeting(cli: Cli, target: str,
                                                         tmp_path: Path) -> None:
    cli.ok("list", "--format", "ids")
    path = tmp_path / "ahg17.txt"
    path.write_text(FOLLOW_UP)
    results = finish([bptrack("meeting", "import", str(path), target=target)
                      for _ in range(8)])
    assert all(code == 0 for code, _, _ in results), results
    messages = [err for _, _, err in results]
    assert sum("Imported AHG17" in m for m in messages) == 1, messages
    assert sum("already imported" in m for m in messages) == 7, messages
    assert not any("unexpected" in m for m in messages), messages
    assert [m["ref"] for m in cli.json("meeting", "list")] == ["AHG16", "AHG17"]
    assert len([a for a in cli.json("list", "--all") if a["meeting"] == "AHG17"]) == 5


def _advisory_lock_held(url: str, key: int) -> Any:
    import psycopg
    from sqlalchemy.engine import make_url

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(
        hide_password=False)
    holder = psycopg.connect(conninfo.split("?")[0], autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (key,))
    return holder


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL tests need BPTRACK_TEST_PG_URL")
def test_db_init_while_setup_is_locked_elsewhere_is_busy(tmp_path: Path) -> None:
    config = tmp_path / "fast.toml"
    config.write_text("busy_timeout = 0.5\n")
    with pg_schema() as url:
        holder = _advisory_lock_held(url, 7370)
        try:
            [(code, _, stderr)] = finish([bptrack("db", "init", target=url,
                                                  BPTRACK_CONFIG=str(config))])
        finally:
            holder.close()
        assert code == 3, stderr
        assert stderr.startswith("Error: busy:") and "try again" in stderr, stderr
        assert "unexpected" not in stderr
        [(code, _, stderr)] = finish([bptrack("db", "init", target=url)])
        assert code == 0, stderr


FOREIGN = ["CREATE TABLE action (code text PRIMARY KEY, what text)",
           "CREATE TABLE event (n integer, happened text)",
           "INSERT INTO action VALUES ('A1', 'someone else''s row')",
           "INSERT INTO event VALUES (1, 'theirs')"]


def _pg_tables(url: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        columns = conn.execute(text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE "
            "table_schema = current_schema() ORDER BY 1, 2")).all()
        rows = conn.execute(text("SELECT * FROM action")).all() + conn.execute(
            text("SELECT * FROM event")).all()
        indexes = conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = "
                                    "current_schema() ORDER BY 1")).all()
    engine.dispose()
    return [*columns, *rows, *indexes]


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL tests need BPTRACK_TEST_PG_URL")
def test_a_postgresql_database_of_another_program_is_left_as_it_was() -> None:
    from sqlalchemy import create_engine, text

    with pg_schema() as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            for statement in FOREIGN:
                conn.execute(text(statement))
        engine.dispose()
        before = _pg_tables(url)
        for args in (["db", "init"], ["list"], ["db", "check"], ["db", "export"],
                     ["add", "--owner", "RSO", "A title"]):
            [(code, _, stderr)] = finish([bptrack(*args, target=url)])
            assert code == 3, (args, stderr)
            assert "not a bptrack database" in stderr and "unexpected" not in stderr, stderr
        assert _pg_tables(url) == before


def test_a_sqlite_database_of_another_program_is_left_as_it_was(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as conn:
        for statement in FOREIGN:
            conn.execute(statement)
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for args in (["db", "init"], ["list"], ["db", "check"], ["db", "export"]):
        [(code, _, stderr)] = finish([bptrack(*args, target=str(path))])
        assert code == 3, (args, stderr)
        assert "not a bptrack database" in stderr and "unexpected" not in stderr, stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@dataclass
class Team:
    url: str  # the database, as the superuser who set it up
    logins: dict[str, str]  # viewer, editor, other (a second editor), admin -> login name

    def as_login(self, role: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(username=self.logins[role]).render_as_string(
            hide_password=False)


@pytest.fixture
def team() -> Iterator[Team]:
    """A seeded team database and four real PostgreSQL logins with no role yet."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    if not PG_URL:
        pytest.skip("PostgreSQL tests need BPTRACK_TEST_PG_URL")
    suffix = uuid.uuid4().hex[:8]
    logins = {role: f"bp_{role}_{suffix}" for role in ("viewer", "editor", "other", "admin")}
    conninfo = make_url(PG_URL).set(drivername="postgresql").render_as_string(
        hide_password=False)
    with pg_schema() as url:
        assert run("db", "init", target=url)[0] == 0
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for name in logins.values():
                conn.execute(f'CREATE ROLE "{name}" LOGIN')
        try:
            yield Team(url, logins)
        finally:
            schema = make_url(url).query["options"].split("=")[-1]
            with psycopg.connect(conninfo, autocommit=True) as conn:
                admins = conn.execute("SELECT 'bptrack_admin_' || current_database() || '_' "
                                      "|| %s", (schema,)).fetchone()
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
                for name in [*logins.values(), *(admins or ())]:
                    conn.execute(f'DROP OWNED BY "{name}"') if _exists(conn, name) else None
                    conn.execute(f'DROP ROLE IF EXISTS "{name}"')
                conn.execute(f"CREATE SCHEMA {schema}")  # pg_schema drops it again


def _exists(conn: Any, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() \
        is not None


def run(*args: str, target: str, **env: str) -> tuple[int, str, str]:
    [result] = finish([bptrack(*args, target=target, **env)])
    return result


def test_roles_are_real_grants(team: Team, tmp_path: Path) -> None:
    for role, login in team.logins.items():
        code, _, err = run("db", "grant", login, "editor" if role == "other" else role,
                           target=team.url)
        assert code == 0, err
    viewer, editor, other, admin = (team.as_login(r) for r in team.logins)
    names = team.logins
    statement = tmp_path / "ahg17.txt"
    statement.write_text(FOLLOW_UP)

    code, out, err = run("list", "--format", "ids", target=viewer)
    assert code == 0 and out.split(), err
    code, _, err = run("close", "9", target=viewer)
    assert code == 3 and err.startswith(
        f"Error: permission denied: {names['viewer']} is a viewer"), err

    code, out, err = run("close", "9", "--actor", "secretariat-director", target=editor)
    assert code == 0, err

    code, _, err = run("meeting", "import", str(statement), target=editor)
    assert code == 3 and f"permission denied: {names['editor']} is an editor" in err, err
    # Undo takes back the caller's own login's changes only, whatever --actor says
    code, _, err = run("undo", "--actor", "secretariat-director", target=other)
    assert "Undid" not in err, err
    code, out, err = run("history", "9", "--format", "json", target=viewer)
    last = json.loads(out)[-1]
    assert (last["actor"], last["login"], last["new"]) == (
        "secretariat-director", names["editor"], "done")
    code, out, _ = run("history", "9", target=viewer)
    assert f"{names['editor']} (as secretariat-director)" in out

    code, _, err = run("meeting", "import", str(statement), target=admin)
    assert code == 0, err
    code, _, err = run("db", "grant", names["viewer"], "editor", target=admin)
    assert code == 0, err
    code, _, err = run("note", "11", "now an editor", target=viewer)
    assert code == 0, err
    code, _, err = run("db", "grant", names["admin"], "viewer", target=other)
    assert code == 3 and "permission denied" in err, err


def test_every_event_records_the_login_beside_the_actor(cli: Cli, target: str, backend: str,
                                                        tmp_path: Path) -> None:
    """`BPTRACK_ACTOR=secretariat-director bptrack close 9`: the history says who connected
    (PostgreSQL's session_user, SQLite's operating-system user) as well as the name given."""
    import getpass

    cli.ok("list", "--format", "ids")
    code, _, err = run("close", "9", target=target, BPTRACK_ACTOR="secretariat-director")
    assert code == 0, err
    from sqlalchemy.engine import make_url

    login = getpass.getuser() if backend == "sqlite" else make_url(target).username
    last = cli.json("history", "9")[-1]
    assert (last["actor"], last["login"]) == ("secretariat-director", login)
    assert cli.json("show", "9")["history"][-1]["login"] == login
    assert f"{login} (as secretariat-director)" in cli.ok("history", "9").stdout
    assert f"{login} (as secretariat-director)" in cli.ok("show", "9").stdout
    exported = json.loads(cli.ok("db", "export").stdout)["tables"]["event"]
    assert exported[-1]["login"] == login and exported[-1]["actor"] == "secretariat-director"
