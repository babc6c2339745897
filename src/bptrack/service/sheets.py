"""`bptrack import FILE`: an existing tracker spreadsheet → actions, all or nothing.

Every row is checked before anything is written; any bad row fails the import with one
`line N: why` per bad row. A row whose ref is already in the database, or (without a ref)
whose meeting and title are, is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from bptrack.clock import utcnow
from bptrack.errors import Ambiguous, InvalidValue
from bptrack.reading.bodies import initials
from bptrack.service import sheet_table as sheets
from bptrack.service.changes import create_actions
from bptrack.service.progress import Progress, unwatched
from bptrack.store import queries
from bptrack.store.db import wrap
from bptrack.store.engine import SchemaTools, insert_id, serialise
from bptrack.store.schema import action_t, body_t, meeting_t
from bptrack.userinput import REF, parse_assignee
from bptrack.vocabulary import KINDS

MAX_SHEET_BYTES = 50 * 1024 * 1024
T = TypeVar("T")


@dataclass
class SheetOptions:
    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None  # True: D/M/YYYY; False: M/D/YYYY; None: from the column
    create_bodies: bool = False
    dry_run: bool = False


@dataclass
class SheetImport:
    rows: list[dict[str, Any]]  # every row read, with "line" and "outcome" (new / exists)
    added: int = 0
    skipped: int = 0
    new_bodies: list[str] = field(default_factory=list)
    new_meetings: list[str] = field(default_factory=list)
    sheet: str | None = None


def import_sheet(store: SchemaTools, actor: str, path: str, options: SheetOptions, *,
                 progress: Progress = unwatched) -> SheetImport:
    """Read a tracker and add its new rows, all in one transaction or none: the rows read,
    then the rows written, each a phase of `progress`."""
    from bptrack.inputs import read_bytes

    data = read_bytes(path, MAX_SHEET_BYTES, "spreadsheet")
    name = os.path.basename(path)
    with progress(f"Reading {name}", lambda: None) as tick:
        table = sheets.read_table(data, path, options.sheet, tick=tick)
    columns = sheets.find_columns(table, options.mapping)
    raw = list(sheets.records(table, columns))
    problems: list[str] = []
    order: str | None = None
    if options.dayfirst is not None:
        order = "dmy" if options.dayfirst else "mdy"
    else:
        try:
            order = sheets.date_order(r.get("due") for _, r in raw)
        except ValueError as exc:
            problems.append(f"column {columns.index.get('due', 0) + 1} (due): {exc}; give "
                            "--dayfirst or --monthfirst")
    with store.write() as conn:
        # Imports of spreadsheets queue: the second of two at once finds the first's rows
        serialise(conn, "sheets")
        bodies = {r.code.upper(): (r.id, r.code, r.name) for r in conn.execute(
            select(body_t.c.id, body_t.c.code, body_t.c.name))}
        rows, unknown = _checked(raw, order, _owner_resolver(conn, bodies), problems)
        if unknown and not options.create_bodies:
            problems.append(f"unknown owners: {', '.join(sorted(unknown))} (give "
                            "--create-bodies to add them, or use codes from `bptrack body "
                            "list`)")
        if problems:
            raise sheets.SheetError(f"nothing was imported; {len(problems)} problem"
                                    f"{'s' if len(problems) != 1 else ''}:\n" +
                                    "\n".join(problems))
        result = SheetImport(rows, sheet=table.sheet)
        _match_existing(conn, rows)
        result.skipped = sum(1 for r in rows if r["outcome"] == "exists")
        if options.dry_run:
            result.new_bodies = sorted(unknown)
            return result
        for owner in sorted(unknown):
            code = _new_code(owner, bodies)
            name = next((r["owner_name"] for r in rows if r["owner_text"] == owner
                         and r["owner_name"]), owner)
            body_id = insert_id(conn, body_t.insert().values(code=code, name=name,
                                                            kind="external"))
            bodies[code.upper()] = (body_id, code, name)
            bodies[owner.upper()] = (body_id, code, name)
            result.new_bodies.append(code)
        meetings = {r.ref.upper(): r.id for r in conn.execute(
            select(meeting_t.c.id, meeting_t.c.ref))}
        now = utcnow()
        source = os.path.basename(path)
        pending: list[tuple[dict[str, Any], int, int | None, str]] = []
        for row in rows:
            if row["outcome"] != "new":
                continue
            meeting_id = None
            if row["meeting"]:
                meeting_id = meetings.get(row["meeting"].upper())
                if meeting_id is None:
                    meeting_id = insert_id(conn, meeting_t.insert().values(
                        ref=row["meeting"], title=row["meeting"], created_at=now))
                    meetings[row["meeting"].upper()] = meeting_id
                    result.new_meetings.append(row["meeting"])
            pending.append((row, bodies[row["owner_text"].upper()][0], meeting_id,
                            f"imported from {source} ({table.sheet + ', ' if table.sheet else ''}"
                            f"row {row['line']})"))
        with progress(f"Importing {name}", lambda: len(pending)) as tick:
            for batch in _batches(pending):
                _insert(conn, actor, now, batch)
                tick(len(batch))
        result.added = len(pending)
    return result


def _checked(raw: list[tuple[int, dict[str, Any]]], order: str | None,
             owner_key: Callable[[str], str | None], problems: list[str]
             ) -> tuple[list[dict[str, Any]], set[str]]:
    rows: list[dict[str, Any]] = []
    unknown: set[str] = set()
    seen_refs: dict[str, int] = {}
    for line, record in raw:
        why: list[str] = []
        title = " ".join(str(record.get("title") or "").split())
        if not title:
            why.append("no action text")
        owner_text = " ".join(str(record.get("owner") or "").split())
        try:
            key = owner_key(owner_text) if owner_text else None
        except Ambiguous as exc:
            why.append(f"owner {owner_text!r} is ambiguous: {', '.join(exc.codes)}; use a code "
                       "or --map")
            key = owner_text
        if not owner_text:
            why.append("no owner (lead)")
        elif key is None:
            unknown.add(owner_text)
        else:
            owner_text = key
        try:
            status = sheets.status_of(record.get("status"))
        except ValueError as exc:
            why.append(str(exc))
            status = "open"
        try:
            due = sheets.date_of(record.get("due"), order)
            if due is not None and not 1900 <= due.year <= 2999:
                raise ValueError(f"{due} is out of range (1900–2999)")
        except ValueError as exc:
            why.append(f"due: {exc}")
            due = None
        kind = str(record.get("kind") or "action").strip().lower() or "action"
        if kind not in KINDS:
            why.append(f"unknown kind {kind!r}: use {', '.join(KINDS)}")
        ref = str(record.get("ref") or "").strip() or None
        if ref is not None and not REF.match(ref):
            ref = None  # "1", "2": a row number, not a ref
        if ref is not None:
            if ref.upper() in seen_refs:
                why.append(f"ref {ref} also on line {seen_refs[ref.upper()]}")
            seen_refs[ref.upper()] = line
        assignee = email = None
        if str(record.get("assignee") or "").strip():
            try:
                assignee, email = parse_assignee(str(record["assignee"]))
            except InvalidValue as exc:
                why.append(str(exc))
        problems.extend(f"line {line}: {w}" for w in why)
        rows.append({"line": line, "ref": ref, "title": title[:500], "owner_text": owner_text,
                     "owner_name": " ".join(str(record.get("owner_name") or "").split()),
                     "status": status, "due": due.isoformat() if due else None,
                     "kind": kind, "assignee": assignee, "assignee_email": email,
                     "meeting": str(record.get("meeting") or "").strip() or None,
                     "notes": str(record.get("notes") or "").strip() or None,
                     "outcome": "new"})
    return rows, unknown


def _owner_resolver(conn: Connection, bodies: dict[str, tuple[int, str, str]]
                    ) -> Callable[[str], str | None]:
    """An owner cell → its body's key, resolved exactly as `--owner` is (code, or an
    unambiguous part of a name), once per distinct cell; None when no body matches. A cell
    that matches several bodies raises Ambiguous, every time it is asked."""
    from bptrack.errors import Ambiguous, NotFound
    from bptrack.store.queries import resolve_body_id

    keys = {body_id: key for key, (body_id, _, _) in bodies.items()}
    found: dict[str, str | Ambiguous | None] = {}

    def owner_key(text: str) -> str | None:
        if text not in found:
            try:
                found[text] = keys.get(resolve_body_id(wrap(conn), text))
            except Ambiguous as exc:
                found[text] = exc
            except (NotFound, InvalidValue):
                found[text] = None
        known = found[text]
        if isinstance(known, Ambiguous):
            raise known
        return known

    return owner_key


def _new_code(owner: str, bodies: dict[str, tuple[int, str, str]]) -> str:
    code = owner if re.fullmatch(r"[A-Z][A-Z0-9-]{1,11}", owner) else initials(owner)
    while code.upper() in bodies:
        code += "X"
    return code


def _match_existing(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Mark the rows already imported: by origin, by ref, else by meeting and title. The
    lookups go in batches that stay far below either driver's limit on parameters."""
    a = action_t.c
    occurrences: dict[str, int] = {}
    for row in rows:
        key = _content_key(row)
        row["origin"] = origin_of(key, occurrences.get(key, 0))
        occurrences[key] = occurrences.get(key, 0) + 1
    refs: set[str] = set()
    titled: set[tuple[str, str]] = set()
    origins: set[str] = set()
    for batch in _batches(rows):
        refs.update(r.upper() for r in conn.execute(select(a.ref).where(
            func.upper(a.ref).in_([row["ref"].upper() for row in batch if row["ref"]])
        )).scalars())
        titled.update(((m or "").upper(), t) for m, t in conn.execute(
            select(meeting_t.c.ref, a.title).select_from(action_t.outerjoin(
                meeting_t, a.meeting_id == meeting_t.c.id)).where(
                a.title.in_([row["title"] for row in batch if not row["ref"]]))))
        origins.update(conn.execute(select(a.origin).where(
            a.origin.in_([row["origin"] for row in batch]))).scalars())
    for row in rows:
        if row["ref"]:
            known = row["ref"].upper() in refs
        else:
            known = ((row["meeting"] or "").upper(), row["title"]) in titled
        if known or row["origin"] in origins:
            row["outcome"] = "exists"


def _batches(rows: list[T], size: int = 500) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(conn: Connection, actor: str, now: dt.datetime,
            batch: list[tuple[dict[str, Any], int, int | None, str]]) -> None:
    """Add a batch of rows, each (row, owner id, meeting id, the create event's note), with
    their events; a row's notes become a note of the action (its resolution, closed; the
    reason it is blocked, blocked)."""
    raw = wrap(conn)
    actions = []
    for row, owner_id, meeting_id, _ in batch:
        closed = row["status"] in ("done", "cancelled")
        actions.append({
            "ref": row["ref"], "title": row["title"], "origin": row["origin"],
            "kind": row["kind"], "status": row["status"], "owner_id": owner_id,
            "assignee": row["assignee"], "assignee_email": row["assignee_email"],
            "due": dt.date.fromisoformat(row["due"]) if row["due"] else None,
            "meeting_id": meeting_id, "resolution": row["notes"] if closed else None,
            "created_at": now, "updated_at": now, "closed_at": now if closed else None})
    ids = create_actions(raw, actor, now, actions, [note for *_, note in batch])
    queries.insert_events(raw, [(id_, now, actor, "note", row["notes"])
                                for id_, (row, *_) in zip(ids, batch, strict=True)
                                if row["notes"] and row["status"] in ("open", "in_progress")])
    for id_, (row, *_) in zip(ids, batch, strict=True):
        if row["status"] == "blocked":  # a blocked row's comment is why it is blocked
            queries.insert_event(raw, id_, now, actor, "status", field_="status", old="open",
                                 new="blocked", note=row["notes"])


def _content_key(row: dict[str, Any]) -> str:
    return row["ref"].upper() if row["ref"] else (
        f"{(row['meeting'] or '').upper()}\x1f{row['title']}")


def origin_of(key: str, occurrence: int = 0) -> str:
    """What identifies a spreadsheet row in the tracker (unique in the action table): its ref,
    else its meeting and title, and which of the rows with that content it is. The same row
    of the same tracker has the same origin however often, and however many times at once,
    it is imported."""
    import hashlib

    text = key if occurrence == 0 else f"{key}\x1f{occurrence}"
    return "sheet:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def document(result: SheetImport) -> list[dict[str, Any]]:
    """The rows as the dry run and `--format json` show them."""
    return [{k: v for k, v in row.items() if k not in ("owner_text", "origin")}
            | {"owner": row["owner_text"]}
            for row in result.rows]

