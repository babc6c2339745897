"""Actions: finding, listing, changing them, and their history; bodies and members."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from bptrack.clock import today
from bptrack.errors import Ambiguous, InvalidValue, NotFound, UsageError
from bptrack.store.db import Conn
from bptrack.store.queries.core import (
    MEETING_JOIN,
    OWNER_JOIN,
    SOONEST_DUE,
    STATUS_RANK,
    ActionQuery,
    Where,
    action_fields,
    action_select,
    like,
    marks,
    query,
    row_to_action,
)
from bptrack.vocabulary import ACTIVE, DEFAULT_KINDS, KINDS, SORTS, STATUSES


@query
def resolve_body_id(conn: Conn, text: str) -> int:
    """A body by its code or an unambiguous part of its name, any case."""
    wanted = text.strip()
    if not wanted:
        raise InvalidValue("the body is empty: give a code such as WGTIP or part of a name")
    rows = conn.all("SELECT id, code, name FROM body")
    by_code = [r for r in rows if r[1].lower() == wanted.lower()]
    if by_code:
        return int(by_code[0][0])
    by_name = [r for r in rows if r[2].lower() == wanted.lower()]
    if len(by_name) == 1:
        return int(by_name[0][0])
    partial = [r for r in rows if wanted.lower() in r[2].lower()]
    if len(partial) == 1:
        return int(partial[0][0])
    if not partial:
        raise NotFound(f"no body matches {text!r}: see `bptrack body list`")
    codes = sorted(r[1] for r in partial)
    raise Ambiguous(f"{text!r} is ambiguous: it matches {', '.join(codes)}; give the code",
                    codes)


@query
def meeting_by_ref(conn: Conn, ref: str) -> tuple[int, str, dt.date | None] | None:
    """(id, ref, date) of a meeting, its ref in any case."""
    row = conn.one(f"SELECT id, ref, {conn.dialect.date_text('date')} FROM meeting "
                   "WHERE upper(ref) = ?", [ref.strip().upper()])
    if row is None:
        return None
    return int(row[0]), str(row[1]), dt.date.fromisoformat(row[2]) if row[2] else None


def who_conditions(conn: Conn, owner: str | None, assignee: str | None) -> Where:
    """`--owner BODY` and `--assignee WHO`, the same for list, remind and calendar."""
    where = Where()
    if owner is not None:
        where.add("a.owner_id = ?", resolve_body_id(conn, owner))
    if assignee is not None:
        pattern = like(assignee.strip())
        d = conn.dialect
        where.add(f"({d.ilike('a.assignee')} OR {d.ilike('a.assignee_email')})",
                  pattern, pattern)
    return where


def _conditions(conn: Conn, query_: ActionQuery, on: dt.date, *, ordered: bool = True
                ) -> Where:
    """The filters of a query. `ordered`: rows are wanted in order, so status and kind are
    marked broad (a counting query wants their index instead)."""
    d = conn.dialect
    hint = d.broad if ordered else (lambda condition: condition)
    where = Where()
    if query_.ids:
        where.add(f"a.id IN {marks(query_.ids)}", *query_.ids)
    statuses = STATUSES if query_.everything else tuple(query_.statuses) or ACTIVE
    kinds = KINDS if query_.everything else tuple(query_.kinds) or DEFAULT_KINDS
    if set(statuses) != set(STATUSES):
        where.add(hint(f"a.status IN {marks(statuses)}"), *statuses)
    if set(kinds) != set(KINDS):
        where.add(hint(f"a.kind IN {marks(kinds)}"), *kinds)
    where.extend(who_conditions(conn, query_.owner, query_.assignee))
    if query_.unassigned:
        where.add("a.assignee IS NULL")
    if query_.overdue:
        where.add(f"a.due < ? AND a.status IN {marks(ACTIVE)}", on, *ACTIVE)
    if query_.due_within is not None:
        where.add("a.due <= ?", on + dt.timedelta(days=query_.due_within))
    if query_.due_before is not None:
        where.add("a.due < ?", query_.due_before)
    if query_.meeting is not None:
        found = meeting_by_ref(conn, query_.meeting)
        if found is None:
            raise NotFound(f"no meeting {query_.meeting!r}: see `bptrack meeting list`")
        where.add("a.meeting_id = ?", found[0])
    if query_.search:
        pattern = like(query_.search)
        # Notes and resolutions live in the history: an indexed lookup per candidate action.
        texts = " OR ".join(d.ilike(f"a.{c}") for c in ("title", "source", "ref", "assignee",
                                                          "resolution"))
        where.add(f"({texts} OR EXISTS (SELECT e.id FROM event e WHERE e.action_id = a.id "
                  f"AND {d.ilike('e.note')}))", *([pattern] * 6))
    return where



def _order(sort: str) -> str:
    orders = {"due": SOONEST_DUE, "id": "a.id", "owner": f"b.code, {SOONEST_DUE}",
              "status": f"{STATUS_RANK}, {SOONEST_DUE}", "updated": "a.updated_at DESC, a.id DESC"}
    if sort not in orders:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    return orders[sort]


@query
def iter_matching(conn: Conn, query_: ActionQuery) -> Iterator[dict[str, Any]]:
    """The matching actions, streamed from the database, at most `limit` of them.

    The default order (soonest due first, undated last) is two index-ordered reads rather than
    one sort of every match. With a limit, the page's ids are chosen from the action table
    alone, where an index gives the order, and only that page is joined to its owner and
    meeting: a first page costs a page however large the database.
    """
    on = today()
    today_text = on.isoformat()
    where = _conditions(conn, query_, on)
    limit = query_.limit or None
    if query_.sort == "due":
        parts = [("a.due IS NOT NULL", "a.due, a.id"), ("a.due IS NULL", "a.id")]
    else:
        parts = [("", _order(query_.sort))]
    shown = 0
    for extra, order in parts:
        extras = [extra] if extra else []
        if limit is None:
            sql = f"{action_select(conn)}{where.sql(*extras)} ORDER BY {order}"
            params = list(where.params)
        else:
            if shown >= limit:
                return
            owner_join = OWNER_JOIN if query_.sort == "owner" else ""
            page = (f"SELECT a.id FROM action a{owner_join}{where.sql(*extras)} "
                    f"ORDER BY {order} LIMIT ?")
            sql = (f"SELECT {', '.join(action_fields(conn))} FROM action a "
                   f"JOIN ({page}) page ON a.id = page.id{OWNER_JOIN}{MEETING_JOIN} "
                   f"ORDER BY {order}")
            params = [*where.params, limit - shown]
        for row in conn.stream(sql, params):
            shown += 1
            yield row_to_action(row, today_text)


@query
def count_matching(conn: Conn, query_: ActionQuery) -> int:
    where = _conditions(conn, query_, today(), ordered=False)
    return int(conn.scalar(f"SELECT count(*) FROM action a{where.sql()}", where.params))


@query
def iter_actions(conn: Conn, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    on = today()
    for row in conn.all(f"{action_select(conn)} WHERE a.id IN {marks(ids)} ORDER BY a.id",
                        list(ids)):
        yield row_to_action(row, on)


# --- changing actions ---------------------------------------------------------------------

# What a change may set, by column: every UPDATE names its columns from here.
ACTION_COLUMNS = ("ref", "title", "kind", "status", "owner_id", "partners", "assignee",
                  "assignee_email", "due", "meeting_id", "source", "resolution", "created_at",
                  "updated_at", "closed_at", "follows", "followed_by", "origin")


class Found(NamedTuple):
    """An action as a change needs it."""

    id: int
    ref: str
    title: str
    status: str
    assignee: str | None
    assignee_email: str | None
    kind: str


@query
def find_actions(conn: Conn, numbers: Sequence[int], refs: Sequence[str], *,
                 lock: bool = False) -> list[Found]:
    """The actions with these numbers or refs (any case); with `lock`, their rows stay
    locked until this transaction ends."""
    sql = ("SELECT id, ref, title, status, assignee, assignee_email, kind FROM action "
           f"WHERE id IN {marks(numbers)} OR upper(ref) IN {marks(refs)}")
    if lock:
        sql += conn.dialect.for_update()
    return [Found(*row) for row in conn.all(sql, [*numbers, *refs])]


@query
def refs_starting(conn: Conn, head: str) -> list[str]:
    """Refs that start with `head` (any case), for suggesting the nearest to a typo."""
    return [r for (r,) in conn.all("SELECT ref FROM action WHERE upper(ref) LIKE ? "
                                   "ESCAPE '\\' ORDER BY id LIMIT 5000",
                                   [like(head.upper(), anywhere=False)])]


@query
def action_values(conn: Conn, action_id: int) -> dict[str, Any]:
    """An action's stored columns (dates as dates), for a change to compare and revert."""
    columns = [c for c in ACTION_COLUMNS if c != "due"]
    row = conn.one(f"SELECT id, {conn.dialect.date_text('due')}, {', '.join(columns)} "
                   "FROM action WHERE id = ?", [action_id])
    if row is None:
        raise NotFound(f"no action #{action_id}")
    values = dict(zip(["id", "due", *columns], row, strict=True))
    values["due"] = dt.date.fromisoformat(values["due"]) if values["due"] else None
    return values


@query
def update_action(conn: Conn, action_id: int, values: dict[str, Any]) -> None:
    unknown = set(values) - set(ACTION_COLUMNS)
    if unknown:
        raise ValueError(f"not an action column: {sorted(unknown)}")
    names = list(values)
    conn.execute(f"UPDATE action SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                 [*(values[n] for n in names), action_id])


# Rows a statement of several: far fewer parameters than either driver allows (SQLite 32,766,
# PostgreSQL 65,535), and few round trips for a sheet of 100,000 rows.
INSERT_BATCH = 500
_DEFAULTS = {"partners": "[]", "follows": "[]", "followed_by": "[]"}


@query
def insert_actions(conn: Conn, rows: Sequence[dict[str, Any]]) -> list[int]:
    """The one place actions are added: each row's columns (a row without a ref gets
    BP-{its id}); their ids, in order. Their events are the caller's (service/changes.py)."""
    names = [c for c in ACTION_COLUMNS if c != "ref"]
    for row in rows:
        unknown = set(row) - set(ACTION_COLUMNS)
        if unknown:
            raise ValueError(f"not an action column: {sorted(unknown)}")
    ids: list[int] = []
    placeholder = f"new-{time.time_ns()}-{id(rows)}-"
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start:start + INSERT_BATCH]
        # The ref needs the new id: a unique placeholder holds its place meanwhile
        refs = [row.get("ref") or f"{placeholder}{start + n}" for n, row in enumerate(batch)]
        conn.executemany(f"INSERT INTO action (ref, {', '.join(names)}) VALUES "
                         f"{marks(['ref', *names])}",
                         [[ref, *(row.get(c, _DEFAULTS.get(c)) for c in names)]
                          for ref, row in zip(refs, batch, strict=True)])
        found = dict(conn.all(f"SELECT ref, id FROM action WHERE ref IN {marks(refs)}", refs))
        ids += [int(found[ref]) for ref in refs]
    conn.execute("UPDATE action SET ref = 'BP-' || id WHERE ref LIKE ?", [placeholder + "%"])
    return ids


@query
def insert_events(conn: Conn, events: Sequence[tuple[Any, ...]]) -> None:
    """Many events at once: (action_id, at, actor, type, note) each, by this login."""
    login = conn.login()
    for start in range(0, len(events), INSERT_BATCH):
        conn.executemany("INSERT INTO event (action_id, at, actor, type, note, login) VALUES "
                         "(?, ?, ?, ?, ?, ?)",
                         [(*event, login) for event in events[start:start + INSERT_BATCH]])


@query
def insert_event(conn: Conn, action_id: int, at: dt.datetime, actor: str, type_: str, *,
                 field_: str | None = None, old: str | None = None, new: str | None = None,
                 note: str | None = None, batch: int | None = None,
                 undoes: int | None = None) -> int:
    return conn.insert("INSERT INTO event (action_id, at, actor, type, field, old, new, note, "
                       "batch, undoes, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [action_id, at, actor, type_, field_, old, new, note, batch, undoes,
                        conn.login()])


@query
def set_event_batch(conn: Conn, event_id: int, batch: int) -> None:
    conn.execute("UPDATE event SET batch = ? WHERE id = ?", [batch, event_id])


@query
def body_codes(conn: Conn, body_ids: Sequence[int]) -> dict[int, str]:
    return {int(i): str(c) for i, c in conn.all(
        f"SELECT id, code FROM body WHERE id IN {marks(body_ids)}", list(body_ids))}


# --- history ------------------------------------------------------------------------------

class Event(NamedTuple):
    """A history event as undo reads it."""

    id: int
    action_id: int
    type: str
    field: str | None
    old: str | None
    new: str | None
    batch: int | None


UNDOABLE = ("create", "assign", "unassign", "status", "edit", "note")
_NOT_UNDONE = "e.id NOT IN (SELECT undoes FROM event WHERE undoes IS NOT NULL)"


@query
def events(conn: Conn, *, action_id: int | None = None, since: dt.datetime | None = None,
           limit: int | None = None) -> list[dict[str, Any]]:
    """History events, oldest first; with `limit`, the newest N of them."""
    where = Where()
    if action_id is not None:
        where.add("e.action_id = ?", action_id)
    if since is not None:
        where.add("e.at >= ?", since)
    select = (f"SELECT e.id, e.action_id, {conn.dialect.utc_text('e.at')}, e.actor, e.login, "
              f"e.type, e.field, e.old, e.new, e.note FROM event e{where.sql()}")
    if limit:
        rows = conn.all(f"{select} ORDER BY e.id DESC LIMIT ?", [*where.params, limit])[::-1]
    else:
        rows = conn.all(f"{select} ORDER BY e.id", where.params)
    keys = ("id", "action_id", "at", "actor", "login", "type", "field", "old", "new", "note")
    return [dict(zip(keys, row, strict=True)) for row in rows]


@query
def count_events(conn: Conn, *, action_id: int | None = None,
                 since: dt.datetime | None = None) -> int:
    where = Where()
    if action_id is not None:
        where.add("e.action_id = ?", action_id)
    if since is not None:
        where.add("e.at >= ?", since)
    return int(conn.scalar(f"SELECT count(*) FROM event e{where.sql()}", where.params))


# A change is the caller's own when its actor is theirs and it was made by their login (or
# before logins were recorded): an actor name typed by someone else undoes nothing of theirs.
_OWN = "e.actor = ? AND (e.login = ? OR e.login IS NULL)"


@query
def last_undoable(conn: Conn, actor: str) -> Event | None:
    """The actor's last change not yet undone, made by this login."""
    row = conn.one("SELECT e.id, e.action_id, e.type, e.field, e.old, e.new, e.batch "
                   f"FROM event e WHERE {_OWN} AND e.type IN {marks(UNDOABLE)} AND "
                   f"{_NOT_UNDONE} ORDER BY e.id DESC LIMIT 1",
                   [actor, conn.login(), *UNDOABLE])
    return None if row is None else Event(*row)


@query
def batch_changes(conn: Conn, actor: str, batch: int) -> list[Event]:
    """The actor's changes in one batch not yet undone, newest first."""
    return [Event(*row) for row in conn.all(
        "SELECT e.id, e.action_id, e.type, e.field, e.old, e.new, e.batch FROM event e "
        f"WHERE {_OWN} AND e.type IN {marks(UNDOABLE)} AND {_NOT_UNDONE} AND e.batch = ? "
        "ORDER BY e.id DESC", [actor, conn.login(), *UNDOABLE, batch])]


@query
def restore_updated_at(conn: Conn, action_id: int, batch: int) -> None:
    """After undoing a whole batch, the action was last updated when it was before it."""
    conn.execute("UPDATE action SET updated_at = (SELECT max(e.at) FROM event e WHERE "
                 f"e.action_id = ? AND e.type <> 'undo' AND {_NOT_UNDONE} AND "
                 "(e.batch IS NULL OR e.batch <> ?)) WHERE id = ? AND EXISTS (SELECT 1 FROM "
                 f"event e WHERE e.action_id = ? AND e.type <> 'undo' AND {_NOT_UNDONE} AND "
                 "(e.batch IS NULL OR e.batch <> ?))",
                 [action_id, batch, action_id, action_id, batch])


# --- bodies and members -------------------------------------------------------------------

@query
def bodies(conn: Conn) -> list[dict[str, Any]]:
    rows = conn.all(
        "SELECT b.code, b.name, b.kind, coalesce(sum(CASE WHEN a.status IN "
        f"{marks(ACTIVE)} THEN 1 ELSE 0 END), 0), count(a.id) FROM body b LEFT OUTER JOIN "
        "action a ON a.owner_id = b.id GROUP BY b.id, b.code, b.name, b.kind ORDER BY b.code",
        list(ACTIVE))
    return [{"code": c, "name": n, "kind": k, "open": int(o), "total": int(t)}
            for c, n, k, o, t in rows]


@query
def members(conn: Conn) -> list[dict[str, Any]]:
    rows = conn.all("SELECT m.name, m.kind, count(t.meeting_id) FROM member m LEFT OUTER JOIN "
                    "attendance t ON t.member_id = m.id GROUP BY m.id, m.name, m.kind "
                    "ORDER BY m.name")
    return [{"name": n, "kind": k, "meetings": int(c)} for n, k, c in rows]
