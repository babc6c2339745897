"""The operations on actions: opening the database, reading, and (in changes and undo)
changing. Each change and its history event share one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bptrack.clock import start_of_day
from bptrack.config import Settings
from bptrack.errors import InvalidValue
from bptrack.service.changes import (
    Batch,
    Change,
    Edit,
    NewAction,
    add_action,
    add_note,
    assign,
    edit_action,
    set_status,
)
from bptrack.service.naming import parse_id, resolve
from bptrack.service.undo import undo
from bptrack.store import queries
from bptrack.store.db import Database, Opened, open_current
from bptrack.store.queries import ActionQuery
from bptrack.store.target import Target, resolve_target

if TYPE_CHECKING:
    from bptrack.store import engine

__all__ = ["Batch", "Change", "Edit", "Listing", "NewAction", "Page", "add_action", "add_note",
           "assign", "connect", "count_history", "describe_target", "edit_action", "history",
           "list_actions", "list_bodies", "list_members", "listing", "open_schema_tools",
           "parse_id", "set_status", "show_action", "undo"]


# --- opening ------------------------------------------------------------------------------

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
                      filler: engine.Seeder | None = None) -> Opened[engine.Store]:
    """The database through SQLAlchemy, created, set up or upgraded as
    needed: for meeting import, spreadsheets, and export, load, backup and check.

    `filler` replaces the shipped seed (`db load`): it fills a new SQLite file before the
    file appears, or an existing database in a transaction."""
    from bptrack.store import upgrade

    seeder = filler or (_seed_shipped if seed else None)
    return upgrade.open_store(_resolved(target, settings), busy_timeout=settings.busy_timeout,
                              seeder=seeder, init=init, create=create)


def _seed_shipped(conn: Any) -> int:
    from bptrack.service import seeding  # only when a database is created or initialised

    return seeding.seed(conn)


def describe_target(target: str) -> str:
    return resolve_target(target).display


# --- reading ------------------------------------------------------------------------------

def list_actions(store: Database, query: ActionQuery) -> Page:
    """The matching actions in memory, and how many match without --limit."""
    with listing(store, query) as found:
        actions = list(found.actions)
        total = found.total() if query.limit and len(actions) >= query.limit else len(actions)
    return Page(actions, total)


@dataclass
class Page:
    """Actions read into memory (list_actions), for callers other than the CLI."""

    actions: list[dict[str, Any]]
    total: int  # how many matched before --limit


@dataclass
class Listing:
    """Matching actions streamed from an open read transaction (see `listing`)."""

    actions: Iterator[dict[str, Any]]
    total: Callable[[], int]  # how many match without --limit; a query, so only when needed


@contextmanager
def listing(store: Database, query: ActionQuery) -> Iterator[Listing]:
    """`list`: the actions arrive as they are read, so memory stays flat at any size."""
    with store.read() as conn:
        yield Listing(queries.iter_matching(conn, query),
                      lambda: queries.count_matching(conn, query))


def show_action(store: Database, text: str) -> dict[str, Any]:
    with store.read() as conn:
        id_ = resolve(conn, [text], changing=False)[0].id
        action = next(queries.iter_actions(conn, [id_]))
        action["history"] = queries.events(conn, action_id=id_)
    return action


def history(store: Database, text: str | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    if limit is not None and not 0 <= limit <= queries.MAX_COUNT:
        raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
    with store.read() as conn:
        action_id = resolve(conn, [text], changing=False)[0].id if text else None
        return queries.events(conn, action_id=action_id,
                              since=start_of_day(since) if since else None, limit=limit)


def count_history(store: Database, text: str | None = None, since: dt.date | None = None
                  ) -> int:
    """How many changes `history` would show without a limit."""
    with store.read() as conn:
        action_id = resolve(conn, [text], changing=False)[0].id if text else None
        return queries.count_events(conn, action_id=action_id,
                                    since=start_of_day(since) if since else None)


def list_bodies(store: Database) -> list[dict[str, Any]]:
    with store.read() as conn:
        return queries.bodies(conn)


def list_members(store: Database) -> list[dict[str, Any]]:
    with store.read() as conn:
        return queries.members(conn)


# --- the team ------------------------------------------------------------------------------

def grant_role(store: engine.Store, login: str, role: str) -> None:
    """`db grant`: real PostgreSQL grants (store/roles.py says what each role may do)."""
    from bptrack.store import roles

    roles.grant(store, login, role)
