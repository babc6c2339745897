"""Dates and timestamps formatted by the database itself, as the text bptrack prints.

Reading a row through SQLAlchemy's date and timezone-aware types costs microseconds a column;
at 100,000 actions that is most of a command's time. The database formats them in C instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


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
