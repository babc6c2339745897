"""Meetings: listing and showing them, and reconciling a new one with the actions still open
from earlier ones. Over DB-API, like the everyday commands (reading a statement into a
meeting is service/statements.py)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bptrack.clock import utcnow
from bptrack.errors import InvalidValue, NotFound
from bptrack.service.changes import Batch, Change, close, record, summary
from bptrack.service.naming import resolve
from bptrack.service.progress import Progress, unwatched
from bptrack.store import queries
from bptrack.store.db import Conn, Database
from bptrack.userinput import MAX_NOTE, clean_text
from bptrack.vocabulary import ACTIVE


def list_meetings(store: Database) -> list[dict[str, Any]]:
    with store.read() as conn:
        return queries.list_meetings(conn)


def show_meeting(store: Database, ref: str) -> dict[str, Any]:
    with store.read() as conn:
        row = queries.meeting_named(conn, ref)
        if row is None:
            raise NotFound(f"no meeting {ref!r}: see `bptrack meeting list`")
        names = queries.attendee_names(conn, row.id)
        counts = queries.item_counts(conn, row.id)
    return {"ref": row.ref, "title": row.title, "ordinal": row.ordinal,
            "date": row.date.isoformat() if row.date else None, "location": row.location,
            "attendees": names, "statement_sha256": row.statement_sha256,
            "items": {kind: {"total": sum(by.values()), **by}
                      for kind, by in sorted(counts.items())}}


def _reconcile_rows(conn: Conn, ref: str) -> tuple[str, list[Any], list[Any]]:
    """(the meeting's ref, earlier meetings' active actions, the meeting's items)."""
    from bptrack.service import reconcile

    meeting = queries.meeting_named(conn, ref)
    if meeting is None:
        raise NotFound(f"no meeting {ref}: see `bptrack meeting list`")
    earlier = [reconcile.Earlier(*row) for row in queries.earlier_active(conn, meeting)]
    # An item's evidence is its sentence, or its title where it came without one
    evidence = [reconcile.Evidence(id_, item, title, kind, owner, partners, source or title,
                                   name)
                for id_, item, title, kind, owner, partners, source, name
                in queries.meeting_items(conn, meeting.id)]
    return meeting.ref, earlier, evidence


def reconcile_meeting(store: Database, ref: str, min_score: float | None = None, *,
                      progress: Progress = unwatched) -> list[dict[str, Any]]:
    """What meeting REF's items say about earlier meetings' active actions, best first."""
    threshold = _min_score(min_score)
    with store.read() as conn:
        meeting_ref, earlier, evidence = _reconcile_rows(conn, ref)
    return [_proposal(meeting_ref, p)
            for p in _proposed(meeting_ref, earlier, evidence, threshold, progress)]


def _proposed(meeting_ref: str, earlier: list[Any], evidence: list[Any], threshold: float,
              progress: Progress) -> list[Any]:
    """reconcile.propose, as a phase of `progress` counting the earlier actions weighed."""
    from bptrack.service import reconcile

    with progress(f"Reconciling {meeting_ref}", lambda: len(earlier)) as tick:
        return reconcile.propose(earlier, evidence, threshold, tick)


def _min_score(value: float | None) -> float:
    from bptrack.service.reconcile import DEFAULT_MIN_SCORE

    if value is None:
        return DEFAULT_MIN_SCORE
    if not 0 <= value <= 1:
        raise InvalidValue(f"a minimum score is a number from 0 to 1, not {value}")
    return value


def _proposal(meeting_ref: str, p: Any) -> dict[str, Any]:
    runner_up = None if p.runner_up is None else {
        "ref": p.runner_up[0].ref, "source": p.runner_up[0].source, "score": p.runner_up[1]}
    successor = None if p.successor is None else {"ref": p.successor.ref,
                                                  "source": p.successor.source}
    return {"id": p.earlier.id, "ref": p.earlier.ref, "title": p.earlier.title,
            "owner": p.earlier.owner, "proposed": p.proposed,
            "evidence": {"meeting": meeting_ref, "ref": p.evidence.ref,
                         "source": p.evidence.source},
            "score": p.score, "runner_up": runner_up, "successor": successor}


@dataclass
class Reconciled:
    proposals: list[dict[str, Any]]
    change: Change


def apply_reconcile(store: Database, actor: str, ref: str, min_score: float | None = None, *,
                    progress: Progress = unwatched) -> Reconciled:
    """Do what the proposals say, in one transaction, as one undoable change: `done` closes
    the earlier action with the sentence as its resolution (and links its successor, if
    named); `progress` and `carried` note it; the new item is linked to the earlier one
    (follows / followed_by) in each case."""

    threshold = _min_score(min_score)
    change = Change("Reconciled")
    with store.write() as conn:
        meeting_ref, earlier, evidence = _reconcile_rows(conn, ref)
        proposals = _proposed(meeting_ref, earlier, evidence, threshold, progress)
        if not proposals:
            return Reconciled([], change)
        ids = [str(p.earlier.id) for p in proposals] + [str(p.evidence.id) for p in proposals]
        raw = conn
        # The rows are locked now, and read again: an action another user closed while the
        # proposals were worked out is never touched (its close waited for, or won, the lock).
        rows = {row.id: row for row in resolve(raw, ids, lock=True)}
        proposals = [p for p in proposals if rows[p.earlier.id].status in ACTIVE]
        now = utcnow()
        batch = Batch()
        for p in proposals:
            old, new = rows[p.earlier.id], rows[p.evidence.id]
            sentence = " ".join(p.evidence.source.split())
            if p.proposed == "done":
                close(raw, old, actor, now, "done", clean_text(
                    f"Reported at {meeting_ref}: {sentence}", "resolution", MAX_NOTE),
                    batch=batch)
            else:
                said = "Carried forward" if p.proposed == "carried" else "Progress reported"
                record(raw, old.id, actor, now, "note", batch=batch, note=clean_text(
                    f"{said} at {meeting_ref} by {new.ref}: {sentence}", "note", MAX_NOTE))
            # The item that reported on it is linked (the line through the meetings), then
            # the successor of one reported done: the next occurrence of the same work
            later = [(new.id, new.ref)]
            if p.proposed == "done" and p.successor is not None:
                later.append((p.successor.id, p.successor.ref))
            for later_id, later_ref in later:
                _link(conn, actor, now, batch, old.id, "followed_by", later_ref)
                _link(conn, actor, now, batch, later_id, "follows", old.ref)
            change.changed.append(summary(old))
    return Reconciled([_proposal(meeting_ref, p) for p in proposals], change)


def _link(conn: Conn, actor: str, now: dt.datetime, batch: Batch, action_id: int,
          field_: str, ref: str) -> None:
    before = queries.action_values(conn, action_id)[field_]
    refs = json.loads(before)
    if ref in refs:
        return
    after = json.dumps([*refs, ref])
    queries.update_action(conn, action_id, {field_: after, "updated_at": now})
    record(conn, action_id, actor, now, "edit", field_=field_, old=before, new=after,
           batch=batch)
