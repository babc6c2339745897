"""The database as a whole: opening it (the everyday DB-API connection, or the schema tools),
where it is, and the `db` commands: check, backup, export, load, grant."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from bptrack.config import Settings
from bptrack.errors import Conflict
from bptrack.service.progress import Progress, unwatched
from bptrack.store.db import Database, Opened, open_current
from bptrack.store.target import Target, resolve_target

if TYPE_CHECKING:
    from pathlib import Path

    from bptrack.store import engine
    from bptrack.store.engine import SchemaTools, Seeder
    from bptrack.store.transfer import Loading

# What the CLI holds of an open database, by type (it imports nothing from the store itself)
__all__ = [
    "Database",
    "Opened",
    "SchemaTools",
    "Seeder",
    "backup",
    "check",
    "connect",
    "describe_target",
    "export",
    "grant_role",
    "loading",
    "open_schema_tools",
]


def connect(target: str, settings: Settings, *, init: bool = False, seed: bool = True,
            create: bool = False) -> Opened[Database]:
    """Open the database for the everyday commands. A database that exists with this
    program's schema opens through DB-API alone; only a first run (create and, unless `seed`
    is off, seed), a set-up or an upgrade goes through the schema tools first."""
    resolved = _resolved(target, settings)
    if not init:
        current = open_current(resolved, busy_timeout=settings.busy_timeout)
        if current is not None:
            return Opened(current, False, 0)
    opened = open_schema_tools(target, settings, init=init, seed=seed, create=create)
    opened.store.close()
    return Opened(Database(resolved, busy_timeout=settings.busy_timeout), opened.created,
                  opened.seeded, opened.notices)


def _resolved(target: str, settings: Settings) -> Target:
    """The target, with the password of the config's db_password_file for a PostgreSQL URL
    that holds none."""
    from urllib.parse import urlsplit

    from bptrack.config import db_password

    resolved = resolve_target(target)
    if resolved.is_sqlite or not settings.db_password_file or urlsplit(
            resolved.url).password is not None:
        return resolved
    password = db_password(settings)
    return resolved._replace(password=password) if password else resolved


def open_schema_tools(target: str, settings: Settings, *, init: bool = False,
                      seed: bool = True, create: bool = False,
                      filler: engine.Seeder | None = None) -> Opened[engine.SchemaTools]:
    """The database through SQLAlchemy, created, set up or upgraded as
    needed: for meeting import, spreadsheets, and export, load, backup and check.

    `filler` replaces the shipped seed (`db load`): it fills a new SQLite file before the
    file appears, or an existing database in a transaction."""
    from bptrack.store import upgrade

    seeder = filler or (_seed_shipped if seed else None)
    return upgrade.open_schema_tools(_resolved(target, settings),
                                     busy_timeout=settings.busy_timeout, seeder=seeder,
                                     init=init, create=create)


def _seed_shipped(conn: Any) -> int:
    from bptrack.service import seeding  # only when a database is created or initialised

    return seeding.seed(conn)


def describe_target(target: str) -> str:
    return resolve_target(target).display



# --- the db commands -----------------------------------------------------------------------

def check(target: str, open_database: Callable[[], Database]) -> list[str]:
    """`db check`: what is wrong with the database, or nothing. A SQLite file's integrity is
    checked as a file, before bptrack opens it (which a damaged file might refuse); then
    foreign keys and bptrack's own rules, over DB-API."""
    from bptrack.store import queries
    from bptrack.store.db import check_sqlite_file, integrity_findings

    path = resolve_target(target).sqlite_path
    if path is not None and path.exists():
        check_sqlite_file(path)
        damaged = integrity_findings(path)
        if damaged:
            return damaged
    with open_database().read() as conn:
        return queries.findings(conn)


def backup(store: Database, dest: str, *, tools: Callable[[], SchemaTools],
           progress: Progress = unwatched) -> Path:
    """`db backup`: a consistent, private copy, never over a file that exists. From SQLite,
    its backup API over DB-API, a thousand pages a step; from PostgreSQL, an export (the
    schema tools, opened only then)."""
    import os
    from pathlib import Path

    from bptrack.store.db import backup_sqlite

    path = Path(dest).expanduser()
    if os.path.lexists(path):
        raise Conflict(f"{dest} exists already: choose a new file name")
    if store.target.sqlite_path is not None:
        with store.read() as conn:
            pages = int(conn.scalar("PRAGMA page_count"))
        with progress(f"Backing up to {dest}", lambda: pages) as tick:
            backup_sqlite(store.target.sqlite_path, path, tick)
    else:
        from bptrack.store import transfer

        transfer.export_to_file(tools(), path)
    return path


def export(store: Database, out: IO[str], *, dest: str = "stdout",
           progress: Progress = unwatched) -> None:
    """`db export`: everything as JSON into `out` (going to `dest`), over DB-API, read in one
    transaction (on PostgreSQL one repeatable-read snapshot), a phase of `progress` whose
    total, the rows, is counted in that same transaction if a display asks for it."""
    from bptrack.store.export import export_lines, row_count
    from bptrack.store.identity import SCHEMA_VERSION

    with store.read() as conn:
        if not store.is_sqlite:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with progress(f"Exporting to {dest}", lambda: row_count(conn)) as tick:
            for n, chunk in enumerate(export_lines(conn, SCHEMA_VERSION), 1):
                out.write(chunk)
                if n % 1000 == 0:
                    tick(1000)


def loading(path: str, target: str, *, replace: bool = False) -> Loading:
    """`db load`: the export, read as it goes in, as the filler of the database it opens."""
    from bptrack.store import transfer

    return transfer.Loading(transfer.read_export(path), describe_target(target),
                            replace=replace)


def grant_role(store: engine.SchemaTools, login: str, role: str) -> None:
    """`db grant`: real PostgreSQL grants (store/roles.py says what each role may do)."""
    from bptrack.store import roles

    roles.grant(store, login, role)
