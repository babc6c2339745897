"""A statement of a meeting that is in the tracker already: the same statement again (in
another format, or published again), or a corrected one.

The meeting is told by its ref, or by its date and title, never by the bytes of its text:
a PDF and a Word file of one statement differ in every byte and read the same. Its items are
then compared with the actions the earlier import made: paired first by kind, owner and title,
then by the likeness of what they say; what is left over was added or withdrawn. No difference
is the same statement; any difference is a correction, which `--update` applies to the items
nobody has changed since they were imported (the others are listed, and left as they are)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bptrack.errors import Conflict
from bptrack.store import queries
from bptrack.store.db import Conn
from bptrack.store.queries.meetings import Meeting as Known

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Two items are the same one changed when what they say is at least this alike (0–100): a
# corrected due date or a reworded title, not another commitment of the same body.
SAME_ITEM_LIKENESS = 70
COMPARED = ("title", "kind", "owner", "partners", "due")  # what a correction can change


@dataclass(frozen=True)
class Tracked:
    """An action imported from the meeting's statement, as it is now."""

    id: int
    ref: str
    kind: str
    title: str
    owner: str
    partners: tuple[str, ...]
    due: str | None
    source: str
    status: str
    touched: bool  # somebody changed it (or its history) after the import
    # (title, kind, owner, partners, due: as the statement made them, whatever was edited since)


@dataclass
class ItemChange:
    """One difference between the tracked items and the statement's."""

    change: str  # changed, added or withdrawn
    ref: str | None  # the tracked action; None for an added item
    title: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (now, then)
    touched: bool = False  # left as it is by --update
    item: dict[str, Any] | None = None  # the statement's item (changed and added)
    action_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"change": self.change, "ref": self.ref, "title": self.title,
                "fields": {k: {"now": a, "statement": b} for k, (a, b) in self.fields.items()},
                "kept": self.touched}


def find_meeting(conn: Conn, ref: str, title: str, date: dt.date | None) -> Known | None:
    """The meeting this statement is of, if it is in the tracker: by ref when the dates
    agree, else by date and title. A meeting under the same ref on another date is another
    meeting, and an error."""
    row = queries.meeting_named(conn, ref)
    if row is not None and (row.date is None or date is None or row.date == date):
        return row
    if date is not None:
        for other in queries.meetings_on(conn, date):
            if _words(other.title) == _words(title):
                return other
    if row is not None:
        raise Conflict(f"{row.ref} in the tracker is another meeting, {row.title!r} of "
                       f"{row.date}, not this statement's of {date}: give this one a ref of "
                       "its own with --ref")
    return None


CORRECTED = "corrected statement"  # how the events of `meeting import --update` begin


def tracked_items(conn: Conn, meeting_id: int) -> list[Tracked]:
    """The actions the meeting's statement made (those with a source sentence), in order, as
    the statement made them: a user's edits since are read back out of the history."""
    rows = queries.statement_actions(conn, meeting_id)
    history: dict[int, list[tuple[Any, ...]]] = {}
    for event in queries.changes_of(conn, [r.id for r in rows]):
        history.setdefault(int(event[0]), []).append(event)
    out = []
    for r in rows:
        imported: dict[str, Any] = {"title": r.title, "kind": r.kind, "owner": r.owner,
                                    "partners": r.partners, "due": r.due}
        by_user = [ev for ev in history.get(r.id, ())
                   if not (ev[4] or "").startswith(CORRECTED)]
        for _, type_, field_, old, _ in by_user:  # newest first: the oldest edit's old value
            if field_ in imported and type_ in ("edit", "undo"):  # is the statement's
                imported[field_] = old
        out.append(Tracked(r.id, r.ref, imported["kind"], imported["title"], imported["owner"],
                           tuple(json.loads(imported["partners"] or "[]")), imported["due"],
                           r.source, r.status, bool(by_user)))
    return out


def _words(text: str | None) -> str:
    """Text compared without case, punctuation or line breaks: what a format changes."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def _tracked_item(t: Tracked) -> dict[str, Any]:
    return {"title": t.title, "kind": t.kind, "owner": t.owner, "partners": list(t.partners),
            "due": t.due, "source": t.source}


def _fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of an item that differ, (before, after) each."""
    out: dict[str, tuple[Any, Any]] = {}
    for name in COMPARED:
        old, new = before.get(name), after.get(name)
        if name == "partners":
            old, new = list(old or ()), list(new or ())
        if (_words(old) != _words(new)) if name == "title" else old != new:
            out[name] = (old, new)
    return out


def pair(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[int, int]:
    """Which item of `before` each item of `after` is (by index): the same kind, owner and
    title first, then the most alike of the rest."""
    from rapidfuzz import fuzz

    pairs: dict[int, int] = {}
    left = list(range(len(before)))
    for n, item in enumerate(after):
        key = (item["kind"], item["owner"], _words(item["title"]))
        match = next((b for b in left if (before[b]["kind"], before[b]["owner"],
                                          _words(before[b]["title"])) == key), None)
        if match is not None:
            pairs[n] = match
            left.remove(match)
    alike = sorted(((max(fuzz.ratio(_words(before[b]["title"]), _words(item["title"])),
                         fuzz.ratio(_words(before[b].get("source")),
                                    _words(item.get("source")))), n, b)
                    for n, item in enumerate(after) if n not in pairs for b in left),
                   key=lambda x: (-x[0], x[1], x[2]))
    for likeness, n, b in alike:
        if likeness >= SAME_ITEM_LIKENESS and n not in pairs and b in left:
            pairs[n] = b
            left.remove(b)
    return pairs


def compare(tracked: list[Tracked], items: list[dict[str, Any]],
            read_before: list[dict[str, Any]] | None = None) -> list[ItemChange]:
    """What the statement's `items` change, in their order (then the withdrawn ones).

    `read_before` is the earlier statement as the reader reads it now: the changes are then
    those between the two readings, each applied to the tracked action its item became
    (whatever a review made of it). Without it they are compared with the tracked items."""
    mine = [_tracked_item(t) for t in tracked]
    base = mine if read_before is None else read_before
    action_of = ({n: n for n in range(len(tracked))} if read_before is None
                 else {b: t for t, b in pair(read_before, mine).items()})
    pairs = pair(base, items)
    changes = []
    for n, item in enumerate(items):
        b = pairs.get(n)
        if b is None:
            changes.append(ItemChange("added", None, item["title"], item=item))
            continue
        t = tracked[action_of[b]] if b in action_of else None  # None: left out by a review
        if t is None:
            continue
        # What the statement changed, where the tracked action does not read so already
        differs = _fields(mine[action_of[b]], item)
        fields = {k: differs[k] for k in _fields(base[b], item) if k in differs}
        if fields:
            changes.append(ItemChange("changed", t.ref, t.title, fields, t.touched, item,
                                      t.id))
    paired = set(pairs.values())
    changes += [ItemChange("withdrawn", t.ref, t.title, touched=t.touched, action_id=t.id)
                for b in range(len(base)) if b not in paired and b in action_of
                for t in [tracked[action_of[b]]] if t.status != "cancelled"]
    return changes


@dataclass
class Updated:
    """What `--update` did: the items changed, added and withdrawn, and those kept."""

    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    kept: list[ItemChange] = field(default_factory=list)


def apply_corrections(conn: Connection, known: Known, changes: list[ItemChange],
                      doc: dict[str, Any], text: str, file_name: str, actor: str) -> Updated:
    """The corrected statement applied, in the caller's transaction: each untouched changed
    item edited to read as the statement now does, each added item created, each untouched
    withdrawn one cancelled; every change in the history, as one batch that `undo` reverts."""
    import hashlib

    from bptrack.clock import start_of_day, utcnow
    from bptrack.service.changes import Batch, close, create_actions, set_values
    from bptrack.service.naming import resolve
    from bptrack.service.seeding import action_row, ensure_bodies
    from bptrack.store.db import wrap

    raw = wrap(conn)
    now = utcnow()
    batch = Batch()
    note = f"{CORRECTED} {file_name}"
    body_ids, _ = ensure_bodies(conn, doc["bodies"])
    closed_at = start_of_day(known.date) if known.date else now
    done = Updated()
    withdrawn = [str(c.action_id) for c in changes if c.change == "withdrawn" and not c.touched]
    rows = {row.id: row for row in resolve(raw, withdrawn, lock=True)} if withdrawn else {}
    for c in changes:
        if c.touched:
            done.kept.append(c)
        elif c.change == "changed":
            assert c.item is not None and c.action_id is not None
            columns = action_row(c.item, str(c.ref), body_ids[c.item["owner"]], known.id, now,
                                 closed_at)
            set_values(raw, c.action_id, actor, now, {
                **{k: columns[k] for k in ("title", "kind", "owner_id", "partners", "due")
                   if (k if k != "owner_id" else "owner") in c.fields},
                "source": columns["source"]}, batch=batch, note=note)
            done.changed.append(str(c.ref))
        elif c.change == "withdrawn":
            assert c.action_id is not None
            close(raw, rows[c.action_id], actor, now, "cancelled",
                  f"{note} no longer has this item", batch=batch)
            done.withdrawn.append(str(c.ref))
    added = [c.item for c in changes if c.change == "added" and c.item is not None]
    if added:
        numbers = [int(m.group(1)) for r in queries.refs_of_meeting(raw, known.id)
                   if (m := re.fullmatch(rf"{re.escape(known.ref)}-(\d+)", r))]
        rows_to_add = [action_row(item, f"{known.ref}-{n:02d}", body_ids[item["owner"]],
                                  known.id, now, closed_at)
                       for n, item in enumerate(added, max(numbers, default=0) + 1)]
        create_actions(raw, actor, now, rows_to_add, [f"from the {note}"] * len(rows_to_add),
                       batch=batch)
        done.added = [row["ref"] for row in rows_to_add]
    queries.set_statement(raw, known.id, text, hashlib.sha256(text.encode()).hexdigest(),
                          file_name)
    return done
