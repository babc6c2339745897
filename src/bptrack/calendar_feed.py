"""An iCalendar feed of dated active actions, for a calendar to subscribe to."""

from __future__ import annotations

import datetime as dt

from bptrack.store import queries
from bptrack.store.db import Database

PRODID = "-//bptrack//Bali Process follow-up actions//EN"


def calendar(store: Database, *, owner: str | None = None, assignee: str | None = None) -> bytes:
    """One all-day event per dated active action; UIDs follow the ref, so they stay stable."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Bali Process follow-up actions")
    with store.read() as conn:
        actions = queries.dated_active(conn, queries.who_conditions(conn, owner, assignee))
    for action in actions:
        due = dt.date.fromisoformat(action["due"])
        event = Event()
        event.add("uid", f"{action['ref'].lower()}@bptrack")
        # DTSTAMP from the action itself, so an unchanged database gives an unchanged feed.
        event.add("dtstamp", dt.datetime.strptime(action["updated_at"], "%Y-%m-%dT%H:%M:%SZ")
                  .replace(tzinfo=dt.UTC))
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("summary", f"{action['ref']}: {action['title']}")
        details = [f"Owner: {action['owner']} ({action['owner_name']})"]
        if action["assignee"]:
            details.append(f"Assignee: {action['assignee']}")
        details.append(f"Status: {action['status']}")
        if action["source"]:
            details.append(f"Source: {action['source']}")
        event.add("description", "\n".join(details))
        event.add("categories", [action["owner"]])
        cal.add_component(event)
    return bytes(cal.to_ical())
