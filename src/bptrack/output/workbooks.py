"""Workbooks written for partners (`--format xlsx` of list and report), imported inside the
writers only: the list by sheet_xml (a row at a time, the fastest at 100,000 rows), the
report by openpyxl's write-only mode. Text that starts with = + - or @ is stored as text,
never as a formula."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from bptrack.output.cells import XML_ILLEGAL

if TYPE_CHECKING:
    from bptrack.output.progress import Tick
    from bptrack.output.sheet_xml import Kind as sheet_kind


_WIDTHS = {"id": 7, "ref": 11, "title": 60, "kind": 9, "status": 11, "owner": 10,
           "owner_name": 30, "partners": 14, "assignee": 20, "assignee_email": 24, "due": 12,
           "overdue": 9, "meeting": 9, "source": 60, "resolution": 40, "block_reason": 40,
           "created_at": 20, "updated_at": 20, "closed_at": 20, "follows": 14, "followed_by": 14}
_DATE_FIELDS = ("due",)
_TIME_FIELDS = ("created_at", "updated_at", "closed_at")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _cell(ws: Any, value: Any, *, bold: bool = False, fill: Any = None,
          number_format: str | None = None, wrap: bool = False, right: bool = False,
          top: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(ws, value=_safe(value))
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"  # text, never a formula
    if bold:
        cell.font = Font(bold=True)
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    if wrap or right or top:
        cell.alignment = Alignment(wrap_text=wrap, vertical="top",
                                   horizontal="right" if right else None)
    return cell


# What a reader sees at the head of each column of a report's sheets.
HEADINGS = {"id": "#", "ref": "Ref", "title": "Action", "kind": "Kind", "status": "Status",
            "owner": "Owner", "owner_name": "Owner's name", "partners": "Partners",
            "assignee": "Assignee", "assignee_email": "Assignee's e-mail", "due": "Due",
            "overdue": "Overdue", "meeting": "Meeting", "source": "Source",
            "resolution": "Resolution", "block_reason": "Why blocked", "since": "Blocked since",
            "created_at": "Created", "updated_at": "Updated", "closed_at": "Closed",
            "follows": "Follows", "followed_by": "Followed by", "note": "Latest note"}
_WRAPPED = ("title", "source", "resolution", "block_reason", "note", "owner_name")


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(n))


def _printable(ws: Any, header_rows: str | None = None) -> None:
    """Landscape, as wide as one page, the header row on every page, page numbers in the
    footer: the sheet prints (and converts to PDF) readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.left.text = "&A"


def _action_sheet(book: Any, title: str, actions: Iterable[dict[str, Any]],
                  fields: tuple[str, ...], *, headings: bool = False,
                  widths: dict[str, float] | None = None,
                  tick: Tick | None = None) -> int:
    """One sheet of actions: a frozen header row, an autofilter, widths, overdue rows red.
    With `headings` (a report, for people): headers in words, Yes or blank for a flag, long
    text wrapped in its column."""
    from openpyxl.styles import PatternFill

    ws = book.create_sheet(title=title)
    _printable(ws, "1:1")
    ws.freeze_panes = "A2"
    chars = {f: (widths or {}).get(f) or _WIDTHS.get(f, 14) for f in fields}
    for n, f in enumerate(fields, 1):
        ws.column_dimensions[_column(n)].width = chars[f]
    ws.append([_cell(ws, HEADINGS.get(f, f) if headings else f, bold=True) for f in fields])
    overdue_fill = PatternFill("solid", fgColor="FDE2E1")
    count = 0
    for action in actions:
        fill = overdue_fill if action.get("overdue") else None
        row = []
        for f in fields:
            value: Any = action.get(f)
            fmt = None
            if f in _DATE_FIELDS and value:
                value, fmt = dt.date.fromisoformat(value), "yyyy-mm-dd"
            elif f in _TIME_FIELDS and value:
                value = dt.datetime.fromisoformat(value.replace("Z", "")).replace(tzinfo=None)
                fmt = "yyyy-mm-dd hh:mm"
            elif headings and isinstance(value, bool):
                value = "Yes" if value else None
            row.append(_cell(ws, value, fill=fill, number_format=fmt,
                             wrap=headings and f in _WRAPPED, top=headings))
        if headings:  # a wrapped cell's row as tall as its lines: spreadsheets do not guess
            lines = max([1, *(-(-len(str(action.get(f) or "")) // max(int(chars[f]) - 2, 1))
                              for f in fields if f in _WRAPPED)])
            if lines > 1:
                ws.row_dimensions[count + 2].height = 13 * lines
        ws.append(row)
        count += 1
        if tick is not None and count % 500 == 0:
            tick(500)
    if tick is not None:
        tick(count % 500)
    ws.auto_filter.ref = f"A1:{_column(len(fields))}{count + 1}"
    return count


def _fitted(fields: tuple[str, ...], rows: list[dict[str, Any]]) -> dict[str, float]:
    """Column widths from the content: the longest value (or heading), within bounds, so
    that short columns are narrow and titles get the room, wrapping past 60 characters."""
    widths: dict[str, float] = {}
    for f in fields:
        longest = max([len(HEADINGS.get(f, f)),
                       *(len(str(_safe(r.get(f)) or "")) for r in rows)])
        widths[f] = float(min(max(longest + 2, 6), 60 if f in _WRAPPED else 30))
    return widths


_KINDS: dict[str, sheet_kind] = {"id": "number", "overdue": "boolean",
                                 **dict.fromkeys(_DATE_FIELDS, "date"),
                                 **dict.fromkeys(_TIME_FIELDS, "datetime")}


def write_actions(out: IO[bytes], actions: Iterable[dict[str, Any]],
                  fields: tuple[str, ...]) -> int:
    """`list --format xlsx`: one sheet of every field of every action, as `_action_sheet`
    lays one out (frozen header, filter, widths, overdue rows red, dates as dates, fit to
    print), written a row at a time by sheet_xml: 100,000 actions in flat memory."""
    from bptrack.output import sheet_xml

    columns = [sheet_xml.Column(f, _WIDTHS.get(f, 14), _KINDS.get(f, "text")) for f in fields]
    rows = (([action.get(f) for f in fields], bool(action.get("overdue")))
            for action in actions)
    return sheet_xml.write(out, "Actions", columns, rows)


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


REPORT_FIELDS = ("ref", "title", "kind", "status", "owner", "assignee", "due", "overdue",
                 "note", "meeting")


def write_report(out: IO[bytes], report: dict[str, Any],
                 fields: tuple[str, ...] = REPORT_FIELDS, *,
                 tick: Tick | None = None) -> None:
    """`report --format xlsx`: a summary sheet (with its Total row whole), the overdue, the
    due-soon and the blocked actions (with why), then one sheet a group: the fields a
    briefing reads, in words, fit to print (`list --format xlsx` has every field)."""
    from openpyxl import Workbook

    from bptrack.output.report_documents import note_of, percent_done, total_of

    book = Workbook(write_only=True)
    ws = book.create_sheet("Summary")
    _printable(ws, "2:2")
    ws.freeze_panes = "A3"
    columns = ("key", "name", "total", "open", "in_progress", "blocked", "done", "cancelled",
               "overdue", "due_soon", "percent_done")
    headers = ("Group", "Name", "Total", "Open", "In progress", "Blocked", "Done", "Cancelled",
               "Overdue", "Due soon", "Done %")
    names = max([len(str(g["name"])) for g in report["groups"]] + [10])
    for n, width in enumerate((12, min(names + 2, 90), 8, 8, 12, 9, 8, 11, 9, 10, 9), 1):
        ws.column_dimensions[_column(n)].width = width
    ws.append([_cell(ws, f"Status report as of {report['as_of']}"
                     + (f", meeting {report['meeting']}" if report.get("meeting") else ""),
                     bold=True)])
    ws.append([_cell(ws, h, bold=True, right=n >= 2) for n, h in enumerate(headers)])
    soon = {a["id"] for a in report["due_soon"]}
    for group in report["groups"]:
        due_soon = sum(1 for a in group["actions"] if a["id"] in soon)
        values = {**group, "due_soon": due_soon, "percent_done": group["percent_done"] / 100}
        ws.append([_cell(ws, values[c],
                         number_format="0%" if c == "percent_done" else None)
                   for c in columns])
    totals = {**report["totals"], "key": "Total", "name": "", "total": total_of(report),
              "percent_done": percent_done(report) / 100}
    ws.append([_cell(ws, totals[c], bold=True,
                     number_format="0%" if c == "percent_done" else None) for c in columns])

    def with_notes(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**a, "note": note_of(a)} for a in actions]

    overdue = sorted((a for g in report["groups"] for a in g["actions"] if a["overdue"]),
                     key=lambda a: (a["due"], a["id"]))
    lists = [("Overdue", with_notes(overdue), fields),
             ("Due soon", with_notes(report["due_soon"]), fields),
             ("Blocked", [{**b, "block_reason": b["reason"], "since": (b["since"] or "")[:10]}
                          for b in report["blocked"]],
              ("ref", "title", "owner", "assignee", "due", "block_reason", "since"))]
    for name, rows, shown in lists:
        _action_sheet(book, name, rows, shown, headings=True, widths=_fitted(shown, rows),
                      tick=tick)
    used = {"Summary", "Overdue", "Due soon", "Blocked"}
    for group in report["groups"]:
        name = _SHEET_NAME.sub(" ", str(group["key"]))[:31] or "Group"
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        rows = with_notes(group["actions"])
        _action_sheet(book, name, rows, fields, headings=True, widths=_fitted(fields, rows),
                      tick=tick)
    book.save(out)
