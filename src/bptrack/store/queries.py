"""Every query of the everyday commands, written once, over DB-API (see db.py).

Filters, counting, sorting and paging happen in SQL. Rows are tuples; an action leaves here as
the contract's JSON object (`row_to_action`). What differs between SQLite and PostgreSQL is
asked of the connection's dialect (dialect.py), never written twice.

tests/test_queries.py builds a database from the declared schema (schema.py) and runs each
function here against it on both backends, so the SQL and the models cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from bptrack.clock import today
from bptrack.errors import InvalidValue, NotFound, UsageError
from bptrack.store.db import Conn
from bptrack.vocabulary import ACTIVE, CLOSED, DEFAULT_KINDS, FIELDS, KINDS, SORTS, STATUSES

__all__ = ["ACTIVE", "CLOSED", "DEFAULT_KINDS", "FIELDS", "KINDS", "SORTS", "STATUSES"]

MAX_COUNT = 10**9  # larger --limit values would overflow SQL integers
MAX_DAYS = 36_500  # a century: larger day counts would overflow dates

F = TypeVar("F", bound=Callable[..., Any])
QUERIES: dict[str, Callable[..., Any]] = {}  # every function here that runs SQL


def query(fn: F) -> F:
    """Mark a function that runs SQL: the schema test runs each one (test_queries.py)."""
    QUERIES[fn.__name__] = fn
    return fn


def marks(values: Sequence[Any]) -> str:
    """`(?, ?, ?)` for an IN list of these values."""
    return "(" + ", ".join("?" for _ in values) + ")" if values else "(NULL)"


# --- actions ------------------------------------------------------------------------------

ACTION_FROM = ("action a JOIN body b ON a.owner_id = b.id "
               "LEFT OUTER JOIN meeting m ON a.meeting_id = m.id")


def action_fields(conn: Conn) -> list[str]:
    """The SQL of an action's fields, in FIELDS order (less `overdue`), dates as text."""
    d = conn.dialect
    return ["a.id", "a.ref", "a.title", "a.kind", "a.status", "b.code", "b.name", "a.partners",
            "a.assignee", "a.assignee_email", d.date_text("a.due"), "m.ref", "a.source",
            "a.resolution", d.utc_text("a.created_at"), d.utc_text("a.updated_at"),
            d.utc_text("a.closed_at"), "a.follows", "a.followed_by"]


def action_select(conn: Conn) -> str:
    return f"SELECT {', '.join(action_fields(conn))} FROM {ACTION_FROM}"


def action_json_sql(conn: Conn, today_text: str) -> str:
    """The whole action as JSON text, made by the database: for very long outputs. The day is
    a literal (ISO digits and dashes, checked), so that it is one expression."""
    dt.date.fromisoformat(today_text)
    names = [f for f in FIELDS if f != "overdue"]
    values = dict(zip(names, action_fields(conn), strict=True))
    return conn.dialect.action_json(values, f"'{today_text}'")


def row_to_action(row: Sequence[Any], on: dt.date | str | None = None) -> dict[str, Any]:
    """An action as the contract's JSON object, from a row of action_fields().

    This runs once per action shown, 100,000 times for a large export: it unpacks the row as
    a tuple and compares dates as ISO text.
    """
    today_text = on if isinstance(on, str) else (on or today()).isoformat()
    (id_, ref, title, kind, status, owner, owner_name, partners, assignee, assignee_email,
     due, meeting, source, resolution, created_at, updated_at, closed_at, follows,
     followed_by) = row
    return {
        "id": id_, "ref": ref, "title": title, "kind": kind, "status": status,
        "owner": owner, "owner_name": owner_name,
        "partners": json.loads(partners) if partners != "[]" else [],
        "assignee": assignee, "assignee_email": assignee_email, "due": due,
        "overdue": due is not None and due < today_text and status in ACTIVE,
        "meeting": meeting, "source": source, "resolution": resolution,
        "created_at": created_at, "updated_at": updated_at, "closed_at": closed_at,
        "follows": json.loads(follows) if follows != "[]" else [],
        "followed_by": json.loads(followed_by) if followed_by != "[]" else [],
    }


def expand_statuses(values: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for raw in values:
        value = raw.strip().lower().replace("-", "_")
        group = {"active": ACTIVE, "closed": CLOSED, "all": STATUSES}.get(value)
        if group is None:
            if value not in STATUSES:
                raise UsageError(f"unknown status {raw!r}: use {', '.join(STATUSES)}, "
                                 "active, closed or all")
            group = (value,)
        chosen.extend(s for s in group if s not in chosen)
    return tuple(chosen)


def expand_kinds(values: Iterable[str]) -> tuple[str, ...]:
    chosen: list[str] = []
    for raw in values:
        value = raw.strip().lower()
        group = KINDS if value == "all" else (value,)
        if value != "all" and value not in KINDS:
            raise UsageError(f"unknown kind {raw!r}: use {', '.join(KINDS)} or all")
        chosen.extend(k for k in group if k not in chosen)
    return tuple(chosen)


@dataclass
class ActionQuery:
    """What `list` asks for; empty statuses/kinds mean the defaults (active actions)."""

    statuses: Sequence[str] = ()
    kinds: Sequence[str] = ()
    owner: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    overdue: bool = False
    due_within: int | None = None
    due_before: dt.date | None = None
    meeting: str | None = None
    search: str | None = None
    everything: bool = False
    sort: str = "due"
    limit: int | None = None
    ids: Sequence[int] = field(default_factory=tuple)


def like(text: str, *, anywhere: bool = True) -> str:
    """A LIKE pattern that finds `text` anywhere (or at the start), its own % and _ taken
    literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%" if anywhere else f"{escaped}%"


@dataclass
class Where:
    """SQL conditions and their parameters, in order."""

    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def extend(self, other: Where) -> None:
        self.conditions += other.conditions
        self.params += other.params

    def sql(self, *extra: str) -> str:
        parts = [*self.conditions, *extra]
        return " WHERE " + " AND ".join(parts) if parts else ""


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
    codes = ", ".join(sorted(r[1] for r in partial))
    raise InvalidValue(f"{text!r} is ambiguous: it matches {codes}; give the code")


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
    statuses = STATUSES if query_.everything else (
        expand_statuses(query_.statuses) if query_.statuses else ACTIVE)
    kinds = KINDS if query_.everything else (
        expand_kinds(query_.kinds) if query_.kinds else DEFAULT_KINDS)
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
        if not 0 <= query_.due_within <= MAX_DAYS:
            raise InvalidValue(f"--due-within takes a number of days from 0 to {MAX_DAYS}")
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


SOONEST_DUE = "CASE WHEN a.due IS NULL THEN 1 ELSE 0 END, a.due, a.id"
STATUS_RANK = ("CASE a.status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in
                                           enumerate(STATUSES)) + " ELSE 9 END")


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
    if query_.limit is not None and not 0 <= query_.limit <= MAX_COUNT:
        raise InvalidValue("--limit takes a number, 0 or more (0 means no limit)")
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
            owner_join = " JOIN body b ON a.owner_id = b.id" if query_.sort == "owner" else ""
            page = (f"SELECT a.id FROM action a{owner_join}{where.sql(*extras)} "
                    f"ORDER BY {order} LIMIT ?")
            sql = (f"SELECT {', '.join(action_fields(conn))} FROM action a "
                   f"JOIN ({page}) page ON a.id = page.id JOIN body b ON a.owner_id = b.id "
                   f"LEFT OUTER JOIN meeting m ON a.meeting_id = m.id ORDER BY {order}")
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


# The history event that blocked action `a` last: its note says why it is blocked.
LAST_BLOCK = ("(SELECT max(x.id) FROM event x WHERE x.action_id = a.id AND x.type = 'status' "
              "AND x.new = 'blocked')")
BLOCK_REASON = f"(SELECT e.note FROM event e WHERE e.id = {LAST_BLOCK})"


# --- changing actions ---------------------------------------------------------------------

# What a change may set, by column: every UPDATE names its columns from here.
ACTION_COLUMNS = ("ref", "title", "kind", "status", "owner_id", "partners", "assignee",
                  "assignee_email", "due", "meeting_id", "source", "resolution", "created_at",
                  "updated_at", "closed_at", "follows", "followed_by")


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


@query
def insert_action(conn: Conn, values: dict[str, Any]) -> int:
    unknown = set(values) - set(ACTION_COLUMNS)
    if unknown:
        raise ValueError(f"not an action column: {sorted(unknown)}")
    names = list(values)
    return conn.insert(f"INSERT INTO action ({', '.join(names)}) VALUES {marks(names)}",
                       [values[n] for n in names])


@query
def insert_event(conn: Conn, action_id: int, at: dt.datetime, actor: str, type_: str, *,
                 field_: str | None = None, old: str | None = None, new: str | None = None,
                 note: str | None = None, batch: int | None = None,
                 undoes: int | None = None) -> int:
    return conn.insert("INSERT INTO event (action_id, at, actor, type, field, old, new, note, "
                       "batch, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [action_id, at, actor, type_, field_, old, new, note, batch, undoes])


@query
def set_event_batch(conn: Conn, event_id: int, batch: int) -> None:
    conn.execute("UPDATE event SET batch = ? WHERE id = ?", [batch, event_id])


@query
def body_codes(conn: Conn, body_ids: Sequence[int]) -> dict[int, str]:
    return {int(i): str(c) for i, c in conn.all(
        f"SELECT id, code FROM body WHERE id IN {marks(body_ids)}", list(body_ids))}


# --- history ------------------------------------------------------------------------------

class Change(NamedTuple):
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
    select = (f"SELECT e.id, e.action_id, {conn.dialect.utc_text('e.at')}, e.actor, e.type, "
              f"e.field, e.old, e.new, e.note FROM event e{where.sql()}")
    if limit:
        rows = conn.all(f"{select} ORDER BY e.id DESC LIMIT ?", [*where.params, limit])[::-1]
    else:
        rows = conn.all(f"{select} ORDER BY e.id", where.params)
    keys = ("id", "action_id", "at", "actor", "type", "field", "old", "new", "note")
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


@query
def last_undoable(conn: Conn, actor: str) -> Change | None:
    """The actor's last change not yet undone."""
    row = conn.one("SELECT e.id, e.action_id, e.type, e.field, e.old, e.new, e.batch "
                   f"FROM event e WHERE e.actor = ? AND e.type IN {marks(UNDOABLE)} AND "
                   f"{_NOT_UNDONE} ORDER BY e.id DESC LIMIT 1", [actor, *UNDOABLE])
    return None if row is None else Change(*row)


@query
def batch_changes(conn: Conn, actor: str, batch: int) -> list[Change]:
    """The actor's changes in one batch not yet undone, newest first."""
    return [Change(*row) for row in conn.all(
        "SELECT e.id, e.action_id, e.type, e.field, e.old, e.new, e.batch FROM event e "
        f"WHERE e.actor = ? AND e.type IN {marks(UNDOABLE)} AND {_NOT_UNDONE} AND e.batch = ? "
        "ORDER BY e.id DESC", [actor, *UNDOABLE, batch])]


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


# --- the status report --------------------------------------------------------------------

GROUP_BY = ("owner", "assignee", "meeting", "status")
NO_ASSIGNEE = "(unassigned)"
NO_MEETING = "(none)"


class Scope(NamedTuple):
    """Which actions a report covers: commitments (not records), perhaps of one meeting."""

    meeting_id: int | None = None

    def where(self) -> Where:
        where = Where()
        where.add(f"a.kind IN {marks(DEFAULT_KINDS)}", *DEFAULT_KINDS)
        if self.meeting_id is not None:
            where.add("a.meeting_id = ?", self.meeting_id)
        return where


def _group(group_by: str) -> tuple[str, str, str]:
    """The group's key, its name, and what groups are ordered by, as SQL."""
    if group_by == "owner":
        return "b.code", "b.name", "b.code"
    if group_by == "assignee":
        key = f"coalesce(a.assignee, '{NO_ASSIGNEE}')"
        return key, key, key
    if group_by == "meeting":
        key = f"coalesce(m.ref, '{NO_MEETING}')"
        return key, "coalesce(m.title, 'Added by hand')", key
    if group_by == "status":
        return "a.status", "a.status", STATUS_RANK
    raise InvalidValue(f"unknown --group-by {group_by!r}: use {', '.join(GROUP_BY)}")


@query
def report_groups(conn: Conn, group_by: str, scope: Scope, as_of: dt.date,
                  soon_days: int) -> list[dict[str, Any]]:
    """Counts per group, by status, overdue and due soon: one aggregate query."""
    key, name, order = _group(group_by)
    where = scope.where()
    counts = ", ".join(f"sum(CASE WHEN a.status = '{s}' THEN 1 ELSE 0 END)" for s in STATUSES)
    active = f"a.status IN {marks(ACTIVE)}"
    joins = {"owner": " JOIN body b ON a.owner_id = b.id",
             "meeting": " LEFT OUTER JOIN meeting m ON a.meeting_id = m.id"}.get(group_by, "")
    rows = conn.all(
        f"SELECT {key}, min({name}), count(*), {counts}, "
        f"sum(CASE WHEN {active} AND a.due < ? THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {active} AND a.due >= ? AND a.due <= ? THEN 1 ELSE 0 END) "
        f"FROM action a{joins}{where.sql()} GROUP BY {key} ORDER BY min({order})",
        [*ACTIVE, as_of, *ACTIVE, as_of, as_of + dt.timedelta(days=soon_days), *where.params])
    groups = []
    for row in rows:
        group: dict[str, Any] = {"key": row[0], "name": row[1], "total": int(row[2])}
        group.update({s: int(v) for s, v in zip(STATUSES, row[3:8], strict=True)})
        group["overdue"], group["due_soon"] = int(row[8]), int(row[9])
        committed = group["total"] - group["cancelled"]
        group["percent_done"] = round(100 * group["done"] / committed) if committed else 0
        groups.append(group)
    return groups


@query
def report_actions(conn: Conn, group_by: str, scope: Scope, as_of: dt.date
                   ) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(group key, action), in the order of the groups, soonest due first within each."""
    key, _, order = _group(group_by)
    where = scope.where()
    today_text = as_of.isoformat()
    for row in conn.stream(f"SELECT {', '.join(action_fields(conn))}, {key} FROM {ACTION_FROM}"
                           f"{where.sql()} ORDER BY {order}, {SOONEST_DUE}", where.params):
        yield row[-1], row_to_action(row[:-1], today_text)


@query
def report_actions_json(conn: Conn, group_by: str, scope: Scope, as_of: dt.date
                        ) -> Iterator[tuple[Any, str]]:
    """The same, each action as JSON text made by the database."""
    key, _, order = _group(group_by)
    where = scope.where()
    for group_key, text in conn.stream(
            f"SELECT {key}, {action_json_sql(conn, as_of.isoformat())} FROM {ACTION_FROM}"
            f"{where.sql()} ORDER BY {order}, {SOONEST_DUE}", where.params):
        yield group_key, str(text)


@query
def overdue_actions(conn: Conn, scope: Scope, as_of: dt.date, limit: int | None = None
                    ) -> list[dict[str, Any]]:
    """Overdue actions, most overdue first (the first `limit` of them)."""
    where = scope.where()
    where.add(f"a.status IN {marks(ACTIVE)} AND a.due < ?", *ACTIVE, as_of)
    sql = f"{action_select(conn)}{where.sql()} ORDER BY a.due, a.id"
    params = list(where.params)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    today_text = as_of.isoformat()
    return [row_to_action(row, today_text) for row in conn.all(sql, params)]


@query
def blocked_actions(conn: Conn, scope: Scope, as_of: dt.date, limit: int | None = None
                    ) -> list[dict[str, Any]]:
    """Blocked actions, longest blocked first, with the note of the change that blocked
    them: the reason a briefing needs."""
    d = conn.dialect
    where = scope.where()
    where.add("a.status = 'blocked'")
    sql = (f"SELECT a.id, a.ref, a.title, b.code, a.assignee, {d.date_text('a.due')}, e.note, "
           f"{d.utc_text('e.at')} FROM action a JOIN body b ON a.owner_id = b.id "
           f"LEFT OUTER JOIN event e ON e.id = {LAST_BLOCK}"
           f"{where.sql()} ORDER BY e.at, a.id")
    params = list(where.params)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    today_text = as_of.isoformat()
    return [{"id": id_, "ref": ref, "title": title, "owner": owner, "assignee": assignee,
             "due": due, "overdue": due is not None and due < today_text,
             "reason": reason, "since": since}
            for id_, ref, title, owner, assignee, due, reason, since in conn.all(sql, params)]


class Happened(NamedTuple):
    """A history event in the report's period, with what the report needs of its action."""

    id: int
    at: str  # UTC, as text
    actor: str
    type: str
    field: str | None
    old: str | None
    new: str | None
    note: str | None
    action_id: int
    ref: str
    title: str
    meeting_date: dt.date | None


@query
def changes_between(conn: Conn, scope: Scope, begin: dt.datetime, end: dt.datetime
                    ) -> list[Happened]:
    """The events in [begin, end) that a report's changes are made of (not those undone
    before the end), oldest first."""
    d = conn.dialect
    where = scope.where()
    where.add("e.at >= ? AND e.at < ?", begin, end)
    where.add("(e.type IN ('create', 'status', 'assign', 'unassign') OR "
              "(e.type = 'edit' AND e.field = 'due'))")
    where.add("e.id NOT IN (SELECT undoes FROM event WHERE undoes IS NOT NULL AND at < ?)", end)
    rows = conn.all(
        f"SELECT e.id, {d.utc_text('e.at')}, e.actor, e.type, e.field, e.old, e.new, e.note, "
        f"a.id, a.ref, a.title, {d.date_text('m.date')} FROM event e "
        "JOIN action a ON e.action_id = a.id LEFT OUTER JOIN meeting m ON a.meeting_id = m.id"
        f"{where.sql()} ORDER BY e.at, e.id", where.params)
    happened = []
    for (id_, at, actor, type_, field_, old, new, note, action_id, ref, title,
         meeting_date) in rows:
        happened.append(Happened(id_, at, actor, type_, field_, old, new, note, action_id, ref,
                                 title, dt.date.fromisoformat(meeting_date) if meeting_date
                                 else None))
    return happened


@query
def came_due(conn: Conn, scope: Scope, since: dt.date, as_of: dt.date
             ) -> list[tuple[int, str, str, dt.date]]:
    """Active actions whose due date passed in [since, as_of): (id, ref, title, due)."""
    where = scope.where()
    where.add(f"a.status IN {marks(ACTIVE)} AND a.due >= ? AND a.due < ?", *ACTIVE, since, as_of)
    return [(int(i), r, t, dt.date.fromisoformat(due)) for i, r, t, due in conn.all(
        f"SELECT a.id, a.ref, a.title, {conn.dialect.date_text('a.due')} FROM action a"
        f"{where.sql()} ORDER BY a.due, a.id", where.params)]


@query
def meeting_commitments(conn: Conn, scope: Scope) -> list[tuple[str, str, str, str | None,
                                                                 list[str]]]:
    """(ref, title, status, resolution, followed_by) of each action in scope, by number."""
    where = scope.where()
    return [(r, t, s, res, json.loads(by)) for r, t, s, res, by in conn.all(
        f"SELECT a.ref, a.title, a.status, a.resolution, a.followed_by FROM action a"
        f"{where.sql()} ORDER BY a.id", where.params)]


# --- reminders and the calendar -----------------------------------------------------------

@query
def due_actions(conn: Conn, until: dt.date, on: dt.date, who: Where
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Active dated actions due by `until`, soonest due first (the overdue ones first), each
    with whom its reminder goes to and, when blocked, why (`block_reason`)."""
    where = _due_where(until, who)
    today_text = on.isoformat()
    reason = f"CASE WHEN a.status = 'blocked' THEN {BLOCK_REASON} END"
    for row in conn.stream(f"SELECT {', '.join(action_fields(conn))}, {DIGEST_KEY}, {reason} "
                           f"FROM {ACTION_FROM}{where.sql()} ORDER BY a.due, a.id",
                           where.params):
        action = row_to_action(row[:-2], today_text)
        action["block_reason"] = row[-1]
        yield row[-2], action


# Whom a digest line goes to: the assignee as `Name <email>`, else the owner body.
DIGEST_KEY = ("CASE WHEN a.assignee IS NULL THEN b.code || ' (' || b.name || '), unassigned' "
              "WHEN a.assignee_email IS NOT NULL AND a.assignee_email <> a.assignee "
              "THEN a.assignee || ' <' || a.assignee_email || '>' ELSE a.assignee END")


def _due_where(until: dt.date, who: Where) -> Where:
    where = Where()
    where.add(f"a.status IN {marks(ACTIVE)} AND a.due IS NOT NULL AND a.due <= ?", *ACTIVE,
              until)
    where.extend(who)
    return where


# A line of the text digest, as the database returns it: (whom, id, ref, title, due, why it
# is blocked). Plain tuples: a large digest has 30,000 of them.
DigestLine = tuple[str, int, str, str, str, "str | None"]


@query
def due_digest(conn: Conn, until: dt.date, who: Where) -> list[DigestLine]:
    """The text digest's lines, whom by whom, each one's actions soonest due first; a
    blocked action brings why. (The digest orders the groups.)"""
    d = conn.dialect
    where = _due_where(until, who)
    reason = f"CASE WHEN a.status = 'blocked' THEN {BLOCK_REASON} END"
    sql = (f"SELECT {DIGEST_KEY} AS whom, a.id, a.ref, a.title, {d.date_text('a.due')}, "
           f"{reason} FROM action a JOIN body b ON a.owner_id = b.id{where.sql()} "
           "ORDER BY whom, a.due, a.id")
    return conn.all(sql, where.params)


@query
def reminded(conn: Conn, ids: Sequence[int], address: str, day: dt.date) -> set[int]:
    """Which of these actions were e-mailed to this address on this day already."""
    return {int(i) for (i,) in conn.all(
        f"SELECT action_id FROM reminder_sent WHERE action_id IN {marks(ids)} AND address = ? "
        "AND day = ?", [*ids, address, day])}


@query
def record_reminders(conn: Conn, ids: Sequence[int], address: str, day: dt.date,
                     at: dt.datetime) -> None:
    for action_id in ids:
        conn.execute("INSERT INTO reminder_sent (action_id, address, day, sent_at) "
                     "VALUES (?, ?, ?, ?)", [action_id, address, day, at])


@query
def dated_active(conn: Conn, who: Where) -> list[dict[str, Any]]:
    """Active actions with a due date, soonest first: the calendar's events."""
    where = Where()
    where.add(f"a.status IN {marks(ACTIVE)} AND a.due IS NOT NULL", *ACTIVE)
    where.extend(who)
    on = today()
    return [row_to_action(row, on) for row in conn.all(
        f"{action_select(conn)}{where.sql()} ORDER BY a.due, a.id", where.params)]
