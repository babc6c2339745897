"""The status report's queries: counts per group, the actions, what changed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, Final, NamedTuple

from bptrack.errors import InvalidValue
from bptrack.store.db import Conn
from bptrack.store.identity import PAGE_KINDS, PAGE_ORDER
from bptrack.store.queries.core import (
    MEETING_JOIN,
    OWNER_JOIN,
    SOONEST_DUE,
    STATUS_RANK,
    Where,
    action_fields,
    action_from,
    action_json_sql,
    last_block,
    marks,
    query,
    row_to_action,
)
from bptrack.vocabulary import ACTIVE, CLOSED, DEFAULT_KINDS, STATUSES

# --- the status report --------------------------------------------------------------------

GROUP_BY = ("owner", "assignee", "meeting", "status")
NO_ASSIGNEE = "(unassigned)"
NO_MEETING = "(none)"


class Scope(NamedTuple):
    """Which actions a report covers: commitments (not records), perhaps of one meeting."""

    meeting_id: int | None = None

    def where(self) -> Where:
        where = Where()
        where.add(f"a.kind IN {marks(DEFAULT_KINDS)}", *DEFAULT_KINDS)
        if self.meeting_id is not None:
            where.add("a.meeting_id = ?", self.meeting_id)
        return where

    def actions_from(self, conn: Conn) -> str:
        """The actions with their owner and meeting: all of them, unless of one meeting."""
        return action_from(conn, whole=self.meeting_id is None)


def _group(group_by: str) -> tuple[str, str, str]:
    """The group's key, its name, and what groups are ordered by, as SQL."""
    if group_by == "owner":
        return "b.code", "b.name", "b.code"
    if group_by == "assignee":
        key = f"coalesce(a.assignee, '{NO_ASSIGNEE}')"
        return key, key, key
    if group_by == "meeting":
        key = f"coalesce(m.ref, '{NO_MEETING}')"
        return key, "coalesce(m.title, 'Added by hand')", key
    if group_by == "status":
        return "a.status", "a.status", STATUS_RANK
    raise InvalidValue(f"a report cannot be grouped by {group_by!r}: use {', '.join(GROUP_BY)}")


# The action column each grouping is a function of (see _group).
_GROUPED_BY = {"owner": "owner_id", "assignee": "assignee", "meeting": "meeting_id",
               "status": "status"}


# Which active actions a report lists first: overdue (due before the day it is as of), and
# due soon (from that day to the end of the due-soon window). Counted, listed and marked in
# each row of a page by these conditions, with those days as their parameters.
ACTIVE_IN = f"a.status IN {marks(ACTIVE)}"
OVERDUE = f"{ACTIVE_IN} AND a.due < ?"
DUE_SOON = f"{ACTIVE_IN} AND a.due >= ? AND a.due <= ?"


def _overdue_params(as_of: dt.date) -> list[Any]:
    return [*ACTIVE, as_of]


def _due_soon_params(as_of: dt.date, days: int) -> list[Any]:
    return [*ACTIVE, as_of, as_of + dt.timedelta(days=days)]


@query
def report_groups(conn: Conn, group_by: str, scope: Scope, as_of: dt.date,
                  soon_days: int) -> list[dict[str, Any]]:
    """Counts per group, by status, overdue and due soon.

    The actions are counted by kind, group column and status, the order of the report
    index, so the count reads that index in order and sorts nothing; the few counts are then
    named (joined to owner or meeting) and added up per group.
    """
    key, name, order = _group(group_by)
    where = scope.where()
    column = _GROUPED_BY[group_by]
    counted = ", ".join(dict.fromkeys((f"a.{column}", "a.status")))
    joins = {"owner": OWNER_JOIN, "meeting": MEETING_JOIN}.get(group_by, "")
    rows = conn.all(
        f"SELECT {key}, {name}, a.status, a.n, a.overdue, a.due_soon FROM ("
        f"SELECT {counted}, count(*) AS n, "
        f"sum(CASE WHEN {OVERDUE} THEN 1 ELSE 0 END) AS overdue, "
        f"sum(CASE WHEN {DUE_SOON} THEN 1 ELSE 0 END) AS due_soon "
        f"FROM action a{where.sql()} GROUP BY a.kind, a.{column}, a.status) a{joins} "
        f"ORDER BY {order}",
        [*_overdue_params(as_of), *_due_soon_params(as_of, soon_days), *where.params])
    groups: dict[Any, dict[str, Any]] = {}  # in the order of the rows: the groups' order
    for group_key, group_name, status, count, overdue, due_soon in rows:
        group = groups.setdefault(group_key, {
            "key": group_key, "name": group_name, "total": 0, **dict.fromkeys(STATUSES, 0),
            "overdue": 0, "due_soon": 0})
        group["total"] += int(count)
        group[status] += int(count)
        group["overdue"] += int(overdue)
        group["due_soon"] += int(due_soon)
    for group in groups.values():
        committed = group["total"] - group["cancelled"]
        group["percent_done"] = round(100 * group["done"] / committed) if committed else 0
    return list(groups.values())


@query
def report_actions(conn: Conn, group_by: str, scope: Scope, as_of: dt.date
                   ) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(group key, action), in the order of the groups, soonest due first within each."""
    key, _, order = _group(group_by)
    where = scope.where()
    today_text = as_of.isoformat()
    for rows in conn.batches(f"SELECT {', '.join(action_fields(conn))}, {key} "
                             f"FROM {scope.actions_from(conn)}{where.sql()} "
                             f"ORDER BY {order}, {SOONEST_DUE}", where.params):
        for row in rows:
            yield row[-1], row_to_action(row[:-1], today_text)


# A row of a report's page, as the database returns it: what the page shows of an action
# (its owner by id: see owner_codes), which list it is on besides its group's
# (LISTED_OVERDUE, LISTED_DUE_SOON, or 0), and its group's key (None by owner: the owner is
# in the row). Plain tuples: a page of 100,000 actions reads them in a quarter of the time
# of whole actions.
PageRow = tuple[int, str, str, int, str, "str | None", "str | None", "str | None", int, Any]
PAGE_ID: Final = 0
PAGE_OWNER: Final = 3
PAGE_DUE: Final = 6
PAGE_LISTED: Final = 8
PAGE_KEY: Final = 9
LISTED_OVERDUE: Final = 1
LISTED_DUE_SOON: Final = 2


@query
def page_rows(conn: Conn, group_by: str, scope: Scope, as_of: dt.date, soon_days: int,
              codes: dict[int, str]) -> Iterator[tuple[Any, list[PageRow]]]:
    """Runs of (group key, its PageRows), soonest due first within each group, the groups in
    an order of the database's own (by owner, the owners' numbers, named by their `codes`:
    no join of each row to its body): the whole page of a report from one read, its lists of
    overdue and due-soon actions included (the rows marked so)."""
    key, _, order = _group(group_by)
    where = scope.where()
    d = conn.dialect
    listed = (f"CASE WHEN {OVERDUE} THEN {LISTED_OVERDUE} "
              f"WHEN {DUE_SOON} THEN {LISTED_DUE_SOON} ELSE 0 END")
    meeting = MEETING_JOIN if group_by == "meeting" else ""
    by_owner = group_by == "owner"
    if by_owner and scope.meeting_id is None and d.is_sqlite:
        # The whole tracker by owner (the report's default): read from ix_action_page, in
        # its order, no sort; its condition and order as the index names them.
        where = Where()
        where.add(PAGE_KINDS)
        source, ordered = "action a INDEXED BY ix_action_page", ", ".join(PAGE_ORDER)
    else:
        source = d.whole_table("action a")
        ordered = f"{'a.owner_id' if by_owner else order}, {SOONEST_DUE}"
    sql = (f"SELECT a.id, a.ref, a.title, a.owner_id, a.status, a.assignee, "
           f"{d.date_text('a.due')}, a.resolution, {listed}, {'NULL' if by_owner else key} "
           f"FROM {source}{meeting}{where.sql()} ORDER BY {ordered}")
    params = [*_overdue_params(as_of), *_due_soon_params(as_of, soon_days), *where.params]
    for rows in conn.batches(sql, params):
        for group_key, run in groupby(rows, itemgetter(PAGE_OWNER if by_owner else PAGE_KEY)):
            yield codes[group_key] if by_owner else group_key, list(run)


@query
def owner_codes(conn: Conn) -> dict[int, str]:
    """Every body's code, by id."""
    return {int(i): str(code) for i, code in conn.all("SELECT id, code FROM body")}


@query
def report_actions_json(conn: Conn, group_by: str, scope: Scope, as_of: dt.date
                        ) -> Iterator[tuple[Any, list[str]]]:
    """The same, each action as JSON text made by the database, in runs of one group's: a
    run is written at once, not 85,000 writes for a large report."""
    key, _, order = _group(group_by)
    where = scope.where()
    for rows in conn.batches(
            f"SELECT {key}, {action_json_sql(conn, as_of.isoformat())} "
            f"FROM {scope.actions_from(conn)}{where.sql()} ORDER BY {order}, {SOONEST_DUE}",
            where.params):
        for group_key, run in groupby(rows, itemgetter(0)):
            yield group_key, [str(text) for _, text in run]


@query
def overdue_actions(conn: Conn, scope: Scope, as_of: dt.date, limit: int | None = None
                    ) -> list[dict[str, Any]]:
    """Overdue actions, most overdue first (the first `limit` of them)."""
    return _active_by_due(conn, scope, as_of, limit, OVERDUE, _overdue_params(as_of))


@query
def due_soon_actions(conn: Conn, scope: Scope, as_of: dt.date, days: int,
                     limit: int | None = None) -> list[dict[str, Any]]:
    """Active actions due from `as_of` to `days` after it, soonest first (the first `limit`
    of them): what a briefing warns of before it is overdue."""
    return _active_by_due(conn, scope, as_of, limit, DUE_SOON, _due_soon_params(as_of, days))


def _active_by_due(conn: Conn, scope: Scope, as_of: dt.date, limit: int | None,
                   condition: str, params: list[Any]) -> list[dict[str, Any]]:
    """The active actions in scope that meet `condition` (OVERDUE or DUE_SOON), soonest due
    first. A page of them is chosen by id from an index alone, then joined: sorting the whole
    rows of 30,000 overdue actions for the first 20 took 0.04 s, the ids 0.009 s. All of them
    are read from the whole table (of a tracker with a past, a large share): 30,000 through
    the index on (status, due) took half as long again."""
    where = scope.where()
    where.add(condition, *params)
    values = list(where.params)
    fields = ", ".join(action_fields(conn))
    joins = f"{OWNER_JOIN}{MEETING_JOIN}"
    if limit is None:
        sql = (f"SELECT {fields} FROM {conn.dialect.whole_table('action a')}{joins}"
               f"{where.sql()} ORDER BY a.due, a.id")
    else:
        page = f"SELECT a.id FROM action a{where.sql()} ORDER BY a.due, a.id LIMIT ?"
        sql = (f"SELECT {fields} FROM action a JOIN ({page}) page ON a.id = page.id{joins} "
               "ORDER BY a.due, a.id")
        values.append(limit)
    today_text = as_of.isoformat()
    return [row_to_action(row, today_text) for row in conn.all(sql, values)]


@query
def blocked_actions(conn: Conn, scope: Scope, as_of: dt.date, limit: int | None = None
                    ) -> list[dict[str, Any]]:
    """Blocked actions, longest blocked first, with the note of the change that blocked
    them: the reason a briefing needs."""
    d = conn.dialect
    where = scope.where()
    where.add("a.status = 'blocked'")
    sql = (f"SELECT a.id, a.ref, a.title, b.code, a.assignee, {d.date_text('a.due')}, e.note, "
           f"{d.utc_text('e.at')} FROM action a{OWNER_JOIN} "
           f"LEFT OUTER JOIN event e ON e.id = {last_block(conn)}"
           f"{where.sql()} ORDER BY e.at, a.id")
    params = list(where.params)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    today_text = as_of.isoformat()
    return [{"id": id_, "ref": ref, "title": title, "owner": owner, "assignee": assignee,
             "due": due, "overdue": due is not None and due < today_text,
             "reason": reason, "since": since}
            for id_, ref, title, owner, assignee, due, reason, since in conn.all(sql, params)]


class Happened(NamedTuple):
    """A history event in the report's period, with what the report needs of its action."""

    id: int
    at: str  # UTC, as text
    actor: str
    type: str
    field: str | None
    old: str | None
    new: str | None
    note: str | None
    action_id: int
    ref: str
    title: str
    meeting_date: dt.date | None


@query
def changes_between(conn: Conn, scope: Scope, begin: dt.datetime, end: dt.datetime
                    ) -> list[Happened]:
    """The events in [begin, end) that a report's changes are made of (not those undone
    before the end), oldest first."""
    d = conn.dialect
    where = scope.where()
    where.add("e.at >= ? AND e.at < ?", begin, end)
    where.add("(e.type IN ('create', 'status', 'assign', 'unassign') OR "
              "(e.type = 'edit' AND e.field = 'due'))")
    where.add("e.id NOT IN (SELECT undoes FROM event WHERE undoes IS NOT NULL AND at < ?)", end)
    rows = conn.all(
        f"SELECT e.id, {d.utc_text('e.at')}, e.actor, e.type, e.field, e.old, e.new, e.note, "
        f"a.id, a.ref, a.title, {d.date_text('m.date')} FROM event e "
        f"JOIN action a ON e.action_id = a.id{MEETING_JOIN}"
        f"{where.sql()} ORDER BY e.at, e.id", where.params)
    happened = []
    for (id_, at, actor, type_, field_, old, new, note, action_id, ref, title,
         meeting_date) in rows:
        happened.append(Happened(id_, at, actor, type_, field_, old, new, note, action_id, ref,
                                 title, dt.date.fromisoformat(meeting_date) if meeting_date
                                 else None))
    return happened


@query
def came_due(conn: Conn, scope: Scope, since: dt.date, as_of: dt.date
             ) -> list[tuple[int, str, str, dt.date]]:
    """Active actions whose due date passed in [since, as_of): (id, ref, title, due)."""
    where = scope.where()
    where.add(f"a.status IN {marks(ACTIVE)} AND a.due >= ? AND a.due < ?", *ACTIVE, since, as_of)
    return [(int(i), r, t, dt.date.fromisoformat(due)) for i, r, t, due in conn.all(
        f"SELECT a.id, a.ref, a.title, {conn.dialect.date_text('a.due')} FROM action a"
        f"{where.sql()} ORDER BY a.due, a.id", where.params)]


class Commitment(NamedTuple):
    """One of a meeting's commitments as a briefing follows it up."""

    ref: str
    title: str
    status: str
    resolution: str | None
    followed_by: list[str]
    closed_at: str | None  # UTC, as text
    closed_by: str | None  # the actor of the change that closed it


@query
def meeting_commitments(conn: Conn, scope: Scope) -> list[Commitment]:
    """Each action in scope, by number, with who closed it and when (if it is closed)."""
    d = conn.dialect
    where = scope.where()
    last_close = ("(SELECT max(x.id) FROM event x WHERE x.action_id = a.id AND "
                  f"x.type = 'status' AND x.new IN {marks(CLOSED)})")
    return [Commitment(r, t, s, res, json.loads(by), closed, closer)
            for r, t, s, res, by, closed, closer in conn.all(
                f"SELECT a.ref, a.title, a.status, a.resolution, a.followed_by, "
                f"{d.utc_text('a.closed_at')}, e.actor FROM action a "
                f"LEFT OUTER JOIN event e ON e.id = {last_close}"
                f"{where.sql()} ORDER BY a.id", [*CLOSED, *where.params])]


@query
def latest_notes(conn: Conn, scope: Scope) -> dict[int, str]:
    """Each action's latest note (not one withdrawn by undo), for a report's Notes column.

    For a whole tracker every action's latest note is found first and the actions then
    picked: asking the history of each of 85,000 actions in turn took 0.13 s, this 0.04 s.
    For one meeting's few actions, their history is asked."""
    where = scope.where()
    kept = "x.type = 'note' AND x.id NOT IN (SELECT undoes FROM event WHERE undoes IS NOT NULL)"
    if scope.meeting_id is None:
        latest = f"SELECT max(x.id) FROM event x WHERE {kept} GROUP BY x.action_id"
        sql = (f"SELECT e.action_id, e.note FROM event e JOIN action a ON a.id = e.action_id"
               f"{where.sql(f'e.id IN ({latest})')}")
    else:
        sql = ("SELECT e.action_id, e.note FROM event e WHERE e.id IN (SELECT max(x.id) FROM "
               f"event x JOIN action a ON x.action_id = a.id{where.sql(kept)} "
               "GROUP BY x.action_id)")
    return {int(action_id): str(note) for action_id, note in conn.all(sql, where.params)
            if note}


@query
def meeting_heading(conn: Conn, meeting_id: int) -> dict[str, Any]:
    """What a briefing's title page says of its meeting: ref, title, date and place."""
    row = conn.one(f"SELECT ref, title, {conn.dialect.date_text('date')}, location "
                   "FROM meeting WHERE id = ?", [meeting_id])
    assert row is not None
    return {"ref": row[0], "title": row[1], "date": row[2], "location": row[3]}
