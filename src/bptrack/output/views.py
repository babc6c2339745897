"""What each thing looks like: a table of actions, one action, its history, a meeting, a
statement's items, the report, the reminder digest, in each format the contract gives it."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from bptrack.output.cells import one_line, printable
from bptrack.output.formats import (
    JSON,
    records,
    write_delimited,
    write_document,
    write_json,
    write_json_lines,
)
from bptrack.output.messages import message
from bptrack.output.terminal import WIDE, is_terminal, table, width_of, wrapped
from bptrack.userinput import format_person
from bptrack.vocabulary import LINK_WORDS, change_words

if TYPE_CHECKING:
    from bptrack.output.progress import Tick
    from bptrack.service.reminders import TextDigest
    from bptrack.service.reports import Report
    from bptrack.store.queries import DigestLine

# The columns of a table of actions: field, heading.
ACTION_COLUMNS = (("id", "ID"), ("ref", "Ref"), ("due", "Due"), ("status", "Status"),
                  ("owner", "Owner"), ("assignee", "Assignee"), ("title", "Title"))


def actions(items: Iterable[dict[str, Any]], fmt: str, fields: Sequence[str],
            out: IO[str] | None = None) -> int:
    """Actions in any list format; returns how many were written."""
    out = out or sys.stdout
    if fmt in ("csv", "tsv"):
        return write_delimited(items, fields, out, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return write_json(items, out)
    return records(items, ACTION_COLUMNS, fmt, out, highlight="overdue")


CHAIN_WORDS = {"made": "made", "repeated": "repeated", "progress": "progress reported",
               "done": "reported done"}


def action_detail(action: dict[str, Any], fmt: str, out: IO[str] | None = None, *,
                  utc: bool = False) -> None:
    """Everything about one action: its fields, source sentence and history; times in the
    reader's zone (or UTC)."""
    out = out or sys.stdout
    if fmt == "json":
        write_document(action, out)
        return
    assignee = format_person(action["assignee"], action["assignee_email"])
    due = action["due"] or "-"
    if action["overdue"]:
        due += " (overdue)"
    lines = [
        ("Action", f"#{action['id']} {action['ref']}"),
        ("Title", action["title"]),
        ("Kind", action["kind"]),
        ("Status", action["status"]),
        ("Owner", f"{action['owner']} ({action['owner_name']})"),
        ("Partners", ", ".join(action["partners"]) or "-"),
        ("Assignee", assignee or "-"),
        ("Due", due),
        ("Meeting", action["meeting"] or "-"),
        *([("Follows", ", ".join(action["follows"]))] if action.get("follows") else []),
        *([("Followed by", ", ".join(action["followed_by"]))]
          if action.get("followed_by") else []),
        ("Resolution", action["resolution"] or "-"),
        ("Created", shown_time(action["created_at"], utc)),
        ("Updated", shown_time(action["updated_at"], utc)),
        ("Closed", shown_time(action["closed_at"], utc)),
    ]
    for label, value in lines:
        out.write(wrapped(f"{label + ':':<13}{one_line(value)}", out, hanging=" " * 13) + "\n")
    if action["source"]:
        out.write(f"\nSource:\n{wrapped(action['source'], out, indent='  ', hanging='  ')}\n")
    if len(action.get("chain") or ()) > 1:  # made at one meeting, followed up at others
        out.write("\nThrough the meetings:\n")
        for step in action["chain"]:
            out.write(wrapped(f"{one_line(step['meeting'] or '-')}  {CHAIN_WORDS[step['role']]} "
                              f"({step['ref']}): {one_line(step['source'])}", out,
                              indent="  ", hanging="    ") + "\n")
    out.write("\nHistory:\n")
    for event in action.get("history", []):
        out.write(wrapped(describe_event(event, utc), out, indent="  ", hanging="    ") + "\n")


def describe_event(event: dict[str, Any], utc: bool = False) -> str:
    """One line for a history event: when (in the reader's zone), who, what."""
    what = event["type"]
    if event["field"]:
        what = one_line(change_words(event["field"], event["old"], event["new"]))
    line = (f"{shown_time(event['at'], utc)}  {one_line(who(event))}  #{event['action_id']}  "
            f"{what}")
    if event["note"]:
        line += f"  ({one_line(event['note'])})"
    return line


def who(event: dict[str, Any]) -> str:
    """Who made a change: the login, and the name it was made in when that differs
    ("alice (as secretariat-director)")."""
    actor, login = event.get("actor") or "", event.get("login")
    if not login or login == actor:
        return str(actor)
    return f"{login} (as {actor})"


HISTORY_COLUMNS = (("at", "At"), ("who", "Who"), ("action_id", "Action"),
                   ("type", "Type"), ("field", "Field"), ("old", "Old"), ("new", "New"),
                   ("note", "Note"))


def history(events: Sequence[dict[str, Any]], fmt: str, out: IO[str] | None = None, *,
            utc: bool = False) -> None:
    out = out or sys.stdout
    if fmt == "json":
        write_json(events, out)
    elif is_terminal(out) and (width_of(out) or 0) >= WIDE:
        table([{**e, **_linked(e), "who": who(e), "at": shown_time(e["at"], utc)}
               for e in events], HISTORY_COLUMNS, out)
    else:  # piped, or a terminal too narrow for eight columns: a line an event, wrapped
        for event in events:
            out.write(wrapped(describe_event(event, utc), out, hanging="    ") + "\n")


def _linked(event: dict[str, Any]) -> dict[str, Any]:
    """A link's field, old and new values in words (refs listed), not JSON."""
    if event.get("field") not in LINK_WORDS:
        return {}
    return {"field": LINK_WORDS[event["field"]],
            **{side: ", ".join(json.loads(event[side])) if event[side] else ""
               for side in ("old", "new")}}


def shown_time(text: str | None, utc: bool = False) -> str:
    """A stored UTC time as the reader reads it: in the local zone (TZ), e.g.
    "2026-12-02 11:21 +1030", or with `utc` "2026-12-02 00:51 UTC"."""
    if not text:
        return "-"
    import datetime as dt

    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if utc:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %z")


def meeting_detail(meeting: dict[str, Any], fmt: str, out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        write_document(meeting, out)
        return
    for label, value in (("Meeting", meeting["ref"]), ("Title", meeting["title"]),
                         ("Date", meeting["date"] or "-"), ("Location", meeting["location"]
                                                            or "-")):
        out.write(wrapped(f"{label + ':':<11}{one_line(value)}", out, hanging=" " * 11) + "\n")
    out.write(wrapped(f"Attendees: {len(meeting['attendees'])}: "
                      f"{one_line(', '.join(meeting['attendees'])) or '-'}", out,
                      hanging=" " * 11) + "\n\nItems:\n")
    for kind, counts in meeting["items"].items():
        detail = ", ".join(f"{n} {status}" for status, n in counts.items() if status != "total")
        out.write(f"  {kind:<8} {counts['total']:>4}  ({detail})\n")


IMPORT_COLUMNS = (("n", "#"), ("kind", "Kind"), ("owner", "Owner"), ("due", "Due"),
                  ("partners", "Partners"), ("confidence", "Sure"), ("doubt", "Why unsure"),
                  ("title", "Title"))


def statement_import(document: dict[str, Any], fmt: str, out: IO[str] | None = None) -> None:
    """What an import read (or on a dry run, would add): the meeting, then its items."""
    out = out or sys.stdout
    if fmt == "json":
        write_document(document, out)
        return
    meeting = document["meeting"]
    out.write(wrapped(f"{one_line(meeting['ref'])}  {one_line(meeting['title'])}  "
                      f"{meeting['date'] or '-'}  {one_line(meeting['location'] or '-')}", out)
              + "\n")
    if "changes" in document:  # the meeting is in the tracker: what this statement changes
        table([{**c, "fields": _changed_fields(c["fields"]),
                "kept": "kept: changed since import" if c["kept"] else ""}
               for c in document["changes"]], CHANGE_COLUMNS, out)
        return
    rows = [{"n": n, "confidence": "", **item, "doubt": _doubt(item)}
            for n, item in enumerate(document["items"], 1)]
    # The items to check come first, each saying why the reader is unsure
    rows.sort(key=lambda row: row.get("confidence") != "low")
    summarised(rows, IMPORT_COLUMNS, out)


CHANGE_COLUMNS = (("change", "Change"), ("ref", "Ref"), ("fields", "What"), ("kept", "Kept"),
                  ("title", "Title"))


def _changed_fields(fields: dict[str, dict[str, Any]]) -> str:
    def shown(value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else str(value or "-")

    return "; ".join(f"{name} {shown(v['now'])} -> {shown(v['statement'])}"
                     for name, v in fields.items())


SUMMARY_ROWS = 20  # an import's rows shown on a terminal; piped, every one


def summarised(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
               out: IO[str] | None = None) -> None:
    """The rows of an import: every one when piped (for scripts); on a terminal, when there
    are many, what they are by outcome, kind and status, the first SUMMARY_ROWS, and how many
    more there are, rather than ten thousand lines scrolling past."""
    out = out or sys.stdout
    if not is_terminal(out) or len(rows) <= SUMMARY_ROWS:
        table(rows, columns, out)
        return
    from collections import Counter

    out.write(f"{len(rows)} rows\n")
    for key, label in (("outcome", "Outcome"), ("kind", "Kind"), ("status", "Status")):
        counts = Counter(str(r[key]) for r in rows if r.get(key))
        if counts:
            out.write(wrapped(f"{label}: " + ", ".join(
                f"{n} {one_line(value)}" for value, n in counts.most_common()), out) + "\n")
    table(rows[:SUMMARY_ROWS], columns, out)
    out.flush()
    message(f"and {len(rows) - SUMMARY_ROWS} more: --format json for all")


def _doubt(item: dict[str, Any]) -> str:
    """Why a low-confidence item is so, in a few words: its `why` without the sure parts."""
    if item.get("confidence") != "low":
        return ""
    parts = [p.strip() for p in str(item.get("why") or "").split(";")]
    unsure = [p for p in parts if re.search(r"no verb|none named|sentence before|lead-in|"
                                            r"heading of future|'would'|said|quoted|reported|"
                                            r"'by|a view|were encouraged|invited", p)]
    return "; ".join(unsure or parts[:1])


def report_text(report: Report, fmt: str) -> str:
    """The report in a file format (md, json, csv, html)."""
    buffer = io.StringIO()
    report_to(report, fmt, buffer)
    return buffer.getvalue()


def report_to(report: Report, fmt: str, out: IO[str],
              tick: Tick | None = None) -> None:
    from bptrack.output import report_documents as report_formats

    if fmt == "json":
        _write_report_json(report, out)
    elif fmt == "md":
        out.write(report_formats.markdown(report.as_dict()))
    elif fmt == "csv":
        out.write(report_formats.csv_text(report.as_dict()))
    elif fmt == "html":
        from bptrack.output.report_html import write_html

        write_html(report, out, tick)
    else:
        raise ValueError(fmt)


def _write_report_json(report: Report, out: IO[str]) -> None:
    """The contract's report object, streamed: one action a line, however many there are."""
    out.write("{\n")
    for name, value in report.header.items():
        out.write(f'  "{name}": {JSON.encode(value)},\n')
    totals = json.dumps(report.totals, indent=2).replace("\n", "\n  ")
    out.write(f'  "totals": {totals},\n  "groups": [')
    for index, (group, actions) in enumerate(report.grouped_json()):
        head = JSON.encode(group)[:-1]
        out.write(("\n" if index == 0 else ",\n") + f'    {head}, "actions": [')
        count = 0
        for run in actions:  # each action's JSON comes ready-made from the database
            out.write(("\n" if count == 0 else ",\n") + "      " + ",\n      ".join(run))
            count += len(run)
        out.write("\n    ]}" if count else "]}")
    out.write("\n  ],\n" if report.groups else "],\n")
    out.write('  "due_soon": [')
    count = write_json_lines(report.due_soon(), out, "    ")
    out.write("\n  ],\n" if count else "],\n")
    out.write('  "blocked": [')
    count = write_json_lines(report.blocked(), out, "    ")
    out.write("\n  ],\n" if count else "],\n")
    out.write('  "changes": [')
    count = write_json_lines(report.changes, out, "    ")
    out.write("\n  ],\n" if count else "],\n")
    out.write('  "carried": [')
    count = write_json_lines(report.carried, out, "    ")
    out.write("\n  ]" if count else "]")
    if report.follow_up is not None:
        out.write(',\n  "follow_up": ' + json.dumps(report.follow_up, indent=2, ensure_ascii=False)
                  .replace("\n", "\n  "))
    out.write("\n}\n")


def _bar(done: int, total: int, width: int = 12) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


REPORT_COLUMNS = (("key", "Group"), ("progress", "Done"), ("total", "Total"),
                  ("active", "Active"), ("blocked", "Blocked"), ("overdue", "Overdue"))
REPORT_PAGE = 20  # a terminal report shows at most this many of each list


def _progress(done: int, committed: int, bar: bool) -> str:
    share = f"{done}/{committed}"
    return f"{_bar(done, committed)} {share}" if bar else share


def report(report_data: Report, fmt: str, out: IO[str] | None = None,
           tick: Tick | None = None) -> None:
    """The report on stdout: a heading and totals, the groups, then a page of each list
    (overdue, blocked, changes); the full lists are in the file formats (`tick(n)` as the
    HTML page's rows are written)."""
    out = out or sys.stdout
    if fmt != "table":
        report_to(report_data, fmt, out, tick)
        return
    from bptrack.output.report_documents import (
        blocked_line,
        change_text,
        follow_up_sections,
        summary_line,
        title_of,
    )

    terminal = is_terminal(out)
    head = {**report_data.header, "totals": report_data.totals}
    summary = wrapped(summary_line(head), out, hanging="")
    out.write(f"{wrapped(title_of(head), out)}\n{summary}\n\n")
    rows = [{"key": g["key"], "total": g["total"], "overdue": g["overdue"],
             "blocked": g["blocked"], "active": g["open"] + g["in_progress"] + g["blocked"],
             "progress": _progress(g["done"], g["total"] - g["cancelled"], terminal)}
            for g in report_data.groups]
    t = report_data.totals
    total = sum(g["total"] for g in report_data.groups)
    rows.append({"key": "Total", "total": total, "overdue": t["overdue"], "blocked": t["blocked"],
                 "active": t["open"] + t["in_progress"] + t["blocked"],
                 "progress": _progress(t["done"], total - t["cancelled"], terminal)})
    table(rows, REPORT_COLUMNS, out, header=True)

    def page_footer(shown: int, count: int) -> None:
        if count > shown:
            out.flush()
            message(f"showing {shown} of {count}; the full list is in --format md, html, json "
                    "or csv")

    overdue = report_data.overdue(REPORT_PAGE)
    if overdue:
        out.write(f"\nOverdue ({t['overdue']}):\n")
        table(overdue, ACTION_COLUMNS, out)
        page_footer(len(overdue), t["overdue"])
    due_soon = report_data.due_soon(REPORT_PAGE)
    if due_soon:
        out.write(f"\nDue soon ({t['due_soon']}):\n")
        table(due_soon, ACTION_COLUMNS, out)
        page_footer(len(due_soon), t["due_soon"])
    blocked = report_data.blocked(REPORT_PAGE)
    if blocked:
        out.write(f"\nBlocked ({t['blocked']}):\n")
        for b in blocked:
            out.write(wrapped(f"{b['ref']}  {blocked_line(b)}", out, indent="  ") + "\n")
        page_footer(len(blocked), t["blocked"])
    if report_data.header["since"]:
        changes = report_data.changes
        out.write(f"\nChanges since {report_data.header['since']} ({len(changes)}):\n")
        for c in changes[:REPORT_PAGE]:
            out.write(wrapped(f"{c['date'][:10]}  {c['ref']}  {c['title']} — {change_text(c)}",
                              out, indent="  ") + "\n")
        if not changes:
            out.write("  none\n")
        page_footer(min(len(changes), REPORT_PAGE), len(changes))
    if report_data.follow_up is not None or report_data.carried:
        for heading, lines in follow_up_sections({"follow_up": report_data.follow_up,
                                                  "carried": report_data.carried}):
            out.write(f"\n{heading}:\n")
            for ref, text in lines or [("", "none")]:
                out.write(wrapped(f"{ref}  {text}" if ref else text, out, indent="  ") + "\n")


def reminder_lines(digest: TextDigest, out: IO[str] | None = None) -> None:
    """The cron digest as text, written as it is read: nothing at all when nothing is due,
    so cron sends no mail."""
    out = out or sys.stdout
    if not digest.total:
        return
    out.write(wrapped(f"bptrack reminders for {digest.as_of.isoformat()}: {digest.overdue} "
                      f"overdue, {digest.total - digest.overdue} due within {digest.within} "
                      "days", out) + "\n")
    width = width_of(out)
    today_text = digest.as_of.isoformat()
    for whom, group in digest.groups:
        out.write("\n" + (one_line(whom) if width is None else wrapped(whom, out)) + "\n")
        for at in range(0, len(group), 1000):  # a thousand lines a write
            out.write(_digest_lines(group[at:at + 1000], today_text, out, width))


def _digest_lines(lines: Sequence[DigestLine], today_text: str, out: IO[str],
                  width: int | None) -> str:
    """A group's digest lines as text. Piped (cron), they are made as they are and checked
    at once, as most are printable (one check of a thousand lines, not one of each);
    otherwise, or when one is not, made again with each cell cleaned and, on a terminal,
    wrapped."""
    blocked = " " * 22

    def made(clean: bool) -> list[str]:
        text = []
        for _, _, ref, title, due, why in lines:
            if clean:
                ref, title = one_line(ref), one_line(title)
            line = f"  {'OVERDUE' if due < today_text else 'due    '} {due}  {ref}  {title}"
            text.append(line if width is None else wrapped(line, out, hanging=blocked))
            if why:
                text.append(wrapped(f"blocked: {why}", out, indent=blocked, hanging=blocked))
        return text

    if width is None and printable("".join(text := made(clean=False))):
        return "\n".join(text) + "\n"
    return "\n".join(made(clean=True)) + "\n"


def reminder_document(digest: dict[str, Any], out: IO[str] | None = None) -> None:
    """The digest as JSON (`remind --format json`); the text digest is reminder_lines."""
    write_document(digest, out or sys.stdout)
