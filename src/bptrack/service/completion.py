"""Shell completion's candidates from the database the command line points at. Completion runs
on every <TAB>: nothing here may fail loudly, set anything up, or import SQLAlchemy."""

from __future__ import annotations

from typing import Any


def candidates(db: str | None, which: str, *args: Any) -> list[tuple[Any, ...]]:
    """The rows of the completion query `which` (store/queries/completion.py, without its
    `candidate_` prefix); nothing when the database cannot be read."""
    from bptrack.config import db_target, load_settings
    from bptrack.store import queries
    from bptrack.store.db import open_read_only
    from bptrack.store.target import resolve_target

    try:
        database = open_read_only(resolve_target(db_target(db, load_settings())))
        if database is None:
            return []
        try:
            with database.read() as conn:
                rows: list[tuple[Any, ...]] = getattr(queries, f"candidate_{which}")(
                    conn, *args)
                return rows
        finally:
            database.close()
    except Exception:  # completion must never fail loudly
        return []
