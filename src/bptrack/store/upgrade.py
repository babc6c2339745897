"""Opening a database for the schema tools: created, set up, upgraded and seeded as needed.

An older schema is upgraded after a backup of the whole database (a SQLite copy, or an export
from PostgreSQL), each step in a transaction of its own; a newer one is refused.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bptrack.store import engine, migrations, transfer
from bptrack.store.db import Opened, backup_sqlite
from bptrack.store.engine import SchemaTools, Seeder, serialise
from bptrack.store.schema import SCHEMA_VERSION, meta_t
from bptrack.store.target import Target


def open_schema_tools(target: Target, *, busy_timeout: float, seeder: Seeder | None,
                      init: bool = False, create: bool = False) -> Opened[SchemaTools]:
    """The one way to open the schema tools: engine.open_or_create, then the upgrade an
    older schema needs; `init` also seeds what is missing (`db init`, `db load`)."""
    opened = engine.open_or_create(target, busy_timeout=busy_timeout, seeder=seeder, init=init,
                               create=create)
    if opened.created:
        return opened
    store = opened.store
    notices = upgrade_if_older(store, engine.schema_version(store))
    seeded = engine.seed(store, seeder) if init and seeder is not None else 0
    return Opened(store, False, seeded, notices)


def upgrade_if_older(store: SchemaTools, version: int) -> tuple[str, ...]:
    """Back the database up, then apply each pending step in a transaction of its own."""
    if version >= SCHEMA_VERSION:
        return ()
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


def backup_before_upgrade(store: SchemaTools, version: int) -> Path:
    from sqlalchemy.engine import make_url

    from bptrack.clock import utcnow
    from bptrack.config import backups_dir

    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    if store.target.sqlite_path is not None:
        path = store.target.sqlite_path
        dest = path.with_name(f"{path.name}.schema{version}-{stamp}.bak")
        backup_sqlite(path, dest)
        return dest
    folder = backups_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    dest = folder / f"{make_url(store.target.url).database}.schema{version}-{stamp}.json"
    transfer.export_to_file(store, dest, schema_override=version)
    return dest
