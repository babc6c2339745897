"""The operations on actions. Each change and its history event share one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, case, func, select

from bptrack import queries
from bptrack.config import Settings
from bptrack.dates import iso_utc, parse_date, start_of_day, utcnow
from bptrack.errors import Conflict, InvalidValue, NotFound, UsageError
from bptrack.models import action_t, attendance_t, body_t, event_t, meeting_t, member_t
from bptrack.queries import ACTIVE, CLOSED, ActionQuery, Page
from bptrack.store import Opened, Store, insert_id, open_store, resolve_target
from bptrack.userinput import (
    MAX_NOTE,
    MAX_TITLE,
    REF,
    clean_text,
    format_person,
    parse_assignee,
)

MAX_ID = 2**62  # beyond any id a database hands out, and inside SQL's integers


# --- opening ------------------------------------------------------------------------------

def connect(target: str, settings: Settings, *, init: bool = False, seed: bool = True,
            create: bool = False) -> Opened:
    """Open (and on first use create and, unless `seed` is off, seed) the database; `create`
    lets a new SQLite file be made in a directory that does not exist yet."""
    return open_store(resolve_target(target), busy_timeout=settings.busy_timeout,
                      seeder=_seed_shipped if seed else None, init=init, create=create)


def _seed_shipped(conn: Connection) -> int:
    from bptrack import seeding  # only when a database is created or initialised

    return seeding.seed(conn)


def describe_target(target: str) -> str:
    return resolve_target(target).display


# --- reading ------------------------------------------------------------------------------

def list_actions(store: Store, query: ActionQuery) -> Page:
    """The matching actions in memory, and how many match without --limit."""
    with listing(store, query) as found:
        actions = list(found.actions)
        total = found.total() if query.limit and len(actions) >= query.limit else len(actions)
    return Page(actions, total)


@dataclass
class Listing:
    """Matching actions streamed from an open read transaction (see `listing`)."""

    actions: Iterator[dict[str, Any]]
    total: Callable[[], int]  # how many match without --limit; a query, so only when needed


@contextmanager
def listing(store: Store, query: ActionQuery) -> Iterator[Listing]:
    """`list`: the actions arrive as they are read, so memory stays flat at any size."""
    with store.read() as conn:
        yield Listing(queries.iter_matching(conn, query),
                      lambda: queries.count_matching(conn, query))


def parse_id(text: str) -> int | str:
    """An action's number (`9`, `#9`) or its ref (`AHG16-09`)."""
    value = text.strip().lstrip("#")
    if value.isdigit() and value.isascii():
        number = int(value)
        if number > MAX_ID:
            raise NotFound(f"no action {text}: see `bptrack list --all`")
        if number > 0:
            return number
    elif REF.match(value) and len(value) <= 64:
        return value.upper()
    raise InvalidValue(f"{text!r} is not an action id: use a number such as 9 "
                       "or a ref such as AHG16-09")


def _resolve(conn: Connection, texts: Sequence[str], *, lock: bool = False,
             changing: bool = True) -> list[Any]:
    """The actions named, in the order named (each once); every one must exist, or nothing
    happens. With `lock`, their rows stay locked for this transaction's change."""
    if not texts:
        raise InvalidValue("no action given: name one or more ids")
    wanted = [parse_id(t) for t in texts]
    numbers = [w for w in wanted if isinstance(w, int)]
    refs = [w for w in wanted if isinstance(w, str)]
    refs += [_padded(r) for r in refs if _padded(r) != r]  # AHG16-9 is AHG16-09
    a = action_t.c
    stmt = select(a.id, a.ref, a.title, a.status, a.assignee, a.assignee_email, a.kind).where(
        a.id.in_(numbers) | func.upper(a.ref).in_(refs))
    found = conn.execute(stmt.with_for_update() if lock else stmt).all()
    by_id = {r.id: r for r in found}
    by_ref = {r.ref.upper(): r for r in found}
    rows: list[Any] = []
    missing: list[str] = []
    for text, w in zip(texts, wanted, strict=True):
        row = by_id.get(w) if isinstance(w, int) else (by_ref.get(w) or by_ref.get(_padded(w)))
        if row is None:
            missing.append(text)
        elif row not in rows:
            rows.append(row)
    if missing:
        hint = _nearest(conn, missing[0])
        raise NotFound(f"no action {', '.join(missing)}"
                       + (f" (did you mean {hint}?)" if hint else "")
                       + ": see `bptrack list --all`" + ("; nothing was changed" if changing
                                                         else ""))
    return rows


def _padded(ref: str) -> str:
    """AHG16-9 → AHG16-09: refs number their items with at least two digits."""
    head, _, number = ref.rpartition("-")
    return f"{head}-{int(number):02d}" if head and number.isdigit() else ref


def _nearest(conn: Connection, text: str) -> str | None:
    """The ref most like an unknown one, to suggest."""
    import difflib

    value = text.strip().lstrip("#").upper()
    if value.isdigit():
        return None
    head = value.rpartition("-")[0]
    refs = list(conn.execute(select(action_t.c.ref).where(
        func.upper(action_t.c.ref).like(f"{head[:3]}%") if head else action_t.c.id > 0)
        .limit(5000)).scalars())
    found = difflib.get_close_matches(value, [r.upper() for r in refs], n=1, cutoff=0.6)
    return next((r for r in refs if found and r.upper() == found[0]), None)


def show_action(store: Store, text: str) -> dict[str, Any]:
    with store.read() as conn:
        id_ = _resolve(conn, [text], changing=False)[0].id
        action = next(queries.iter_actions(conn, [id_]))
        action["history"] = _events(conn, action_id=id_)
    return action


def history(store: Store, text: str | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    with store.read() as conn:
        action_id = _resolve(conn, [text], changing=False)[0].id if text else None
        return _events(conn, action_id=action_id, since=since, limit=limit)


def count_history(store: Store, text: str | None = None, since: dt.date | None = None) -> int:
    """How many changes `history` would show without a limit."""
    e = event_t.c
    with store.read() as conn:
        stmt = select(func.count()).select_from(event_t)
        if text:
            stmt = stmt.where(e.action_id == _resolve(conn, [text], changing=False)[0].id)
        if since is not None:
            stmt = stmt.where(e.at >= start_of_day(since))
        return int(conn.execute(stmt).scalar_one())


def _events(conn: Connection, *, action_id: int | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    e = event_t.c
    stmt = select(e.id, e.action_id, e.at, e.actor, e.type, e.field, e.old, e.new, e.note)
    if action_id is not None:
        stmt = stmt.where(e.action_id == action_id)
    if since is not None:
        stmt = stmt.where(e.at >= start_of_day(since))
    if limit is not None and not 0 <= limit <= queries.MAX_COUNT:
        raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
    if limit:
        # The newest N, still printed oldest first.
        rows = list(conn.execute(stmt.order_by(e.id.desc()).limit(limit)))[::-1]
    else:
        rows = list(conn.execute(stmt.order_by(e.id)))
    return [{"id": r.id, "action_id": r.action_id, "at": iso_utc(r.at), "actor": r.actor,
             "type": r.type, "field": r.field, "old": r.old, "new": r.new, "note": r.note}
            for r in rows]


def list_bodies(store: Store) -> list[dict[str, Any]]:
    a = action_t.c
    open_count = func.sum(case((a.status.in_(ACTIVE), 1), else_=0))
    stmt = (select(body_t.c.code, body_t.c.name, body_t.c.kind,
                   func.coalesce(open_count, 0).label("open"), func.count(a.id).label("total"))
            .select_from(body_t.outerjoin(action_t, a.owner_id == body_t.c.id))
            .group_by(body_t.c.id, body_t.c.code, body_t.c.name, body_t.c.kind)
            .order_by(body_t.c.code))
    with store.read() as conn:
        return [{"code": r.code, "name": r.name, "kind": r.kind, "open": int(r.open),
                 "total": int(r.total)} for r in conn.execute(stmt)]


def list_members(store: Store) -> list[dict[str, Any]]:
    stmt = (select(member_t.c.name, member_t.c.kind,
                   func.count(attendance_t.c.meeting_id).label("meetings"))
            .select_from(member_t.outerjoin(attendance_t,
                                            attendance_t.c.member_id == member_t.c.id))
            .group_by(member_t.c.id, member_t.c.name, member_t.c.kind)
            .order_by(member_t.c.name))
    with store.read() as conn:
        return [{"name": r.name, "kind": r.kind, "meetings": int(r.meetings)}
                for r in conn.execute(stmt)]


# --- changing -----------------------------------------------------------------------------

@dataclass
class Change:
    """What a write command did: one line per action for the user, and any warnings."""

    verb: str
    changed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _optional_note(note: str | None) -> str | None:
    return None if note is None else clean_text(note, "note", MAX_NOTE)


def _record(conn: Connection, action_id: int, actor: str, at: dt.datetime, type_: str, *,
            field_: str | None = None, old: Any = None, new: Any = None,
            note: str | None = None, batch: Batch | None = None) -> None:
    event_id = insert_id(conn, event_t.insert().values(
        action_id=action_id, at=at, actor=actor, type=type_, field=field_,
        old=None if old is None else str(old), new=None if new is None else str(new), note=note,
        batch=batch.number if batch else None))
    if batch is not None and batch.number is None:  # the batch is named by its first event
        batch.number = event_id
        conn.execute(event_t.update().where(event_t.c.id == event_id).values(batch=event_id))


@dataclass
class Batch:
    """The events one command writes together: `undo` reverts them together."""

    number: int | None = None


def _summary(row: Any) -> dict[str, Any]:
    return {"id": row.id, "ref": row.ref, "title": row.title}


def assign(store: Store, actor: str, texts: Sequence[str], who: str | None) -> Change:
    """Set (or with `who=None` clear) the assignee of several actions at once."""
    name, email = parse_assignee(who) if who is not None else (None, None)
    change = Change("Assigned" if who is not None else "Unassigned")
    with store.write() as conn:
        now = utcnow()
        for row in _resolve(conn, texts, lock=True):
            if (row.assignee, row.assignee_email) == (name, email):
                change.warnings.append(f"#{row.id} is already "
                                       + (f"assigned to {name}" if name else "unassigned"))
                continue
            conn.execute(action_t.update().where(action_t.c.id == row.id).values(
                assignee=name, assignee_email=email, updated_at=now))
            _record(conn, row.id, actor, now, "assign" if name else "unassign",
                    field_="assignee", old=format_person(row.assignee, row.assignee_email),
                    new=format_person(name, email))
            change.changed.append(_summary(row))
    return change


# What each status command may start from, and what it does from the target status itself.
_STATUS_VERBS = {"in_progress": "Started", "blocked": "Blocked", "done": "Closed",
                 "cancelled": "Cancelled", "open": "Reopened"}


def set_status(store: Store, actor: str, texts: Sequence[str], status: str,
               note: str | None = None) -> Change:
    """start / block / close / cancel / reopen: all the ids change, or none."""
    note = _optional_note(note)
    if status == "blocked" and note is None:
        raise InvalidValue("say why it is blocked: --note WHY")
    change = Change(_STATUS_VERBS[status])
    with store.write() as conn:
        now = utcnow()
        rows = _resolve(conn, texts, lock=True)
        todo = []
        for row in rows:
            if row.status == status or (status in CLOSED and row.status in CLOSED):
                change.warnings.append(f"#{row.id} is already {row.status.replace('_', ' ')}; "
                                       "left unchanged")
            elif status in ("in_progress", "blocked") and row.status in CLOSED:
                raise Conflict(f"#{row.id} is {row.status}: reopen it first "
                               f"(`bptrack reopen {row.id}`); nothing was changed")
            else:
                todo.append(row)
        for row in todo:
            values: dict[str, Any] = {"status": status, "updated_at": now}
            if status in CLOSED:
                values.update(closed_at=now, resolution=note)
            elif row.status in CLOSED:
                values.update(closed_at=None, resolution=None)
            conn.execute(action_t.update().where(action_t.c.id == row.id).values(**values))
            _record(conn, row.id, actor, now, "status", field_="status", old=row.status,
                    new=status, note=note)
            change.changed.append(_summary(row))
    return change


def add_note(store: Store, actor: str, text: str, note: str) -> Change:
    body = clean_text(note, "note", MAX_NOTE)
    change = Change("Noted")
    with store.write() as conn:
        now = utcnow()
        (row,) = _resolve(conn, [text], lock=True)
        conn.execute(action_t.update().where(action_t.c.id == row.id).values(updated_at=now))
        _record(conn, row.id, actor, now, "note", note=body)
        change.changed.append(_summary(row))
    return change


@dataclass
class NewAction:
    title: str
    owner: str
    due: str | None = None
    assignee: str | None = None
    partners: Sequence[str] = ()
    kind: str = "action"
    meeting: str | None = None
    note: str | None = None


def _partner_codes(conn: Connection, partners: Sequence[str]) -> list[str]:
    codes: list[str] = []
    for text in partners:
        body_id = queries.resolve_body_id(conn, text)
        code = conn.execute(select(body_t.c.code).where(body_t.c.id == body_id)).scalar_one()
        if code not in codes:
            codes.append(code)
    return codes


def _parse_due(text: str | None) -> dt.date | None:
    if text is None or text.strip().lower() == "none":
        return None
    return parse_date(text)


def add_action(store: Store, actor: str, new: NewAction) -> dict[str, Any]:
    title = clean_text(new.title, "title", MAX_TITLE)
    if new.kind not in ("action", "ongoing"):
        raise UsageError(f"unknown kind {new.kind!r} for a new action: use action or ongoing")
    due = _parse_due(new.due)
    name, email = parse_assignee(new.assignee) if new.assignee is not None else (None, None)
    note = _optional_note(new.note)
    with store.write() as conn:
        owner_id = queries.resolve_body_id(conn, new.owner)
        partners = _partner_codes(conn, new.partners)
        meeting_id = None
        if new.meeting is not None:
            meeting_id = conn.execute(select(meeting_t.c.id).where(
                func.upper(meeting_t.c.ref) == new.meeting.strip().upper())).scalar()
            if meeting_id is None:
                raise NotFound(f"no meeting {new.meeting!r}: see `bptrack meeting list`")
        now = utcnow()
        # The ref needs the new id; a unique placeholder holds its place within the transaction.
        id_ = insert_id(conn, action_t.insert().values(
            ref=f"new-{now.timestamp()}-{title[:20]}", title=title, kind=new.kind,
            status="open", owner_id=owner_id, partners=json.dumps(partners), assignee=name,
            assignee_email=email, due=due, meeting_id=meeting_id, created_at=now,
            updated_at=now))
        conn.execute(action_t.update().where(action_t.c.id == id_).values(ref=f"BP-{id_}"))
        _record(conn, id_, actor, now, "create", note=note)
        return next(queries.iter_actions(conn, [id_]))


@dataclass
class Edit:
    title: str | None = None
    due: str | None = None  # a date, or "none" to clear
    owner: str | None = None
    kind: str | None = None
    partners: Sequence[str] | None = None  # replaces the list; ["none"] clears it


def edit_action(store: Store, actor: str, text: str, edit: Edit) -> Change:
    values: dict[str, Any] = {}
    if edit.title is not None:
        values["title"] = clean_text(edit.title, "title", MAX_TITLE)
    if edit.due is not None:
        values["due"] = _parse_due(edit.due)
    if edit.kind is not None:
        kind = edit.kind.strip().lower()
        if kind not in queries.KINDS:
            raise UsageError(f"unknown kind {edit.kind!r}: use {', '.join(queries.KINDS)}")
        values["kind"] = kind
    if not values and edit.owner is None and edit.partners is None:
        raise InvalidValue("nothing to change: give --title, --due, --owner, --kind or --partner")
    change = Change("Edited")
    with store.write() as conn:
        if edit.owner is not None:
            values["owner_id"] = queries.resolve_body_id(conn, edit.owner)
        if edit.partners is not None:
            cleared = [p for p in edit.partners if p.strip().lower() != "none"]
            values["partners"] = json.dumps(_partner_codes(conn, cleared))
        (row,) = _resolve(conn, [text], lock=True)
        current = conn.execute(select(action_t).where(action_t.c.id == row.id)).one()._mapping
        now = utcnow()
        diffs = {k: v for k, v in values.items() if current[k] != v}
        if not diffs:
            change.warnings.append(f"#{row.id} already has those values; left unchanged")
            return change
        conn.execute(action_t.update().where(action_t.c.id == row.id).values(
            **diffs, updated_at=now))
        for key, new_value in diffs.items():
            old_value = current[key]
            if key == "owner_id":
                key, old_value, new_value = "owner", *_codes(conn, old_value, new_value)
            _record(conn, row.id, actor, now, "edit", field_=key,
                    old=_text(old_value), new=_text(new_value))
        change.changed.append(_summary(row))
    return change


def _codes(conn: Connection, *body_ids: int) -> list[str]:
    names = {r.id: r.code for r in conn.execute(
        select(body_t.c.id, body_t.c.code).where(body_t.c.id.in_(body_ids)))}
    return [names[i] for i in body_ids]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- meetings and statements --------------------------------------------------------------

UNDOABLE = ("create", "assign", "unassign", "status", "edit", "note")


def undo(store: Store, actor: str) -> Change:
    """Revert the actor's last change that is not yet undone (all of it, when one command made
    several, such as `meeting reconcile --apply`); the undo is recorded too."""
    e = event_t.c
    change = Change("Undid")
    with store.write() as conn:
        undone = select(e.undoes).where(e.undoes.is_not(None))
        pending = select(e.id, e.action_id, e.type, e.field, e.old, e.new, e.batch).where(
            e.actor == actor, e.type.in_(UNDOABLE), e.id.not_in(undone))
        last = conn.execute(pending.order_by(e.id.desc()).limit(1)).first()
        if last is None:
            raise NotFound(f"{actor} has no change left to undo")
        events = [last] if last.batch is None else list(conn.execute(
            pending.where(e.batch == last.batch).order_by(e.id.desc())))
        rows = {row.id: row for row in _resolve(
            conn, [str(i) for i in dict.fromkeys(ev.action_id for ev in events)], lock=True)}
        now = utcnow()
        for event in events:
            row = rows[event.action_id]
            current = conn.execute(select(action_t).where(action_t.c.id == row.id)).one()._mapping
            values, old, new = _reverting(conn, event, current, now)
            if values:
                conn.execute(action_t.update().where(action_t.c.id == row.id)
                             .values(**values, updated_at=now))
            conn.execute(event_t.insert().values(
                action_id=row.id, at=now, actor=actor, type="undo", field=event.field, old=old,
                new=new, note=f"undid change #{event.id} ({event.type})", undoes=event.id))
            if last.batch is not None:
                _restore_updated_at(conn, row.id, last.batch)
            detail = (f"{event.field or event.type}: {old or '-'} → {new or '-'}"
                      if event.type != "note" else "note withdrawn")
            known = next((c for c in change.changed if c["id"] == row.id), None)
            if known is None:
                change.changed.append({**_summary(row), "detail": detail})
            else:
                known["detail"] += f"; {detail}"
    return change


def _restore_updated_at(conn: Connection, action_id: int, batch: int) -> None:
    """After undoing a whole batch, the action was last updated when it was before it."""
    e = event_t.c
    undone = select(e.undoes).where(e.undoes.is_not(None))
    before = conn.execute(select(func.max(e.at)).where(
        e.action_id == action_id, e.type != "undo", e.id.not_in(undone),
        (e.batch.is_(None)) | (e.batch != batch))).scalar()
    if before is not None:
        conn.execute(action_t.update().where(action_t.c.id == action_id)
                     .values(updated_at=before))


def _reverting(conn: Connection, event: Any, current: Any, now: dt.datetime
               ) -> tuple[dict[str, Any], str | None, str | None]:
    """The values that put an action back as it was before `event`, or a Conflict."""
    def unchanged_since(value: str | None) -> None:
        if value != event.new:
            raise Conflict(f"#{current['id']} {event.field or 'status'} has changed since "
                           f"(now {value or '-'}); nothing was undone")

    if event.type in ("assign", "unassign"):
        now_value = format_person(current["assignee"], current["assignee_email"])
        unchanged_since(now_value)
        name, email = parse_assignee(event.old) if event.old else (None, None)
        return {"assignee": name, "assignee_email": email}, now_value, event.old
    if event.type == "status":
        unchanged_since(current["status"])
        values: dict[str, Any] = {"status": event.old}
        if event.old in CLOSED:
            values["closed_at"] = now
        else:
            values.update(closed_at=None, resolution=None)
        return values, current["status"], event.old
    if event.type == "edit":
        key = "owner_id" if event.field == "owner" else event.field
        now_value = (_codes(conn, current["owner_id"])[0] if event.field == "owner"
                     else _text(current[key]))
        unchanged_since(now_value)
        restored: Any = event.old
        if event.field == "due":
            restored = dt.date.fromisoformat(event.old) if event.old else None
        elif event.field == "owner":
            restored = queries.resolve_body_id(conn, event.old)
        return {key: restored}, now_value, event.old
    if event.type == "create":
        if current["status"] in CLOSED:
            raise Conflict(f"#{current['id']} is {current['status']} already; nothing was "
                           "undone")
        return ({"status": "cancelled", "closed_at": now, "resolution": "added in error"},
                current["status"], "cancelled")
    return {}, None, None  # a note stays in the history, marked as undone
