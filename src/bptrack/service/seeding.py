"""Loads a meeting and its reviewed items into a database, idempotent by ref.

The shipped seed is the AHG16 outcome statement and `ahg-som-16-items.json`, the reviewed list
of items it yields. Both travel inside the wheel, so an installed bptrack seeds anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from bptrack.clock import start_of_day, utcnow
from bptrack.errors import BptrackError
from bptrack.service.changes import create_actions
from bptrack.store.db import wrap
from bptrack.store.engine import insert_id
from bptrack.store.schema import (
    action_t,
    attendance_t,
    body_t,
    meeting_t,
    member_t,
)

SEED_ITEMS = "ahg-som-16-items.json"
SEED_ACTOR = "bptrack-seed"
ORGANISATIONS = {"IOM", "UNHCR", "UNODC", "ILO", "UNDP", "UNICEF", "INTERPOL", "ASEAN"}


def seed_dir() -> Path:
    """The seed inside the installed package, or `seed/` of a source checkout."""
    packaged = resources.files("bptrack") / "seed"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "seed"


def read_seed() -> tuple[dict[str, Any], str]:
    folder = seed_dir()
    try:
        doc = json.loads((folder / SEED_ITEMS).read_text(encoding="utf-8"))
        statement = (folder / doc["statement"]).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError) as exc:
        raise BptrackError(f"the seed in {folder} cannot be read ({exc}); reinstall bptrack"
                           ) from exc
    return doc, statement


def seed(conn: Connection) -> int:
    """Add the shipped meeting and its items where missing; returns the actions added."""
    doc, statement = read_seed()
    return load_meeting(conn, doc, statement).actions


@dataclass
class Added:
    """What load_meeting added (rows that were there already are not counted)."""

    actions: int = 0
    bodies: int = 0
    members: int = 0


def load_meeting(conn: Connection, doc: dict[str, Any], statement: str | None,
                 actor: str = SEED_ACTOR) -> Added:
    """Add a meeting, its bodies, attendees and items; rows that exist already are kept."""
    now = utcnow()
    added = Added()
    meeting = doc["meeting"]
    meeting_id = conn.execute(
        select(meeting_t.c.id).where(meeting_t.c.ref == meeting["ref"])).scalar()
    meeting_date = dt.date.fromisoformat(meeting["date"]) if meeting.get("date") else None
    if meeting_id is None:
        meeting_id = insert_id(conn, meeting_t.insert().values(
            ref=meeting["ref"], title=meeting["title"], ordinal=meeting.get("ordinal"),
            date=meeting_date, location=meeting.get("location"), statement=statement,
            statement_sha256=(hashlib.sha256(statement.encode()).hexdigest()
                              if statement is not None else None),
            source_file=(meeting.get("source") or {}).get("file") or doc.get("statement"),
            created_at=now,
        ))
        added.members = _add_attendees(conn, meeting_id, meeting.get("attendees", []))

    body_ids, added.bodies = ensure_bodies(conn, doc.get("bodies", []))
    # Records and notes are closed as of the meeting: they report what happened.
    closed_at = start_of_day(meeting_date) if meeting_date else now
    existing = set(conn.execute(select(action_t.c.ref).where(
        action_t.c.ref.in_([item["ref"] for item in doc["items"]]))).scalars())
    rows = []
    for item in doc["items"]:
        if item["ref"] in existing:
            continue
        owner_id = body_ids.get(item["owner"])
        if owner_id is None:
            raise BptrackError(f"item {item['ref']} names unknown owner {item['owner']!r}")
        rows.append(action_row(item, item["ref"], owner_id, meeting_id, now, closed_at))
    note = f"from the {meeting['ref']} outcome statement"
    create_actions(wrap(conn), actor, now, rows, [note] * len(rows))
    added.actions += len(rows)
    return added


def action_row(item: dict[str, Any], ref: str, owner_id: int, meeting_id: int,
               now: dt.datetime, closed_at: dt.datetime) -> dict[str, Any]:
    """The action a statement's item becomes (its columns), by import and by a corrected
    statement alike: records and notes are done as of `closed_at`, the meeting's day."""
    done = item["kind"] in ("record", "note")
    return {"ref": ref, "title": item["title"], "kind": item["kind"],
            "status": "done" if done else "open", "owner_id": owner_id,
            "partners": json.dumps(item.get("partners") or []),
            "due": dt.date.fromisoformat(item["due"]) if item.get("due") else None,
            "meeting_id": meeting_id, "source": item.get("source"), "created_at": now,
            "updated_at": now, "closed_at": closed_at if done else None}


def ensure_bodies(conn: Connection, bodies: list[dict[str, str]]
                   ) -> tuple[dict[str, int], int]:
    """Every body's id by code, and how many of them were new."""
    known = {code: id_ for code, id_ in conn.execute(select(body_t.c.code, body_t.c.id))}
    new = 0
    for body in bodies:
        if body["code"] not in known:
            known[body["code"]] = insert_id(conn, body_t.insert().values(
                code=body["code"], name=body["name"], kind=body["kind"]))
            new += 1
    return known, new


def _add_attendees(conn: Connection, meeting_id: int, names: list[str]) -> int:
    """Record who attended; returns how many members were new."""
    known = {name: id_ for name, id_ in conn.execute(select(member_t.c.name, member_t.c.id))}
    new = 0
    for position, name in enumerate(names):
        if name not in known:
            kind = "organisation" if name.upper() in ORGANISATIONS else "country"
            known[name] = insert_id(conn, member_t.insert().values(name=name, kind=kind))
            new += 1
        conn.execute(attendance_t.insert().values(
            meeting_id=meeting_id, member_id=known[name], position=position))
    return new
