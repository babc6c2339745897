"""`db export` (and the backup of a PostgreSQL database) over DB-API: every table, as the
database itself says it is built, as the versioned JSON document `db load` reads.

The columns, their order and which of them hold dates and times are read from the database
(SQLite's table_info, PostgreSQL's catalogue), so that a backup made just before an upgrade
exports the tables as they were; the schema tools (SQLAlchemy) are not needed to read one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from bptrack.store.db import Conn

EXPORT_FORMAT = "bptrack-export"
EXPORT_VERSION = 1
# In the order they can be loaded: each after the tables it refers to.
TABLE_ORDER = ("meeting", "body", "member", "attendance", "action", "event", "reminder_sent")


class Layout(NamedTuple):
    """A table as the database holds it."""

    columns: list[str]
    key: list[str]  # the primary key's columns, which order the rows
    dates: set[str]
    times: set[str]


def layout(conn: Conn, table: str) -> Layout | None:
    """The table's columns in the database's order, or None when it has no such table."""
    if conn.dialect.is_sqlite:
        rows = conn.all(f'PRAGMA table_info("{table}")')
        if not rows:
            return None
        columns = [r[1] for r in rows]
        key = [r[1] for r in sorted((r for r in rows if r[5]), key=lambda r: r[5])]
        declared = {r[1]: str(r[2]).upper() for r in rows}
        return Layout(columns, key, {c for c, t in declared.items() if t == "DATE"},
                      {c for c, t in declared.items() if t in ("DATETIME", "TIMESTAMP")})
    rows = conn.all("SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ? "
                    "ORDER BY ordinal_position", [table])
    if not rows:
        return None
    key = [r[0] for r in conn.all(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)", [table])]
    return Layout([r[0] for r in rows], key, {r[0] for r in rows if r[1] == "date"},
                  {r[0] for r in rows if str(r[1]).startswith("timestamp")})


def _time(value: Any) -> str | None:
    """A time in the export's one form, 2024-01-15T09:30:00.000000Z (UTC): SQLite holds the
    text SQLAlchemy writes, naive UTC; PostgreSQL gives datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":  # "2024-01-15 09:30:00.000000"
            return f"{value[:10]}T{value[11:]}Z"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _date(value: Any) -> str | None:
    return None if value is None else str(value)[:10] if isinstance(value, str) \
        else value.isoformat()


def export_lines(conn: Conn, schema_version: int) -> Iterator[str]:
    """The export, a piece at a time: a table's rows one a line, each table in load order."""
    yield "{\n"
    yield f'"format": "{EXPORT_FORMAT}",\n"version": {EXPORT_VERSION},\n'
    yield f'"schema_version": {schema_version},\n"tables": {{\n'
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for t_index, table in enumerate(TABLE_ORDER):
        yield f'"{table}": ['
        first = True
        shape = layout(conn, table)
        if shape is not None:
            names = shape.columns
            convert = [(at, _time if name in shape.times else _date)
                       for at, name in enumerate(names)
                       if name in shape.times or name in shape.dates]
            quoted = ", ".join(f'"{n}"' for n in names)
            order = ", ".join(f'"{n}"' for n in shape.key) or quoted
            for row in conn.stream(f'SELECT {quoted} FROM "{table}" ORDER BY {order}'):
                values = list(row)
                for at, read in convert:
                    values[at] = read(values[at])
                yield ("\n" if first else ",\n") + dumps(dict(zip(names, values, strict=True)))
                first = False
        yield ("\n]" if not first else "]") + ("," if t_index < len(TABLE_ORDER) - 1 else "") \
            + "\n"
    yield "}\n}\n"


def row_count(conn: Conn) -> int:
    """How many rows an export holds: what a progress bar counts to."""
    return sum(int(conn.scalar(f'SELECT count(*) FROM "{table}"')) for table in TABLE_ORDER
               if layout(conn, table) is not None)
