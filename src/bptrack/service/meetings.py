"""Meetings: reading a statement into one (import, with review), listing and showing them,
and reconciling a new one with the actions still open from earlier ones."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, case, func, select

from bptrack.clock import utcnow
from bptrack.errors import Conflict, InvalidValue, NotFound
from bptrack.service.changes import Batch, Change, close, record, summary
from bptrack.service.naming import resolve
from bptrack.store.db import wrap
from bptrack.store.engine import SchemaTools, serialise
from bptrack.store.schema import action_t, attendance_t, body_t, meeting_t, member_t
from bptrack.userinput import MAX_NOTE, clean_text
from bptrack.vocabulary import ACTIVE


def read_file_bytes(path: str, limit: int) -> bytes:
    """A statement file's bytes (see `bptrack.inputs`), or a clear error: missing, not a
    regular file, over `limit`, empty."""
    from bptrack.inputs import read_bytes

    data = read_bytes(path, limit, "statement")
    if not data.strip():
        raise InvalidValue(f"{path} is empty")
    return data


def read_statement_file(path: str, data: bytes | None = None) -> tuple[str, str]:
    """(text, format) of a statement file: text, Markdown, PDF, Word or a web page; `data`
    is the statement itself when it came on stdin."""
    from bptrack.reading.documents import MAX_DOCUMENT_BYTES, read_document

    if data is None:
        data = read_file_bytes(path, MAX_DOCUMENT_BYTES)
    elif not data.strip():
        raise InvalidValue(f"{path} is empty")
    document = read_document(data, path)
    return document.text, document.format


@dataclass
class Imported:
    document: dict[str, Any]  # the contract's JSON shape: meeting and items
    added: int = 0  # actions added; 0 on a dry run or a repeated import
    by_kind: dict[str, int] = field(default_factory=dict)  # the items read, by kind
    new_bodies: int = 0
    new_members: int = 0
    already: bool = False  # the same statement was imported before
    dry_run: bool = False
    bodies_to_create: list[str] = field(default_factory=list)  # "CODE (name)" not yet known
    known_as: str | None = None  # the meeting's ref, when it is in the tracker already
    known_from: str | None = None  # the file it was imported from
    changes: list[Any] = field(default_factory=list)  # what this statement changes (restatement)
    updated: Any = None  # what --update did (restatement.Updated)


def import_statement(store: SchemaTools, actor: str, path: str, *, dry_run: bool = False,
                     ref: str | None = None, review: Callable[[str], str] | None = None,
                     items_path: str | None = None, data: bytes | None = None,
                     update: bool = False) -> Imported:
    """Read a statement and add its meeting and items in one transaction.

    `review` is given the proposed items as TOML and returns them edited (the CLI opens an
    editor); `items_path` names a reviewed JSON document that replaces the reading. A meeting
    in the tracker already is not added again: the same statement (in any format) adds
    nothing, and a corrected one is applied with `update` (see `restatement`)."""
    import hashlib

    from bptrack import reading
    from bptrack.reading import review as reviewing

    text, file_format = read_statement_file(path, data)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with store.read() as conn:
        known = [reading.BodyRef(r.code, r.name, r.kind) for r in conn.execute(
            select(body_t.c.code, body_t.c.name, body_t.c.kind).order_by(body_t.c.id))]
    parsed = reading.parse_statement(text, known, ref=ref)
    document = reading.to_document(parsed, reasons=True)

    def read_items(earlier: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = reading.to_document(
            reading.parse_statement(earlier, known))["items"]
        return items

    source = {"file": os.path.basename(path), "format": file_format}
    bodies = {b.code: {"code": b.code, "name": b.name, "kind": b.kind}
              for b in [*known, *parsed.bodies]}
    if items_path is not None:
        from bptrack.inputs import decode, read_bytes

        items_text = decode(read_bytes(items_path, 5 * 1024 * 1024, "reviewed items file"),
                            items_path)
        document = reviewing.checked(reviewing.from_json(items_text, items_path), bodies)
    elif review is not None:
        document = reviewing.checked(reviewing.from_toml(review(reviewing.to_toml(
            document, path))), bodies)
    document["meeting"]["source"] = source  # the file it was read from, and as what
    result = Imported(document, dry_run=dry_run)
    for item in document["items"]:
        result.by_kind[item["kind"]] = result.by_kind.get(item["kind"], 0) + 1
    known_codes = {b.code for b in known}
    named = {code for item in document["items"] for code in [item["owner"], *item["partners"]]}
    result.bodies_to_create = [f"{code} ({bodies[code]['name']})" for code in sorted(named)
                               if code not in known_codes and code in bodies]
    meeting_ref = document["meeting"]["ref"]
    doc = {"meeting": {**document["meeting"], "ordinal": parsed.meeting.ordinal
                       if meeting_ref == parsed.meeting.ref else None},
           "bodies": [body for code, body in bodies.items() if code in named],
           "items": [{**item, "ref": f"{meeting_ref}-{n:02d}"}
                     for n, item in enumerate(document["items"], 1)]}
    if dry_run:
        with store.read() as conn:
            _against_tracker(conn, result, digest, read_items)
        return result
    with store.write() as conn:
        # Imports of statements queue: the second of two at once sees the first's meeting
        serialise(conn, "meetings")
        known = _against_tracker(conn, result, digest, read_items)
        if known is None:
            from bptrack.service import seeding

            added = seeding.load_meeting(conn, doc, text, actor=actor)
            result.added, result.new_bodies, result.new_members = (
                added.actions, added.bodies, added.members)
        elif not result.already:
            if not update:
                raise Conflict(
                    f"meeting {known.ref} was imported from {known.source_file or 'a statement'}"
                    f" and this statement differs from it in {len(result.changes)} "
                    f"item{'s' if len(result.changes) != 1 else ''}: "
                    "`--dry-run` shows them, `--update` applies them")
            from bptrack.service.restatement import apply_corrections

            result.updated = apply_corrections(conn, known, result.changes, doc, text,
                                               source["file"], actor)
    return result


def _against_tracker(conn: Connection, result: Imported, digest: str,
                     read: Callable[[str], list[dict[str, Any]]]) -> Any:
    """The meeting in the tracker that this statement is of (None if it is new), with
    `result` saying whether it is the same statement and, if not, what it changes."""
    from bptrack.service import restatement

    meeting = result.document["meeting"]
    m = meeting_t.c
    same_text = conn.execute(select(m.ref).where(m.statement_sha256 == digest)).scalar()
    date = dt.date.fromisoformat(meeting["date"]) if meeting.get("date") else None
    known = restatement.find_meeting(conn, same_text or meeting["ref"], meeting["title"], date)
    if known is None:
        return None
    result.known_as, result.known_from = known.ref, known.source_file
    meeting["ref"] = known.ref
    if same_text is None:  # the very text imported before is the same statement, whatever
        # was reviewed from it: only another text is compared item by item, with the
        # earlier text as read now, so that what a review made of it is no difference
        before = conn.execute(select(m.statement).where(m.id == known.id)).scalar()
        result.changes = restatement.compare(restatement.tracked_items(conn, known.id),
                                             result.document["items"],
                                             read(before) if before else None)
    result.document["changes"] = [c.to_json() for c in result.changes]
    result.already = not result.changes
    return known


def list_meetings(store: SchemaTools) -> list[dict[str, Any]]:
    a = action_t.c
    m = meeting_t.c
    attendees = (select(func.count()).select_from(attendance_t)
                 .where(attendance_t.c.meeting_id == m.id).scalar_subquery())
    stmt = (select(m.ref, m.title, m.date, m.location, attendees.label("attendees"),
                   func.count(a.id).label("items"),
                   func.coalesce(func.sum(case((a.status.in_(ACTIVE), 1), else_=0)), 0)
                   .label("open"))
            .select_from(meeting_t.outerjoin(action_t, a.meeting_id == m.id))
            .group_by(m.id, m.ref, m.title, m.date, m.location).order_by(m.date, m.ref))
    with store.read() as conn:
        return [{"ref": r.ref, "title": r.title, "date": r.date.isoformat() if r.date else None,
                 "location": r.location, "attendees": int(r.attendees), "items": int(r.items),
                 "open": int(r.open)} for r in conn.execute(stmt)]


def show_meeting(store: SchemaTools, ref: str) -> dict[str, Any]:
    m = meeting_t.c
    with store.read() as conn:
        row = conn.execute(select(m.id, m.ref, m.title, m.ordinal, m.date, m.location,
                                  m.statement_sha256)
                           .where(func.upper(m.ref) == ref.strip().upper())).first()
        if row is None:
            raise NotFound(f"no meeting {ref!r}: see `bptrack meeting list`")
        names = list(conn.execute(
            select(member_t.c.name).join(attendance_t, attendance_t.c.member_id == member_t.c.id)
            .where(attendance_t.c.meeting_id == row.id).order_by(attendance_t.c.position))
            .scalars())
        counts: dict[str, dict[str, int]] = {}
        for kind, status, n in conn.execute(
                select(action_t.c.kind, action_t.c.status, func.count())
                .where(action_t.c.meeting_id == row.id)
                .group_by(action_t.c.kind, action_t.c.status)):
            counts.setdefault(kind, {})[status] = int(n)
    return {"ref": row.ref, "title": row.title, "ordinal": row.ordinal,
            "date": row.date.isoformat() if row.date else None, "location": row.location,
            "attendees": names, "statement_sha256": row.statement_sha256,
            "items": {kind: {"total": sum(by.values()), **by}
                      for kind, by in sorted(counts.items())}}


# --- undo ---------------------------------------------------------------------------------


def _reconcile_rows(conn: Connection, ref: str) -> tuple[str, list[Any], list[Any]]:
    """(the meeting's ref, earlier meetings' active actions, the meeting's items)."""
    from bptrack.service import reconcile

    m = meeting_t.c
    meeting = conn.execute(select(m.id, m.ref, m.date).where(
        func.upper(m.ref) == ref.strip().upper())).first()
    if meeting is None:
        raise NotFound(f"no meeting {ref}: see `bptrack meeting list`")
    a = action_t.c
    columns = (a.id, a.ref, a.title, a.kind, body_t.c.code, a.partners, a.source,
               body_t.c.name)
    joined = action_t.join(body_t, a.owner_id == body_t.c.id).join(
        meeting_t, a.meeting_id == m.id)
    earlier_meeting = (m.date < meeting.date) if meeting.date is not None else (m.id < meeting.id)
    earlier = [reconcile.Earlier(r.id, r.ref, r.title, r.kind, r.code,
                                 tuple(json.loads(r.partners)), r.source or "", r.name)
               for r in conn.execute(select(*columns).select_from(joined).where(
                   earlier_meeting, m.id != meeting.id, a.status.in_(ACTIVE),
                   a.kind.in_(("action", "ongoing"))).order_by(a.id))]
    evidence = [reconcile.Evidence(r.id, r.ref, r.title, r.kind, r.code,
                                   tuple(json.loads(r.partners)), r.source or r.title,
                                   r.name)
                for r in conn.execute(select(*columns).select_from(joined).where(
                    m.id == meeting.id).order_by(a.id))]
    return meeting.ref, earlier, evidence


def reconcile_meeting(store: SchemaTools, ref: str, min_score: float | None = None
                      ) -> list[dict[str, Any]]:
    """What meeting REF's items say about earlier meetings' active actions, best first."""
    from bptrack.service import reconcile

    threshold = _min_score(min_score)
    with store.read() as conn:
        meeting_ref, earlier, evidence = _reconcile_rows(conn, ref)
    return [_proposal(meeting_ref, p) for p in reconcile.propose(earlier, evidence, threshold)]


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


def apply_reconcile(store: SchemaTools, actor: str, ref: str, min_score: float | None = None
                    ) -> Reconciled:
    """Do what the proposals say, in one transaction, as one undoable change: `done` closes
    the earlier action with the sentence as its resolution (and links its successor, if
    named); `progress` and `carried` note it; the new item is linked to the earlier one
    (follows / followed_by) in each case."""
    from bptrack.service import reconcile

    threshold = _min_score(min_score)
    change = Change("Reconciled")
    with store.write() as conn:
        meeting_ref, earlier, evidence = _reconcile_rows(conn, ref)
        proposals = reconcile.propose(earlier, evidence, threshold)
        if not proposals:
            return Reconciled([], change)
        ids = [str(p.earlier.id) for p in proposals] + [str(p.evidence.id) for p in proposals]
        raw = wrap(conn)  # the shared queries, in this transaction
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


def _link(conn: Connection, actor: str, now: dt.datetime, batch: Batch, action_id: int,
          field_: str, ref: str) -> None:
    column = action_t.c[field_]
    before = conn.execute(select(column).where(action_t.c.id == action_id)).scalar_one()
    refs = json.loads(before)
    if ref in refs:
        return
    after = json.dumps([*refs, ref])
    conn.execute(action_t.update().where(action_t.c.id == action_id).values(
        {field_: after, "updated_at": now}))
    record(wrap(conn), action_id, actor, now, "edit", field_=field_, old=before, new=after,
           batch=batch)
