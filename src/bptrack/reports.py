"""Status report data: counts per group from SQL aggregates, the actions, and what changed.

The same data feeds every format; given the same database and options it is the same, in the
same order, every run (only `generated_at` moves).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from bptrack.dates import iso_utc, start_of_day, utcnow
from bptrack.errors import InvalidValue, NotFound
from bptrack.models import action_t, body_t, event_t, meeting_t
from bptrack.queries import (
    ACTIVE,
    DEFAULT_KINDS,
    MAX_DAYS,
    STATUSES,
    STREAM,
    action_columns,
    action_json_column,
    row_to_action,
    soonest_due,
    status_rank,
)
from bptrack.sqltext import date_text
from bptrack.store import Store
from bptrack.vocabulary import CLOSED

T = TypeVar("T")
GROUP_BY = ("owner", "assignee", "meeting", "status")
NO_ASSIGNEE = "(unassigned)"
NO_MEETING = "(none)"


@dataclass(frozen=True)
class ReportOptions:
    group_by: str = "owner"
    as_of: dt.date | None = None
    since: dt.date | None = None
    since_meeting: str | None = None
    due_soon_days: int = 14


def _group_columns(group_by: str) -> tuple[ColumnElement[Any], ColumnElement[Any],
                                          ColumnElement[Any]]:
    """The group's key, its name, and the expression groups are ordered by."""
    a = action_t.c
    if group_by == "owner":
        return body_t.c.code, body_t.c.name, body_t.c.code
    if group_by == "assignee":
        key = func.coalesce(a.assignee, literal(NO_ASSIGNEE))
        return key, key, key
    if group_by == "meeting":
        key = func.coalesce(meeting_t.c.ref, literal(NO_MEETING))
        return key, func.coalesce(meeting_t.c.title, literal("Added by hand")), key
    if group_by == "status":
        return a.status, a.status, status_rank()
    raise InvalidValue(f"unknown --group-by {group_by!r}: use {', '.join(GROUP_BY)}")


@dataclass
class Report:
    """A status report. Its actions stream from the open read transaction, group by group."""

    header: dict[str, Any]
    totals: dict[str, int]
    groups: list[dict[str, Any]]  # counts only; the actions come from `grouped()`
    changes: list[dict[str, Any]]
    _actions: Callable[[], Iterator[tuple[Any, dict[str, Any]]]]
    _overdue: Callable[[int | None], list[dict[str, Any]]]
    _actions_json: Callable[[], Iterator[tuple[Any, str]]]
    _blocked: Callable[[int | None], list[dict[str, Any]]]
    # With --since-meeting: what later statements said of that meeting's commitments.
    follow_up: dict[str, list[dict[str, Any]]] | None = None

    def grouped(self) -> Iterator[tuple[dict[str, Any], Iterator[dict[str, Any]]]]:
        """Each group with an iterator over its actions (consume them in order)."""
        return _by_group(self.groups, self._actions())

    def grouped_json(self) -> Iterator[tuple[dict[str, Any], Iterator[str]]]:
        """The same, each action as JSON text made by the database."""
        return _by_group(self.groups, self._actions_json())

    def overdue(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The overdue actions, most overdue first (the first `limit` of them)."""
        return self._overdue(limit)

    def blocked(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The blocked actions, each with the reason given when it was blocked."""
        return self._blocked(limit)

    def as_dict(self) -> dict[str, Any]:
        """The whole report in memory: the contract's JSON object, and each blocked action's
        reason as `block_reason` (None for the others)."""
        blocked = self.blocked()
        reasons = {b["id"]: b["reason"] for b in blocked}
        groups = [{**group, "actions": [{**a, "block_reason": reasons.get(a["id"])}
                                        for a in actions]}
                  for group, actions in self.grouped()]
        document = {**self.header, "totals": self.totals, "groups": groups,
                    "blocked": blocked, "changes": self.changes}
        if self.follow_up is not None:
            document["follow_up"] = self.follow_up
        return document


def _by_group(groups: list[dict[str, Any]], stream: Iterator[tuple[Any, T]]
              ) -> Iterator[tuple[dict[str, Any], Iterator[T]]]:
    """Split one stream of (group key, item), ordered like the groups, into the groups."""
    pending: list[tuple[Any, T]] = []

    def members(key: Any) -> Iterator[T]:
        while True:
            if pending:
                item = pending.pop()
            else:
                try:
                    item = next(stream)
                except StopIteration:
                    return
            if item[0] != key:
                pending.append(item)
                return
            yield item[1]

    for group in groups:
        items = members(group["key"])
        yield group, items
        for _ in items:  # whatever the caller did not read
            pass


@contextmanager
def open_report(store: Store, options: ReportOptions) -> Iterator[Report]:
    as_of = options.as_of or dt.date.today()
    if not 0 <= options.due_soon_days <= MAX_DAYS:
        raise InvalidValue(f"the due-soon window is a number of days from 0 to {MAX_DAYS}")
    with store.read() as conn:
        since = options.since
        scope: list[ColumnElement[bool]] = [action_t.c.kind.in_(DEFAULT_KINDS)]
        meeting_ref = None
        if options.since_meeting is not None:
            row = conn.execute(select(meeting_t.c.id, meeting_t.c.ref, meeting_t.c.date).where(
                func.upper(meeting_t.c.ref) == options.since_meeting.strip().upper())).first()
            if row is None:
                raise NotFound(f"no meeting {options.since_meeting!r}: "
                               "see `bptrack meeting list`")
            scope.append(action_t.c.meeting_id == row.id)
            meeting_ref = row.ref
            since = since or row.date
        groups = _groups(conn, options.group_by, scope, as_of, options.due_soon_days)
        totals = {status: 0 for status in STATUSES} | {"overdue": 0, "due_soon": 0}
        for group in groups:
            for key in totals:
                totals[key] += group[key]
            del group["due_soon"]
        header = {"generated_at": iso_utc(utcnow()), "as_of": as_of.isoformat(),
                  "since": since.isoformat() if since else None, "meeting": meeting_ref,
                  "group_by": options.group_by}
        changes = _changes(conn, scope, since, as_of) if since else []
        yield Report(header, totals, groups, changes,
                     lambda: _actions(conn, options.group_by, scope, as_of),
                     lambda limit: _overdue(conn, scope, as_of, limit),
                     lambda: _actions_json(conn, options.group_by, scope, as_of),
                     lambda limit: _blocked(conn, scope, as_of, limit),
                     _follow_up(conn, scope) if meeting_ref else None)


def _net(rows: list[Any], since: dt.date, as_of: dt.date) -> list[dict[str, Any]]:
    """One action's events in the period (undone ones left out) → its net changes."""
    first = rows[0]
    out: list[dict[str, Any]] = []

    def change(kind: str, row: Any, old: Any, new: Any) -> None:
        out.append({"change": kind, "date": iso_utc(row.at), "action_id": row.action_id,
                    "seq": row.id, "ref": row.ref, "title": row.title, "actor": row.actor,
                    "old": old, "new": new, "note": row.note})

    created = next((r for r in rows if r.type == "create"), None)
    if created is not None:
        # Seeding and imports bring in what a meeting decided: new only when it met lately.
        from_statement = (created.note or "").startswith(("from the ", "imported from "))
        held = first.meeting_date is not None and since <= first.meeting_date <= as_of
        if not from_statement or held:
            change("new", created, None, None)
    statuses = [r for r in rows if r.type == "status"]
    if statuses:
        before, after = statuses[0].old, statuses[-1].new
        if after in CLOSED and before not in CLOSED:
            change("closed", statuses[-1], before, after)
        elif before in CLOSED and after not in CLOSED:
            change("reopened", statuses[-1], before, after)
        elif after == "blocked" and before != "blocked":
            change("blocked", statuses[-1], before, after)
    people = [r for r in rows if r.type in ("assign", "unassign")]
    if people and people[0].old != people[-1].new:
        change("reassigned", people[-1], people[0].old, people[-1].new)
    dues = [r for r in rows if r.type == "edit"]
    if dues and dues[0].old != dues[-1].new:
        change("due_changed", dues[-1], dues[0].old, dues[-1].new)
    return out


REPORTED = "Reported at "  # how `meeting reconcile --apply` starts a resolution


def _follow_up(conn: Connection, scope: list[ColumnElement[bool]]
               ) -> dict[str, list[dict[str, Any]]]:
    """The meeting's commitments as later statements left them: reported done, carried
    forward (by the later items that follow them), or not mentioned: the ones to chase."""
    a = action_t.c
    out: dict[str, list[dict[str, Any]]] = {"reported_done": [], "carried_forward": [],
                                            "not_mentioned": []}
    for row in conn.execute(select(a.ref, a.title, a.status, a.resolution, a.followed_by)
                            .where(*scope).order_by(a.id)):
        by = json.loads(row.followed_by)
        if row.status == "done" and (row.resolution or "").startswith(REPORTED):
            out["reported_done"].append({"ref": row.ref, "title": row.title,
                                         "resolution": row.resolution})
        elif by:
            out["carried_forward"].append({"ref": row.ref, "title": row.title,
                                           "status": row.status, "by": by})
        elif row.status in ACTIVE:
            out["not_mentioned"].append({"ref": row.ref, "title": row.title,
                                         "status": row.status})
    return out


def _joined(group_by: str | None = None) -> Any:
    """The actions with the tables a grouping needs (all of them when not given)."""
    a = action_t.c
    joined = action_t
    if group_by in (None, "owner"):
        joined = joined.join(body_t, a.owner_id == body_t.c.id)
    if group_by in (None, "meeting"):
        joined = joined.outerjoin(meeting_t, a.meeting_id == meeting_t.c.id)
    return joined


def _groups(conn: Connection, group_by: str, scope: list[ColumnElement[bool]],
            as_of: dt.date, soon_days: int) -> list[dict[str, Any]]:
    a = action_t.c
    key, name, order = _group_columns(group_by)
    active = a.status.in_(ACTIVE)
    counts = [func.sum(case((a.status == s, 1), else_=0)).label(s) for s in STATUSES]
    overdue = func.sum(case((and_(active, a.due < as_of), 1), else_=0)).label("overdue")
    soon = func.sum(case((and_(active, a.due >= as_of,
                               a.due <= as_of + dt.timedelta(days=soon_days)), 1),
                         else_=0)).label("due_soon")
    stmt = (select(key.label("key"), func.min(name).label("name"), func.count().label("total"),
                   *counts, overdue, soon)
            .select_from(_joined(group_by)).where(*scope).group_by(key)
            .order_by(func.min(order)))
    groups = []
    for row in conn.execute(stmt):
        done, total, cancelled = int(row.done), int(row.total), int(row.cancelled)
        committed = total - cancelled
        group: dict[str, Any] = {"key": row.key, "name": row.name, "total": total}
        group.update({s: int(getattr(row, s)) for s in STATUSES})
        group["overdue"] = int(row.overdue)
        group["due_soon"] = int(row.due_soon)
        group["percent_done"] = round(100 * done / committed) if committed else 0
        groups.append(group)
    return groups


def _actions(conn: Connection, group_by: str, scope: list[ColumnElement[bool]],
             as_of: dt.date) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(group key, action), in the order of the groups, soonest due first within each."""
    key, _, order = _group_columns(group_by)
    stmt = action_columns().add_columns(key.label("group_key")).where(*scope).order_by(
        order, *soonest_due())
    today_text = as_of.isoformat()
    for row in conn.execution_options(**STREAM).execute(stmt):
        yield row[-1], row_to_action(row[:-1], today_text)


def _actions_json(conn: Connection, group_by: str, scope: list[ColumnElement[bool]],
                  as_of: dt.date) -> Iterator[tuple[Any, str]]:
    key, _, order = _group_columns(group_by)
    stmt = (select(key.label("group_key"), action_json_column(as_of.isoformat()))
            .select_from(_joined()).where(*scope).order_by(order, *soonest_due()))
    for group_key, text in conn.execution_options(**STREAM).execute(stmt):
        yield group_key, str(text)


def _overdue(conn: Connection, scope: list[ColumnElement[bool]],
             as_of: dt.date, limit: int | None) -> list[dict[str, Any]]:
    a = action_t.c
    stmt = action_columns().where(*scope, a.status.in_(ACTIVE), a.due < as_of).order_by(
        a.due, a.id).limit(limit)
    today_text = as_of.isoformat()
    return [row_to_action(row, today_text) for row in conn.execute(stmt)]


def _blocked(conn: Connection, scope: list[ColumnElement[bool]], as_of: dt.date,
             limit: int | None) -> list[dict[str, Any]]:
    """Blocked actions, longest blocked first, with the note of the change that blocked
    them: the reason a briefing needs."""
    a = action_t.c
    e = event_t.c
    earlier = event_t.alias("block_event")
    last_block = (select(func.max(earlier.c.id))
                  .where(earlier.c.action_id == a.id, earlier.c.type == "status",
                         earlier.c.new == "blocked")
                  .correlate(action_t).scalar_subquery())
    stmt = (select(a.id, a.ref, a.title, body_t.c.code.label("owner"), a.assignee,
                   date_text(a.due).label("due"), e.note.label("reason"), e.at)
            .select_from(action_t.join(body_t, a.owner_id == body_t.c.id)
                         .outerjoin(event_t, e.id == last_block))
            .where(*scope, a.status == "blocked").order_by(e.at, a.id).limit(limit))
    return [{"id": r.id, "ref": r.ref, "title": r.title, "owner": r.owner,
             "assignee": r.assignee, "due": r.due,
             "overdue": r.due is not None and r.due < as_of.isoformat(),
             "reason": r.reason, "since": iso_utc(r.at) if r.at else None}
            for r in conn.execute(stmt)]


def _changes(conn: Connection, scope: list[ColumnElement[bool]], since: dt.date,
             as_of: dt.date) -> list[dict[str, Any]]:
    """The net change of each action over the period, from its history: new, closed,
    reopened, reassigned, due changed; and those that became overdue. A change undone, or
    one that ends where it began (closed then reopened), shows nothing."""
    a = action_t.c
    e = event_t.c
    begin, end = start_of_day(since), start_of_day(as_of + dt.timedelta(days=1))
    undone = set(conn.execute(select(e.undoes).where(e.undoes.is_not(None), e.at < end))
                 .scalars())
    stmt = (select(e.id, e.at, e.actor, e.type, e.field, e.old, e.new, e.note, a.id.label(
        "action_id"), a.ref, a.title, meeting_t.c.date.label("meeting_date"))
            .select_from(event_t.join(action_t, e.action_id == a.id).outerjoin(
                meeting_t, a.meeting_id == meeting_t.c.id))
            .where(*scope, e.at >= begin, e.at < end,
                   or_(e.type.in_(("create", "status", "assign", "unassign")),
                       and_(e.type == "edit", e.field == "due")))
            .order_by(e.at, e.id))
    by_action: dict[int, list[Any]] = {}
    for row in conn.execute(stmt):
        if row.id not in undone:
            by_action.setdefault(row.action_id, []).append(row)
    changes = []
    for rows in by_action.values():
        changes += _net(rows, since, as_of)
    overdue = (select(a.id, a.ref, a.title, a.due).select_from(action_t)
               .where(*scope, a.status.in_(ACTIVE), a.due >= since, a.due < as_of)
               .order_by(a.due, a.id))
    for r in conn.execute(overdue):
        changes.append({"change": "became_overdue",
                        "date": iso_utc(start_of_day(r.due + dt.timedelta(days=1))),
                        "action_id": r.id, "ref": r.ref, "title": r.title, "actor": None,
                        "old": None, "new": r.due.isoformat(), "note": None, "seq": 0})
    # History order within a second; a due date passing sorts before that day's changes.
    changes.sort(key=lambda c: (c["date"], c["seq"], c["action_id"]))
    for change in changes:
        del change["seq"]
    return changes
