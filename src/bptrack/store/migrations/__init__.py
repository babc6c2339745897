"""Schema upgrades: numbered, named steps, each applied in its own transaction together with
the new version number, after a backup of the whole database.

A step describes the tables as they were at its version (its own MetaData), never through
models.py, so that later model changes cannot change what an old step does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)


@dataclass(frozen=True)
class Migration:
    version: int  # the schema version this step upgrades to
    name: str
    apply: Callable[[Connection], None]


def _v2_reminders_and_undo(conn: Connection) -> None:
    """E-mailed reminders are recorded; history events can point at the event they undo;
    actions are indexed in due order, so the first page of `list` reads only that page, and
    for the report's counts per owner."""
    metadata = MetaData()
    Table("action", metadata, Column("id", Integer, primary_key=True))
    Table("reminder_sent", metadata,
          Column("id", Integer, primary_key=True),
          Column("action_id", Integer, ForeignKey("action.id"), nullable=False),
          Column("address", String(320), nullable=False),
          Column("day", Date, nullable=False),
          Column("sent_at", DateTime(timezone=True), nullable=False),
          UniqueConstraint("action_id", "address", "day",
                           name="uq_reminder_action_address_day"))
    metadata.tables["reminder_sent"].create(conn)
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN undoes INTEGER")
    conn.exec_driver_sql("CREATE INDEX ix_event_actor ON event (actor, id)")
    conn.exec_driver_sql("CREATE INDEX ix_action_due ON action (due, id)")
    conn.exec_driver_sql("CREATE INDEX ix_action_report ON action (kind, owner_id, status, due)")


def _v3_links_and_batches(conn: Connection) -> None:
    """Actions link to the earlier actions they continue (`meeting reconcile`), and history
    events written by one command share a batch, so that `undo` reverts them together."""
    conn.exec_driver_sql("ALTER TABLE action ADD COLUMN follows VARCHAR(2000) NOT NULL "
                         "DEFAULT '[]'")
    conn.exec_driver_sql("ALTER TABLE action ADD COLUMN followed_by VARCHAR(2000) NOT NULL "
                         "DEFAULT '[]'")
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN batch INTEGER")


def _v4_logins_and_origins(conn: Connection) -> None:
    """Each history event records the database login that made it (beside the actor name
    anyone can type), and an action imported from a spreadsheet row records which row, unique,
    so that two imports of one file at once add each row once."""
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN login VARCHAR(200)")
    conn.exec_driver_sql("ALTER TABLE action ADD COLUMN origin VARCHAR(128)")
    conn.exec_driver_sql("CREATE UNIQUE INDEX uq_action_origin ON action (origin)")


def _v5_statement_files(conn: Connection) -> None:
    """A meeting records the name of the file its statement was read from, so that the same
    statement in another format can be told as such ("already imported from ahg17.txt")."""
    conn.exec_driver_sql("ALTER TABLE meeting ADD COLUMN source_file VARCHAR(255)")


def _v6_linked_actions(conn: Connection) -> None:
    """The few actions linked across meetings get an index of their own: every report reads
    them, and found them by reading the whole action table (0.014 s at 100,000 actions, or
    0.19 s when SQLite chose to walk it body by body)."""
    conn.exec_driver_sql("CREATE INDEX ix_action_linked ON action (id) "
                         "WHERE follows <> '[]' OR followed_by <> '[]'")


def _v7_blocking_events(conn: Connection) -> None:
    """The events that blocked an action get an index of their own: a report's blocked list
    and the reminders ask each blocked action why, and read every event of it to find out
    (0.022 s for the 4,000 blocked of 100,000 actions; through the index 0.004 s)."""
    conn.exec_driver_sql("CREATE INDEX ix_event_blocking ON event (action_id, id) "
                         "WHERE type = 'status' AND new = 'blocked'")


def _v8_reminder_and_note_indexes(conn: Connection) -> None:
    """On SQLite, the active dated actions get an index holding what a reminder line shows,
    in due order: `remind` reads it alone (31,000 lines of 100,000 actions, 0.065 -> 0.04 s,
    and no sort); and a report's commitments one holding what its page shows, in the page's
    order (by owner, soonest due first: 85,000 rows 0.19 -> 0.12 s, no sort). On both, the
    notes and the undoing events get an index of their own: a report's Notes column found
    each action's latest note by reading every event (0.04 s at 170,000 events, with no note
    at all)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE INDEX ix_action_dated ON action (due, id, status, owner_id, assignee, "
            "assignee_email, ref, title) WHERE status IN ('open', 'in_progress', 'blocked') "
            "AND due IS NOT NULL")
        conn.exec_driver_sql(
            "CREATE INDEX ix_action_page ON action (owner_id, (due IS NULL), due, id, ref, "
            "title, status, assignee, resolution, kind) WHERE kind IN ('action', 'ongoing')")
    conn.exec_driver_sql("CREATE INDEX ix_event_notes ON event (action_id, id) "
                         "WHERE type = 'note'")
    conn.exec_driver_sql("CREATE INDEX ix_event_undoes ON event (undoes) "
                         "WHERE undoes IS NOT NULL")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "reminders-and-undo", _v2_reminders_and_undo),
    Migration(3, "links-and-batches", _v3_links_and_batches),
    Migration(4, "logins-and-origins", _v4_logins_and_origins),
    Migration(5, "statement-files", _v5_statement_files),
    Migration(6, "linked-actions", _v6_linked_actions),
    Migration(7, "blocking-events", _v7_blocking_events),
    Migration(8, "reminder-and-note-indexes", _v8_reminder_and_note_indexes),
)


def pending(current: int) -> list[Migration]:
    return [m for m in MIGRATIONS if m.version > current]
