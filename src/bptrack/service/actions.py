"""Reading the actions: `list`, `show`, `history`, bodies and members (changing them is
changes.py's and undo.py's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from bptrack.clock import start_of_day
from bptrack.errors import InvalidValue, UsageError
from bptrack.service import chains
from bptrack.service.naming import resolve
from bptrack.store import queries
from bptrack.store.db import Database
from bptrack.store.queries import ActionQuery
from bptrack.vocabulary import ACTIVE, CLOSED, KINDS, MAX_COUNT, MAX_DAYS, STATUSES


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
def listing(store: Database, query: ActionQuery, *, with_chains: bool = True
            ) -> Iterator[Listing]:
    """`list`: the actions arrive as they are read, so memory stays flat at any size; each
    with its chain (JSON), unless the format has no place for it."""
    query = _in_store_terms(query)
    with store.read() as conn:
        found = queries.iter_matching(conn, query)
        yield Listing(iter(chains.with_chains(conn, found)) if with_chains else found,
                      lambda: queries.count_matching(conn, query))


def _in_store_terms(query: ActionQuery) -> ActionQuery:
    """The query as the store takes it: status and kind words ("active", "all",
    "in-progress") made the stored values, and its numbers checked."""
    _check_count(query.limit)
    if query.due_within is not None and not 0 <= query.due_within <= MAX_DAYS:
        raise InvalidValue(f"a due-within window is 0 to {MAX_DAYS} days, not "
                           f"{query.due_within}")
    return replace(query, statuses=expand_statuses(query.statuses),
                   kinds=expand_kinds(query.kinds))


def _check_count(limit: int | None) -> None:
    if limit is not None and not 0 <= limit <= MAX_COUNT:
        raise InvalidValue(f"a limit is a number from 0 (no limit) to {MAX_COUNT}, "
                           f"not {limit}")


def expand_statuses(values: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for raw in values:
        value = raw.strip().lower().replace("-", "_")
        group = {"active": ACTIVE, "closed": CLOSED, "all": STATUSES}.get(value)
        if group is None:
            if value not in STATUSES:
                raise UsageError(f"unknown status {raw!r}: use {', '.join(STATUSES)}, "
                                 "active, closed or all")
            group = (value,)
        chosen.extend(s for s in group if s not in chosen)
    return tuple(chosen)


def expand_kinds(values: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for raw in values:
        value = raw.strip().lower()
        group = KINDS if value == "all" else (value,)
        if value != "all" and value not in KINDS:
            raise UsageError(f"unknown kind {raw!r}: use {', '.join(KINDS)} or all")
        chosen.extend(k for k in group if k not in chosen)
    return tuple(chosen)


def show_action(store: Database, text: str) -> dict[str, Any]:
    with store.read() as conn:
        id_ = resolve(conn, [text], changing=False)[0].id
        action = next(queries.iter_actions(conn, [id_]))
        action["chain"] = chains.chain_of(conn, action)
        action["history"] = queries.events(conn, action_id=id_)
    return action


def history(store: Database, text: str | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    _check_count(limit)
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
