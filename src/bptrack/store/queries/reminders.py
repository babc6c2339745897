"""Reminders and the calendar: what is due, to whom, and what was e-mailed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, Final

from bptrack.clock import today
from bptrack.store.db import Conn
from bptrack.store.identity import DATED_ACTIVE
from bptrack.store.queries.core import (
    Where,
    action_fields,
    action_from,
    action_select,
    block_reason,
    marks,
    query,
    row_to_action,
)

# --- reminders and the calendar -----------------------------------------------------------

@query
def due_actions(conn: Conn, until: dt.date, on: dt.date, who: Where
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Active dated actions due by `until`, soonest due first (the overdue ones first), each
    with whom its reminder goes to and, when blocked, why (`block_reason`)."""
    where = _due_where(until, who)
    today_text = on.isoformat()
    reason = f"CASE WHEN a.status = 'blocked' THEN {block_reason(conn)} END"
    for row in conn.stream(f"SELECT {', '.join(action_fields(conn))}, {DIGEST_KEY}, {reason} "
                           f"FROM {action_from(conn, whole=not who.conditions)}{where.sql()} "
                           "ORDER BY a.due, a.id", where.params):
        action = row_to_action(row[:-2], today_text)
        action["block_reason"] = row[-1]
        yield row[-2], action


# Whom a digest line goes to: the assignee as `Name <email>`, else the owner body.
DIGEST_KEY = ("CASE WHEN a.assignee IS NULL THEN b.code || ' (' || b.name || '), unassigned' "
              "WHEN a.assignee_email IS NOT NULL AND a.assignee_email <> a.assignee "
              "THEN a.assignee || ' <' || a.assignee_email || '>' ELSE a.assignee END")


def _due_where(until: dt.date, who: Where) -> Where:
    """What a reminder reads: everything overdue or due soon. In a tracker with a past that
    is a large share of the table, so unless it is for one person or body the whole actions
    are read from the whole table (action_from): 0.06 s against 0.08 s through the index on
    (status, due) for 31,000 of 100,000; when few are due the scan costs 0.015 s. The text
    digest reads its own index (due_digest)."""
    where = Where()
    # DATED_ACTIVE word for word, unqualified as its index names the columns: SQLite uses a
    # partial index only for a query whose conditions include the index's own.
    where.add(DATED_ACTIVE)
    where.add("a.due <= ?", until)
    where.extend(who)
    return where


# Whom a line of the text digest goes to: the assignee as `Name <email>` (an e-mail that is
# not the name itself); when unassigned, none, and the owner body's id beside it, named once
# per group by the digest (a join to the body for each of 31,000 lines took a third of the
# query).
DIGEST_WHOM = ("CASE WHEN a.assignee_email IS NOT NULL AND a.assignee_email <> a.assignee "
               "THEN a.assignee || ' <' || a.assignee_email || '>' ELSE a.assignee END, "
               "CASE WHEN a.assignee IS NULL THEN a.owner_id END")
# A line of the text digest, as the database returns it: (whom, or the owner's id when
# unassigned, ref, title, due, why it is blocked). Plain tuples: a large digest has 30,000.
DigestLine = tuple["str | None", "int | None", str, str, str, "str | None"]
# The places in a DigestLine that group, order and count the digest (Final: typed as such).
WHOM: Final = 0
OWNER: Final = 1
DUE: Final = 4


@query
def due_digest(conn: Conn, until: dt.date, who: Where) -> list[DigestLine]:
    """The text digest's lines, soonest due first (then by id); a blocked action brings why.
    On SQLite they are read from the index of the active dated actions alone, which holds
    what a line shows in this order: no read of the table and no sort (31,000 lines of
    100,000 actions: 0.047 s through the table and the bodies, 0.032 s so)."""
    d = conn.dialect
    where = _due_where(until, who)
    reason = f"CASE WHEN a.status = 'blocked' THEN {block_reason(conn)} END"
    return conn.all(f"SELECT {DIGEST_WHOM}, a.ref, a.title, {d.date_text('a.due')}, {reason} "
                    f"FROM {d.indexed_by('action a', 'ix_action_dated')}{where.sql()} "
                    "ORDER BY a.due, a.id", where.params)


@query
def unassigned_names(conn: Conn, body_ids: Sequence[int]) -> dict[int, str]:
    """How the digest names the unassigned actions of each of these bodies."""
    return {int(i): f"{code} ({name}), unassigned" for i, code, name in conn.all(
        f"SELECT id, code, name FROM body WHERE id IN {marks(body_ids)}", list(body_ids))}


@query
def reminded(conn: Conn, ids: Sequence[int], address: str, day: dt.date) -> set[int]:
    """Which of these actions were e-mailed to this address on this day already."""
    return {int(i) for (i,) in conn.all(
        f"SELECT action_id FROM reminder_sent WHERE action_id IN {marks(ids)} AND address = ? "
        "AND day = ?", [*ids, address, day])}


@query
def record_reminders(conn: Conn, ids: Sequence[int], address: str, day: dt.date,
                     at: dt.datetime) -> None:
    for action_id in ids:
        conn.execute("INSERT INTO reminder_sent (action_id, address, day, sent_at) "
                     "VALUES (?, ?, ?, ?)", [action_id, address, day, at])


@query
def dated_active(conn: Conn, who: Where) -> list[dict[str, Any]]:
    """Active actions with a due date, soonest first: the calendar's events."""
    where = Where()
    where.add(DATED_ACTIVE)
    where.extend(who)
    on = today()
    return [row_to_action(row, on) for row in conn.all(
        f"{action_select(conn)}{where.sql()} ORDER BY a.due, a.id", where.params)]
