"""The tables: meetings, the bodies that own actions, members, actions and their history."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bptrack.store.identity import (
    BLOCKING,
    DATED_ACTIVE,
    DATED_ACTIVE_COLUMNS,
    LINKED,
    NOTES,
    PAGE_COLUMNS,
    PAGE_KINDS,
    PAGE_ORDER,
    UNDOING,
)
from bptrack.store.identity import SCHEMA_VERSION as SCHEMA_VERSION
from bptrack.store.identity import SQLITE_APPLICATION_ID as SQLITE_APPLICATION_ID


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself, such as its schema version."""

    __tablename__ = "bptrack_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, max_length=32)
    title: str = Field(max_length=500)
    ordinal: int | None = None
    date: dt.date | None = None
    location: str | None = Field(default=None, max_length=500)
    statement: str | None = Field(default=None, sa_column=Column(Text))
    statement_sha256: str | None = Field(default=None, max_length=64, unique=True)
    source_file: str | None = Field(default=None, max_length=255)  # the statement's file name
    created_at: dt.datetime


class Body(SQLModel, table=True):
    __tablename__ = "body"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(max_length=500)
    kind: str = Field(max_length=32)


class Member(SQLModel, table=True):
    __tablename__ = "member"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    kind: str = Field(max_length=32)  # country or organisation


class Attendance(SQLModel, table=True):
    __tablename__ = "attendance"
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    position: int = 0


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        Index("ix_action_status_due", "status", "due"),
        Index("ix_action_kind_status", "kind", "status"),
        Index("ix_action_owner", "owner_id", "status"),
        Index("ix_action_assignee", "assignee"),
        Index("ix_action_meeting", "meeting_id"),
        Index("ix_action_updated", "updated_at"),
        Index("ix_action_due", "due", "id"),  # the default order: soonest due first
        # Covers the report's counts per owner: an index-only scan, not a read of every row.
        Index("ix_action_report", "kind", "owner_id", "status", "due"),
        # A spreadsheet row imported once, however many imports of its file run at once
        Index("uq_action_origin", "origin", unique=True),
        # The few actions linked across meetings, which every report reads: not a scan
        Index("ix_action_linked", "id", sqlite_where=text(LINKED),
              postgresql_where=text(LINKED)),
        # What a reminder shows of the active dated actions, in due order: remind reads this
        # index alone. SQLite only: PostgreSQL limits an index row to a third of a page, which
        # a long title, assignee and e-mail together could pass; its planner has
        # ix_action_status_due.
        Index("ix_action_dated", *DATED_ACTIVE_COLUMNS, sqlite_where=text(DATED_ACTIVE)
              ).ddl_if(dialect="sqlite"),
        # A report's page, read in its order from this alone (SQLite only, as above)
        Index("ix_action_page", *map(text, PAGE_ORDER), *PAGE_COLUMNS,
              sqlite_where=text(PAGE_KINDS)).ddl_if(dialect="sqlite"),
        # AUTOINCREMENT: an action's number is never reused, even after a delete.
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, max_length=64)
    title: str = Field(max_length=500)
    kind: str = Field(max_length=16)
    status: str = Field(max_length=16)
    owner_id: int = Field(foreign_key="body.id")
    partners: str = Field(default="[]", max_length=2000)  # JSON list of body codes
    assignee: str | None = Field(default=None, max_length=200)
    assignee_email: str | None = Field(default=None, max_length=320)
    due: dt.date | None = None
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    source: str | None = Field(default=None, sa_column=Column(Text))
    resolution: str | None = Field(default=None, sa_column=Column(Text))
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    # Refs of the earlier actions this one continues, and of the later ones that continue it
    # (`meeting reconcile --apply`): JSON lists, both sides kept in the same transaction.
    follows: str = Field(default="[]", max_length=2000)
    followed_by: str = Field(default="[]", max_length=2000)
    # Where an imported action came from ("sheet:<digest>"): unique, so it is added once
    origin: str | None = Field(default=None, max_length=128)


class Event(SQLModel, table=True):
    """Append-only history: one row per change to an action."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_action", "action_id", "id"), Index("ix_event_at", "at"),
                      Index("ix_event_actor", "actor", "id"),
                      # Why an action is blocked, found at once: its last blocking event
                      Index("ix_event_blocking", "action_id", "id",
                            sqlite_where=text(BLOCKING), postgresql_where=text(BLOCKING)),
                      # Each action's latest note (a report's Notes column), and what undo
                      # withdrew, found without reading the whole history
                      Index("ix_event_notes", "action_id", "id", sqlite_where=text(NOTES),
                            postgresql_where=text(NOTES)),
                      Index("ix_event_undoes", "undoes", sqlite_where=text(UNDOING),
                            postgresql_where=text(UNDOING)))
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id")
    at: dt.datetime
    actor: str = Field(max_length=200)
    type: str = Field(max_length=16)
    field: str | None = Field(default=None, max_length=32)
    old: str | None = Field(default=None, sa_column=Column(Text))
    new: str | None = Field(default=None, sa_column=Column(Text))
    note: str | None = Field(default=None, sa_column=Column(Text))
    undoes: int | None = None  # the event this one reverted (`bptrack undo`)
    batch: int | None = None  # events written by one command, undone together
    # The database login that made the change (PostgreSQL's session_user, SQLite's OS user),
    # beside `actor`, the name it was made in, which anyone can type
    login: str | None = Field(default=None, max_length=200)


class ReminderSent(SQLModel, table=True):
    """An e-mailed reminder: the same action goes to the same address at most once a day."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("action_id", "address", "day",
                                       name="uq_reminder_action_address_day"),)
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id")
    address: str = Field(max_length=320)
    day: dt.date
    sent_at: dt.datetime


meta_t = Meta.__table__  # type: ignore[attr-defined]
meeting_t = Meeting.__table__  # type: ignore[attr-defined]
body_t = Body.__table__  # type: ignore[attr-defined]
member_t = Member.__table__  # type: ignore[attr-defined]
attendance_t = Attendance.__table__  # type: ignore[attr-defined]
action_t = Action.__table__  # type: ignore[attr-defined]
event_t = Event.__table__  # type: ignore[attr-defined]
reminder_t = ReminderSent.__table__  # type: ignore[attr-defined]
