"""The hand-written SQL of the everyday commands against the declared schema, on both backends.

The database here is built from the SQLModel models alone (create_all), not by bptrack's own
set-up, and filled through SQLAlchemy Core. Every function of store/queries.py that runs SQL
is then run against it: a column renamed in the models, or a query that names one that does
not exist, fails here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from bptrack.store import queries
from bptrack.store.db import Conn, Database
from bptrack.store.queries import ActionQuery, Scope, Where
from bptrack.store.schema import (
    SCHEMA_VERSION,
    SQLITE_APPLICATION_ID,
    action_t,
    attendance_t,
    body_t,
    event_t,
    meeting_t,
    member_t,
    meta_t,
)
from bptrack.store.target import resolve_target
from conftest import PG_URL, pg_schema

NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 1)


def fill(url: str) -> None:
    """The schema from the models, and a little of everything in it."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
            SQLModel.metadata.create_all(conn)
            conn.execute(meta_t.insert(), [{"key": "schema_version",
                                            "value": str(SCHEMA_VERSION)}])
            conn.execute(body_t.insert(), [
                {"id": 1, "code": "WGTIP", "name": "Working Group on Trafficking in Persons",
                 "kind": "working_group"},
                {"id": 2, "code": "RSO", "name": "Regional Support Office", "kind": "office"}])
            conn.execute(meeting_t.insert(), [{"id": 1, "ref": "AHG16", "title": "Sixteenth",
                                               "date": dt.date(2022, 12, 6), "created_at": NOW}])
            conn.execute(member_t.insert(), [{"id": 1, "name": "Indonesia", "kind": "country"}])
            conn.execute(attendance_t.insert(), [{"meeting_id": 1, "member_id": 1}])
            rows = []
            for n, (status, due) in enumerate([("open", dt.date(2026, 1, 31)),
                                               ("blocked", dt.date(2026, 3, 10)),
                                               ("done", None), ("in_progress", None)], 1):
                rows.append({"id": n, "ref": f"AHG16-{n:02d}", "title": f"Commitment {n}",
                             "kind": "action", "status": status, "owner_id": 1 + n % 2,
                             "partners": '["RSO"]', "assignee": "Jane Doe" if n == 1 else None,
                             "assignee_email": "jane@example.org" if n == 1 else None,
                             "due": due, "meeting_id": 1, "source": f"Will do {n}.",
                             "resolution": "Held" if status == "done" else None,
                             "created_at": NOW, "updated_at": NOW,
                             "closed_at": NOW if status == "done" else None,
                             "follows": "[]", "followed_by": "[]"})
            conn.execute(action_t.insert(), rows)
            conn.execute(event_t.insert(), [  # every row names every column (executemany)
                {"id": 1, "action_id": 1, "at": NOW, "actor": "seed", "type": "create",
                 "field": None, "old": None, "new": None, "note": None, "batch": None},
                {"id": 2, "action_id": 2, "at": NOW, "actor": "ana", "type": "status",
                 "field": "status", "old": "open", "new": "blocked", "note": "waiting",
                 "batch": None},
                {"id": 3, "action_id": 1, "at": NOW, "actor": "ana", "type": "assign",
                 "field": "assignee", "old": None, "new": "Jane Doe", "note": None,
                 "batch": 3}])
            if conn.dialect.name == "postgresql":  # rows given ids: move the sequences on
                for table in ("body", "meeting", "member", "action", "event"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                         f"'id'), (SELECT max(id) FROM {table}))")
    finally:
        engine.dispose()


@pytest.fixture
def models_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'models.db'}"
        fill(url)
        database = Database(resolve_target(url), busy_timeout=5)
        yield database
        database.close()
        return
    assert PG_URL
    with pg_schema() as url:
        fill(url)
        database = Database(resolve_target(url), busy_timeout=5)
        yield database
        database.close()


def calls() -> dict[str, Callable[[Conn], Any]]:
    """One call of each query, with arguments that make it do real work."""
    scope = Scope(meeting_id=1)
    who = Where()
    return {
        "resolve_body_id": lambda c: queries.resolve_body_id(c, "wgtip"),
        "meeting_by_ref": lambda c: queries.meeting_by_ref(c, "ahg16"),
        "iter_matching": lambda c: list(queries.iter_matching(c, ActionQuery(
            search="commit", owner="RSO", limit=2, sort="owner", overdue=False,
            meeting="AHG16", assignee="jane", due_within=400, due_before=DAY))) + list(
            queries.iter_matching(c, ActionQuery(everything=True))),
        "count_matching": lambda c: queries.count_matching(c, ActionQuery(
            statuses=["active"], kinds=["all"], unassigned=True, overdue=True)),
        "iter_actions": lambda c: list(queries.iter_actions(c, [1, 2])),
        "find_actions": lambda c: queries.find_actions(c, [1], ["AHG16-02"], lock=True),
        "refs_starting": lambda c: queries.refs_starting(c, "AHG"),
        "action_values": lambda c: queries.action_values(c, 1),
        "update_action": lambda c: queries.update_action(c, 4, {
            "title": "Renamed", "due": DAY, "updated_at": NOW, "owner_id": 2}),
        "insert_actions": lambda c: queries.insert_actions(c, [{
            "ref": "BP-9", "title": "New", "kind": "action", "status": "open", "owner_id": 2,
            "partners": "[]", "due": DAY, "created_at": NOW, "updated_at": NOW,
            "follows": "[]", "followed_by": "[]"}, {
            "title": "Newer", "kind": "action", "status": "open", "owner_id": 2,
            "created_at": NOW, "updated_at": NOW}]),
        "insert_event": lambda c: queries.insert_event(c, 4, NOW, "ana", "edit",
                                                       field_="title", old="a", new="b"),
        "set_event_batch": lambda c: queries.set_event_batch(c, 1, 1),
        "body_codes": lambda c: queries.body_codes(c, [1, 2]),
        "events": lambda c: queries.events(c, action_id=1, since=NOW, limit=5),
        "count_events": lambda c: queries.count_events(c, action_id=1, since=NOW),
        "last_undoable": lambda c: queries.last_undoable(c, "ana"),
        "batch_changes": lambda c: queries.batch_changes(c, "ana", 3),
        "restore_updated_at": lambda c: queries.restore_updated_at(c, 1, 3),
        "bodies": queries.bodies,
        "members": queries.members,
        "report_groups": lambda c: [queries.report_groups(c, g, scope, DAY, 14)
                                    for g in queries.GROUP_BY],
        "report_actions": lambda c: [list(queries.report_actions(c, g, Scope(), DAY))
                                     for g in queries.GROUP_BY],
        "report_actions_json": lambda c: [list(queries.report_actions_json(c, g, Scope(), DAY))
                                          for g in queries.GROUP_BY],
        "page_rows": lambda c: [list(queries.page_rows(c, g, Scope(), DAY, 14,
                                                       queries.owner_codes(c)))
                                for g in queries.GROUP_BY],
        "owner_codes": queries.owner_codes,
        "overdue_actions": lambda c: queries.overdue_actions(c, scope, DAY, 10),
        "due_soon_actions": lambda c: queries.due_soon_actions(c, scope, DAY, 14, 10),
        "blocked_actions": lambda c: queries.blocked_actions(c, scope, DAY, 10),
        "changes_between": lambda c: queries.changes_between(
            c, scope, NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1)),
        "came_due": lambda c: queries.came_due(c, scope, dt.date(2026, 1, 1), DAY),
        "meeting_commitments": lambda c: queries.meeting_commitments(c, scope),
        "meeting_heading": lambda c: queries.meeting_heading(c, 1),
        "latest_notes": lambda c: queries.latest_notes(c, scope),
        "linked_actions": lambda c: queries.linked_actions(c, ["AHG16-09"]),
        "all_linked": lambda c: queries.all_linked(c),
        "list_meetings": queries.list_meetings,
        "meeting_named": lambda c: queries.meeting_named(c, "ahg16"),
        "meetings_on": lambda c: queries.meetings_on(c, dt.date(2022, 12, 6)),
        "meeting_of_statement": lambda c: queries.meeting_of_statement(c, "0" * 64),
        "statement_text": lambda c: queries.statement_text(c, 1),
        "attendee_names": lambda c: queries.attendee_names(c, 1),
        "item_counts": lambda c: queries.item_counts(c, 1),
        "known_bodies": queries.known_bodies,
        "earlier_active": lambda c: queries.earlier_active(c, queries.Meeting(
            2, "AHG17", "Seventeenth", 17, DAY, None, None, None)),
        "meeting_items": lambda c: queries.meeting_items(c, 1),
        "statement_actions": lambda c: queries.statement_actions(c, 1),
        "changes_of": lambda c: queries.changes_of(c, [1, 2]),
        "refs_of_meeting": lambda c: queries.refs_of_meeting(c, 1),
        "set_statement": lambda c: queries.set_statement(c, 1, "text", "1" * 64, "s.txt"),
        "findings": queries.findings,
        "due_actions": lambda c: list(queries.due_actions(c, DAY + dt.timedelta(days=30), DAY,
                                                          who)),
        "due_digest": lambda c: queries.due_digest(c, DAY, who),
        "unassigned_names": lambda c: queries.unassigned_names(c, [1, 2]),
        "reminded": lambda c: queries.reminded(c, [1], "jane@example.org", DAY),
        "record_reminders": lambda c: queries.record_reminders(c, [1], "jane@example.org",
                                                               DAY, NOW),
        "dated_active": lambda c: queries.dated_active(c, who),
        "candidate_actions": lambda c: [queries.candidate_actions(c, which)
                                        for which in ("active", "closed", "any")],
        "candidate_assignees": queries.candidate_assignees,
        "candidate_members": queries.candidate_members,
        "candidate_bodies": queries.candidate_bodies,
        "candidate_meetings": queries.candidate_meetings,
        "insert_events": lambda c: queries.insert_events(c, [(1, NOW, "ana", "note", "n")]),
    }


def test_every_query_is_exercised() -> None:
    assert set(calls()) == set(queries.every_query())


def test_every_query_runs_on_the_declared_schema(models_database: Database) -> None:
    results: dict[str, Any] = {}
    with models_database.write() as conn:
        for name, call in calls().items():
            results[name] = call(conn)
    # The answers are the data put in, not just the absence of an error.
    assert results["resolve_body_id"] == 1
    assert results["meeting_by_ref"] == (1, "AHG16", dt.date(2022, 12, 6))
    assert [a["ref"] for a in results["iter_actions"]] == ["AHG16-01", "AHG16-02"]
    assert results["iter_actions"][0]["due"] == "2026-01-31"
    assert results["iter_actions"][0]["created_at"] == "2026-03-01T09:30:00Z"
    reasons = {a["id"]: a["block_reason"] for _, a in results["due_actions"]}
    assert reasons[2] == "waiting" and reasons[1] is None
    assert results["action_values"]["due"] == dt.date(2026, 1, 31)
    assert results["body_codes"] == {1: "WGTIP", 2: "RSO"}
    assert results["bodies"][0]["code"] == "RSO"
    assert results["members"] == [{"name": "Indonesia", "kind": "country", "meetings": 1}]
    assert results["overdue_actions"][0]["ref"] == "AHG16-01"
    assert results["blocked_actions"][0]["reason"] == "waiting"
    assert results["last_undoable"].id == 4  # the event insert_event wrote just before
    assert {a["ref"] for a in results["dated_active"]} == {"AHG16-01", "AHG16-02", "AHG16-04",
                                                           "BP-9"}
    group = results["report_groups"][0]
    assert sum(g["total"] for g in group) == 4
    with models_database.read() as conn:
        assert queries.reminded(conn, [1], "jane@example.org", DAY) == {1}
        assert queries.action_values(conn, 4)["title"] == "Renamed"
