"""The actions linked to each other by `meeting reconcile` (follows / followed_by): what a
commitment's line through the meetings is made of."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from bptrack.store.db import Conn
from bptrack.store.identity import LINKED
from bptrack.store.queries.core import marks, query

MAX_LINE = 200  # actions read for one line: far more meetings than any forum holds


class Linked(NamedTuple):
    """An action as a line through the meetings needs it."""

    id: int
    ref: str
    title: str
    kind: str
    status: str
    owner: str
    meeting: str | None
    meeting_date: str | None  # ISO text
    meeting_id: int | None
    source: str
    links: tuple[str, ...]  # the refs it follows and is followed by


_LINKED = ("SELECT a.id, a.ref, a.title, a.kind, a.status, b.code, m.ref, {date}, m.id, "
           "a.source, a.follows, a.followed_by FROM {action} JOIN body b ON a.owner_id = b.id "
           "LEFT OUTER JOIN meeting m ON a.meeting_id = m.id")


def _rows(conn: Conn, where: str, params: Sequence[object], *, index: str | None = None
          ) -> list[Linked]:
    action = "action a" if index is None else conn.dialect.indexed_by("action a", index)
    sql = _LINKED.format(date=conn.dialect.date_text("m.date"), action=action) + where
    return [Linked(int(i), r, t, k, s, o, m, d, mid, src or "",
                   tuple(json.loads(f)) + tuple(json.loads(fb)))
            for i, r, t, k, s, o, m, d, mid, src, f, fb in conn.all(sql, list(params))]


@query
def linked_actions(conn: Conn, refs: Sequence[str]) -> list[Linked]:
    """These actions and every action linked to them, directly or through others."""
    found: dict[str, Linked] = {}
    wanted = list(dict.fromkeys(refs))
    while wanted and len(found) < MAX_LINE:
        rows = _rows(conn, f" WHERE a.ref IN {marks(wanted)}", wanted)
        found.update((row.ref, row) for row in rows)
        wanted = list(dict.fromkeys(ref for row in rows for ref in row.links
                                    if ref not in found))[:MAX_LINE]
    return list(found.values())


@query
def all_linked(conn: Conn) -> list[Linked]:
    """Every action with a link: the lines of the whole tracker (few, against all actions),
    through their partial index. (Left to itself, SQLite with statistics walked the table
    body by body through the owner index: 0.19 s at 100k; a scan is 0.014 s, the index
    nothing.)"""
    return _rows(conn, f" WHERE {LINKED}", [], index="ix_action_linked")
