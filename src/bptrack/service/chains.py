"""A commitment's line through the meetings: where it was made, repeated, reported on and
closed, from the links that `meeting reconcile --apply` makes (follows / followed_by).

The linked actions are split into lines: two linked commitments are one line unless their
sentences set them apart (another year, ordinal or place: the next Joint Period of Action is
a successor, a line of its own; see reconcile.set_apart). A record linked to a commitment is
what a later statement reported of it: done when its verb says so, progress otherwise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bptrack.store import queries
from bptrack.store.db import Conn
from bptrack.store.queries.chains import Linked
from bptrack.vocabulary import ACTIVE

COMMITMENTS = ("action", "ongoing")
STALLED_AFTER = 2  # carried forward this many times with no progress: worth raising


def lines(linked: Iterable[Linked]) -> list[list[Linked]]:
    """The linked actions as lines, each oldest first (by meeting date, then number)."""
    by_ref = {row.ref: row for row in linked}
    if not by_ref:  # nothing reconciled yet: no need of reconcile's patterns (6 ms to load)
        return []
    from bptrack.service.reconcile import set_apart

    parent = {ref: ref for ref in by_ref}

    def root(ref: str) -> str:
        while parent[ref] != ref:
            parent[ref] = parent[parent[ref]]
            ref = parent[ref]
        return ref

    for row in by_ref.values():
        for ref in row.links:
            other = by_ref.get(ref)
            if other is None:
                continue
            first, then = sorted((row, other), key=_when)
            if (first.kind in COMMITMENTS and then.kind in COMMITMENTS
                    and set_apart(first.source or first.title, then.source or then.title,
                                  record=False)):
                continue  # a successor: another occurrence of the work, its own line
            parent[root(row.ref)] = root(other.ref)
    grouped: dict[str, list[Linked]] = {}
    for ref, row in by_ref.items():
        grouped.setdefault(root(ref), []).append(row)
    return [sorted(group, key=_when) for group in grouped.values()]


def _when(row: Linked) -> tuple[str, int, int]:
    return (row.meeting_date or "", row.meeting_id or 0, row.id)


def chain(line: Sequence[Linked]) -> list[dict[str, Any]]:
    """The contract's chain: each meeting of the line with its role and sentence."""
    from bptrack.service.reconcile import reports_done

    out = []
    made = next((row for row in line if row.kind in COMMITMENTS), None)
    for row in line:
        if row.kind in COMMITMENTS:
            role = "made" if row is made else "repeated"
        elif row.kind == "record" and made is not None:
            role = "done" if reports_done(made.kind, row.source or row.title) else "progress"
        else:
            continue
        out.append({"meeting": row.meeting, "ref": row.ref, "role": role,
                    "source": row.source or row.title})
    return out


def made_here(action: dict[str, Any]) -> list[dict[str, Any]]:
    """The chain of an action with no links: the meeting that made it, if any."""
    if action["meeting"] is None or action["kind"] not in COMMITMENTS:
        return []
    return [{"meeting": action["meeting"], "ref": action["ref"], "role": "made",
             "source": action["source"] or action["title"]}]


def chain_of(conn: Conn, action: dict[str, Any]) -> list[dict[str, Any]]:
    """An action's chain: the line it is part of."""
    if not action["follows"] and not action["followed_by"]:
        return made_here(action)
    for line in lines(queries.linked_actions(conn, [action["ref"]])):
        if any(row.ref == action["ref"] for row in line):
            return chain(line)
    return made_here(action)


def with_chains(conn: Conn, actions: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Each action with its chain, as it streams past (a query only for linked ones)."""
    for action in actions:
        action["chain"] = chain_of(conn, action)
        yield action


def carried(conn: Conn) -> list[dict[str, Any]]:
    """The lines carried forward: the newest commitment of each, with how many times it was
    made again; `stalled` when that is STALLED_AFTER or more, none of the meetings reported
    progress, and it is still active."""
    out = []
    for line in lines(queries.all_linked(conn)):
        steps = chain(line)
        repeats = sum(1 for step in steps if step["role"] == "repeated")
        if not repeats:
            continue
        latest = [row for row in line if row.kind in COMMITMENTS][-1]
        out.append({"ref": latest.ref, "title": latest.title, "owner": latest.owner,
                    "status": latest.status, "first_made": steps[0]["meeting"],
                    "times": repeats, "meetings": [step["meeting"] for step in steps],
                    "stalled": repeats >= STALLED_AFTER and latest.status in ACTIVE
                    and not any(step["role"] in ("progress", "done") for step in steps),
                    "refs": [row.ref for row in line if row.kind in COMMITMENTS],
                    "meeting_ids": {row.meeting_id for row in line}})
    return out
