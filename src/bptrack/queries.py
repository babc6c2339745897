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
from bptrack.errors import InvalidValue, NotFound, UsageError
from bptrack.models import action_t, body_t, event_t, meeting_t
from bptrack.sqltext import action_json, broad, date_text, utc_text
from bptrack.vocabulary import ACTIVE, CLOSED, DEFAULT_KINDS, FIELDS, KINDS, SORTS, STATUSES

__all__ = ["ACTIVE", "CLOSED", "DEFAULT_KINDS", "FIELDS", "KINDS", "SORTS", "STATUSES"]

MAX_COUNT = 10**9  # larger --limit values would overflow SQL integers
MAX_DAYS = 36_500  # a century: larger day counts would overflow dates


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


def _action_fields() -> list[ColumnElement[Any]]:
    """The expressions of an action's fields, in FIELDS order (less `overdue`)."""
    a = action_t.c
    return [a.id, a.ref, a.title, a.kind, a.status, body_t.c.code, body_t.c.name, a.partners,
            a.assignee, a.assignee_email, date_text(a.due), meeting_t.c.ref, a.source,
            a.resolution, utc_text(a.created_at), utc_text(a.updated_at),
            utc_text(a.closed_at), a.follows, a.followed_by]


def _action_from() -> Any:
    a = action_t.c
    return action_t.join(body_t, a.owner_id == body_t.c.id).outerjoin(
        meeting_t, a.meeting_id == meeting_t.c.id)


def action_columns() -> Select[Any]:
    """Every field of an action, dates already as text (see sqltext.py)."""
    names = [f for f in FIELDS if f != "overdue"]
    return select(*(expr.label(name) for expr, name in zip(_action_fields(), names,
                                                             strict=True))
                  ).select_from(_action_from())


def action_json_column(today_text: str) -> ColumnElement[str]:
    """The whole action as JSON text, made by the database: for very long outputs."""
    return action_json(*_action_fields(), literal(today_text)).label("json")


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


def _conditions(conn: Connection, query: ActionQuery, on: dt.date, *, ordered: bool = True
                ) -> list[ColumnElement[bool]]:
    """The filters of a query. `ordered`: rows are wanted in order, so status and kind are
    marked broad (a counting query wants their index instead)."""
    hint = broad if ordered else (lambda condition: condition)
    a = action_t.c
    conds: list[ColumnElement[bool]] = []
    if query.ids:
        conds.append(a.id.in_(list(query.ids)))
    statuses = STATUSES if query.everything else (
        expand_statuses(query.statuses) if query.statuses else ACTIVE)
    kinds = KINDS if query.everything else (
        expand_kinds(query.kinds) if query.kinds else DEFAULT_KINDS)
    if set(statuses) != set(STATUSES):
        conds.append(hint(a.status.in_(statuses)))
    if set(kinds) != set(KINDS):
        conds.append(hint(a.kind.in_(kinds)))
    conds += who_conditions(conn, query.owner, query.assignee)
    if query.unassigned:
        conds.append(a.assignee.is_(None))
    if query.overdue:
        conds.append(and_(a.due < on, a.status.in_(ACTIVE)))
    if query.due_within is not None:
        if not 0 <= query.due_within <= MAX_DAYS:
            raise InvalidValue(f"--due-within takes a number of days from 0 to {MAX_DAYS}")
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
        e = event_t.c
        # Notes and resolutions live in the history: an indexed lookup per candidate action.
        in_history = select(e.id).where(e.action_id == a.id, e.note.ilike(pattern, escape="\\"))
        conds.append(or_(a.title.ilike(pattern, escape="\\"), a.source.ilike(pattern, escape="\\"),
                         a.ref.ilike(pattern, escape="\\"), a.assignee.ilike(pattern, escape="\\"),
                         a.resolution.ilike(pattern, escape="\\"), in_history.exists()))
    return conds


def who_conditions(conn: Connection, owner: str | None, assignee: str | None
                   ) -> list[ColumnElement[bool]]:
    """`--owner BODY` and `--assignee WHO`, the same for list, remind and calendar."""
    a = action_t.c
    conds: list[ColumnElement[bool]] = []
    if owner is not None:
        conds.append(a.owner_id == resolve_body_id(conn, owner))
    if assignee is not None:
        pattern = _like(assignee.strip())
        conds.append(or_(a.assignee.ilike(pattern, escape="\\"),
                         a.assignee_email.ilike(pattern, escape="\\")))
    return conds


def soonest_due() -> list[ColumnElement[Any]]:
    """The default order: soonest due first, undated last, then by number."""
    a = action_t.c
    return [case((a.due.is_(None), 1), else_=0), a.due, a.id]


def status_rank() -> ColumnElement[Any]:
    """Statuses in their lifecycle order (open … cancelled), not alphabetically."""
    return case({s: i for i, s in enumerate(STATUSES)}, value=action_t.c.status,
                else_=literal(9))


def _order(sort: str) -> list[Any]:
    a = action_t.c
    if sort == "due":
        return soonest_due()
    if sort == "id":
        return [a.id]
    if sort == "owner":
        return [body_t.c.code, *soonest_due()]
    if sort == "status":
        return [status_rank(), *soonest_due()]
    if sort == "updated":
        return [a.updated_at.desc(), a.id.desc()]
    raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")


@dataclass
class Page:
    """Actions read into memory (service.list_actions), for callers other than the CLI."""

    actions: list[dict[str, Any]]
    total: int  # how many matched before --limit


def _ordered(query: ActionQuery, conds: list[ColumnElement[bool]], limit: int | None
             ) -> list[Select[Any]]:
    """The statements that give the actions in order, one after another.

    The default order (soonest due first, undated last) is two index-ordered reads rather than
    one sort of every match. With a limit, the page's ids are chosen from the action table
    alone, where an index gives the order, and only that page is joined to its owner and
    meeting: a first page costs a page however large the database.
    """
    a = action_t.c
    if query.sort == "due":
        parts = [([a.due.is_not(None)], [a.due, a.id]), ([a.due.is_(None)], [a.id])]
    else:
        parts = [([], _order(query.sort))]
    statements = []
    for extra, order in parts:
        if limit is None:
            statements.append(action_columns().where(*conds, *extra).order_by(*order))
            continue
        ids = select(a.id).where(*conds, *extra)
        if query.sort == "owner":
            ids = ids.join_from(action_t, body_t, a.owner_id == body_t.c.id)
        page = ids.order_by(*order).limit(limit).subquery("page")
        statements.append(action_columns().join_from(action_t, page, a.id == page.c.id)
                          .order_by(*order))
    return statements


def iter_matching(conn: Connection, query: ActionQuery) -> Iterator[dict[str, Any]]:
    """The matching actions, streamed from the database, at most `limit` of them."""
    on = today()
    today_text = on.isoformat()
    conds = _conditions(conn, query, on)
    if query.limit is not None and not 0 <= query.limit <= MAX_COUNT:
        raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
    limit = query.limit or None
    shown = 0
    for stmt in _ordered(query, conds, limit):
        if limit is not None:
            if shown >= limit:
                return
            stmt = stmt.limit(limit - shown)
        for row in conn.execution_options(**STREAM).execute(stmt):
            shown += 1
            yield row_to_action(row, today_text)


def count_matching(conn: Connection, query: ActionQuery) -> int:
    conds = _conditions(conn, query, today(), ordered=False)
    return int(conn.execute(select(func.count()).select_from(action_t).where(*conds))
               .scalar_one())


def row_to_action(row: Any, on: dt.date | str | None = None) -> dict[str, Any]:
    """An action as the contract's JSON object, from a row of action_columns().

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
        "partners": json.loads(partners) if partners != "[]" else [],
        "assignee": assignee, "assignee_email": assignee_email, "due": due,
        "overdue": due is not None and due < today_text and status in ACTIVE,
        "meeting": meeting, "source": source, "resolution": resolution,
        "created_at": created_at, "updated_at": updated_at, "closed_at": closed_at,
        "follows": json.loads(follows) if follows != "[]" else [],
        "followed_by": json.loads(followed_by) if followed_by != "[]" else [],
    }


def block_reasons(conn: Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """Why each of these (blocked) actions is blocked: the note of its last block."""
    e = event_t.c
    reasons: dict[int, str | None] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        last = (select(func.max(e.id)).where(e.action_id.in_(chunk), e.type == "status",
                                             e.new == "blocked").group_by(e.action_id))
        for action_id, note in conn.execute(select(e.action_id, e.note).where(e.id.in_(last))):
            reasons[int(action_id)] = note
    return reasons


STREAM = {"yield_per": 2000}  # read big results in batches, not a row (or everything) at once


def iter_actions(conn: Connection, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    on = today()
    for row in conn.execute(action_columns().where(action_t.c.id.in_(list(ids)))
                            .order_by(action_t.c.id)):
        yield row_to_action(row, on)
