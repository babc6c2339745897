"""Status report data: counts per group from SQL aggregates, the actions, and what changed.

The same data feeds every format; given the same database and options it is the same, in the
same order, every run (only `generated_at` moves).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from bptrack.dates import iso_utc, start_of_day, utcnow
from bptrack.errors import InvalidValue, NotFound
from bptrack.models import action_t, body_t, event_t, meeting_t
from bptrack.queries import ACTIVE, DEFAULT_KINDS, STATUSES, action_columns, row_to_action
from bptrack.store import Store

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


def _group_columns(group_by: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    a = action_t.c
    if group_by == "owner":
        return body_t.c.code, body_t.c.name
    if group_by == "assignee":
        key = func.coalesce(a.assignee, literal(NO_ASSIGNEE))
        return key, key
    if group_by == "meeting":
        return (func.coalesce(meeting_t.c.ref, literal(NO_MEETING)),
                func.coalesce(meeting_t.c.title, literal("Added by hand")))
    if group_by == "status":
        return a.status, a.status
    raise InvalidValue(f"unknown --group-by {group_by!r}: use {', '.join(GROUP_BY)}")


def _group_key(action: dict[str, Any], group_by: str) -> str:
    if group_by == "owner":
        return str(action["owner"])
    if group_by == "assignee":
        return str(action["assignee"] or NO_ASSIGNEE)
    if group_by == "meeting":
        return str(action["meeting"] or NO_MEETING)
    return str(action["status"])


def build_report(store: Store, options: ReportOptions) -> dict[str, Any]:
    as_of = options.as_of or dt.date.today()
    if options.due_soon_days < 0:
        raise InvalidValue("the due-soon window is a number of days, 0 or more")
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
        actions = _actions(conn, options.group_by, scope, as_of)
        changes = _changes(conn, scope, since, as_of) if since else []
    totals = {status: 0 for status in STATUSES} | {"overdue": 0, "due_soon": 0}
    for group in groups:
        for key in totals:
            totals[key] += group[key]
        group["actions"] = actions.get(group["key"], [])
        del group["due_soon"]
    return {
        "generated_at": iso_utc(utcnow()),
        "as_of": as_of.isoformat(),
        "since": since.isoformat() if since else None,
        "meeting": meeting_ref,
        "group_by": options.group_by,
        "totals": totals,
        "groups": groups,
        "changes": changes,
    }


def _joined() -> Any:
    a = action_t.c
    return action_t.join(body_t, a.owner_id == body_t.c.id).outerjoin(
        meeting_t, a.meeting_id == meeting_t.c.id)


def _groups(conn: Connection, group_by: str, scope: list[ColumnElement[bool]],
            as_of: dt.date, soon_days: int) -> list[dict[str, Any]]:
    a = action_t.c
    key, name = _group_columns(group_by)
    active = a.status.in_(ACTIVE)
    counts = [func.sum(case((a.status == s, 1), else_=0)).label(s) for s in STATUSES]
    overdue = func.sum(case((and_(active, a.due < as_of), 1), else_=0)).label("overdue")
    soon = func.sum(case((and_(active, a.due >= as_of,
                               a.due <= as_of + dt.timedelta(days=soon_days)), 1),
                         else_=0)).label("due_soon")
    stmt = (select(key.label("key"), func.min(name).label("name"), func.count().label("total"),
                   *counts, overdue, soon)
            .select_from(_joined()).where(*scope).group_by(key).order_by(key))
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
    if group_by == "status":
        order = {s: i for i, s in enumerate(STATUSES)}
        groups.sort(key=lambda g: order.get(g["key"], 99))
    return groups


def _actions(conn: Connection, group_by: str, scope: list[ColumnElement[bool]],
             as_of: dt.date) -> dict[str, list[dict[str, Any]]]:
    a = action_t.c
    stmt = action_columns().where(*scope).order_by(
        case((a.due.is_(None), 1), else_=0), a.due, a.id)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(stmt):
        action = row_to_action(row, as_of)
        by_group.setdefault(_group_key(action, group_by), []).append(action)
    return by_group


def _changes(conn: Connection, scope: list[ColumnElement[bool]], since: dt.date,
             as_of: dt.date) -> list[dict[str, Any]]:
    """New, closed and reassigned actions from the history; and those that became overdue."""
    a = action_t.c
    e = event_t.c
    kind = case((e.type == "create", literal("new")),
                (and_(e.type == "status", e.new.in_(("done", "cancelled"))), literal("closed")),
                (e.type.in_(("assign", "unassign")), literal("reassigned")),
                else_=literal(None))
    end = start_of_day(as_of + dt.timedelta(days=1))
    stmt = (select(e.id, e.at, e.actor, e.old, e.new, e.note, kind.label("change"), a.id.label(
        "action_id"), a.ref, a.title)
            .select_from(event_t.join(action_t, e.action_id == a.id))
            .where(*scope, e.at >= start_of_day(since), e.at < end,
                   or_(e.type.in_(("create", "assign", "unassign")),
                       and_(e.type == "status", e.new.in_(("done", "cancelled")))))
            .order_by(e.at, e.id))
    changes = [{"change": r.change, "date": iso_utc(r.at), "action_id": r.action_id,
                "seq": r.id, "ref": r.ref, "title": r.title, "actor": r.actor, "old": r.old,
                "new": r.new, "note": r.note} for r in conn.execute(stmt)]
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
