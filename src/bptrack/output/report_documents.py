"""The status report as Markdown and CSV, and what its documents share (report_html.py,
report_docx.py, workbooks.py): titles, the summary line, notes, the follow-up sections.

Every piece of data passes through the same escaping as the rest of the output: Markdown cells
are defused, CSV cells cannot become formulas.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bptrack.output.cells import csv_cell, md_cell
from bptrack.vocabulary import FIELDS, STATUSES

STATUS_COLOURS = {"open": "#4a78b5", "in_progress": "#e0a526", "blocked": "#c2403a",
                  "done": "#3d8b55", "cancelled": "#9a9a9a"}
STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "blocked": "Blocked",
                 "done": "Done", "cancelled": "Cancelled"}


def title_of(report: dict[str, Any]) -> str:
    scope = f" — meeting {report['meeting']}" if report["meeting"] else ""
    return f"bptrack status report{scope}, as of {report['as_of']}"


def summary_line(report: dict[str, Any]) -> str:
    t = report["totals"]
    return (f"{total_of(report)} commitments: {t['open']} open, {t['in_progress']} in progress, "
            f"{t['blocked']} blocked, {t['done']} done, {t['cancelled']} cancelled; "
            f"{t['overdue']} overdue, {t['due_soon']} due soon.")


def total_of(report: dict[str, Any]) -> int:
    return sum(report["totals"][s] for s in STATUSES)


def percent_done(report: dict[str, Any]) -> int:
    t = report["totals"]
    committed = total_of(report) - t["cancelled"]
    return round(100 * t["done"] / committed) if committed else 0


def _overdue(report: dict[str, Any]) -> list[dict[str, Any]]:
    found = [a for g in report["groups"] for a in g["actions"] if a["overdue"]]
    return sorted(found, key=lambda a: (a["due"], a["id"]))


def note_of(action: dict[str, Any]) -> str:
    """What a briefing says beside an action: why it is blocked, or how it was closed, and
    its latest note."""
    return note_text(action.get("block_reason"), action.get("resolution"),
                     action.get("latest_note"))


def note_text(reason: str | None, resolution: str | None, latest: str | None) -> str:
    """note_of(), from its three parts."""
    parts = []
    if reason:
        parts.append(f"Blocked: {reason}")
    elif resolution:
        parts.append(str(resolution))
    if latest and latest not in (reason, resolution):
        parts.append(f"Latest note: {latest}")
    return "; ".join(parts)


def closed_how(done: dict[str, Any]) -> str:
    """How and when a commitment was closed: as a later statement reported it, or by hand."""
    when = f" on {done['closed_at'][:10]}" if done.get("closed_at") else ""
    if done.get("how") == "statement":
        return f"{done['resolution']}{when}"
    note = f": {done['resolution']}" if done.get("resolution") else ""
    return f"closed by {done.get('closed_by') or 'hand'}{when}{note}"


def blocked_line(b: dict[str, Any]) -> str:
    since = f", blocked since {b['since'][:10]}" if b.get("since") else ""
    return f"{b['title']} ({b['owner']}{since}) — {b['reason'] or 'no reason given'}"


def change_text(change: dict[str, Any]) -> str:
    kind = change["change"]
    note = f": {change['note']}" if change.get("note") else ""
    if kind == "reassigned":
        if not change["old"]:
            return f"assigned to {change['new']}"
        if not change["new"]:
            return f"unassigned (was {change['old']})"
        return f"reassigned {change['old']} → {change['new']}"
    if kind == "closed":
        return f"closed ({change['new']}){note}"
    if kind == "blocked":
        return f"blocked{note}"
    if kind == "reopened":
        return f"reopened (was {change['old']})"
    if kind == "due_changed":
        if not change["old"]:
            return f"due {change['new']}"
        return f"due changed {change['old']} → {change['new'] or 'none'}"
    if kind == "became_overdue":
        return f"became overdue (due {change['new']})"
    return "new"


# --- Markdown -----------------------------------------------------------------------------

def markdown(report: dict[str, Any]) -> str:
    out = [f"# {title_of(report)}", "", summary_line(report), ""]
    if report["since"]:
        out[2] += f" Changes since {report['since']}."
    out += ["## Summary", "", "| Group | Name | Total | Open | In progress | Blocked | Done | "
            "Cancelled | Overdue | Done % |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for g in report["groups"]:
        out.append(f"| {md_cell(g['key'])} | {md_cell(g['name'])} | {g['total']} | {g['open']} "
                   f"| {g['in_progress']} | {g['blocked']} | {g['done']} | {g['cancelled']} | "
                   f"{g['overdue']} | {g['percent_done']}% |")
    t = report["totals"]
    out.append(f"| **Total** | | **{total_of(report)}** | **{t['open']}** | **{t['in_progress']}** "
               f"| **{t['blocked']}** | **{t['done']}** | **{t['cancelled']}** | "
               f"**{t['overdue']}** | **{percent_done(report)}%** |")
    out += ["", "## Overdue", ""]
    overdue = _overdue(report)
    out += [f"- {md_cell(a['ref'])} (due {a['due']}, {md_cell(a['owner'])}): "
            f"{md_cell(a['title'])}" for a in overdue] or ["None."]
    out += ["", "## Due soon", ""]
    out += [f"- {md_cell(a['ref'])} (due {a['due']}, {md_cell(a['owner'])}): "
            f"{md_cell(a['title'])}" for a in report["due_soon"]] or ["None."]
    out += ["", "## Blocked", ""]
    out += [f"- {md_cell(b['ref'])}: {md_cell(blocked_line(b))}"
            for b in report["blocked"]] or ["None."]
    if report["since"]:
        out += ["", f"## Changes since {report['since']}", ""]
        out += [f"- {c['date'][:10]} {md_cell(c['ref'])} {md_cell(c['title'])}: "
                f"{md_cell(change_text(c))}" for c in report["changes"]] or ["None."]
    for g in report["groups"]:
        out += ["", f"## {md_cell(g['key'])} — {md_cell(g['name'])}", "",
                "| Ref | Action | Status | Assignee | Due | Notes |", "|---|---|---|---|---|---|"]
        for a in g["actions"]:
            due = (a["due"] or "") + (" **overdue**" if a["overdue"] else "")
            out.append(f"| {md_cell(a['ref'])} | {md_cell(a['title'])} | {a['status']} | "
                       f"{md_cell(a['assignee'])} | {due} | {md_cell(note_of(a))} |")
    for heading, rows in follow_up_sections(report):
        out += ["", f"## {heading}", ""]
        out += [f"- {md_cell(ref)}: {md_cell(text)}" for ref, text in rows] or ["None."]
    return "\n".join(out) + "\n"


def follow_up_sections(report: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The briefing's follow-up, as (heading, [(ref, text)]): what later statements reported
    done, what they carried forward, and what they did not mention (to chase); then, in any
    report that has some, the commitments carried through meetings without progress."""
    sections = []
    follow = report.get("follow_up")
    if follow is not None:
        sections += [
            ("Done since the meeting", [(f["ref"], f"{f['title']} ({closed_how(f)})")
                                        for f in follow["reported_done"]]),
            ("Carried forward", [(f["ref"], f"{f['title']} (followed by {', '.join(f['by'])}"
                                  f"{_times(f.get('times', 0))})")
                                 for f in follow["carried_forward"]]),
            ("Not mentioned since, to chase", [(f["ref"], f"{f['title']} ({f['status']})")
                                                  for f in follow["not_mentioned"]]),
        ]
    stalled = [c for c in report.get("carried", ()) if c["stalled"]]
    if stalled:
        sections.append(("Carried forward without progress", [
            (c["ref"], f"{c['title']} ({c['owner']}; first made at {c['first_made']}"
                       f"{_times(c['times'])}: {', '.join(m or '-' for m in c['meetings'])})")
            for c in stalled]))
    return sections


def _times(n: int) -> str:
    return f"; carried forward {n} time{'s' if n != 1 else ''}" if n else ""


# --- CSV ----------------------------------------------------------------------------------

def csv_text(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "group_name", *FIELDS, "block_reason", "due_soon"])
    soon = {a["id"] for a in report["due_soon"]}
    for g in report["groups"]:
        for a in g["actions"]:
            writer.writerow([csv_cell(g["key"]), csv_cell(g["name"]),
                             *(csv_cell(a.get(f)) for f in (*FIELDS, "block_reason")),
                             csv_cell(a["id"] in soon)])
    return buffer.getvalue()
