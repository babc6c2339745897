"""Workbooks written for partners (`--format xlsx` of list and report) by sheet_xml, a row at
a time, imported inside the writers only. Text is stored as text (inline strings), so that
what starts with = + - or @ is never a formula."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bptrack.output import sheet_xml
    from bptrack.output.progress import Tick
    from bptrack.output.sheet_xml import Kind as sheet_kind


_WIDTHS = {"id": 7, "ref": 11, "title": 60, "kind": 9, "status": 11, "owner": 10,
           "owner_name": 30, "partners": 14, "assignee": 20, "assignee_email": 24, "due": 12,
           "overdue": 9, "meeting": 9, "source": 60, "resolution": 40, "block_reason": 40,
           "created_at": 20, "updated_at": 20, "closed_at": 20, "follows": 14, "followed_by": 14}
_DATE_FIELDS = ("due",)
_TIME_FIELDS = ("created_at", "updated_at", "closed_at")


# What a reader sees at the head of each column of a report's sheets.
HEADINGS = {"id": "#", "ref": "Ref", "title": "Action", "kind": "Kind", "status": "Status",
            "owner": "Owner", "owner_name": "Owner's name", "partners": "Partners",
            "assignee": "Assignee", "assignee_email": "Assignee's e-mail", "due": "Due",
            "overdue": "Overdue", "meeting": "Meeting", "source": "Source",
            "resolution": "Resolution", "block_reason": "Why blocked", "since": "Blocked since",
            "created_at": "Created", "updated_at": "Updated", "closed_at": "Closed",
            "follows": "Follows", "followed_by": "Followed by", "note": "Latest note"}
_WRAPPED = ("title", "source", "resolution", "block_reason", "note", "owner_name")


def _fitted(fields: tuple[str, ...], rows: list[dict[str, Any]]) -> dict[str, float]:
    """Column widths from the content: the longest value (or heading), within bounds, so
    that short columns are narrow and titles get the room, wrapping past 60 characters."""
    from bptrack.output.sheet_xml import shown

    widths: dict[str, float] = {}
    for f in fields:
        longest = max([len(HEADINGS.get(f, f)),
                       *(len(shown(v)) for r in rows if (v := r.get(f)) is not None)])
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


def _sheet_name(key: str) -> str:
    """A group's key as a sheet's name: without what a name cannot hold ([ ] : * ? / \\ and
    an apostrophe at either end), within 31 characters. (Names must also differ in more than
    case: the caller numbers the ones that do not.)"""
    return _SHEET_NAME.sub(" ", key)[:31].strip(" '") or "Group"


REPORT_FIELDS = ("ref", "title", "kind", "status", "owner", "assignee", "due", "overdue",
                 "note", "meeting")


def write_report(out: IO[bytes], report: dict[str, Any],
                 fields: tuple[str, ...] = REPORT_FIELDS, *,
                 tick: Tick | None = None) -> None:
    """`report --format xlsx`: a summary sheet (with its Total row whole), the overdue, the
    due-soon and the blocked actions (with why), then one sheet a group: the fields a
    briefing reads, in words, fit to print (`list --format xlsx` has every field)."""
    from bptrack.output import sheet_xml
    from bptrack.output.report_documents import note_of

    def with_notes(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**a, "note": note_of(a)} for a in actions]

    def sheets() -> Iterator[sheet_xml.Sheet]:
        yield _summary(report)
        overdue = sorted((a for g in report["groups"] for a in g["actions"] if a["overdue"]),
                         key=lambda a: (a["due"], a["id"]))
        yield _actions("Overdue", with_notes(overdue), fields)
        yield _actions("Due soon", with_notes(report["due_soon"]), fields)
        yield _actions("Blocked", [{**b, "block_reason": b["reason"],
                                    "since": (b["since"] or "")[:10]}
                                   for b in report["blocked"]],
                       ("ref", "title", "owner", "assignee", "due", "block_reason", "since"))
        used = {"summary", "overdue", "due soon", "blocked"}
        for group in report["groups"]:
            name = _sheet_name(str(group["key"]))
            base, n = name, 2
            while name.casefold() in used:
                name = f"{base[:28]} {n}"
                n += 1
            used.add(name.casefold())
            yield _actions(name, with_notes(group["actions"]), fields)

    sheet_xml.write_workbook(out, sheets(), tick=tick)


def _summary(report: dict[str, Any]) -> sheet_xml.Sheet:
    """The counts by group under a title line, the Total row in bold."""
    from bptrack.output import sheet_xml
    from bptrack.output.report_documents import percent_done, total_of

    names = max([len(str(g["name"])) for g in report["groups"]] + [10])
    columns = [sheet_xml.Column("Group", 12), sheet_xml.Column("Name", min(names + 2, 90))]
    columns += [sheet_xml.Column(header, width, "number", right=True) for header, width in (
        ("Total", 8), ("Open", 8), ("In progress", 12), ("Blocked", 9), ("Done", 8),
        ("Cancelled", 11), ("Overdue", 9), ("Due soon", 10))]
    columns.append(sheet_xml.Column("Done %", 9, "percent", right=True))
    counted = ("key", "name", "total", "open", "in_progress", "blocked", "done", "cancelled",
               "overdue", "due_soon", "percent_done")
    soon = {a["id"] for a in report["due_soon"]}
    rows = [sheet_xml.Row([{**g, "due_soon": sum(1 for a in g["actions"] if a["id"] in soon),
                            "percent_done": g["percent_done"] / 100}[c] for c in counted])
            for g in report["groups"]]
    totals = {**report["totals"], "key": "Total", "name": "", "total": total_of(report),
              "percent_done": percent_done(report) / 100}
    rows.append(sheet_xml.Row([totals[c] for c in counted], bold=True))
    title = f"Status report as of {report['as_of']}" + (
        f", meeting {report['meeting']}" if report.get("meeting") else "")
    return sheet_xml.Sheet("Summary", columns, rows, title=title, filtered=False)


def _actions(name: str, actions: list[dict[str, Any]], fields: tuple[str, ...]
             ) -> sheet_xml.Sheet:
    """A sheet of actions for people: headers in words, Yes or blank for a flag, dates as
    dates, long text wrapped in its column (the row as tall as its lines: spreadsheets do
    not guess), every cell's text at its top, overdue rows highlighted."""
    from bptrack.output import sheet_xml

    widths = _fitted(fields, actions)
    columns = [sheet_xml.Column(HEADINGS.get(f, f), widths[f],
                                _KINDS[f] if f in _DATE_FIELDS or f in _TIME_FIELDS else "text",
                                wrap=f in _WRAPPED) for f in fields]
    wrapped = [(f, max(int(widths[f]) - 2, 1)) for f in fields if f in _WRAPPED]

    def rows() -> Iterator[sheet_xml.Row]:
        for action in actions:
            values = [action.get(f) for f in fields]
            lines = max([1, *(-(-len(str(action.get(f) or "")) // room)
                              for f, room in wrapped)])
            yield sheet_xml.Row([("Yes" if v else None) if v.__class__ is bool else v
                                 for v in values], bool(action.get("overdue")), False,
                                13 * lines if lines > 1 else None)

    return sheet_xml.Sheet(name, columns, rows(), top=True)
