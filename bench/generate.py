"""Make benchmark databases: the seed plus N generated actions across many meetings, bodies
and assignees, with a realistic mix of kinds, statuses and due dates, and their history.

    python bench/generate.py 100000 bench/data/100k.db

Deterministic (a fixed random seed), and fast: rows go in through SQLAlchemy Core in batches.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

from bptrack import service
from bptrack.config import Settings
from bptrack.store.schema import action_t, body_t, event_t, meeting_t

BODY_KINDS = ["working group", "task force", "forum", "office", "members", "external"]
STATUS_MIX = [("open", 55), ("in_progress", 12), ("blocked", 5), ("done", 23),
              ("cancelled", 5)]
KIND_MIX = [("action", 60), ("ongoing", 25), ("record", 10), ("note", 5)]
VERBS = ["Develop", "Review", "Publish", "Convene", "Update", "Strengthen", "Map", "Pilot",
         "Report on", "Coordinate"]
TOPICS = ["regional guidance on victim identification", "a joint period of action",
          "the policy guide on returns", "border management training",
          "information campaigns on social media", "research on forced marriage",
          "cooperation with technology platforms", "national coordination mechanisms",
          "supply-chain transparency pilots", "data sharing between members"]
COUNTRIES = ["Australia", "Bangladesh", "Cambodia", "Fiji", "Indonesia", "Japan", "Malaysia",
             "Maldives", "Myanmar", "New Zealand", "Pakistan", "Philippines", "Sri Lanka",
             "Thailand", "Viet Nam", "IOM", "UNHCR", "UNODC"]


def _pick(rng: random.Random, mix: list[tuple[str, int]]) -> str:
    return rng.choices([m for m, _ in mix], weights=[w for _, w in mix])[0]


def generate(count: int, target: str) -> None:
    rng = random.Random(20221206)
    store = service.open_schema_tools(target, Settings(), init=True).store
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with store.write() as conn:
        bodies = [{"code": f"B{n:03d}", "name": f"Generated body {n:03d} "
                   f"{rng.choice(['Working Group', 'Task Force', 'Forum', 'Office'])}",
                   "kind": rng.choice(BODY_KINDS)} for n in range(40)]
        conn.execute(body_t.insert(), bodies)
        body_ids = [r.id for r in conn.execute(body_t.select().where(
            body_t.c.code.like("B%")))]
        meetings = max(1, count // 400)
        meeting_rows = [{"ref": f"GEN{n:04d}", "title": f"Generated meeting {n}",
                         "ordinal": n, "date": dt.date(2010, 1, 1) + dt.timedelta(days=6 * n),
                         "location": "Bali, Indonesia", "created_at": now}
                        for n in range(meetings)]
        conn.execute(meeting_t.insert(), meeting_rows)
        meeting_ids = [r.id for r in conn.execute(meeting_t.select().where(
            meeting_t.c.ref.like("GEN%")))]
        people = [f"Focal Point {n:03d}" for n in range(150)] + COUNTRIES
        start_id = 1000
        batch: list[dict[str, object]] = []
        events: list[dict[str, object]] = []
        for n in range(count):
            action_id = start_id + n
            kind = _pick(rng, KIND_MIX)
            status = "done" if kind in ("record", "note") else _pick(rng, STATUS_MIX)
            due = None
            if kind in ("action", "ongoing") and rng.random() < 0.8:
                due = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 11 * 365))
            assignee = rng.choice(people) if rng.random() < 0.7 else None
            email = (f"fp{people.index(assignee):03d}@example.org"
                     if assignee and assignee.startswith("Focal") else None)
            created = now - dt.timedelta(days=rng.randrange(0, 2000), seconds=n)
            closed = created + dt.timedelta(days=30) if status in ("done", "cancelled") else None
            batch.append({
                "id": action_id, "ref": f"GEN-{action_id}",
                "title": f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({n})", "kind": kind,
                "status": status, "owner_id": rng.choice(body_ids),
                "partners": json.dumps(rng.sample([b["code"] for b in bodies],
                                                  rng.randrange(0, 3))),
                "assignee": assignee, "assignee_email": email, "due": due,
                "meeting_id": rng.choice(meeting_ids),
                "source": f"Will {rng.choice(VERBS).lower()} {rng.choice(TOPICS)} in "
                          f"{(due or dt.date(2025, 1, 1)).year}.",
                "resolution": "Completed" if status == "done" else None,
                "created_at": created, "updated_at": closed or created, "closed_at": closed})
            events.append({"action_id": action_id, "at": created, "actor": "generator",
                           "type": "create", "field": None, "old": None, "new": None,
                           "note": None})
            if assignee:
                events.append({"action_id": action_id, "at": created, "actor": "generator",
                               "type": "assign", "field": "assignee", "old": None,
                               "new": assignee, "note": None})
            if len(batch) >= 5000:
                conn.execute(action_t.insert(), batch)
                conn.execute(event_t.insert(), events)
                batch, events = [], []
        if batch:
            conn.execute(action_t.insert(), batch)
            conn.execute(event_t.insert(), events)
        if not store.is_sqlite:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('action', 'id'), "
                                 "(SELECT MAX(id) FROM action))")
    if store.is_sqlite:  # the planner's statistics, as bptrack leaves them after a `db load`
        with store.engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit = 400")
            conn.exec_driver_sql("ANALYZE")
    store.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/generate.py COUNT TARGET")
    target = sys.argv[2]
    if "://" not in target and Path(target).exists():
        sys.exit(f"{target} exists already")
    generate(int(sys.argv[1]), target)
