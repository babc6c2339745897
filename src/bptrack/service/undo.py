"""`undo`: the actor's last change reverted, and the undo recorded too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bptrack.clock import utcnow
from bptrack.errors import Conflict, NotFound
from bptrack.service.changes import Change, as_text, body_codes_of, summary
from bptrack.service.naming import resolve
from bptrack.store import queries
from bptrack.store.db import Conn, Database
from bptrack.store.queries import CLOSED
from bptrack.userinput import format_person, parse_assignee
from bptrack.vocabulary import change_words


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
        rows = {row.id: row for row in resolve(
            conn, [str(i) for i in dict.fromkeys(ev.action_id for ev in events)], lock=True)}
        # Read again under the row locks: another undo by the same login may have taken this
        # change back while these rows were waited for.
        again = queries.last_undoable(conn, actor)
        if again is None or again.id != last.id:
            raise Conflict(f"another undo by {actor} ran at the same time; nothing more was "
                           "undone (run undo again to take back the change before)")
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
            detail = (change_words(event.field or event.type, old or None, new or None)
                      if event.type != "note" else "note withdrawn")
            known = next((c for c in change.changed if c["id"] == row.id), None)
            if known is None:
                change.changed.append({**summary(row), "detail": detail})
            else:
                known["detail"] += f"; {detail}"
    return change


def _reverting(conn: Conn, event: queries.Event, current: dict[str, Any], now: dt.datetime
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
        now_value = (body_codes_of(conn, current["owner_id"])[0] if event.field == "owner"
                     else as_text(current[key]))
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
