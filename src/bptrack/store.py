"""Where the data lives: an engine from a target, transactions, and the schema's identity.

SQLite writes take `BEGIN IMMEDIATE` so that concurrent writers queue on busy_timeout instead of
failing half-way; PostgreSQL writes lock the rows they change (see service.py).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Insert, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlmodel import SQLModel

from bptrack.errors import DatabaseError
from bptrack.models import SCHEMA_VERSION, SQLITE_APPLICATION_ID, meta_t

_WRITE = "bptrack_write"
_STATEMENT_WAIT = 0.25  # seconds one SQLite statement waits on a lock (see _on_begin)


@dataclass(frozen=True)
class Target:
    """A database target resolved from a path or URL."""

    url: str
    sqlite_path: Path | None  # None for PostgreSQL and in-memory SQLite
    read_only: bool = False  # `sqlite:///file.db?mode=ro`: reads work, every write is refused

    @property
    def display(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return make_url(self.url).render_as_string(hide_password=True)


def resolve_target(target: str) -> Target:
    if "://" not in target:
        path = Path(target).expanduser().absolute()
        return Target(f"sqlite:///{path}", path)
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise DatabaseError(f"cannot read database URL {target!r}: {exc}") from exc
    if url.drivername == "postgresql" or url.drivername == "postgres":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise DatabaseError("an in-memory SQLite database would be lost at exit: give a file")
        path = Path(url.database).expanduser().absolute()
        if url.query.get("mode") == "ro":
            return Target(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true", path,
                          read_only=True)
        return Target(f"sqlite:///{path}", path)
    if url.get_backend_name() != "postgresql":
        raise DatabaseError(f"unsupported database {url.drivername!r}: use a SQLite file or "
                            "postgresql+psycopg://user@host/db")
    return Target(url.render_as_string(hide_password=False), None)


class Store:
    """An open bptrack database."""

    def __init__(self, target: Target, *, busy_timeout: float) -> None:
        self.target = target
        self.is_sqlite = target.sqlite_path is not None
        self.engine = _make_engine(target, busy_timeout)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with _translate_errors(self.target), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction for a change and its history events; all or nothing."""
        with (
            _translate_errors(self.target),
            self.engine.connect().execution_options(**{_WRITE: True}) as conn,
            conn.begin(),
        ):
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(target: Target, busy_timeout: float) -> Engine:
    if target.sqlite_path is None:
        # A row lock still held after busy_timeout fails the write (exit 3), as on SQLite.
        options = f"-c lock_timeout={int(busy_timeout * 1000)}"
        given = make_url(target.url).query.get("options")
        if given:  # e.g. a search_path in the URL: keep it
            options = f"{given if isinstance(given, str) else ' '.join(given)} {options}"
        try:
            return create_engine(target.url, connect_args={"connect_timeout": 10,
                                                           "options": options})
        except (ImportError, SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use {target.display}: {exc}; install bptrack[postgres]"
                                ) from exc
    engine = create_engine(target.url, connect_args={"timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # SQLAlchemy's recipe: let us emit BEGIN ourselves so that writes can be IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # Short: a writer waits for the write lock in _on_begin; this covers the rest.
        cur.execute(f"PRAGMA busy_timeout = {int(min(busy_timeout, _STATEMENT_WAIT) * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if not conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN")
            return
        # Queue behind another writer for up to busy_timeout. The wait is a Python loop of
        # short waits, not one long wait inside SQLite, so that Ctrl-C stops it at once.
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.02)

    return engine


@contextmanager
def _translate_errors(target: Target) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise DatabaseError(_operational_message(target, exc)) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated or isinstance(exc.orig, sqlite3.DatabaseError):
            raise DatabaseError(_fault_message(target, exc) or
                                f"database {target.display} failed: {exc.orig}") from exc
        raise


def _fault_message(target: Target, exc: DBAPIError) -> str | None:
    """A fault of the disk or the file, said as what it is: the database was not changed."""
    orig = exc.orig
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    sqlstate = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig).strip().splitlines()[0] if orig else str(exc)
    if (name == "SQLITE_FULL" or sqlstate == "53100" or "No space left" in text
            or (name.startswith("SQLITE_IOERR") and _no_space(target))):
        return (f"disk full: {target.display} could not be written, so the database was not "
                "changed; free some space and try again")
    if name.startswith("SQLITE_IOERR") or sqlstate == "58030":
        return (f"I/O error on {target.display} ({text}): the database was not changed; "
                "check the disk (is it full or read-only?) and try again")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return (f"{target.display} is damaged ({text}): run `bptrack db check` to see what, "
                "and restore a backup")
    return None


def _no_space(target: Target) -> bool:
    """SQLite says "disk I/O error" when a full disk stops it making its -shm file."""
    if target.sqlite_path is None:
        return False
    try:
        return os.statvfs(target.sqlite_path.parent).f_bavail == 0
    except OSError:
        return False


def _operational_message(target: Target, exc: OperationalError) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    fault = _fault_message(target, exc)
    if fault is not None:
        return fault
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return (f"database {target.display} is locked by another bptrack; "
                "try again in a moment")
    if "readonly" in text or "read-only" in text:
        return (f"database {target.display} is read-only, so nothing was changed: "
                "point --db at a writable copy")
    return f"cannot use database {target.display}: {text}"


# --- opening ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    store: Store
    created: bool  # a new SQLite file was made (and seeded) on this call
    seeded: int  # actions seeded on this call
    notices: tuple[str, ...] = ()  # e.g. that the schema was upgraded, and where the backup is


Seeder = Callable[[Connection], int]


def open_store(target: Target, *, busy_timeout: float, seeder: Seeder | None,
               init: bool = False, create: bool = False) -> Opened:
    """Open a bptrack database; create (and, with a seeder, seed) a missing SQLite file.

    `init` is `db init` (and `db load`): it also sets up an empty PostgreSQL database, and seeds
    what is missing. An older schema is upgraded, after a backup; a newer one is refused.
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
                return Opened(Store(target, busy_timeout=busy_timeout), True, count)
            # Another process created it first: open theirs like any existing file.
        check_sqlite_file(path)
        store = Store(target, busy_timeout=busy_timeout)
    else:
        store = Store(target, busy_timeout=busy_timeout)
        with store.read() as conn:
            ready = inspect(conn).has_table(meta_t.name)
        if not ready:
            if not init:
                raise DatabaseError(f"database {target.display} is not set up for bptrack: "
                                    "run `bptrack db init` first")
            with store.write() as conn:
                serialise(conn, "setup")
                if not inspect(conn).has_table(meta_t.name):
                    SQLModel.metadata.create_all(conn)
                    _write_version(conn)
    notices = _upgrade_if_older(store, schema_version(store))
    seeded = _seed(store, seeder) if init and seeder is not None else 0
    return Opened(store, False, seeded, notices)


# PostgreSQL advisory lock keys: work that must not run twice at once across a team.
_LOCKS = {"setup": 7370, "reminders": 7371}


def serialise(conn: Connection, purpose: str) -> None:
    """Make other transactions with the same purpose wait for this one. SQLite's writers
    already queue (BEGIN IMMEDIATE); PostgreSQL takes a transaction-wide advisory lock."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCKS[purpose]})")


def _seed(store: Store, seeder: Seeder) -> int:
    with store.write() as conn:
        serialise(conn, "setup")
        return seeder(conn)


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
        raise DatabaseError(f"{path} is an SQLite database but not a bptrack one; "
                            "it was left untouched: point --db at a new file")


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
        engine = create_engine(f"sqlite:///{tmp}")
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
                SQLModel.metadata.create_all(conn)
                _write_version(conn)
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                count = seeder(conn) if seeder is not None else 0
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode = WAL")
        finally:
            engine.dispose()
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


def schema_version(store: Store) -> int:
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


def _upgrade_if_older(store: Store, version: int) -> tuple[str, ...]:
    """Back the database up, then apply each pending step in a transaction of its own."""
    if version >= SCHEMA_VERSION:
        return ()
    from bptrack import migrations

    steps = migrations.pending(version)
    backup = backup_before_upgrade(store, version)
    for step in steps:
        with store.write() as conn:
            serialise(conn, "setup")
            now = conn.execute(select(meta_t.c.value).where(
                meta_t.c.key == "schema_version")).scalar_one()
            if int(now) >= step.version:
                continue  # another process applied it while we waited for the lock
            step.apply(conn)
            conn.execute(meta_t.update().where(meta_t.c.key == "schema_version")
                         .values(value=str(step.version)))
            if store.is_sqlite:
                conn.exec_driver_sql(f"PRAGMA user_version = {step.version}")
    return (f"Upgraded {store.target.display} from schema version {version} to "
            f"{SCHEMA_VERSION}; the backup is {backup}.",)


def backup_before_upgrade(store: Store, version: int) -> Path:
    import platformdirs

    from bptrack.dates import utcnow

    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    if store.target.sqlite_path is not None:
        path = store.target.sqlite_path
        dest = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
        backup_sqlite(path, dest)
        return dest
    from bptrack import transfer

    folder = platformdirs.user_data_path("bptrack") / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    dest = folder / f"{make_url(store.target.url).database}.schema{version}-{stamp}.json"
    transfer.export_to_file(store, dest, schema_override=version)
    return dest


def backup_sqlite(path: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite database, made private, written whole or not at all."""
    from bptrack.files import replacing_path

    try:
        with replacing_path(dest, database=path, private=True) as tmp:
            source = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
            try:
                target = sqlite3.connect(tmp)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot back up {path} to {dest}: {exc}") from exc


def insert_id(conn: Connection, stmt: Insert) -> int:
    """Run an INSERT and return the new row's id."""
    key = conn.execute(stmt).inserted_primary_key
    assert key is not None
    return int(key[0])
