"""Workbooks written for partners (`--format xlsx` of list and report). openpyxl is imported
here only, inside the writers: its write-only mode streams a workbook of any size row by row,
and text that starts with = + - or @ is stored as text, never as a formula."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import IO, Any

# Characters a workbook's XML cannot hold; they are dropped from what is written.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_WIDTHS = {"id": 7, "ref": 11, "title": 60, "kind": 9, "status": 11, "owner": 10,
           "owner_name": 30, "partners": 14, "assignee": 20, "assignee_email": 24, "due": 12,
           "overdue": 9, "meeting": 9, "source": 60, "resolution": 40, "block_reason": 40,
           "created_at": 20, "updated_at": 20, "closed_at": 20, "follows": 14, "followed_by": 14}
_DATE_FIELDS = ("due",)
_TIME_FIELDS = ("created_at", "updated_at", "closed_at")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _cell(ws: Any, value: Any, *, bold: bool = False, fill: Any = None,
          number_format: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=_safe(value))
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"  # text, never a formula
    if bold:
        cell.font = Font(bold=True)
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format
    return cell


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(n))


def _printable(ws: Any) -> None:
    """Landscape, as wide as one page: the sheet prints (and converts to PDF) readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _action_sheet(book: Any, title: str, actions: Iterable[dict[str, Any]],
                  fields: tuple[str, ...]) -> int:
    """One sheet of actions: a frozen header row, an autofilter, widths, overdue rows red."""
    from openpyxl.styles import PatternFill

    ws = book.create_sheet(title=title)
    _printable(ws)
    ws.freeze_panes = "A2"
    for n, f in enumerate(fields, 1):
        ws.column_dimensions[_column(n)].width = _WIDTHS.get(f, 14)
    ws.append([_cell(ws, f, bold=True) for f in fields])
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
            row.append(_cell(ws, value, fill=fill, number_format=fmt))
        ws.append(row)
        count += 1
    ws.auto_filter.ref = f"A1:{_column(len(fields))}{count + 1}"
    return count


def write_actions(out: IO[bytes], actions: Iterable[dict[str, Any]],
                  fields: tuple[str, ...]) -> int:
    """`list --format xlsx`: one sheet of every field of every action."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    count = _action_sheet(book, "Actions", actions, fields)
    book.save(out)
    return count


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


REPORT_FIELDS = ("ref", "title", "kind", "status", "owner", "assignee", "due", "overdue",
                 "resolution", "block_reason", "meeting")


def write_report(out: IO[bytes], report: dict[str, Any],
                 fields: tuple[str, ...] = REPORT_FIELDS) -> None:
    """`report --format xlsx`: a summary sheet, the overdue and the blocked actions (with
    why), then one sheet a group
    (the fields a briefing reads; `list --format xlsx` has them all)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("Summary")
    _printable(ws)
    ws.freeze_panes = "A3"
    columns = ("key", "name", "total", "open", "in_progress", "blocked", "done", "cancelled",
               "overdue", "percent_done")
    headers = ("Group", "Name", "Total", "Open", "In progress", "Blocked", "Done", "Cancelled",
               "Overdue", "Done %")
    for n, width in enumerate((12, 60, 8, 8, 11, 9, 8, 10, 9, 9), 1):
        ws.column_dimensions[_column(n)].width = width
    ws.append([_cell(ws, f"Status report as of {report['as_of']}"
                     + (f", meeting {report['meeting']}" if report.get("meeting") else ""),
                     bold=True)])
    ws.append([_cell(ws, h, bold=True) for h in headers])
    for group in report["groups"]:
        ws.append([_cell(ws, group[c]) for c in columns])
    totals = report["totals"]
    ws.append([_cell(ws, "Total", bold=True), _cell(ws, ""),
               _cell(ws, sum(g["total"] for g in report["groups"]), bold=True),
               *(_cell(ws, totals[c], bold=True) for c in columns[3:9]), _cell(ws, "")])
    overdue = [a for g in report["groups"] for a in g["actions"] if a["overdue"]]
    _action_sheet(book, "Overdue", sorted(overdue, key=lambda a: (a["due"], a["id"])), fields)
    _action_sheet(book, "Blocked", [{**b, "block_reason": b["reason"]}
                                    for b in report["blocked"]],
                  ("ref", "title", "owner", "assignee", "due", "block_reason", "since"))
    used = {"Summary", "Overdue", "Blocked"}
    for group in report["groups"]:
        name = _SHEET_NAME.sub(" ", str(group["key"]))[:31] or "Group"
        base, n = name, 2
        while name in used:
            name = f"{base[:28]} {n}"
            n += 1
        used.add(name)
        _action_sheet(book, name, group["actions"], fields)
    book.save(out)

