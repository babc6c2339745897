"""The operations on actions. Each change and its history event share one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bptrack.clock import start_of_day, utcnow
from bptrack.config import Settings
from bptrack.errors import Conflict, InvalidValue, NotFound, UsageError
from bptrack.store import queries
from bptrack.store.db import Conn, Database, Opened, open_current
from bptrack.store.queries import CLOSED, ActionQuery, Found
from bptrack.store.target import resolve_target
from bptrack.userinput import (
    MAX_NOTE,
    MAX_TITLE,
    REF,
    clean_text,
    format_person,
    parse_assignee,
)

if TYPE_CHECKING:
    from bptrack.store import engine

MAX_ID = 2**62  # beyond any id a database hands out, and inside SQL's integers


# --- opening ------------------------------------------------------------------------------

def connect(target: str, settings: Settings, *, init: bool = False, seed: bool = True,
            create: bool = False) -> Opened:
    """Open the database for the everyday commands. A database that exists with this
    program's schema opens through DB-API alone; only a first run (create and, unless `seed`
    is off, seed), a set-up or an upgrade goes through the schema tools first."""
    resolved = resolve_target(target)
    if not init:
        current = open_current(resolved, busy_timeout=settings.busy_timeout)
        if current is not None:
            return Opened(current, False, 0)
    opened = open_schema_tools(target, settings, init=init, seed=seed, create=create)
    opened.store.close()
    return Opened(Database(resolved, busy_timeout=settings.busy_timeout), opened.created,
                  opened.seeded, opened.notices)


def open_schema_tools(target: str, settings: Settings, *, init: bool = False,
                      seed: bool = True, create: bool = False) -> engine.Opened:
    """The database through SQLAlchemy, created, set up or upgraded as
    needed: for meeting import, spreadsheets, and export, load, backup and check."""
    from bptrack.store import upgrade

    return upgrade.open_store(resolve_target(target), busy_timeout=settings.busy_timeout,
                              seeder=_seed_shipped if seed else None, init=init,
                              create=create)


def _seed_shipped(conn: Any) -> int:
    from bptrack import seeding  # only when a database is created or initialised

    return seeding.seed(conn)


def describe_target(target: str) -> str:
    return resolve_target(target).display


# --- reading ------------------------------------------------------------------------------

def list_actions(store: Database, query: ActionQuery) -> Page:
    """The matching actions in memory, and how many match without --limit."""
    with listing(store, query) as found:
        actions = list(found.actions)
        total = found.total() if query.limit and len(actions) >= query.limit else len(actions)
    return Page(actions, total)


@dataclass
class Page:
    """Actions read into memory (list_actions), for callers other than the CLI."""

    actions: list[dict[str, Any]]
    total: int  # how many matched before --limit


@dataclass
class Listing:
    """Matching actions streamed from an open read transaction (see `listing`)."""

    actions: Iterator[dict[str, Any]]
    total: Callable[[], int]  # how many match without --limit; a query, so only when needed


@contextmanager
def listing(store: Database, query: ActionQuery) -> Iterator[Listing]:
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


def _resolve(conn: Conn, texts: Sequence[str], *, lock: bool = False,
             changing: bool = True) -> list[Found]:
    """The actions named, in the order named (each once); every one must exist, or nothing
    happens. With `lock`, their rows stay locked for this transaction's change."""
    if not texts:
        raise InvalidValue("no action given: name one or more ids")
    wanted = [parse_id(t) for t in texts]
    numbers = [w for w in wanted if isinstance(w, int)]
    refs = [w for w in wanted if isinstance(w, str)]
    refs += [_padded(r) for r in refs if _padded(r) != r]  # AHG16-9 is AHG16-09
    found = queries.find_actions(conn, numbers, refs, lock=lock)
    by_id = {r.id: r for r in found}
    by_ref = {r.ref.upper(): r for r in found}
    rows: list[Found] = []
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


def _nearest(conn: Conn, text: str) -> str | None:
    """The ref most like an unknown one, to suggest."""
    import difflib

    value = text.strip().lstrip("#").upper()
    if value.isdigit():
        return None
    head = value.rpartition("-")[0]
    refs = queries.refs_starting(conn, head[:3])
    found = difflib.get_close_matches(value, [r.upper() for r in refs], n=1, cutoff=0.6)
    return next((r for r in refs if found and r.upper() == found[0]), None)


def show_action(store: Database, text: str) -> dict[str, Any]:
    with store.read() as conn:
        id_ = _resolve(conn, [text], changing=False)[0].id
        action = next(queries.iter_actions(conn, [id_]))
        action["history"] = queries.events(conn, action_id=id_)
    return action


def history(store: Database, text: str | None = None, since: dt.date | None = None,
            limit: int | None = None) -> list[dict[str, Any]]:
    if limit is not None and not 0 <= limit <= queries.MAX_COUNT:
        raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
    with store.read() as conn:
        action_id = _resolve(conn, [text], changing=False)[0].id if text else None
        return queries.events(conn, action_id=action_id,
                              since=start_of_day(since) if since else None, limit=limit)


def count_history(store: Database, text: str | None = None, since: dt.date | None = None
                  ) -> int:
    """How many changes `history` would show without a limit."""
    with store.read() as conn:
        action_id = _resolve(conn, [text], changing=False)[0].id if text else None
        return queries.count_events(conn, action_id=action_id,
                                    since=start_of_day(since) if since else None)


def list_bodies(store: Database) -> list[dict[str, Any]]:
    with store.read() as conn:
        return queries.bodies(conn)


def list_members(store: Database) -> list[dict[str, Any]]:
    with store.read() as conn:
        return queries.members(conn)


# --- changing -----------------------------------------------------------------------------

@dataclass
class Change:
    """What a write command did: one line per action for the user, and any warnings."""

    verb: str
    changed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _optional_note(note: str | None) -> str | None:
    return None if note is None else clean_text(note, "note", MAX_NOTE)


def _record(conn: Conn, action_id: int, actor: str, at: dt.datetime, type_: str, *,
            field_: str | None = None, old: Any = None, new: Any = None,
            note: str | None = None, batch: Batch | None = None) -> None:
    event_id = queries.insert_event(
        conn, action_id, at, actor, type_, field_=field_,
        old=None if old is None else str(old), new=None if new is None else str(new), note=note,
        batch=batch.number if batch else None)
    if batch is not None and batch.number is None:  # the batch is named by its first event
        batch.number = event_id
        queries.set_event_batch(conn, event_id, event_id)


@dataclass
class Batch:
    """The events one command writes together: `undo` reverts them together."""

    number: int | None = None


def _summary(row: Found) -> dict[str, Any]:
    return {"id": row.id, "ref": row.ref, "title": row.title}


def assign(store: Database, actor: str, texts: Sequence[str], who: str | None) -> Change:
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
            queries.update_action(conn, row.id, {"assignee": name, "assignee_email": email,
                                                 "updated_at": now})
            _record(conn, row.id, actor, now, "assign" if name else "unassign",
                    field_="assignee", old=format_person(row.assignee, row.assignee_email),
                    new=format_person(name, email))
            change.changed.append(_summary(row))
    return change


# What each status command may start from, and what it does from the target status itself.
_STATUS_VERBS = {"in_progress": "Started", "blocked": "Blocked", "done": "Closed",
                 "cancelled": "Cancelled", "open": "Reopened"}


def set_status(store: Database, actor: str, texts: Sequence[str], status: str,
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
            queries.update_action(conn, row.id, values)
            _record(conn, row.id, actor, now, "status", field_="status", old=row.status,
                    new=status, note=note)
            change.changed.append(_summary(row))
    return change


def add_note(store: Database, actor: str, text: str, note: str) -> Change:
    body = clean_text(note, "note", MAX_NOTE)
    change = Change("Noted")
    with store.write() as conn:
        now = utcnow()
        (row,) = _resolve(conn, [text], lock=True)
        queries.update_action(conn, row.id, {"updated_at": now})
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


def _partner_codes(conn: Conn, partners: Sequence[str]) -> list[str]:
    """The partners' body codes, in the order given, each once."""
    ids = list(dict.fromkeys(queries.resolve_body_id(conn, text) for text in partners))
    return _codes(conn, *ids)


def _parse_due(text: str | None) -> dt.date | None:
    if text is None or text.strip().lower() == "none":
        return None
    from bptrack.dates import parse_date  # the date grammar, only when a date is given

    return parse_date(text)


def add_action(store: Database, actor: str, new: NewAction) -> dict[str, Any]:
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
            found = queries.meeting_by_ref(conn, new.meeting)
            if found is None:
                raise NotFound(f"no meeting {new.meeting!r}: see `bptrack meeting list`")
            meeting_id = found[0]
        now = utcnow()
        # The ref needs the new id; a unique placeholder holds its place within the transaction.
        id_ = queries.insert_action(conn, {
            "ref": f"new-{now.timestamp()}-{title[:20]}", "title": title, "kind": new.kind,
            "status": "open", "owner_id": owner_id, "partners": json.dumps(partners),
            "assignee": name, "assignee_email": email, "due": due, "meeting_id": meeting_id,
            "created_at": now, "updated_at": now, "follows": "[]", "followed_by": "[]"})
        queries.update_action(conn, id_, {"ref": f"BP-{id_}"})
        _record(conn, id_, actor, now, "create", note=note)
        return next(queries.iter_actions(conn, [id_]))


@dataclass
class Edit:
    title: str | None = None
    due: str | None = None  # a date, or "none" to clear
    owner: str | None = None
    kind: str | None = None
    partners: Sequence[str] | None = None  # replaces the list; ["none"] clears it


def edit_action(store: Database, actor: str, text: str, edit: Edit) -> Change:
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
        current = queries.action_values(conn, row.id)
        now = utcnow()
        diffs = {k: v for k, v in values.items() if current[k] != v}
        if not diffs:
            change.warnings.append(f"#{row.id} already has those values; left unchanged")
            return change
        queries.update_action(conn, row.id, {**diffs, "updated_at": now})
        for key, new_value in diffs.items():
            old_value = current[key]
            if key == "owner_id":
                key, old_value, new_value = "owner", *_codes(conn, old_value, new_value)
            _record(conn, row.id, actor, now, "edit", field_=key,
                    old=_text(old_value), new=_text(new_value))
        change.changed.append(_summary(row))
    return change


def _codes(conn: Conn, *body_ids: int) -> list[str]:
    names = queries.body_codes(conn, body_ids)
    return [names[i] for i in body_ids]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- meetings and statements --------------------------------------------------------------

def undo(store: Database, actor: str) -> Change:
    """Revert the actor's last change that is not yet undone (all of it, when one command made
    several, such as `meeting reconcile --apply`); the undo is recorded too."""
    change = Change("Undid")
    with store.write() as conn:
        last = queries.last_undoable(conn, actor)
        if last is None:
            raise NotFound(f"{actor} has no change left to undo")
        events = [last] if last.batch is None else queries.batch_changes(conn, actor,
                                                                         last.batch)
        rows = {row.id: row for row in _resolve(
            conn, [str(i) for i in dict.fromkeys(ev.action_id for ev in events)], lock=True)}
        now = utcnow()
        for event in events:
            row = rows[event.action_id]
            current = queries.action_values(conn, row.id)
            values, old, new = _reverting(conn, event, current, now)
            if values:
                queries.update_action(conn, row.id, {**values, "updated_at": now})
            queries.insert_event(conn, row.id, now, actor, "undo", field_=event.field, old=old,
                                 new=new, note=f"undid change #{event.id} ({event.type})",
                                 undoes=event.id)
            if last.batch is not None:
                queries.restore_updated_at(conn, row.id, last.batch)
            detail = (f"{event.field or event.type}: {old or '-'} → {new or '-'}"
                      if event.type != "note" else "note withdrawn")
            known = next((c for c in change.changed if c["id"] == row.id), None)
            if known is None:
                change.changed.append({**_summary(row), "detail": detail})
            else:
                known["detail"] += f"; {detail}"
    return change


def _reverting(conn: Conn, event: queries.Change, current: dict[str, Any], now: dt.datetime
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
        assert event.field is not None  # an edit always names its field
        key = "owner_id" if event.field == "owner" else event.field
        now_value = (_codes(conn, current["owner_id"])[0] if event.field == "owner"
                     else _text(current[key]))
        unchanged_since(now_value)
        restored: Any = event.old
        if event.field == "due":
            restored = dt.date.fromisoformat(event.old) if event.old else None
        elif event.field == "owner":
            restored = queries.resolve_body_id(conn, event.old or "")
        return {key: restored}, now_value, event.old
    if event.type == "create":
        if current["status"] in CLOSED:
            raise Conflict(f"#{current['id']} is {current['status']} already; nothing was "
                           "undone")
        return ({"status": "cancelled", "closed_at": now, "resolution": "added in error"},
                current["status"], "cancelled")
    return {}, None, None  # a note stays in the history, marked as undone
