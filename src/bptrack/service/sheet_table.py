"""Spreadsheets: a tracker a team already keeps (.csv, .xlsx) read into rows (workbooks
written for partners are output/workbooks.py's). openpyxl is imported by `import` only.

The header row is found by its words (it may sit below a title block), columns are
matched by header in any case with common synonyms (or an explicit map), and each cell is
parsed into the tracker's terms: statuses, dates (Excel date cells and serial numbers, ISO,
D/M/YYYY or M/D/YYYY, "Q3 2024", "end 2024", "mid-2025").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from bptrack.errors import InvalidValue
from bptrack.service.progress import Tick

FIELDS = ("ref", "title", "owner", "owner_name", "due", "status", "assignee", "meeting",
          "notes", "kind")
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "id", "no", "no.", "#", "item", "item no", "number"),
    "title": ("title", "action", "commitment", "description", "activity", "follow-up",
              "follow up", "deliverable", "action item", "outcome", "task"),
    "owner": ("owner", "lead", "responsible", "body", "lead body", "responsible body",
              "responsibility", "lead agency"),
    "owner_name": ("owner name", "owner_name", "lead name", "body name"),
    "due": ("due", "deadline", "target date", "by when", "due date", "timeline", "timeframe",
            "target", "completion date"),
    "status": ("status", "progress", "state"),
    "assignee": ("assignee", "focal point", "focal", "contact", "assigned to", "focal person"),
    "meeting": ("meeting", "source meeting", "meeting ref"),
    "notes": ("notes", "comments", "remarks", "comment", "note", "update", "resolution",
              "reason", "reasons", "why"),
    "kind": ("kind", "type"),
}
STATUSES: dict[str, str] = {}
for _status, _words in {
        "done": ("completed", "complete", "done", "closed", "finalised", "finalized",
                 "achieved", "finished"),
        "in_progress": ("in progress", "in_progress", "ongoing", "under way", "underway",
                        "started", "on track"),
        "open": ("not started", "open", "pending", "planned", "to do", "todo", "new", ""),
        "blocked": ("delayed", "on hold", "blocked", "stalled", "at risk"),
        "cancelled": ("cancelled", "canceled", "dropped", "no longer relevant", "withdrawn",
                      "superseded")}.items():
    for _word in _words:
        STATUSES[_word] = _status
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SLASHED = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SheetError(InvalidValue):
    """A sheet that cannot be imported as it is; every bad line is named, nothing saved."""


@dataclass
class Table:
    rows: list[tuple[int, list[Any]]]  # (line number as the user sees it, cells)
    sheet: str | None = None


@dataclass
class Columns:
    header_line: int
    index: dict[str, int] = field(default_factory=dict)  # field → column


# --- reading ---------------------------------------------------------------------------------

# A tracker is a few hundred rows; these bound what a hostile file can make bptrack hold.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL = 32_767  # Excel's own limit for a cell's text
MAX_XLSX_PART = 64 * 1024 * 1024  # one part of the workbook, unzipped (a sheet, the strings)
MAX_XLSX_TOTAL = 256 * 1024 * 1024  # all of them


def read_table(data: bytes, name: str, sheet: str | None = None, *,
               tick: Tick | None = None) -> Table:
    """The rows of a CSV file or of one sheet of a workbook (the first, unless named), within
    the limits above; a NUL or other control character in a cell is refused, its line named.
    `tick(n)` as a workbook's rows are read (its XML is the slow part)."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name, sheet, tick)
    if sheet is not None:
        raise SheetError(f"{name} is a CSV file: it has no sheets (drop --sheet)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's CSV on Windows
    if bad := _ILLEGAL.search(text):
        _refuse_control(name, text.count("\n", 0, bad.start()) + 1, bad.group())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for n, row in enumerate(reader, 1):
            _check_row(name, n, row)
            rows.append((n, row))
    except csv.Error as exc:  # e.g. a cell over the csv module's 131,072 characters
        raise SheetError(f"{name} line {reader.line_num}: {exc}; a cell holds at most "
                         f"{MAX_CELL:,} characters") from exc
    return Table(rows)


def _refuse_control(name: str, line: int, char: str) -> None:
    what = "a NUL character" if char == "\x00" else f"control character U+{ord(char):04X}"
    raise SheetError(f"{name} line {line} holds {what}; remove it (nothing was imported)")


def _check_row(name: str, line: int, cells: list[Any] | tuple[Any, ...]) -> None:
    if line > MAX_ROWS:
        raise SheetError(f"{name} has more than {MAX_ROWS:,} rows; a tracker bptrack imports "
                         f"holds at most {MAX_ROWS:,} (split it)")
    if len(cells) > MAX_COLUMNS and any(c not in (None, "") for c in cells[MAX_COLUMNS:]):
        raise SheetError(f"{name} line {line} has a value beyond column {MAX_COLUMNS}; a "
                         f"tracker bptrack imports has at most {MAX_COLUMNS} columns")
    for column, cell in enumerate(cells[:MAX_COLUMNS], 1):
        if isinstance(cell, str) and len(cell) > MAX_CELL:
            raise SheetError(f"{name} line {line}, column {column}: a cell of {len(cell):,} "
                             f"characters; a cell holds at most {MAX_CELL:,}")


def _check_archive(data: bytes, name: str) -> None:
    """Refuse a workbook that unzips to more than the limits, before openpyxl reads any of it
    (its shared strings are read whole): the sizes are the zip's own, and zipfile never
    inflates a part past the size it declares."""
    import zipfile

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SheetError(f"{name} is not a readable .xlsx workbook ({exc})") from exc
    big = max(parts, key=lambda p: p.file_size, default=None)
    if big is not None and big.file_size > MAX_XLSX_PART:
        raise SheetError(f"{name} unzips {big.filename} to {big.file_size:,} bytes; a part "
                         f"of a workbook bptrack imports is at most "
                         f"{MAX_XLSX_PART // 1024 // 1024} MB")
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_TOTAL:
        raise SheetError(f"{name} unzips to {total:,} bytes; a workbook bptrack imports is at "
                         f"most {MAX_XLSX_TOTAL // 1024 // 1024} MB unzipped")


def _read_xlsx(data: bytes, name: str, sheet: str | None, tick: Tick | None) -> Table:
    import zipfile

    from openpyxl import load_workbook

    _check_archive(data, name)
    try:
        # read_only parses each sheet as a stream; with defusedxml installed openpyxl
        # refuses entity expansion and external entities (it uses it whenever it is there)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError(f"{name} is not a readable .xlsx workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SheetError(f"{name} has no sheet {sheet!r}; its sheets: "
                             f"{', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # The sheet's declared size may lie (A1:XFD1048576): rows are as wide as their cells
        ws.reset_dimensions()
        rows: list[tuple[int, list[Any]]] = []
        try:
            for n, row in enumerate(ws.iter_rows(values_only=True), 1):
                _check_row(name, n, row)
                cells = list(row[:MAX_COLUMNS])
                for cell in cells:
                    if isinstance(cell, str) and (bad := _ILLEGAL.search(cell)):
                        _refuse_control(name, n, bad.group())
                rows.append((n, cells))
                if tick is not None and n % 500 == 0:
                    tick(500)
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise SheetError(f"{name} is not a readable .xlsx workbook ({exc})") from exc
        return Table(rows, ws.title)
    finally:
        book.close()


def _norm(text: Any) -> str:
    return " ".join(str(text or "").replace("_", " ").split()).strip(" :*").lower()


def find_columns(table: Table, mapping: dict[str, str]) -> Columns:
    """The header row (the first of the first 30 naming two fields or more) and its columns;
    `mapping` (field → header) overrides the synonyms."""
    wanted = {f: (_norm(h),) for f, h in mapping.items()}
    for line, cells in table.rows[:30]:
        names = [_norm(c) for c in cells]
        index: dict[str, int] = {}
        for f in sorted(FIELDS, key=lambda f: f not in wanted):  # the map's fields first
            for word in wanted.get(f) or SYNONYMS[f]:
                if word in names and names.index(word) not in index.values():
                    index[f] = names.index(word)
                    break
        if len(index) >= 2 and "title" in index:
            missing = [f for f in mapping if f not in index]
            if missing:
                raise SheetError(f"line {line}: no column {mapping[missing[0]]!r} for "
                                 f"{missing[0]} (the headers: "
                                 f"{', '.join(str(c) for c in cells if c)})")
            return Columns(line, index)
    raise SheetError("no header row found: the sheet needs a row naming at least an action "
                     "column (Action, Commitment, Title …) and one more (Lead, Deadline, "
                     "Status …); or give --map title=Header,owner=Header")


def parse_map(text: str | None) -> dict[str, str]:
    """--map title=Commitment,owner=Lead → {"title": "Commitment", "owner": "Lead"}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, header = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in FIELDS or not header.strip():
            raise InvalidValue(f"--map takes field=Header pairs, fields being "
                               f"{', '.join(FIELDS)}; not {part.strip()!r}")
        out[key] = header.strip()
    return out


def records(table: Table, columns: Columns) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, {field: cell}) for each non-empty row below the header."""
    for line, cells in table.rows:
        if line <= columns.header_line:
            continue
        record = {f: cells[i] if i < len(cells) else None for f, i in columns.index.items()}
        if all(v is None or str(v).strip() == "" for v in record.values()):
            continue
        yield line, record


def status_of(value: Any) -> str:
    word = _norm(value)
    if word in STATUSES:
        return STATUSES[word]
    raise ValueError(f"unknown status {value!r}: use Completed, In progress, Not started, "
                     "Delayed or Cancelled (or done, in_progress, open, blocked, cancelled)")


def date_order(values: Iterable[Any]) -> str | None:
    """"dmy" or "mdy" when the column's slashed dates say which, None when they cannot."""
    day_first = month_first = False
    for value in values:
        m = _SLASHED.match(str(value)) if isinstance(value, str) else None
        if m:
            first, second = int(m.group(1)), int(m.group(2))
            day_first |= first > 12
            month_first |= second > 12
    if day_first and month_first:
        raise ValueError("the dates mix D/M/YYYY and M/D/YYYY")
    return "dmy" if day_first else "mdy" if month_first else None


def date_of(value: Any, order: str | None) -> dt.date | None:
    """A cell as a date: a date cell, an Excel serial number, or text."""
    from bptrack.reading.deadlines import find_deadline
    from bptrack.userinput.dates import parse_date

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= 2958465:
            raise ValueError(f"{value} is not an Excel date")
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return date_of(float(text), order)
    slashed = _SLASHED.match(text)
    if slashed:
        if order is None and int(slashed.group(1)) <= 12 and int(slashed.group(2)) <= 12:
            raise ValueError(f"{text!r} is ambiguous (D/M or M/D?): give --dayfirst or "
                             "--monthfirst")
        first, second, year = (int(g) for g in slashed.groups())
        day, month = (first, second) if order == "dmy" or first > 12 else (second, first)
        return dt.date(year, month, day)
    try:
        return parse_date(text)
    except InvalidValue:
        pass
    for lead in ("by ", "in ", ""):
        found = find_deadline(lead + text)
        if found is not None:
            return found
    raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD, D/M/YYYY, a date cell, "
                     "'Q3 2024', 'end 2024' or 'mid-2025'")
