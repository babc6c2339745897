"""Shell completion's candidates: action ids with their titles, assignees, members, bodies and
meetings, each from one cheap query."""

from __future__ import annotations

from typing import Any

from bptrack.store.db import Conn
from bptrack.store.queries.core import marks, query
from bptrack.vocabulary import ACTIVE, DEFAULT_KINDS

# Which actions a command can take: a status command the active (or closed) actions and
# commitments, never records or notes; show and history any action.
_WHICH = {"active": f"status IN {marks(ACTIVE)} AND kind IN {marks(DEFAULT_KINDS)}",
          "closed": f"status NOT IN {marks(ACTIVE)} AND kind IN {marks(DEFAULT_KINDS)}",
          "any": "1 = 1"}


@query
def candidate_actions(conn: Conn, which: str) -> list[tuple[Any, ...]]:
    """(id, ref, title) of the actions `which` (active, closed or any) names, by id."""
    params = [] if which == "any" else [*ACTIVE, *DEFAULT_KINDS]
    return conn.all(f"SELECT id, ref, title FROM action WHERE {_WHICH[which]} ORDER BY id",
                    params)


@query
def candidate_assignees(conn: Conn) -> list[tuple[Any, ...]]:
    """(assignee, how many actions) of every assignee so far."""
    return conn.all("SELECT assignee, count(*) FROM action WHERE assignee IS NOT NULL "
                    "GROUP BY assignee ORDER BY assignee")


@query
def candidate_members(conn: Conn) -> list[tuple[Any, ...]]:
    return conn.all("SELECT name FROM member ORDER BY name")


@query
def candidate_bodies(conn: Conn) -> list[tuple[Any, ...]]:
    return conn.all("SELECT code, name FROM body ORDER BY code")


@query
def candidate_meetings(conn: Conn) -> list[tuple[Any, ...]]:
    return conn.all("SELECT ref, title FROM meeting ORDER BY date, ref")
