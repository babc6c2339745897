"""Status report data: counts per group from SQL aggregates, the actions, and what changed.

The same data feeds every format; given the same database and options it is the same, in the
same order, every run (only `generated_at` moves).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from bptrack.clock import iso_utc, start_of_day, utcnow
from bptrack.errors import InvalidValue, NotFound
from bptrack.service import chains
from bptrack.store import queries
from bptrack.store.db import Conn, Database
from bptrack.store.queries import (
    GROUP_BY,
    LISTED_DUE_SOON,
    LISTED_OVERDUE,
    PAGE_DUE,
    PAGE_ID,
    PAGE_LISTED,
    STATUSES,
    Happened,
    PageRow,
    Scope,
)
from bptrack.vocabulary import ACTIVE, CLOSED, MAX_DAYS

T = TypeVar("T")
__all__ = ["GROUP_BY", "LISTED_DUE_SOON", "LISTED_OVERDUE", "PAGE_DUE", "PAGE_ID", "PAGE_LISTED",
           "PageRow", "Report", "ReportOptions", "open_report"]


class ReportOptions(NamedTuple):
    group_by: str = "owner"
    as_of: dt.date | None = None
    since: dt.date | None = None
    since_meeting: str | None = None
    due_soon_days: int = 14


@dataclass
class Report:
    """A status report. Its actions stream from the open read transaction, group by group."""

    header: dict[str, Any]
    totals: dict[str, int]
    groups: list[dict[str, Any]]  # counts only; the actions come from `grouped()`
    changes: list[dict[str, Any]]
    _actions: Callable[[], Iterator[tuple[Any, dict[str, Any]]]]
    _overdue: Callable[[int | None], list[dict[str, Any]]]
    _actions_json: Callable[[], Iterator[tuple[Any, list[str]]]]
    _blocked: Callable[[int | None], list[dict[str, Any]]]
    _due_soon: Callable[[int | None], list[dict[str, Any]]]
    _pages: Callable[[], Iterator[tuple[Any, list[PageRow]]]]
    _owner_codes: Callable[[], dict[int, str]]
    # With --since-meeting: what became of that meeting's commitments, and the meeting.
    follow_up: dict[str, list[dict[str, Any]]] | None = None
    meeting: dict[str, Any] | None = None  # ref, title, date, location
    _notes: Callable[[], dict[int, str]] = dict
    # The commitments carried forward from meeting to meeting (see chains.carried)
    carried: list[dict[str, Any]] = field(default_factory=list)

    def grouped(self) -> Iterator[tuple[dict[str, Any], Iterator[dict[str, Any]]]]:
        """Each group with an iterator over its actions (consume them in order)."""
        return _by_group(self.groups, self._actions())

    def grouped_json(self) -> Iterator[tuple[dict[str, Any], Iterator[list[str]]]]:
        """The same, each action as JSON text made by the database, in runs."""
        return _by_group(self.groups, self._actions_json())

    def pages(self) -> Iterator[tuple[Any, list[PageRow]]]:
        """Runs of what a page shows of the actions (PageRow), each with its group's key,
        each row marked if it is also on the overdue or the due-soon list: a long page is
        made from this one read. The groups come in an order of the database's own, each
        group's actions in order (soonest due first): its runs follow one another."""
        return self._pages()

    def owner_codes(self) -> dict[int, str]:
        """Every body's code by id, for the owners of PageRows."""
        return self._owner_codes()

    def overdue(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The overdue actions, most overdue first (the first `limit` of them)."""
        return self._overdue(limit)

    def due_soon(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The active actions due in the next `due_soon_days`, soonest first."""
        return self._due_soon(limit)

    def blocked(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The blocked actions, each with the reason given when it was blocked."""
        return self._blocked(limit)

    def notes(self) -> dict[int, str]:
        """Each action's latest note, by id, for the documents' Notes column."""
        return self._notes()

    def as_dict(self) -> dict[str, Any]:
        """The whole report in memory: the contract's JSON object, with each action's
        `block_reason` (if blocked) and `latest_note` for the documents' Notes column."""
        blocked = self.blocked()
        reasons = {b["id"]: b["reason"] for b in blocked}
        notes = self.notes()
        groups = [{**group, "actions": [{**a, "block_reason": reasons.get(a["id"]),
                                         "latest_note": notes.get(a["id"])}
                                        for a in actions]}
                  for group, actions in self.grouped()]
        document = {**self.header, "totals": self.totals, "groups": groups,
                    "due_soon": self.due_soon(), "blocked": blocked, "changes": self.changes,
                    "carried": self.carried}
        if self.follow_up is not None:
            document["follow_up"] = self.follow_up
        return document


def _by_group(groups: list[dict[str, Any]], stream: Iterator[tuple[Any, T]]
              ) -> Iterator[tuple[dict[str, Any], Iterator[T]]]:
    """Split one stream of (group key, item), ordered like the groups, into the groups (a
    group whose key the stream has not next gets nothing). The runs are itertools'
    (85,000 actions went through a generator of their own a tenth slower)."""
    runs = groupby(stream, key=itemgetter(0))
    run = next(runs, None)
    for group in groups:
        if run is not None and run[0] == group["key"]:
            yield group, map(itemgetter(1), run[1])
            run = next(runs, None)  # what the caller did not read of this group is passed
        else:
            yield group, iter(())


@contextmanager
def open_report(store: Database, options: ReportOptions) -> Iterator[Report]:
    as_of = options.as_of or dt.date.today()
    if not 0 <= options.due_soon_days <= MAX_DAYS:
        raise InvalidValue(f"the due-soon window is a number of days from 0 to {MAX_DAYS}")
    if options.group_by not in GROUP_BY:
        raise InvalidValue(f"a report cannot be grouped by {options.group_by!r}: use "
                           f"{', '.join(GROUP_BY)}")
    with store.read() as conn:
        since = options.since
        scope = Scope()
        meeting_ref = meeting = None
        if options.since_meeting is not None:
            found = queries.meeting_by_ref(conn, options.since_meeting)
            if found is None:
                raise NotFound(f"no meeting {options.since_meeting!r}: "
                               "see `bptrack meeting list`")
            scope = Scope(meeting_id=found[0])
            meeting_ref = found[1]
            meeting = queries.meeting_heading(conn, found[0])
            since = since or found[2]
        groups = queries.report_groups(conn, options.group_by, scope, as_of,
                                       options.due_soon_days)
        totals = {status: 0 for status in STATUSES} | {"overdue": 0, "due_soon": 0}
        for group in groups:
            for key in totals:
                totals[key] += group[key]
            del group["due_soon"]
        header = {"generated_at": iso_utc(utcnow()), "as_of": as_of.isoformat(),
                  "since": since.isoformat() if since else None, "meeting": meeting_ref,
                  "group_by": options.group_by}
        changes = _changes(conn, scope, since, as_of) if since else []
        lines = chains.carried(conn)  # the lines carried forward, for both lists of them
        codes = cache(lambda: queries.owner_codes(conn))  # asked once, if a page is made
        yield Report(header, totals, groups, changes,
                     lambda: queries.report_actions(conn, options.group_by, scope, as_of),
                     lambda limit: queries.overdue_actions(conn, scope, as_of, limit),
                     lambda: queries.report_actions_json(conn, options.group_by, scope, as_of),
                     lambda limit: queries.blocked_actions(conn, scope, as_of, limit),
                     lambda limit: queries.due_soon_actions(
                         conn, scope, as_of, options.due_soon_days, limit),
                     lambda: queries.page_rows(conn, options.group_by, scope, as_of,
                                               options.due_soon_days, codes()),
                     codes,
                     _follow_up(conn, scope, lines) if meeting_ref else None, meeting,
                     lambda: queries.latest_notes(conn, scope), _carried(lines, scope))


def _carried(lines: list[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    """The lines carried forward that the report covers: any (or those through its
    meeting), most often carried first."""
    covered = [{k: v for k, v in line.items() if k != "meeting_ids"} for line in lines
               if scope.meeting_id is None or scope.meeting_id in line["meeting_ids"]]
    return sorted(covered, key=lambda c: (-c["times"], c["ref"]))


def _net(rows: list[Happened], since: dt.date, as_of: dt.date) -> list[dict[str, Any]]:
    """One action's events in the period (undone ones left out) → its net changes."""
    first = rows[0]
    out: list[dict[str, Any]] = []

    def change(kind: str, row: Happened, old: Any, new: Any) -> None:
        out.append({"change": kind, "date": row.at, "action_id": row.action_id,
                    "seq": row.id, "ref": row.ref, "title": row.title, "actor": row.actor,
                    "old": old, "new": new, "note": row.note})

    created = next((r for r in rows if r.type == "create"), None)
    if created is not None:
        # Seeding and imports bring in what a meeting decided: new only when it met after
        # the period began; a briefing since a meeting never counts its own items as new.
        from_statement = (created.note or "").startswith(("from the ", "imported from "))
        held = first.meeting_date is not None and since < first.meeting_date <= as_of
        if not from_statement or held:
            change("new", created, None, None)
    statuses = [r for r in rows if r.type == "status"]
    if statuses:
        before, after = statuses[0].old, statuses[-1].new
        if after in CLOSED and before not in CLOSED:
            change("closed", statuses[-1], before, after)
        elif before in CLOSED and after not in CLOSED:
            change("reopened", statuses[-1], before, after)
        elif after == "blocked" and before != "blocked":
            change("blocked", statuses[-1], before, after)
    people = [r for r in rows if r.type in ("assign", "unassign")]
    if people and people[0].old != people[-1].new:
        change("reassigned", people[-1], people[0].old, people[-1].new)
    dues = [r for r in rows if r.type == "edit"]
    if dues and dues[0].old != dues[-1].new:
        change("due_changed", dues[-1], dues[0].old, dues[-1].new)
    return out


REPORTED = "Reported at "  # how `meeting reconcile --apply` starts a resolution


def _follow_up(conn: Conn, scope: Scope, lines: list[dict[str, Any]]
               ) -> dict[str, list[dict[str, Any]]]:
    """The meeting's commitments since: done (reported so by a later statement, or closed by
    hand, with who and when), carried forward (by the later items that follow them), or
    not mentioned: the ones to chase."""
    out: dict[str, list[dict[str, Any]]] = {"reported_done": [], "carried_forward": [],
                                            "not_mentioned": []}
    # How many times each commitment was carried forward (made again at later meetings)
    times = {ref: line["times"] for line in lines for ref in line["refs"]}
    for c in queries.meeting_commitments(conn, scope):
        if c.status == "done":
            how = "statement" if (c.resolution or "").startswith(REPORTED) else "hand"
            out["reported_done"].append({"ref": c.ref, "title": c.title,
                                         "resolution": c.resolution, "closed_at": c.closed_at,
                                         "closed_by": c.closed_by, "how": how})
        elif c.followed_by:
            out["carried_forward"].append({"ref": c.ref, "title": c.title, "status": c.status,
                                           "by": c.followed_by,
                                           "times": times.get(c.ref, 0)})
        elif c.status in ACTIVE:
            out["not_mentioned"].append({"ref": c.ref, "title": c.title, "status": c.status})
    return out


def _changes(conn: Conn, scope: Scope, since: dt.date, as_of: dt.date
             ) -> list[dict[str, Any]]:
    """The net change of each action over the period, from its history: new, closed,
    reopened, blocked, reassigned, due changed; and those that became overdue. A change
    undone, or one that ends where it began (closed then reopened), shows nothing."""
    begin, end = start_of_day(since), start_of_day(as_of + dt.timedelta(days=1))
    by_action: dict[int, list[Happened]] = {}
    for row in queries.changes_between(conn, scope, begin, end):
        by_action.setdefault(row.action_id, []).append(row)
    changes = []
    for rows in by_action.values():
        changes += _net(rows, since, as_of)
    for id_, ref, title, due in queries.came_due(conn, scope, since, as_of):
        changes.append({"change": "became_overdue",
                        "date": iso_utc(start_of_day(due + dt.timedelta(days=1))),
                        "action_id": id_, "ref": ref, "title": title, "actor": None,
                        "old": None, "new": due.isoformat(), "note": None, "seq": 0})
    # History order within a second; a due date passing sorts before that day's changes.
    changes.sort(key=lambda c: (c["date"], c["seq"], c["action_id"]))
    for change in changes:
        del change["seq"]
    return changes
