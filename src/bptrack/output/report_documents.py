"""The status report as Markdown, CSV and a self-contained HTML page (inline CSS and SVG).

Every piece of data passes through the same escaping as the rest of the output: Markdown cells
are defused, CSV cells cannot become formulas, HTML is escaped.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from bptrack.output.cells import csv_cell, md_cell, one_line
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
    parts = []
    if action.get("block_reason"):
        parts.append(f"Blocked: {action['block_reason']}")
    elif action.get("resolution"):
        parts.append(str(action["resolution"]))
    latest = action.get("latest_note")
    if latest and latest not in (action.get("block_reason"), action.get("resolution")):
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


# --- HTML ---------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 15mm; }
body { font: 10.5pt/1.4 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #222;
       max-width: 260mm; margin: 0 auto; padding: 8mm 4mm; box-sizing: border-box; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 7mm 0 2mm;
  border-bottom: 1px solid #ccc; padding-bottom: 1mm; break-after: avoid; }
p.summary { margin: 0 0 4mm; }
table { border-collapse: collapse; width: 99.5%; margin: 2mm 0 4mm; font-size: 9.5pt; }
th, td { border: 1px solid #d5d5d5; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
th { background: #f1f3f6; } td.n, th.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; } tr.overdue td { background: #fbe9e7; }
table.actions { table-layout: fixed; } td { overflow-wrap: break-word; }
td.who { hyphens: none; overflow-wrap: normal; }
.status, .nw { white-space: nowrap; } .chart { margin: 2mm 0 4mm; } .chart svg { max-width: 170mm; }
td.group { width: 40%; } td.group .name { color: #555; font-size: 9pt; }
tfoot th, tfoot td { background: #f1f3f6; font-weight: bold; }
.legend span { display: inline-block; margin-right: 4mm; font-size: 9pt; }
.legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm;
  vertical-align: middle; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #777; }
@media print { body { max-width: none; padding: 0; } table { font-size: 8.5pt; } }
"""


def _e(value: Any) -> str:
    return html.escape(one_line(value), quote=True)


def svg_chart(report: dict[str, Any]) -> str:
    """A horizontal stacked bar per group: how its commitments stand, by status."""
    groups = report["groups"]
    label_w, bar_w, row_h, top = 120, 460, 22, 6
    height = top + row_h * len(groups) + 6
    most = max((g["total"] for g in groups), default=1) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
             f'viewBox="0 0 {label_w + bar_w + 40} {height}" '
             f'aria-label="Status of commitments per group">',
             "<title>Status of commitments per group</title>"]
    for i, g in enumerate(groups):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" '
                     f'font-size="11">{_e(g["key"])}</text>')
        x = float(label_w)
        for status in STATUSES:
            count = g[status]
            if not count:
                continue
            width = bar_w * count / most
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="15" '
                         f'fill="{STATUS_COLOURS[status]}"><title>{_e(g["key"])}: {count} '
                         f'{STATUS_LABELS[status].lower()}</title></rect>')
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="10">{g["total"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(report: dict[str, Any]) -> str:
    title = _e(title_of(report))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{title}</title><style>{_CSS}</style></head><body>",
           f"<h1>{title}</h1>", f'<p class="summary">{_e(summary_line(report))}</p>',
           '<div class="chart">', svg_chart(report), '<div class="legend">']
    out += [f'<span><i style="background:{STATUS_COLOURS[s]}"></i>{STATUS_LABELS[s]}</span>'
            for s in STATUSES]
    out += ["</div></div>", "<h2>Summary</h2>", '<table class="summary-table"><thead><tr>',
            '<th class="group">Group</th><th class="n">Total</th>']
    out += [f'<th class="n">{STATUS_LABELS[s]}</th>' for s in STATUSES]
    out += ['<th class="n">Overdue</th><th class="n">Done %</th></tr></thead><tbody>']
    for g in report["groups"]:
        cells = "".join(f'<td class="n">{g[s]}</td>' for s in STATUSES)
        out.append(f'<tr><td class="group"><b>{_e(g["key"])}</b> '
                   f'<span class="name">{_e(g["name"])}</span></td>'
                   f'<td class="n">{g["total"]}</td>{cells}'
                   f'<td class="n">{g["overdue"]}</td><td class="n">{g["percent_done"]}%</td>'
                   "</tr>")
    t = report["totals"]
    cells = "".join(f'<td class="n">{t[s]}</td>' for s in STATUSES)
    out.append(f'</tbody><tfoot><tr><th class="group">Total</th><td class="n">{total_of(report)}'
               f'</td>{cells}<td class="n">{t["overdue"]}</td>'
               f'<td class="n">{percent_done(report)}%</td></tr></tfoot></table>')
    overdue = _overdue(report)
    out.append("<h2>Overdue</h2>")
    out.append(_action_table(overdue, owner=True) if overdue else "<p>None.</p>")
    out.append("<h2>Due soon</h2>")
    out.append(_action_table(report["due_soon"], owner=True) if report["due_soon"]
               else "<p>None.</p>")
    out.append("<h2>Blocked</h2>")
    if report["blocked"]:
        out.append('<table class="blocked"><thead><tr><th>Ref</th><th>Action</th><th>Owner</th>'
                   "<th>Since</th><th>Why it is blocked</th></tr></thead><tbody>")
        out += [f'<tr><td class="nw">{_e(b["ref"])}</td><td>{_e(b["title"])}</td>'
                f'<td>{_e(b["owner"])}</td><td class="nw">{_e((b["since"] or "")[:10])}</td>'
                f'<td>{_e(b["reason"] or "no reason given")}</td></tr>' for b in report["blocked"]]
        out.append("</tbody></table>")
    else:
        out.append("<p>None.</p>")
    if report["since"]:  # what a briefing reads first, before the lists by group
        out.append(f"<h2>Changes since {_e(report['since'])}</h2>")
        if report["changes"]:
            out.append('<table class="changes"><thead><tr><th>Date</th><th>Ref</th>'
                       "<th>Action</th><th>Change</th></tr></thead><tbody>")
            out += [f'<tr><td class="nw">{_e(c["date"][:10])}</td><td class="nw">'
                    f"{_e(c['ref'])}</td><td>{_e(c['title'])}</td><td>{_e(change_text(c))}</td>"
                    "</tr>" for c in report["changes"]]
            out.append("</tbody></table>")
        else:
            out.append("<p>None.</p>")
    for g in report["groups"]:
        out.append(f"<h2>{_e(g['key'])} — {_e(g['name'])}</h2>")
        out.append(_action_table(g["actions"], owner=False))
    for heading, rows in follow_up_sections(report):
        out.append(f"<h2>{_e(heading)}</h2>")
        out.append("<ul>" + "".join(f"<li><b>{_e(ref)}</b> {_e(text)}</li>" for ref, text in rows)
                   + "</ul>" if rows else "<p>None.</p>")
    out.append(f"<footer>Generated by bptrack at {_e(report['generated_at'])}.</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# One column layout for every table of actions, so that the groups' tables line up.
_COLUMNS = (("Ref", 9), ("Action", 38), ("Status", 9), ("Assignee", 15), ("Due", 10),
            ("Notes", 19))
_OWNER_COLUMNS = (("Ref", 9), ("Action", 33), ("Owner", 7), ("Status", 9), ("Assignee", 14),
                  ("Due", 10), ("Notes", 18))


def _action_table(actions: list[dict[str, Any]], *, owner: bool) -> str:
    columns = _OWNER_COLUMNS if owner else _COLUMNS
    cols = "".join(f'<col style="width:{width}%">' for _, width in columns)
    head = "".join(f"<th>{name}</th>" for name, _ in columns)
    rows = []
    for a in actions:
        css = ' class="overdue"' if a["overdue"] else ""
        owner_cell = f"<td>{_e(a['owner'])}</td>" if owner else ""
        rows.append(f'<tr{css}><td class="nw">{_e(a["ref"])}</td><td>{_e(a["title"])}</td>'
                    f'{owner_cell}<td class="status">{_e(STATUS_LABELS[a["status"]])}</td>'
                    f'<td class="who">{_e(a["assignee"])}</td><td class="nw">{_e(a["due"])}</td>'
                    f'<td class="notes">{_e(note_of(a))}</td></tr>')
    return (f'<table class="actions"><colgroup>{cols}</colgroup><thead><tr>{head}</tr>'
            "</thead><tbody>" + "".join(rows) + "</tbody></table>")
