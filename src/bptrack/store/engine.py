"""SQLAlchemy engines, for the schema tools: creating, seeding, setting up and upgrading a
database, and the commands that work on whole documents (meeting import, spreadsheets,
export, load, check). The everyday commands use db.py instead.

SQLite writes take `BEGIN IMMEDIATE` so that concurrent writers queue on busy_timeout instead of
failing half-way; PostgreSQL writes lock the rows they change (see the service package).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Insert, create_engine, event, inspect, select
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import SQLModel

from bptrack.errors import DatabaseError
from bptrack.store.db import (
    LOCKS,
    Opened,
    begin_immediate,
    check_sqlite_file,
    keep_statistics,
    password_argument,
    postgresql_options,
    sqlite_settings,
    wrap,
)
from bptrack.store.faults import message
from bptrack.store.schema import SCHEMA_VERSION, SQLITE_APPLICATION_ID, meta_t
from bptrack.store.target import Target, resolve_target

_WRITE = "bptrack_write"


class SchemaTools:
    """A bptrack database through SQLAlchemy, for what builds or moves it: set-up, upgrades,
    statement and sheet imports, export, load, backup and check. (The everyday commands use
    db.Database, DB-API alone.)"""

    def __init__(self, target: Target, *, busy_timeout: float,
                 known_as: Target | None = None) -> None:
        self.target = target
        self.is_sqlite = target.sqlite_path is not None
        self.engine = _make_engine(target, busy_timeout)
        # What its errors call it: a new file is built under a temporary name (_create_sqlite).
        self.known_as = known_as or target

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with _translate_errors(self.known_as), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction for a change and its history events; all or nothing."""
        with (
            _translate_errors(self.known_as),
            self.engine.connect().execution_options(**{_WRITE: True}) as conn,
        ):
            with conn.begin():
                yield conn
            raw = conn.connection.dbapi_connection
            if isinstance(raw, sqlite3.Connection):  # a load or an import grows tables most
                keep_statistics(raw)

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(target: Target, busy_timeout: float) -> Engine:
    if target.sqlite_path is None:
        try:
            return create_engine(target.url, connect_args={
                "connect_timeout": 10, "options": postgresql_options(target, busy_timeout),
                **password_argument(target)})
        except (ImportError, SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use {target.display}: {exc}; install bptrack[postgres]"
                                ) from exc
    engine = create_engine(target.url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # SQLAlchemy's recipe: let us emit BEGIN ourselves so that writes can be IMMEDIATE.
        dbapi_conn.isolation_level = None
        sqlite_settings(dbapi_conn, busy_timeout)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if not conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN")
            return
        raw = conn.connection.driver_connection
        assert raw is not None
        begin_immediate(raw, busy_timeout)

    return engine


@contextmanager
def _translate_errors(target: Target) -> Iterator[None]:
    """SQLAlchemy's wrapping of a driver error → the same message as the everyday path."""
    try:
        yield
    except sqlite3.Error as exc:  # from begin_immediate, on the driver's own connection
        raise DatabaseError(message(target, exc)) from exc
    except DBAPIError as exc:
        if isinstance(exc, OperationalError) or exc.connection_invalidated or isinstance(
                exc.orig, sqlite3.DatabaseError) or str(getattr(exc.orig, "sqlstate", "")) in (
                    "55P03", "42501"):
            raise DatabaseError(message(target, exc.orig or exc)) from exc
        raise
    except Exception as exc:
        # The raw driver under a SQLAlchemy connection (advisory locks): a lock wait that
        # timed out, a permission denied
        if type(exc).__module__.startswith("psycopg") and str(
                getattr(exc, "sqlstate", "") or "")[:2] in ("55", "42", "08", "53", "57"):
            raise DatabaseError(message(target, exc)) from exc
        raise


# --- opening ------------------------------------------------------------------------------

Seeder = Callable[[Connection], int]


def open_or_create(target: Target, *, busy_timeout: float, seeder: Seeder | None,
                   init: bool = False, create: bool = False) -> Opened[SchemaTools]:
    """Open a bptrack database; create (and, with a seeder, seed) a missing SQLite file.

    `init` is `db init` (and `db load`): it also sets up an empty PostgreSQL database.
    Upgrading an older schema, and seeding what is missing, are upgrade.py's.
    """
    if target.sqlite_path is not None:
        path = target.sqlite_path
        if not path.exists() and target.read_only:
            raise DatabaseError(f"{path} does not exist, and mode=ro cannot create it")
        if (not path.exists() and not (init or create) and not path.parent.is_dir()
                and path != _default()):
            # A typo in --db must not quietly start a second tracker in new directories.
            raise DatabaseError(f"the directory {path.parent} does not exist: check --db, or "
                                f"create the tracker there with `bptrack --db {path} db init` "
                                "(or give --create)")
        if not path.exists():
            count = _create_sqlite(path, busy_timeout, seeder)
            if count >= 0:
                return Opened(SchemaTools(target, busy_timeout=busy_timeout), True, count)
            # Another process created it first: open theirs like any existing file.
        check_sqlite_file(path)
        store = SchemaTools(target, busy_timeout=busy_timeout)
    else:
        store = SchemaTools(target, busy_timeout=busy_timeout)
        with store.read() as conn:
            ready = inspect(conn).has_table(meta_t.name)
            foreign = [] if ready else inspect(conn).get_table_names()
        if foreign:
            store.close()
            raise not_bptrack(target, foreign)
        if not ready:
            if not init:
                raise DatabaseError(f"database {target.display} is not set up for bptrack: "
                                    "run `bptrack db init` first")
            with store.write() as conn:
                serialise(conn, "setup")
                if not inspect(conn).has_table(meta_t.name):
                    tables = inspect(conn).get_table_names()
                    if tables:  # another program's tables appeared while we waited
                        raise not_bptrack(target, tables)
                    SQLModel.metadata.create_all(conn)
                    _write_version(conn)
    return Opened(store, False, 0)


def not_bptrack(target: Target, tables: list[str]) -> DatabaseError:
    """A database that holds another program's tables: never changed."""
    shown = ", ".join(sorted(tables)[:6]) + (", …" if len(tables) > 6 else "")
    return DatabaseError(f"{target.display} is not a bptrack database (it holds other tables: "
                         f"{shown}); it was left untouched: point --db at an empty database "
                         "or a bptrack one")


def serialise(conn: Connection, purpose: str) -> None:
    """Make other transactions with the same purpose wait for this one. SQLite's writers
    already queue (BEGIN IMMEDIATE); PostgreSQL takes a transaction-wide advisory lock."""
    wrap(conn).lock(LOCKS[purpose])


def seed(store: SchemaTools, seeder: Seeder) -> int:
    with store.write() as conn:
        serialise(conn, "setup")
        return seeder(conn)


def _default() -> Path:
    from bptrack.config import default_db_path

    return Path(default_db_path()).absolute()


def _create_sqlite(path: Path, busy_timeout: float, seeder: Seeder | None) -> int:
    """Build the seeded database beside its final name, then link it into place.

    Nobody ever sees a half-made database, and two first runs racing each other end with one
    file: the loser's copy is discarded. Returns the number of actions seeded, or -1 if another
    process created the file first.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp_name = tempfile.mkstemp(prefix=".bptrack-new-", suffix=".db", dir=path.parent)
    except OSError as exc:
        raise DatabaseError(f"cannot create database {path}: {exc.strerror}") from exc
    os.close(fd)  # mkstemp made it 0600; SQLite's WAL and SHM files inherit that mode
    tmp = Path(tmp_name)
    try:
        # The connection settings of every other (foreign keys checked: a `db load` of an
        # export with dangling references is refused here too).
        building = SchemaTools(resolve_target(str(tmp)), busy_timeout=busy_timeout,
                         known_as=resolve_target(str(path)))
        try:
            with building.write() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
                SQLModel.metadata.create_all(conn)
                _write_version(conn)
                count = seeder(conn) if seeder is not None else 0
            raw = building.engine.raw_connection()  # outside a transaction, as WAL needs
            try:
                assert raw.driver_connection is not None
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
        finally:
            building.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            return -1
        return count
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot create database {path}: {exc}") from exc
    except OSError as exc:
        raise DatabaseError(f"cannot create database {path}: {exc.strerror}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)


def _write_version(conn: Connection) -> None:
    conn.execute(meta_t.insert(), [{"key": "schema_version", "value": str(SCHEMA_VERSION)},
                                   {"key": "application", "value": "bptrack"}])
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")


def schema_version(store: SchemaTools) -> int:
    """The database's schema version; refuses one newer than this program."""
    with store.read() as conn:
        try:
            value = conn.execute(
                select(meta_t.c.value).where(meta_t.c.key == "schema_version")).scalar()
        except OperationalError as exc:
            raise DatabaseError(f"{store.target.display} is not a bptrack database: "
                                "no schema version") from exc
    if value is None or not value.isdigit():
        raise DatabaseError(f"{store.target.display} has no bptrack schema version")
    if int(value) > SCHEMA_VERSION:
        raise DatabaseError(f"{store.target.display} has schema version {value}, newer than "
                            f"this bptrack understands ({SCHEMA_VERSION}): upgrade bptrack")
    return int(value)


def insert_id(conn: Connection, stmt: Insert) -> int:
    """Run an INSERT and return the new row's id."""
    key = conn.execute(stmt).inserted_primary_key
    assert key is not None
    return int(key[0])
