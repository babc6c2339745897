"""What the queries share: the action's fields and JSON, filters, LIKE patterns, the
registry of queries that the schema test runs (test_queries.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from bptrack.clock import today
from bptrack.store.db import Conn
from bptrack.store.dialect import JSON_KEYS
from bptrack.store.identity import BLOCKING
from bptrack.vocabulary import ACTIVE, STATUSES

F = TypeVar("F", bound=Callable[..., Any])
QUERIES: dict[str, Callable[..., Any]] = {}  # every function here that runs SQL


def query(fn: F) -> F:
    """Mark a function that runs SQL: the schema test runs each one (test_queries.py)."""
    QUERIES[fn.__name__] = fn
    return fn


def marks(values: Sequence[Any]) -> str:
    """`(?, ?, ?)` for an IN list of these values."""
    return "(" + ", ".join("?" for _ in values) + ")" if values else "(NULL)"


# --- actions ------------------------------------------------------------------------------

OWNER_JOIN = " JOIN body b ON a.owner_id = b.id"
MEETING_JOIN = " LEFT OUTER JOIN meeting m ON a.meeting_id = m.id"
ACTION_FROM = f"action a{OWNER_JOIN}{MEETING_JOIN}"


def action_from(conn: Conn, *, whole: bool, meeting: bool = True) -> str:
    """The actions with their owner (and meeting). `whole`: the query reads most of the
    table, so on SQLite it reads it in stored order (see Dialect.whole_table); a query for a
    few leaves the choice of index to the planner."""
    action = conn.dialect.whole_table("action a") if whole else "action a"
    return f"{action}{OWNER_JOIN}{MEETING_JOIN if meeting else ''}"


def action_fields(conn: Conn) -> list[str]:
    """The SQL of an action's fields, in JSON_KEYS order (FIELDS less `overdue`), dates as
    text."""
    d = conn.dialect
    return ["a.id", "a.ref", "a.title", "a.kind", "a.status", "b.code", "b.name", "a.partners",
            "a.assignee", "a.assignee_email", d.date_text("a.due"), "m.ref", "a.source",
            "a.resolution", d.utc_text("a.created_at"), d.utc_text("a.updated_at"),
            d.utc_text("a.closed_at"), "a.follows", "a.followed_by"]


def action_select(conn: Conn) -> str:
    return f"SELECT {', '.join(action_fields(conn))} FROM {ACTION_FROM}"


def action_json_sql(conn: Conn, today_text: str) -> str:
    """The whole action as JSON text, made by the database: for very long outputs. The day is
    a literal (ISO digits and dashes, checked), so that it is one expression."""
    dt.date.fromisoformat(today_text)
    values = dict(zip(JSON_KEYS, action_fields(conn), strict=True))
    return conn.dialect.action_json(values, f"'{today_text}'")


def is_overdue(due: str | None, status: str, today_text: str) -> bool:
    """Active and due before today (dates as ISO text)."""
    return due is not None and due < today_text and status in ACTIVE


def row_to_action(row: Sequence[Any], on: dt.date | str | None = None) -> dict[str, Any]:
    """An action as the contract's JSON object, from a row of action_fields().

    This runs once per action shown, 100,000 times for a large export: it unpacks the row as
    a tuple and compares dates as ISO text.
    """
    today_text = on if isinstance(on, str) else (on or today()).isoformat()
    (id_, ref, title, kind, status, owner, owner_name, partners, assignee, assignee_email,
     due, meeting, source, resolution, created_at, updated_at, closed_at, follows,
     followed_by) = row
    return {
        "id": id_, "ref": ref, "title": title, "kind": kind, "status": status,
        "owner": owner, "owner_name": owner_name,
        "partners": list(_codes(partners)) if partners != "[]" else [],
        "assignee": assignee, "assignee_email": assignee_email, "due": due,
        "overdue": is_overdue(due, status, today_text), "meeting": meeting,
        "source": source, "resolution": resolution,
        "created_at": created_at, "updated_at": updated_at, "closed_at": closed_at,
        "follows": json.loads(follows) if follows != "[]" else [],
        "followed_by": json.loads(followed_by) if followed_by != "[]" else [],
    }


@lru_cache(maxsize=4096)
def _codes(text: str) -> tuple[str, ...]:
    """A JSON list of body codes: the same few lists on thousands of actions, read once."""
    return tuple(json.loads(text))


@dataclass
class ActionQuery:
    """What `list` asks for; empty statuses/kinds mean the defaults (active actions)."""

    statuses: Sequence[str] = ()
    kinds: Sequence[str] = ()
    owner: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    overdue: bool = False
    due_within: int | None = None
    due_before: dt.date | None = None
    meeting: str | None = None
    search: str | None = None
    everything: bool = False
    sort: str = "due"
    limit: int | None = None
    ids: Sequence[int] = field(default_factory=tuple)


def like(text: str, *, anywhere: bool = True) -> str:
    """A LIKE pattern that finds `text` anywhere (or at the start), its own % and _ taken
    literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if anywhere else f"{escaped}%"


@dataclass
class Where:
    """SQL conditions and their parameters, in order."""

    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def extend(self, other: Where) -> None:
        self.conditions += other.conditions
        self.params += other.params

    def sql(self, *extra: str) -> str:
        parts = [*self.conditions, *extra]
        return " WHERE " + " AND ".join(parts) if parts else ""


SOONEST_DUE = "CASE WHEN a.due IS NULL THEN 1 ELSE 0 END, a.due, a.id"
STATUS_RANK = ("CASE a.status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in
                                           enumerate(STATUSES)) + " ELSE 9 END")


def last_block(conn: Conn) -> str:
    """The history event that blocked action `a` last (its note says why it is blocked),
    through the index of blocking events: SQLite's planner prefers the index of all an
    action's events, and reads each of them to find it."""
    # Its columns unqualified, as the index's condition names them: the event's own.
    events = conn.dialect.indexed_by("event", "ix_event_blocking")
    return f"(SELECT max(id) FROM {events} WHERE action_id = a.id AND {BLOCKING})"


def block_reason(conn: Conn) -> str:
    """Why action `a` is blocked: the note of its last blocking event."""
    return f"(SELECT e.note FROM event e WHERE e.id = {last_block(conn)})"
