"""Moving whole databases: a versioned JSON export, loading one, backups and checks.

An export lists every table's rows in primary-key order, one row per line, with exact
timestamps: export → load → export gives the same bytes, from SQLite to PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from sqlalchemy import Connection, Date, DateTime, Table, func, select, text
from sqlalchemy.exc import IntegrityError

from bptrack.errors import Conflict, InvalidValue
from bptrack.inputs import bounded_int
from bptrack.output.files import replacing
from bptrack.store.db import wrap
from bptrack.store.engine import SchemaTools
from bptrack.store.export import EXPORT_FORMAT, EXPORT_VERSION, TABLE_ORDER, export_lines
from bptrack.store.faults import first_line
from bptrack.store.schema import (
    SCHEMA_VERSION,
    action_t,
    attendance_t,
    body_t,
    event_t,
    meeting_t,
    member_t,
    reminder_t,
)

# In the order they can be loaded (export.TABLE_ORDER): each after the tables it refers to.
TABLES: tuple[Table, ...] = tuple(
    {t.name: t for t in (meeting_t, body_t, member_t, attendance_t, action_t, event_t,
                         reminder_t)}[name] for name in TABLE_ORDER)


def _parse_timestamp(value: str | None) -> dt.datetime | None:
    """The export's one form, `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Checked by shape, then read by
    fromisoformat: strptime took 4 of the 9 seconds of loading 100,000 actions."""
    if value is None:
        return None
    if not (isinstance(value, str) and len(value) == 27 and value[10] == "T"
            and value.endswith("Z")):
        raise ValueError(f"{value!r} is not a timestamp like 2024-01-15T09:30:00.000000Z")
    return dt.datetime.fromisoformat(value[:-1]).replace(tzinfo=dt.UTC)


def _parse_date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


class RowPlan(NamedTuple):
    """How an export row goes into a table: made once a table, used for every row."""

    insert: str  # with `?` placeholders, every column
    columns: list[str]  # in the INSERT's order
    defaults: dict[str, Any]  # what a column missing from an older export takes
    decoders: list[tuple[int, Callable[[Any], Any]]]  # positions read back from the text


def _row_plan(table: Table) -> RowPlan:
    columns = [c.name for c in table.columns]
    defaults = {c.name: getattr(c.default, "arg", None) if c.default is not None
                and c.default.is_scalar else None for c in table.columns}
    decoders: list[tuple[int, Callable[[Any], Any]]] = []
    for at, column in enumerate(table.columns):
        kind = getattr(column.type, "impl", column.type)  # through SQLModel's decorators
        if isinstance(kind, DateTime):
            decoders.append((at, _parse_timestamp))
        elif isinstance(kind, Date):
            decoders.append((at, _parse_date))
    quoted = ", ".join(f'"{n}"' for n in columns)
    insert = (f'INSERT INTO "{table.name}" ({quoted}) '
              f"VALUES ({', '.join('?' for _ in columns)})")
    return RowPlan(insert, columns, defaults, decoders)


def export_to_file(store: SchemaTools, dest: str | Path, *, schema_override: int | None = None,
                   force: bool = False) -> None:
    """The export in a file, written whole or not at all (never over the database): for the
    backup before an upgrade, which holds the schema tools already."""
    with replacing(dest, database=store.target.sqlite_path, force=force, private=True) as fh, \
            store.read() as conn:
        for chunk in export_lines(wrap(conn), schema_override or SCHEMA_VERSION):
            fh.write(chunk)


@dataclass
class ExportFile:
    """An export being read: its header, then its rows table by table, as they are read."""

    path: str
    header: dict[str, Any]
    _rows: Iterator[tuple[str, list[dict[str, Any]]]]

    def tables(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(table, a batch of rows), tables in load order."""
        return self._rows


BATCH = 5000


MAX_WHOLE_EXPORT = 200 * 1024 * 1024  # an export in another layout is read whole: bounded
MAX_ROW_LINE = 1024 * 1024  # one row of our own layout, e.g. an action with a long note
# A NUL in a line: the line is checked closely. (A huge number is caught as it is parsed:
# a regular expression looking for 20 digits in a row cost 5 s of a 100,000-action load.)
_NUL = "\\u0000"


def read_export(path: str) -> ExportFile:
    """Open an export. Our own one-row-a-line layout streams, so memory stays flat at any
    size; any other layout of the same JSON is read whole, up to 200 MB. Only a regular file
    is read (see `bptrack.inputs`)."""
    from bptrack.inputs import open_regular

    fd = open_regular(path)
    handle = open(fd, encoding="utf-8")  # noqa: SIM115  (closed by the stream, or below)
    try:
        head = [handle.readline(MAX_ROW_LINE) for _ in range(5)]
    except UnicodeDecodeError as exc:
        handle.close()
        raise InvalidValue(f"{path} is not a bptrack export: not UTF-8 text") from exc
    if head[0] == "{\n" and head[4] == '"tables": {\n':
        try:
            header = json.loads("{" + "".join(head[1:4]).rstrip().rstrip(",") + "}")
        except ValueError:
            header = {}
        if header:
            _check_header(path, header)
            return ExportFile(path, header, _stream_rows(path, handle))
    handle.close()
    doc = _read_whole(path)
    return ExportFile(path, doc, _rows_of(doc))


def _check_header(path: str, header: dict[str, Any]) -> None:
    if header.get("format") != EXPORT_FORMAT:
        raise InvalidValue(f'{path} is not a bptrack export (no "format": "{EXPORT_FORMAT}")')
    # An export of an earlier schema (2 on) loads too: the columns added since take their
    # defaults.
    if header.get("version") != EXPORT_VERSION or header.get("schema_version") not in range(
            2, SCHEMA_VERSION + 1):
        raise InvalidValue(f"{path} is export version {header.get('version')} of schema "
                           f"{header.get('schema_version')}; this bptrack loads version "
                           f"{EXPORT_VERSION} of schema {SCHEMA_VERSION}")


def _read_whole(path: str) -> dict[str, Any]:
    from bptrack.inputs import decode, load_json, read_bytes

    try:
        doc = load_json(decode(read_bytes(path, MAX_WHOLE_EXPORT, "bptrack export"), path),
                        path, depth=8)
    except InvalidValue as exc:
        why = str(exc).removeprefix(f"{path} ")
        raise InvalidValue(f"{path} is not a bptrack export ({why})") from exc
    if not isinstance(doc, dict):
        raise InvalidValue(f"{path} is not a bptrack export")
    _check_header(path, doc)
    if not isinstance(doc.get("tables"), dict):
        raise InvalidValue(f"{path} has no tables")
    for name, rows in doc["tables"].items():
        for n, row in enumerate(rows if isinstance(rows, list) else []):
            _check_row(row, f"{path}: row {n + 1} of {name}")
    return doc


def _check_row(row: Any, where: str) -> None:
    """No NUL in a row's text: neither backend stores one as it was given."""
    from bptrack.inputs import check_text

    if isinstance(row, dict):
        for column, value in row.items():
            if isinstance(value, str):
                check_text(value, f"{where}, column {column},", controls=False)


def _rows_of(doc: dict[str, Any]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    for table in TABLES:
        rows = doc["tables"].get(table.name, [])
        if not isinstance(rows, list):
            raise InvalidValue(f"table {table.name} in the export is not a list")
        for start in range(0, len(rows), BATCH):
            yield table.name, rows[start:start + BATCH]


def _stream_rows(path: str, handle: IO[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    names = [t.name for t in TABLES]
    expected = iter(names)
    with handle:
        current: str | None = None
        batch: list[dict[str, Any]] = []
        for number, line in enumerate(iter(lambda: handle.readline(MAX_ROW_LINE + 1), ""),
                                      6):
            if len(line) > MAX_ROW_LINE:
                raise InvalidValue(f"{path} line {number} is over {MAX_ROW_LINE:,} characters: "
                                   "not a row of a bptrack export")
            text = line.rstrip("\n")
            if current is None:
                if text in ("}", ""):
                    continue
                name = text.split('"')[1] if text.startswith('"') else ""
                if name != next(expected, None) or not text.endswith(("[", "[]", "[],")):
                    raise InvalidValue(f"{path} line {number}: expected the table after "
                                       f"{names}; is this file cut or edited?")
                current = name
                if text.endswith("[]") or text.endswith("],"):
                    current = None
                continue
            if text in ("]", "],"):
                if batch:
                    yield current, batch
                batch, current = [], None
                continue
            try:
                # Deep or with a NUL: parsed with every bound (rarely: it costs)
                if _NUL in text or text.count("[") + text.count("{") > 16:
                    from bptrack.inputs import load_json

                    row = load_json(text.rstrip(","), f"{path} line {number}", depth=4)
                    _check_row(row, f"{path} line {number}")
                else:
                    row = json.loads(text.rstrip(","), parse_int=bounded_int)
            except ValueError as exc:
                raise InvalidValue(f"{path} line {number} is not a row: {exc}") from exc
            batch.append(row)
            if len(batch) >= BATCH:
                yield current, batch
                batch = []
        if current is not None:
            raise InvalidValue(f"{path} ends inside table {current}: the file is cut short")


class Loading:
    """`db load` as the filler of the database it opens: a new SQLite file is built with the
    export in it and linked into place only when the whole export went in (a failed load
    leaves no empty file behind); an existing database takes it in one transaction."""

    def __init__(self, export_file: ExportFile, where: str, *, replace: bool = False) -> None:
        self.export_file = export_file
        self.where = where  # the database, as the user knows it, for the refusal
        self.replace = replace
        self.counts: dict[str, int] = {t.name: 0 for t in TABLES}
        self.started = False
        self.tick: Callable[[int], None] = lambda n: None  # rows read, for a progress bar

    def __call__(self, conn: Connection) -> int:
        if self.started:
            # The export streams, so it cannot go in twice: this is a second call after
            # another process created the new file first, and theirs is left alone.
            raise Conflict(f"another process created {self.where} while this load was "
                           "building it: nothing was loaded into theirs")
        self.started = True
        existing = sum(int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                       for t in (action_t, meeting_t, body_t))
        if existing and not self.replace:
            raise Conflict(f"{self.where} is not empty: load into a new database, "
                           "or pass --replace to replace everything in it")
        for table in reversed(TABLES):
            conn.execute(table.delete())
        plans = {t.name: _row_plan(t) for t in TABLES}
        dialect = wrap(conn).dialect
        # Each index is built once at the end, from all the rows, rather than row by row:
        # loading 100,000 actions takes a quarter less. DDL is transactional on both
        # backends, so a failed load leaves them as they were.
        indexes = [index for table in TABLES for index in table.indexes]
        for index in indexes:  # by name: SQLAlchemy does not see an index on an expression
            conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
        for name, rows in self.export_file.tables():
            plan = plans[name]
            names = set(plan.columns)
            batch = []
            for row in rows:
                if not isinstance(row, dict) or set(row) - names:
                    raise InvalidValue(f"a row of {name} does not fit the schema")
                values = [row.get(column, plan.defaults[column]) for column in plan.columns]
                try:
                    for at, decode in plan.decoders:
                        values[at] = decode(values[at])
                except (TypeError, ValueError) as exc:
                    raise InvalidValue(f"a row of {name} has a bad value: {exc}") from exc
                batch.append(tuple(values))
                if len(batch) % 1000 == 0:
                    self.tick(1000)
            self.tick(len(batch) % 1000)
            if batch:
                try:
                    # The driver's own executemany: SQLAlchemy's per-row parameter handling
                    # was a third of loading 100,000 actions. The values are the driver's
                    # (db.py's adapters store timestamps as the schema tools do).
                    conn.exec_driver_sql(dialect.sql(plan.insert), batch)
                except IntegrityError as exc:  # the export is at fault, not the database
                    why = first_line(exc.orig or exc)
                    raise InvalidValue(f"rows of {name} do not fit together with the "
                                       f"rest of the export: {why}") from exc
            self.counts[name] += len(batch)
        for index in indexes:
            index.create(conn)
        if not dialect.is_sqlite:
            for table in TABLES:
                if "id" in table.c:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
        return self.counts["action"]
