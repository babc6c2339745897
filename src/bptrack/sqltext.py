"""Dates and timestamps formatted by the database itself, as the text bptrack prints.

Reading a row through SQLAlchemy's date and timezone-aware types costs microseconds a column;
at 100,000 actions that is most of a command's time. The database formats them in C instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from bptrack.vocabulary import ACTIVE, FIELDS


class utc_text(GenericFunction[str]):
    """A stored UTC timestamp as `YYYY-MM-DDTHH:MM:SSZ`."""

    type = String()
    inherit_cache = True


class date_text(GenericFunction[str]):
    """A date as `YYYY-MM-DD`."""

    type = String()
    inherit_cache = True


@compiles(utc_text, "sqlite")
def _utc_text_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {compiler.process(element.clauses, **kw)})"


@compiles(utc_text, "postgresql")
def _utc_text_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


@compiles(date_text, "sqlite")
def _date_text_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))  # SQLite keeps dates as this text


@compiles(date_text, "postgresql")
def _date_text_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


class action_json(GenericFunction[str]):
    """An action as the contract's JSON object, built by the database (see vocabulary.FIELDS).

    Arguments: the action_columns() expressions in FIELDS order (without `overdue`), then
    today's date as text. Used where tens of thousands of actions are written as JSON.
    """

    type = String()
    inherit_cache = True


# The fields the database computes directly, in the contract's order; `overdue` is derived.
_JSON_KEYS = tuple(f for f in FIELDS if f != "overdue")
_ACTIVE_SQL = "(" + ", ".join(f"'{s}'" for s in ACTIVE) + ")"


def _json_pairs(element: Any, compiler: Any, *, partners: str, overdue: str, **kw: Any
                ) -> str:
    args = [compiler.process(arg, **kw) for arg in element.clauses]
    values = dict(zip(_JSON_KEYS, args[:-1], strict=True))
    today = args[-1]
    for key in ("partners", "follows", "followed_by"):  # JSON lists kept as text
        values[key] = partners.format(values[key])
    pairs = []
    for key in _JSON_KEYS:
        pairs.append(f"'{key}', {values[key]}")
        if key == "due":
            flag = overdue.format(due=values["due"], today=today, status=values["status"])
            pairs.append(f"'overdue', {flag}")
    return ", ".join(pairs)


@compiles(action_json, "sqlite")
def _action_json_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    pairs = _json_pairs(element, compiler, partners="json({})", overdue=(
        "json(CASE WHEN {due} < {today} AND {status} IN " + _ACTIVE_SQL +
        " THEN 'true' ELSE 'false' END)"), **kw)
    return f"json_object({pairs})"


@compiles(action_json, "postgresql")
def _action_json_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    pairs = _json_pairs(element, compiler, partners="CAST({} AS json)", overdue=(
        "({due} IS NOT NULL AND {due} < {today} AND {status} IN " + _ACTIVE_SQL + ")"),
        **kw)
    return f"CAST(json_build_object({pairs}) AS text)"


class broad(GenericFunction[bool]):
    """A filter that most rows pass (status, kind): a hint so that SQLite's planner walks the
    index that gives the order instead of sorting every match. Plain SQL elsewhere."""

    type = Boolean()
    inherit_cache = True


@compiles(broad, "sqlite")
def _broad_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"likelihood({compiler.process(element.clauses, **kw)}, 0.9)"


@compiles(broad)
def _broad_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"
