"""Connections and transactions through DB-API: sqlite3, or psycopg for PostgreSQL.

The everyday commands run here without SQLAlchemy (whose import alone costs more than a whole
`bptrack list`). Writes keep their guarantees: SQLite takes `BEGIN IMMEDIATE`, queueing behind
another writer for up to busy_timeout; PostgreSQL locks the rows a change reads (`FOR UPDATE`,
see the queries package) and waits for them up to lock_timeout. A change and its history
events share one transaction: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar
from urllib.parse import quote

from bptrack.errors import DatabaseError
from bptrack.store.dialect import POSTGRESQL, SQLITE, Dialect
from bptrack.store.faults import translate_errors
from bptrack.store.identity import SCHEMA_VERSION, SQLITE_APPLICATION_ID
from bptrack.store.target import Target

_STATEMENT_WAIT = 0.25  # seconds one SQLite statement waits on a lock (see _begin_immediate)
STREAM_BATCH = 2000  # rows fetched at a time from a long result


def _sqlite_datetime(value: dt.datetime) -> str:
    # The text SQLAlchemy's SQLite dialect stores for a DateTime: the schema tools read it too.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


sqlite3.register_adapter(dt.datetime, _sqlite_datetime)
sqlite3.register_adapter(dt.date, dt.date.isoformat)


class Conn:
    """One connection inside one transaction: SQL with `?` placeholders, rows as tuples."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(self.dialect.sql(sql), tuple(params))
        return cursor

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self.execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.cursor().executemany(self.dialect.sql(sql), [tuple(r) for r in rows])

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """An INSERT; the new row's id."""
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """A long result a row at a time, read in batches so that memory stays flat."""
        for rows in self.batches(sql, params):
            yield from rows

    def batches(self, sql: str, params: Sequence[Any] = ()) -> Iterator[list[tuple[Any, ...]]]:
        """A long result in batches of STREAM_BATCH rows (a server-side cursor on PostgreSQL;
        SQLite's cursor already reads as it goes)."""
        if self.dialect.is_sqlite:
            cursor = self.execute(sql, params)
            try:
                while rows := cursor.fetchmany(STREAM_BATCH):
                    yield rows
            finally:
                with suppress(sqlite3.Error):
                    cursor.close()
            return
        with self.raw.cursor(name=f"bptrack_{id(self)}_{time.monotonic_ns()}") as cursor:
            cursor.execute(self.dialect.sql(sql), tuple(params))
            while rows := cursor.fetchmany(STREAM_BATCH):
                yield rows

    def lock(self, key: int) -> None:
        statement = self.dialect.lock(key)
        if statement:
            self.execute(statement)

    def login(self) -> str:
        """Who is connected: PostgreSQL's session_user (the login, whatever role is set), or
        on SQLite the operating-system user. Recorded with every history event."""
        known = _LOGINS.get(id(self.raw))
        if known is None:
            if self.dialect.is_sqlite:
                import getpass

                try:
                    known = getpass.getuser()
                except (KeyError, OSError):  # no user name in this environment
                    known = f"uid {os.getuid()}"
            else:
                known = str(self.scalar("SELECT session_user"))
            _LOGINS[id(self.raw)] = known
        return known


_LOGINS: dict[int, str] = {}  # raw connection -> its login, asked once


class Database:
    """A bptrack database through DB-API alone (sqlite3, psycopg), for the everyday commands;
    `read()` and `write()` each give a Conn in one transaction. (What builds or moves the
    database is engine.SchemaTools'.)"""

    def __init__(self, target: Target, *, busy_timeout: float) -> None:
        self.target = target
        self.is_sqlite = target.is_sqlite
        self.dialect = SQLITE if self.is_sqlite else POSTGRESQL
        self.busy_timeout = busy_timeout
        self._raw: Any = None

    def _connection(self) -> Any:
        if self._raw is None:
            with translate_errors(self.target):
                self._raw = (_sqlite_connect(self.target, self.busy_timeout) if self.is_sqlite
                             else _postgresql_connect(self.target, self.busy_timeout))
        return self._raw

    @contextmanager
    def read(self) -> Iterator[Conn]:
        raw = self._connection()
        with translate_errors(self.target):
            if self.is_sqlite:
                raw.execute("BEGIN")
            try:
                yield Conn(raw, self.dialect)
            finally:
                raw.rollback() if not self.is_sqlite else raw.execute("ROLLBACK")

    @contextmanager
    def write(self) -> Iterator[Conn]:
        """One transaction for a change and its history events; all or nothing."""
        if self.target.read_only:
            raise DatabaseError(f"database {self.target.display} is read-only, so nothing was "
                                "changed: point --db at a writable copy")
        raw = self._connection()
        with translate_errors(self.target):
            if self.is_sqlite:
                begin_immediate(raw, self.busy_timeout)
            try:
                yield Conn(raw, self.dialect)
            except BaseException:
                raw.execute("ROLLBACK") if self.is_sqlite else raw.rollback()
                raise
            if self.is_sqlite:
                raw.execute("COMMIT")
                keep_statistics(raw)
            else:
                raw.commit()

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None


def _sqlite_connect(target: Target, busy_timeout: float) -> sqlite3.Connection:
    assert target.sqlite_path is not None
    mode = "?mode=ro" if target.read_only else ""
    raw = sqlite3.connect(f"file:{quote(str(target.sqlite_path))}{mode}", uri=True,
                          timeout=busy_timeout, isolation_level=None,
                          check_same_thread=False)
    sqlite_settings(raw, busy_timeout)
    return raw


def sqlite_settings(raw: sqlite3.Connection, busy_timeout: float) -> None:
    """What every bptrack SQLite connection runs with (the schema tools' ones too)."""
    # Short: a writer waits for the write lock in begin_immediate; this covers the rest.
    raw.execute(f"PRAGMA busy_timeout = {int(min(busy_timeout, _STATEMENT_WAIT) * 1000)}")
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("PRAGMA synchronous = NORMAL")
    # A report's whole sort (85,000 actions' JSON at 100k) on a second core: a fifth quicker.
    raw.execute("PRAGMA threads = 2")


def keep_statistics(raw: sqlite3.Connection) -> None:
    """After a write, let SQLite refresh its query planner's statistics where they are
    missing or stale (a table grown 25-fold since), from 400 rows an index: a few
    milliseconds when due, nothing otherwise (PRAGMA optimize, as SQLite advises). Without
    them a report at 100,000 actions sorted 30,000 rows for a page of 20. A busy database
    skips it: an optimisation is never worth failing a command that has done its work."""
    with suppress(sqlite3.Error):
        raw.execute("PRAGMA analysis_limit = 400")
        # SQLite's optimize looks only at tables this connection has queried, so a database
        # just built and filled is analysed here.
        never = raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
                            ).fetchone() is None
        raw.execute("ANALYZE" if never else "PRAGMA optimize")


def backup_sqlite(path: Path, dest: Path, tick: Callable[[int], None] | None = None) -> None:
    """A consistent copy of a live SQLite database, made private, written whole or not at all;
    `tick(n)` as n pages are copied (a thousand at a time)."""
    from bptrack.output.files import replacing_path

    done = 0

    def copied(status: int, remaining: int, total: int) -> None:
        nonlocal done
        if tick is not None:
            tick(total - remaining - done)
        done = total - remaining

    try:
        with replacing_path(dest, database=path, private=True) as tmp:
            source = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
            try:
                target = sqlite3.connect(tmp)
                try:
                    source.backup(target, pages=1000, progress=copied)
                finally:
                    target.close()
            finally:
                source.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot back up {path} to {dest}: {exc}") from exc


def begin_immediate(raw: sqlite3.Connection, busy_timeout: float) -> None:
    # Queue behind another writer for up to busy_timeout. The wait is a Python loop of short
    # waits, not one long wait inside SQLite, so that Ctrl-C stops it at once.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)


def _postgresql_connect(target: Target, busy_timeout: float) -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise DatabaseError(f"cannot use {target.display}: {exc}; install bptrack[postgres]"
                            ) from exc
    return psycopg.connect(target.conninfo, connect_timeout=10,
                           options=postgresql_options(target, busy_timeout), autocommit=False,
                           **password_argument(target))


def password_argument(target: Target) -> dict[str, Any]:
    """The connection's password argument, when the config's db_password_file gave one."""
    return {"password": target.password} if target.password else {}


def postgresql_options(target: Target, busy_timeout: float) -> str:
    """The session options of every bptrack PostgreSQL connection (the schema tools' too)."""
    from psycopg.conninfo import conninfo_to_dict

    # A row lock still held after busy_timeout fails the write (exit 3), as on SQLite.
    options = f"-c lock_timeout={int(busy_timeout * 1000)}"
    given = conninfo_to_dict(target.conninfo).get("options")
    return f"{given} {options}" if given else options  # e.g. a search_path in the URL


# PostgreSQL advisory lock keys: work that must not run twice at once across a team.
LOCKS = {"setup": 7370, "reminders": 7371, "sheets": 7372, "meetings": 7373}


# --- opening ------------------------------------------------------------------------------

S = TypeVar("S")


class Opened(NamedTuple, Generic[S]):
    """A database just opened (a Database, or the schema tools' SchemaTools), and what opening it
    did."""

    store: S
    created: bool  # a new SQLite file was made (and seeded) on this call
    seeded: int  # actions seeded on this call
    notices: tuple[str, ...] = ()  # e.g. that the schema was upgraded, and where the backup is


def open_current(target: Target, *, busy_timeout: float) -> Database | None:
    """The database, opened for the everyday commands, when it exists and has this program's
    schema version; None when it must first be created, set up or upgraded (engine.py)."""
    if target.sqlite_path is not None:
        if not target.sqlite_path.exists():
            return None
        check_sqlite_file(target.sqlite_path)
    database = Database(target, busy_timeout=busy_timeout)
    try:
        with database.read() as conn:
            # The version row is the truth (user_version only mirrors it, for tools).
            found = conn.scalar(
                "SELECT count(*) FROM sqlite_master WHERE name = 'bptrack_meta'"
                if database.is_sqlite else "SELECT to_regclass('bptrack_meta') IS NOT NULL")
            version = conn.scalar("SELECT value FROM bptrack_meta WHERE key = "
                                  "'schema_version'") if found else None
    except BaseException:
        database.close()
        raise
    if str(version) == str(SCHEMA_VERSION):
        return database
    database.close()
    return None


def open_read_only(target: Target) -> Database | None:
    """The database for a quick look that changes nothing, not even a SQLite file's journal
    (shell completion): a SQLite file opened read-only, or PostgreSQL as it is; None when
    there is no bptrack database there yet."""
    if target.sqlite_path is not None:
        if not target.sqlite_path.is_file():
            return None
        return Database(target._replace(read_only=True), busy_timeout=1)
    return open_current(target, busy_timeout=1)


def check_sqlite_file(path: Path) -> None:
    """Refuse, without writing to it, any file that is not a bptrack database.

    The file's own header says: SQLite's magic string, then the application id at byte 68. It
    is read as bytes, not through SQLite, so that a full disk or a damaged page is reported as
    what it is rather than as a foreign file.
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory: point --db at a file")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise DatabaseError(f"cannot open {path}: {exc.strerror}") from exc
    if not header:
        raise DatabaseError(f"{path} is an empty file, not a bptrack database: "
                            "remove it or point --db elsewhere")
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise DatabaseError(f"{path} is not a bptrack database (not an SQLite file); "
                            "it was left untouched: point --db at a bptrack database or a new "
                            "file")
    if int.from_bytes(header[68:72], "big") != SQLITE_APPLICATION_ID:
        raise DatabaseError(f"{path} is not a bptrack database (an SQLite database of another "
                            "program); it was left untouched: point --db at a new file")


def integrity_findings(path: Path) -> list[str]:
    """What SQLite's integrity_check finds in a file, read-only; a file too damaged to check
    is itself a finding."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return [f"integrity: {exc}"]
    try:
        result = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.Error as exc:
        return [f"integrity: {exc}"]
    finally:
        conn.close()
    return [] if result == ["ok"] else [f"integrity: {r}" for r in result]


def wrap(connection: Any) -> Conn:
    """The DB-API connection under a SQLAlchemy one, in its transaction: for the commands that
    run on the schema tools (meeting import, spreadsheets) and share the queries."""
    raw = connection.connection.driver_connection
    return Conn(raw, SQLITE if connection.dialect.name == "sqlite" else POSTGRESQL)
