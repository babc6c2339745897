"""Reading actions: filters, sorting, counting and paging done in SQL, rows as plain dicts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, and_, case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from bptrack.dates import today
from bptrack.errors import InvalidValue, NotFound
from bptrack.models import action_t, body_t, meeting_t
from bptrack.sqltext import date_text, utc_text

STATUSES = ("open", "in_progress", "blocked", "done", "cancelled")
ACTIVE = ("open", "in_progress", "blocked")
CLOSED = ("done", "cancelled")
KINDS = ("action", "ongoing", "record", "note")
DEFAULT_KINDS = ("action", "ongoing")
SORTS = ("due", "id", "owner", "status", "updated")

# The order of every field of an action, as the contract lists them.
FIELDS = ("id", "ref", "title", "kind", "status", "owner", "owner_name", "partners",
          "assignee", "assignee_email", "due", "overdue", "meeting", "source", "resolution",
          "created_at", "updated_at", "closed_at")


def expand_statuses(values: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for raw in values:
        value = raw.strip().lower().replace("-", "_")
        group = {"active": ACTIVE, "closed": CLOSED, "all": STATUSES}.get(value)
        if group is None:
            if value not in STATUSES:
                raise InvalidValue(f"unknown status {raw!r}: use {', '.join(STATUSES)}, "
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
            raise InvalidValue(f"unknown kind {raw!r}: use {', '.join(KINDS)} or all")
        chosen.extend(k for k in group if k not in chosen)
    return tuple(chosen)


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


def action_columns() -> Select[Any]:
    """Every field of an action, dates already as text (see sqltext.py)."""
    a = action_t.c
    return select(
        a.id, a.ref, a.title, a.kind, a.status, body_t.c.code.label("owner"),
        body_t.c.name.label("owner_name"), a.partners, a.assignee, a.assignee_email,
        date_text(a.due).label("due"), meeting_t.c.ref.label("meeting"), a.source,
        a.resolution, utc_text(a.created_at).label("created_at"),
        utc_text(a.updated_at).label("updated_at"), utc_text(a.closed_at).label("closed_at"),
    ).select_from(
        action_t.join(body_t, a.owner_id == body_t.c.id).outerjoin(
            meeting_t, a.meeting_id == meeting_t.c.id))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def resolve_body_id(conn: Connection, text: str) -> int:
    """A body by its code or an unambiguous part of its name, any case."""
    wanted = text.strip()
    if not wanted:
        raise InvalidValue("the body is empty: give a code such as WGTIP or part of a name")
    rows = conn.execute(select(body_t.c.id, body_t.c.code, body_t.c.name)).all()
    by_code = [r for r in rows if r.code.lower() == wanted.lower()]
    if by_code:
        return int(by_code[0].id)
    by_name = [r for r in rows if r.name.lower() == wanted.lower()]
    if len(by_name) == 1:
        return int(by_name[0].id)
    partial = [r for r in rows if wanted.lower() in r.name.lower()]
    if len(partial) == 1:
        return int(partial[0].id)
    if not partial:
        raise NotFound(f"no body matches {text!r}: see `bptrack body list`")
    codes = ", ".join(sorted(r.code for r in partial))
    raise InvalidValue(f"{text!r} is ambiguous: it matches {codes}; give the code")


def _conditions(conn: Connection, query: ActionQuery, on: dt.date) -> list[ColumnElement[bool]]:
    a = action_t.c
    conds: list[ColumnElement[bool]] = []
    if query.ids:
        conds.append(a.id.in_(list(query.ids)))
    statuses = STATUSES if query.everything else (
        expand_statuses(query.statuses) if query.statuses else ACTIVE)
    kinds = KINDS if query.everything else (
        expand_kinds(query.kinds) if query.kinds else DEFAULT_KINDS)
    if set(statuses) != set(STATUSES):
        conds.append(a.status.in_(statuses))
    if set(kinds) != set(KINDS):
        conds.append(a.kind.in_(kinds))
    if query.owner is not None:
        conds.append(a.owner_id == resolve_body_id(conn, query.owner))
    if query.assignee is not None:
        pattern = _like(query.assignee.strip())
        conds.append(or_(a.assignee.ilike(pattern, escape="\\"),
                         a.assignee_email.ilike(pattern, escape="\\")))
    if query.unassigned:
        conds.append(a.assignee.is_(None))
    if query.overdue:
        conds.append(and_(a.due < on, a.status.in_(ACTIVE)))
    if query.due_within is not None:
        if query.due_within < 0:
            raise InvalidValue("--due-within takes a number of days, 0 or more")
        conds.append(a.due <= on + dt.timedelta(days=query.due_within))
    if query.due_before is not None:
        conds.append(a.due < query.due_before)
    if query.meeting is not None:
        meeting_id = conn.execute(select(meeting_t.c.id).where(
            func.lower(meeting_t.c.ref) == query.meeting.strip().lower())).scalar()
        if meeting_id is None:
            raise NotFound(f"no meeting {query.meeting!r}: see `bptrack meeting list`")
        conds.append(a.meeting_id == meeting_id)
    if query.search:
        pattern = _like(query.search)
        conds.append(or_(a.title.ilike(pattern, escape="\\"), a.source.ilike(pattern, escape="\\"),
                         a.ref.ilike(pattern, escape="\\"), a.assignee.ilike(pattern, escape="\\")))
    return conds


def _order(sort: str) -> list[Any]:
    a = action_t.c
    undated_last = [case((a.due.is_(None), 1), else_=0), a.due]
    if sort == "due":
        return [*undated_last, a.id]
    if sort == "id":
        return [a.id]
    if sort == "owner":
        return [body_t.c.code, *undated_last, a.id]
    if sort == "status":
        rank = case({s: i for i, s in enumerate(STATUSES)}, value=a.status, else_=literal(9))
        return [rank, *undated_last, a.id]
    if sort == "updated":
        return [a.updated_at.desc(), a.id.desc()]
    raise InvalidValue(f"unknown sort {sort!r}: use {', '.join(SORTS)}")


@dataclass
class Page:
    actions: list[dict[str, Any]]
    total: int  # how many matched before --limit


def find_actions(conn: Connection, query: ActionQuery) -> Page:
    on = today()
    conds = _conditions(conn, query, on)
    stmt = action_columns().where(*conds).order_by(*_order(query.sort))
    if query.limit is not None:
        if query.limit < 0:
            raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
        if query.limit > 0:
            stmt = stmt.limit(query.limit)
    actions = [row_to_action(row, on) for row in conn.execute(stmt)]
    total = len(actions)
    if query.limit and total >= query.limit:
        total = int(conn.execute(select(func.count()).select_from(action_t).where(*conds))
                    .scalar_one())
    return Page(actions, total)


def row_to_action(row: Any, on: dt.date | None = None) -> dict[str, Any]:
    """An action as the contract's JSON object, from a row of action_columns()."""
    today_text = (on or today()).isoformat()
    due = row.due
    return {
        "id": row.id, "ref": row.ref, "title": row.title, "kind": row.kind,
        "status": row.status, "owner": row.owner, "owner_name": row.owner_name,
        "partners": json.loads(row.partners) if row.partners != "[]" else [],
        "assignee": row.assignee, "assignee_email": row.assignee_email, "due": due,
        "overdue": due is not None and due < today_text and row.status in ACTIVE,
        "meeting": row.meeting, "source": row.source, "resolution": row.resolution,
        "created_at": row.created_at, "updated_at": row.updated_at, "closed_at": row.closed_at,
    }


def iter_actions(conn: Connection, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    on = today()
    for row in conn.execute(action_columns().where(action_t.c.id.in_(list(ids)))
                            .order_by(action_t.c.id)):
        yield row_to_action(row, on)
