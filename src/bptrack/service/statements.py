"""Reading a statement into a meeting: `meeting import`, with review; a statement of a
meeting in the tracker already is compared with it (service/restatement.py).

A dry run reads through DB-API alone, like the everyday commands; only an import that writes
opens the schema tools (SQLAlchemy), for the meeting, its bodies and attendees."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bptrack.errors import Conflict, InvalidValue
from bptrack.service.progress import Progress, unwatched
from bptrack.store import queries
from bptrack.store.db import Conn, Database

if TYPE_CHECKING:
    from bptrack.reading.documents import Reading
    from bptrack.store.engine import SchemaTools


def read_file_bytes(path: str, limit: int) -> bytes:
    """A statement file's bytes (see `bptrack.inputs`), or a clear error: missing, not a
    regular file, over `limit`, empty."""
    from bptrack.inputs import read_bytes

    data = read_bytes(path, limit, "statement")
    if not data.strip():
        raise InvalidValue(f"{path} is empty")
    return data


def start_reading_file(path: str, data: bytes | None = None) -> Reading:
    """A statement file being read (text, Markdown, PDF, Word or a web page): a PDF or Word
    file by a child process, while the caller goes on; `data` is the statement itself when
    it came on stdin."""
    from bptrack.reading.documents import MAX_DOCUMENT_BYTES, start_reading

    if data is None:
        data = read_file_bytes(path, MAX_DOCUMENT_BYTES)
    elif not data.strip():
        raise InvalidValue(f"{path} is empty")
    return start_reading(data, path)


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


def import_statement(store: Database, tools: Callable[[], SchemaTools], actor: str, path: str,
                     *, dry_run: bool = False,
                     ref: str | None = None, review: Callable[[str], str] | None = None,
                     items_path: str | None = None, data: bytes | None = None,
                     update: bool = False, progress: Progress = unwatched) -> Imported:
    """Read a statement and add its meeting and items in one transaction.

    `store` is read; `tools` opens the schema tools, only to write. `review` is given the
    proposed items as TOML and returns them edited (the CLI opens an
    editor); `items_path` names a reviewed JSON document that replaces the reading. A meeting
    in the tracker already is not added again: the same statement (in any format) adds
    nothing, and a corrected one is applied with `update` (see `restatement`)."""
    with progress(f"Reading {os.path.basename(path)}", lambda: None) as tick:
        # A PDF or Word file goes to its reader first; this process loads its own meanwhile.
        started = start_reading_file(path, data)
        import hashlib

        from bptrack import reading
        from bptrack.reading import review as reviewing

        document_read = started.result()
        text, file_format = document_read.text, document_read.format
        digest = hashlib.sha256(text.encode()).hexdigest()
        with store.read() as conn:
            known = [reading.BodyRef(*row) for row in queries.known_bodies(conn)]
        parsed = reading.parse_statement(text, known, ref=ref, tick=tick)
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
    from bptrack.store.db import wrap
    from bptrack.store.engine import serialise

    schema_tools = tools()
    with schema_tools.write() as tx:
        # Imports of statements queue: the second of two at once sees the first's meeting
        serialise(tx, "meetings")
        known = _against_tracker(wrap(tx), result, digest, read_items)
        if known is None:
            from bptrack.service import seeding

            added = seeding.load_meeting(tx, doc, text, actor=actor)
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

            result.updated = apply_corrections(tx, known, result.changes, doc, text,
                                               source["file"], actor)
    return result


def _against_tracker(conn: Conn, result: Imported, digest: str,
                     read: Callable[[str], list[dict[str, Any]]]) -> Any:
    """The meeting in the tracker that this statement is of (None if it is new), with
    `result` saying whether it is the same statement and, if not, what it changes."""
    from bptrack.service import restatement

    meeting = result.document["meeting"]
    same = queries.meeting_of_statement(conn, digest)
    same_text = same.ref if same is not None else None
    date = dt.date.fromisoformat(meeting["date"]) if meeting.get("date") else None
    known = restatement.find_meeting(conn, same_text or meeting["ref"], meeting["title"], date)
    if known is None:
        return None
    result.known_as, result.known_from = known.ref, known.source_file
    meeting["ref"] = known.ref
    if same_text is None:  # the very text imported before is the same statement, whatever
        # was reviewed from it: only another text is compared item by item, with the
        # earlier text as read now, so that what a review made of it is no difference
        before = queries.statement_text(conn, known.id)
        result.changes = restatement.compare(restatement.tracked_items(conn, known.id),
                                             result.document["items"],
                                             read(before) if before else None)
    result.document["changes"] = [c.to_json() for c in result.changes]
    result.already = not result.changes
    return known


