"""Reminders for cron: the due and overdue digest, by assignee (e-mail: reminder_mail.py)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from operator import itemgetter
from typing import Any, NamedTuple

from bptrack.clock import today
from bptrack.collector import paused
from bptrack.errors import InvalidValue
from bptrack.store import queries
from bptrack.store.db import Database
from bptrack.store.queries.reminders import DUE, OWNER, WHOM
from bptrack.vocabulary import MAX_DAYS


# NamedTuples rather than dataclasses: `remind` runs from cron and on every login's prompt
# in some setups, and a dataclass costs a third of a millisecond to define.
class Group(NamedTuple):
    """The actions one person (or, when unassigned, one owner body) should hear about."""

    key: str
    assignee: str | None
    email: str | None
    owner: str | None
    actions: list[dict[str, Any]]


class Digest(NamedTuple):
    as_of: dt.date
    within: int
    groups: list[Group]

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "within": self.within,
                "groups": [{"key": g.key, "assignee": g.assignee, "email": g.email,
                            "owner": g.owner, "actions": g.actions} for g in self.groups]}


class TextDigest(NamedTuple):
    """The cron digest as text needs it: counts first, then each group's lines, in the
    digest's order."""

    as_of: dt.date
    within: int
    overdue: int
    total: int
    groups: list[tuple[str, list[queries.DigestLine]]]  # whom, and their lines


def _window(within: int) -> tuple[dt.date, dt.date]:
    """Today, and the last day a reminder looks ahead to."""
    if not 0 <= within <= MAX_DAYS:
        raise InvalidValue(f"a reminder looks ahead 0 to {MAX_DAYS} days, not {within}")
    on = today()
    return on, on + dt.timedelta(days=within)


def text_digest(store: Database, within: int, *, owner: str | None = None,
                assignee: str | None = None) -> TextDigest:
    """What `remind` prints, from one read: the lines come as tuples, soonest due first, and
    are grouped whom by whom here (each group keeps that order) and counted."""
    on, until = _window(within)
    groups: dict[str | int | None, list[queries.DigestLine]] = {}
    with store.read() as conn, paused():  # 31,000 lines kept: see bptrack.collector
        who = queries.who_conditions(conn, owner, assignee)
        rows = queries.due_digest(conn, until, who)
        for row in rows:
            key = row[OWNER] if row[WHOM] is None else row[WHOM]  # an assignee, else a body
            group = groups.get(key)
            if group is None:
                groups[key] = [row]
            else:
                group.append(row)
        unassigned = [key for key in groups if isinstance(key, int)]
        names = queries.unassigned_names(conn, unassigned) if unassigned else {}
    named = [(names[key] if isinstance(key, int) else str(key), lines)
             for key, lines in groups.items()]
    named.sort(key=lambda group: _group_order(group[1][0][DUE], group[0]))
    overdue = bisect_left(rows, on.isoformat(), key=itemgetter(DUE))
    return TextDigest(on, within, overdue, len(rows), named)


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
                    Group(whom, action["assignee"], action["assignee_email"], None, [])
                    if action["assignee"] else Group(whom, None, None, action["owner"], []))
            group.actions.append(action)
    ordered = sorted(groups.values(),
                     key=lambda g: _group_order(g.actions[0]["due"], g.key))
    return Digest(on, within, ordered)


def _group_order(soonest_due: str, whom: str) -> tuple[str, str]:
    """Where a group goes in a digest, from its soonest due date (its first action's): whoever
    has something overdue first, then by the soonest due, then by name. (Overdue is due
    before today, so the soonest due come first.)"""
    return soonest_due, whom
