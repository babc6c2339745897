"""The changes to actions: assign, status, note, add, edit. Each change and its history
event share one transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bptrack.clock import utcnow
from bptrack.errors import Conflict, InvalidValue, NotFound, UsageError
from bptrack.service.naming import resolve
from bptrack.store import queries
from bptrack.store.db import Conn, Database
from bptrack.store.queries import CLOSED, Found
from bptrack.userinput import (
    CLEARED,
    MAX_NOTE,
    MAX_TITLE,
    Cleared,
    clean_text,
    format_person,
    parse_assignee,
)


@dataclass
class Change:
    """What a write command did: one line per action for the user, and any warnings."""

    verb: str
    changed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _optional_note(note: str | None) -> str | None:
    return None if note is None else clean_text(note, "note", MAX_NOTE)


def record(conn: Conn, action_id: int, actor: str, at: dt.datetime, type_: str, *,
           field_: str | None = None, old: Any = None, new: Any = None,
           note: str | None = None, batch: Batch | None = None) -> None:
    """A history event of this change, in its transaction."""
    event_id = queries.insert_event(
        conn, action_id, at, actor, type_, field_=field_,
        old=None if old is None else str(old), new=None if new is None else str(new), note=note,
        batch=batch.number if batch else None)
    if batch is not None and batch.number is None:  # the batch is named by its first event
        batch.number = event_id
        queries.set_event_batch(conn, event_id, event_id)


def create_actions(conn: Conn, actor: str, at: dt.datetime,
                   actions: Sequence[dict[str, Any]], notes: Sequence[str | None], *,
                   batch: Batch | None = None) -> list[int]:
    """The one way actions are created (add, statement import, seeding, sheet import): each
    action (its columns; a "ref" or BP-{id}) and its create event with its note, in the
    caller's transaction. Their ids, in order. In a `batch`, `undo` withdraws them with the
    rest of the command's changes."""
    ids = queries.insert_actions(conn, actions)
    if batch is not None:
        for id_, note in zip(ids, notes, strict=True):
            record(conn, id_, actor, at, "create", note=note, batch=batch)
        return ids
    queries.insert_events(conn, [(id_, at, actor, "create", note)
                                 for id_, note in zip(ids, notes, strict=True)])
    return ids


def close(conn: Conn, row: Found, actor: str, at: dt.datetime, status: str,
          resolution: str | None, *, batch: Batch | None = None) -> None:
    """The one way an action is closed (done or cancelled), with its resolution and its
    history event: by `close` and `cancel`, and by `meeting reconcile --apply`."""
    assert status in CLOSED
    queries.update_action(conn, row.id, {"status": status, "closed_at": at,
                                         "resolution": resolution, "updated_at": at})
    record(conn, row.id, actor, at, "status", field_="status", old=row.status, new=status,
           note=resolution, batch=batch)


@dataclass
class Batch:
    """The events one command writes together: `undo` reverts them together."""

    number: int | None = None


def summary(row: Found) -> dict[str, Any]:
    return {"id": row.id, "ref": row.ref, "title": row.title}


def assign(store: Database, actor: str, texts: Sequence[str], who: str | None) -> Change:
    """Set (or with `who=None` clear) the assignee of several actions at once."""
    name, email = parse_assignee(who) if who is not None else (None, None)
    change = Change("Assigned" if who is not None else "Unassigned")
    with store.write() as conn:
        now = utcnow()
        for row in resolve(conn, texts, lock=True):
            if (row.assignee, row.assignee_email) == (name, email):
                change.warnings.append(f"#{row.id} is already "
                                       + (f"assigned to {name}" if name else "unassigned"))
                continue
            queries.update_action(conn, row.id, {"assignee": name, "assignee_email": email,
                                                 "updated_at": now})
            record(conn, row.id, actor, now, "assign" if name else "unassign",
                    field_="assignee", old=format_person(row.assignee, row.assignee_email),
                    new=format_person(name, email))
            change.changed.append(summary(row))
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
        rows = resolve(conn, texts, lock=True)
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
            if status in CLOSED:
                close(conn, row, actor, now, status, note)
            else:
                values: dict[str, Any] = {"status": status, "updated_at": now}
                if row.status in CLOSED:
                    values.update(closed_at=None, resolution=None)
                queries.update_action(conn, row.id, values)
                record(conn, row.id, actor, now, "status", field_="status", old=row.status,
                       new=status, note=note)
            change.changed.append(summary(row))
    return change


def add_note(store: Database, actor: str, text: str, note: str) -> Change:
    body = clean_text(note, "note", MAX_NOTE)
    change = Change("Noted")
    with store.write() as conn:
        now = utcnow()
        (row,) = resolve(conn, [text], lock=True)
        queries.update_action(conn, row.id, {"updated_at": now})
        record(conn, row.id, actor, now, "note", note=body)
        change.changed.append(summary(row))
    return change


@dataclass
class NewAction:
    title: str
    owner: str
    due: dt.date | None = None
    assignee: str | None = None
    partners: Sequence[str] = ()
    kind: str = "action"
    meeting: str | None = None
    note: str | None = None


def _partner_codes(conn: Conn, partners: Sequence[str]) -> list[str]:
    """The partners' body codes, in the order given, each once."""
    ids = list(dict.fromkeys(queries.resolve_body_id(conn, text) for text in partners))
    return body_codes_of(conn, *ids)


def add_action(store: Database, actor: str, new: NewAction) -> dict[str, Any]:
    title = clean_text(new.title, "title", MAX_TITLE)
    if new.kind not in ("action", "ongoing"):
        raise UsageError(f"unknown kind {new.kind!r} for a new action: use action or ongoing")
    due = new.due
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
        [id_] = create_actions(conn, actor, now, [{
            "title": title, "kind": new.kind, "status": "open", "owner_id": owner_id,
            "partners": json.dumps(partners), "assignee": name, "assignee_email": email,
            "due": due, "meeting_id": meeting_id, "created_at": now, "updated_at": now}],
            [note])
        return next(queries.iter_actions(conn, [id_]))


@dataclass
class Edit:
    title: str | None = None
    due: dt.date | Cleared | None = None  # CLEARED empties it
    owner: str | None = None
    kind: str | None = None
    partners: Sequence[str] | None = None  # replaces the list; [] empties it


def edit_action(store: Database, actor: str, text: str, edit: Edit) -> Change:
    values: dict[str, Any] = {}
    if edit.title is not None:
        values["title"] = clean_text(edit.title, "title", MAX_TITLE)
    if edit.due is not None:
        values["due"] = None if edit.due is CLEARED else edit.due
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
            values["partners"] = json.dumps(_partner_codes(conn, edit.partners))
        (row,) = resolve(conn, [text], lock=True)
        if not set_values(conn, row.id, actor, utcnow(), values):
            change.warnings.append(f"#{row.id} already has those values; left unchanged")
            return change
        change.changed.append(summary(row))
    return change


def set_values(conn: Conn, action_id: int, actor: str, at: dt.datetime,
               values: dict[str, Any], *, batch: Batch | None = None,
               note: str | None = None) -> list[str]:
    """The one way an action's fields are edited (by `edit`, and by a corrected statement):
    the columns that differ are changed, each with its history event. The fields changed."""
    current = queries.action_values(conn, action_id)
    diffs = {k: v for k, v in values.items() if current[k] != v}
    if not diffs:
        return []
    queries.update_action(conn, action_id, {**diffs, "updated_at": at})
    changed = []
    for key, new_value in diffs.items():
        old_value = current[key]
        if key == "owner_id":
            key, old_value, new_value = "owner", *body_codes_of(conn, old_value, new_value)
        record(conn, action_id, actor, at, "edit", field_=key,
               old=as_text(old_value), new=as_text(new_value), note=note, batch=batch)
        changed.append(key)
    return changed


def body_codes_of(conn: Conn, *body_ids: int) -> list[str]:
    """The owner codes of these bodies, in the order given."""
    names = queries.body_codes(conn, body_ids)
    return [names[i] for i in body_ids]


def as_text(value: Any) -> str | None:
    """A value as the history records it (dates as ISO text)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
