"""Reminders for cron: the due and overdue digest, by assignee (e-mail: reminder_mail.py)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from bptrack.clock import today
from bptrack.errors import InvalidValue
from bptrack.store import queries
from bptrack.store.db import Database
from bptrack.store.queries.reminders import DUE, WHOM
from bptrack.vocabulary import MAX_DAYS


@dataclass
class Group:
    """The actions one person (or, when unassigned, one owner body) should hear about."""

    key: str
    assignee: str | None
    email: str | None
    owner: str | None
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Digest:
    as_of: dt.date
    within: int
    groups: list[Group]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "within": self.within,
                "groups": [{"key": g.key, "assignee": g.assignee, "email": g.email,
                            "owner": g.owner, "actions": g.actions} for g in self.groups]}


@dataclass
class TextDigest:
    """The cron digest as text needs it: counts first, then lines as they are read."""

    as_of: dt.date
    within: int
    overdue: int
    total: int
    lines: Iterator[queries.DigestLine]  # in the digest's order


def _window(within: int) -> tuple[dt.date, dt.date]:
    """Today, and the last day a reminder looks ahead to."""
    if not 0 <= within <= MAX_DAYS:
        raise InvalidValue(f"a reminder looks ahead 0 to {MAX_DAYS} days, not {within}")
    on = today()
    return on, on + dt.timedelta(days=within)


@contextmanager
def text_digest(store: Database, within: int, *, owner: str | None = None,
                assignee: str | None = None) -> Iterator[TextDigest]:
    """What `remind` prints, from one read: the lines come as tuples, and are grouped whom by
    whom, put in the digest's order and counted here."""
    on, until = _window(within)
    with store.read() as conn:
        who = queries.who_conditions(conn, owner, assignee)
        rows = queries.due_digest(conn, until, who)
    groups: dict[str, list[queries.DigestLine]] = {}
    for row in rows:
        group = groups.get(row[WHOM])
        if group is None:
            groups[row[WHOM]] = [row]
        else:
            group.append(row)
    due, today_text, overdue = itemgetter(DUE), on.isoformat(), 0
    for group in groups.values():
        group.sort(key=due)  # stable: soonest due first, then by id
        overdue += bisect_left(group, today_text, key=due)
    ordered = sorted(groups.values(), key=lambda g: _group_order(g[0][DUE], g[0][WHOM]))
    yield TextDigest(on, within, overdue, len(rows),
                     (line for group in ordered for line in group))


def digest(store: Database, within: int, *, owner: str | None = None,
           assignee: str | None = None) -> Digest:
    """Active actions overdue or due within `within` days, by assignee (else owner): whole
    actions, in memory, for JSON and e-mail (text streams, see text_digest)."""
    on, until = _window(within)
    groups: dict[str, Group] = {}
    with store.read() as conn:
        who = queries.who_conditions(conn, owner, assignee)
        for whom, action in queries.due_actions(conn, until, on, who):
            group = groups.get(whom)
            if group is None:
                group = groups[whom] = (
                    Group(whom, action["assignee"], action["assignee_email"], None)
                    if action["assignee"] else Group(whom, None, None, action["owner"]))
            group.actions.append(action)
    ordered = sorted(groups.values(),
                     key=lambda g: _group_order(g.actions[0]["due"], g.key))
    return Digest(on, within, ordered)


def _group_order(soonest_due: str, whom: str) -> tuple[str, str]:
    """Where a group goes in a digest, from its soonest due date (its first action's): whoever
    has something overdue first, then by the soonest due, then by name. (Overdue is due
    before today, so the soonest due come first.)"""
    return soonest_due, whom
