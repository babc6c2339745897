"""The meetings and their items: `meeting list` and `show`, what `meeting reconcile`
compares, what a statement import needs to know of the tracker, and `db check`'s rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, NamedTuple

from bptrack.store.db import Conn
from bptrack.store.queries.core import marks, query
from bptrack.vocabulary import ACTIVE, CLOSED, KINDS, STATUSES


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@query
def list_meetings(conn: Conn) -> list[dict[str, Any]]:
    """Every meeting with its attendee, item and open counts, by date."""
    d = conn.dialect
    rows = conn.all(
        f"SELECT m.ref, m.title, {d.date_text('m.date')}, m.location, "
        "(SELECT count(*) FROM attendance t WHERE t.meeting_id = m.id), count(a.id), "
        f"coalesce(sum(CASE WHEN a.status IN {marks(ACTIVE)} THEN 1 ELSE 0 END), 0) "
        "FROM meeting m LEFT OUTER JOIN action a ON a.meeting_id = m.id "
        "GROUP BY m.id, m.ref, m.title, m.date, m.location ORDER BY m.date, m.ref",
        list(ACTIVE))
    return [{"ref": r, "title": t, "date": date, "location": loc, "attendees": int(n),
             "items": int(items), "open": int(active)}
            for r, t, date, loc, n, items, active in rows]


class Meeting(NamedTuple):
    id: int
    ref: str
    title: str
    ordinal: int | None
    date: dt.date | None
    location: str | None
    statement_sha256: str | None
    source_file: str | None


def _meeting(conn: Conn, condition: str, params: list[Any]) -> list[Meeting]:
    rows = conn.all(f"SELECT id, ref, title, ordinal, {conn.dialect.date_text('date')}, "
                    f"location, statement_sha256, source_file FROM meeting WHERE {condition} "
                    "ORDER BY id", params)
    return [Meeting(int(i), r, t, o, _date(d), loc, sha, src)
            for i, r, t, o, d, loc, sha, src in rows]


@query
def meeting_named(conn: Conn, ref: str) -> Meeting | None:
    """The meeting of this ref, in any case."""
    found = _meeting(conn, "upper(ref) = ?", [ref.strip().upper()])
    return found[0] if found else None


@query
def meetings_on(conn: Conn, date: dt.date) -> list[Meeting]:
    return _meeting(conn, "date = ?", [date])


@query
def meeting_of_statement(conn: Conn, sha256: str) -> Meeting | None:
    """The meeting imported from exactly this text."""
    found = _meeting(conn, "statement_sha256 = ?", [sha256])
    return found[0] if found else None


@query
def statement_text(conn: Conn, meeting_id: int) -> str | None:
    return conn.scalar("SELECT statement FROM meeting WHERE id = ?", [meeting_id])  # type: ignore[no-any-return]


@query
def attendee_names(conn: Conn, meeting_id: int) -> list[str]:
    return [str(n) for (n,) in conn.all(
        "SELECT m.name FROM member m JOIN attendance t ON t.member_id = m.id "
        "WHERE t.meeting_id = ? ORDER BY t.position", [meeting_id])]


@query
def item_counts(conn: Conn, meeting_id: int) -> dict[str, dict[str, int]]:
    """The meeting's items, counted by kind and status."""
    counts: dict[str, dict[str, int]] = {}
    for kind, status, n in conn.all("SELECT kind, status, count(*) FROM action WHERE "
                                    "meeting_id = ? GROUP BY kind, status", [meeting_id]):
        counts.setdefault(kind, {})[status] = int(n)
    return counts


@query
def known_bodies(conn: Conn) -> list[tuple[str, str, str]]:
    """(code, name, kind) of every body, in the order they were added."""
    return [(str(c), str(n), str(k)) for c, n, k in conn.all(
        "SELECT code, name, kind FROM body ORDER BY id")]


_COMPARED = ("SELECT a.id, a.ref, a.title, a.kind, b.code, a.partners, a.source, b.name "
             "FROM action a JOIN body b ON a.owner_id = b.id "
             "JOIN meeting m ON a.meeting_id = m.id")


def _compared(conn: Conn, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """(id, ref, title, kind, owner, partners, source, owner's name) of each item, as
    service/reconcile.py's Earlier takes them."""
    return [(int(i), r, t, k, o, tuple(json.loads(p)), s or "", n)
            for i, r, t, k, o, p, s, n in conn.all(f"{_COMPARED} WHERE {where} ORDER BY a.id",
                                                  params)]


@query
def earlier_active(conn: Conn, meeting: Meeting) -> list[tuple[Any, ...]]:
    """The active actions and ongoing commitments of the meetings before this one."""
    before = ("m.date < ?", [meeting.date]) if meeting.date is not None else (
        "m.id < ?", [meeting.id])
    return _compared(conn, f"{before[0]} AND m.id <> ? AND a.status IN {marks(ACTIVE)} AND "
                     "a.kind IN ('action', 'ongoing')", [*before[1], meeting.id, *ACTIVE])


@query
def meeting_items(conn: Conn, meeting_id: int) -> list[tuple[Any, ...]]:
    return _compared(conn, "m.id = ?", [meeting_id])


class Tracked(NamedTuple):
    """An action a statement made, as it is now (see service/restatement.py)."""

    id: int
    ref: str
    kind: str
    title: str
    owner: str
    partners: str  # JSON text
    due: str | None
    source: str
    status: str


@query
def statement_actions(conn: Conn, meeting_id: int) -> list[Tracked]:
    """The actions the meeting's statement made (those with a source sentence), in order."""
    return [Tracked(int(i), r, k, t, o, p, d, s or "", st) for i, r, k, t, o, p, d, s, st in
            conn.all(f"SELECT a.id, a.ref, a.kind, a.title, b.code, a.partners, "
                     f"{conn.dialect.date_text('a.due')}, a.source, a.status FROM action a "
                     "JOIN body b ON a.owner_id = b.id WHERE a.meeting_id = ? AND "
                     "a.source IS NOT NULL ORDER BY a.id", [meeting_id])]


@query
def changes_of(conn: Conn, action_ids: list[int]) -> list[tuple[Any, ...]]:
    """(action_id, type, field, old, note) of every event but the creation, newest first."""
    if not action_ids:
        return []
    return conn.all(f"SELECT action_id, type, field, old, note FROM event WHERE action_id IN "
                    f"{marks(action_ids)} AND type <> 'create' ORDER BY id DESC", action_ids)


@query
def refs_of_meeting(conn: Conn, meeting_id: int) -> list[str]:
    return [str(r) for (r,) in conn.all("SELECT ref FROM action WHERE meeting_id = ?",
                                        [meeting_id])]


@query
def set_statement(conn: Conn, meeting_id: int, text: str, sha256: str, file_name: str) -> None:
    """A corrected statement is the meeting's statement now."""
    conn.execute("UPDATE meeting SET statement = ?, statement_sha256 = ?, source_file = ? "
                 "WHERE id = ?", [text, sha256, file_name, meeting_id])


@query
def findings(conn: Conn) -> list[str]:
    """`db check`: what breaks bptrack's own rules (foreign keys, on SQLite, too)."""
    out: list[str] = []
    if conn.dialect.is_sqlite:
        out += [f"foreign key: {r[0]} row {r[1]} refers to a missing {r[2]}"
                for r in conn.all("PRAGMA foreign_key_check")]
    out += [f"action #{i}: unknown status {s!r}" for i, s in conn.all(
        f"SELECT id, status FROM action WHERE status NOT IN {marks(STATUSES)} ORDER BY id",
        list(STATUSES))]
    out += [f"action #{i}: unknown kind {k!r}" for i, k in conn.all(
        f"SELECT id, kind FROM action WHERE kind NOT IN {marks(KINDS)} ORDER BY id",
        list(KINDS))]
    out += [f"action #{i}: closed without a closing time" for (i,) in conn.all(
        f"SELECT id FROM action WHERE status IN {marks(CLOSED)} AND closed_at IS NULL "
        "ORDER BY id", list(CLOSED))]
    out += [f"action #{i}: active but has a closing time" for (i,) in conn.all(
        f"SELECT id FROM action WHERE status NOT IN {marks(CLOSED)} AND closed_at IS NOT NULL "
        "ORDER BY id", list(CLOSED))]
    out += [f"action #{i}: no creation event in its history" for (i,) in conn.all(
        "SELECT id FROM action a WHERE NOT EXISTS (SELECT 1 FROM event e WHERE "
        "e.action_id = a.id AND e.type = 'create') ORDER BY id")]
    for id_, partners in conn.all("SELECT id, partners FROM action WHERE partners <> '[]' "
                                  "ORDER BY id"):
        try:
            if not isinstance(json.loads(partners), list):
                raise ValueError
        except ValueError:
            out.append(f"action #{id_}: partners are not a list")
    return out
