"""The status report as a self-contained HTML page (inline CSS and SVG), from one read of the
actions: each group's table is made as its rows come from the database, and the rows that are
overdue or due soon are kept for the lists the page leads with. 100,000 actions take neither
the time of three reads nor the memory of holding them as objects.

Every piece of text is escaped, and loses what a terminal would also lose (controls, bidi
overrides): data from statements and users is never markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any

from bptrack.collector import paused
from bptrack.output.cells import one_line, printable
from bptrack.output.progress import Tick
from bptrack.output.report_documents import (
    STATUS_COLOURS,
    STATUS_LABELS,
    change_text,
    follow_up_sections,
    note_text,
    percent_done,
    summary_line,
    title_of,
)
from bptrack.service.reports import (
    LISTED_DUE_SOON,
    LISTED_OVERDUE,
    PAGE_DUE,
    PAGE_ID,
    PAGE_LISTED,
    PageRow,
)
from bptrack.vocabulary import STATUSES

if TYPE_CHECKING:
    from bptrack.service.reports import Report


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
table.actions td:nth-last-child(3) { hyphens: none; overflow-wrap: normal; }
.nw, table.actions td:first-child, table.actions td:nth-last-child(2),
table.actions td:nth-last-child(4) { white-space: nowrap; }
.chart { margin: 2mm 0 4mm; } .chart svg { max-width: 170mm; }
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


def svg_chart(groups: Sequence[dict[str, Any]]) -> str:
    """A horizontal stacked bar per group: how its commitments stand, by status."""
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


def write_html(report: Report, out: IO[str], tick: Tick | None = None) -> None:
    """The page: title, summary and chart, the counts by group, the overdue, due-soon and
    blocked lists (and the changes, with --since), each group's actions, the follow-up;
    `tick(n)` as n rows of its action tables are written."""
    head = {**report.header, "totals": report.totals, "groups": report.groups}
    title = _e(title_of(head))
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>{title}</title><style>{_CSS}</style></head><body>",
             f"<h1>{title}</h1>", f'<p class="summary">{_e(summary_line(head))}</p>',
             '<div class="chart">', svg_chart(report.groups), '<div class="legend">']
    parts += [f'<span><i style="background:{STATUS_COLOURS[s]}"></i>{STATUS_LABELS[s]}</span>'
              for s in STATUSES]
    parts += ["</div></div>", "<h2>Summary</h2>", '<table class="summary-table"><thead><tr>',
              '<th class="group">Group</th><th class="n">Total</th>']
    parts += [f'<th class="n">{STATUS_LABELS[s]}</th>' for s in STATUSES]
    parts += ['<th class="n">Overdue</th><th class="n">Done %</th></tr></thead><tbody>']
    for g in report.groups:
        cells = "".join(f'<td class="n">{g[s]}</td>' for s in STATUSES)
        parts.append(f'<tr><td class="group"><b>{_e(g["key"])}</b> '
                     f'<span class="name">{_e(g["name"])}</span></td>'
                     f'<td class="n">{g["total"]}</td>{cells}'
                     f'<td class="n">{g["overdue"]}</td><td class="n">{g["percent_done"]}%</td>'
                     "</tr>")
    t = report.totals
    cells = "".join(f'<td class="n">{t[s]}</td>' for s in STATUSES)
    total = sum(g["total"] for g in report.groups)
    parts.append(f'</tbody><tfoot><tr><th class="group">Total</th><td class="n">{total}'
                 f'</td>{cells}<td class="n">{t["overdue"]}</td>'
                 f'<td class="n">{percent_done(head)}%</td></tr></tfoot></table>')
    out.write("\n".join(parts) + "\n")
    blocked = report.blocked()
    reasons = {b["id"]: b["reason"] for b in blocked}
    notes = report.notes()
    # Each group's table, made as its rows are read (the groups in the database's order),
    # and written after the lists of overdue and due-soon actions, which are the same rows
    # sorted by due date.
    listed: dict[int, list[PageRow]] = {LISTED_OVERDUE: [], LISTED_DUE_SOON: []}
    sections: dict[Any, list[str]] = {}
    with paused():  # the overdue rows kept, 30,000 of 100,000: see bptrack.collector
        for key, run in report.pages():
            for row in run:
                if row[PAGE_LISTED]:
                    listed[row[PAGE_LISTED]].append(row)
            sections.setdefault(key, []).append(_rows(run, reasons, notes))
            if tick is not None:
                tick(len(run))
        codes = report.owner_codes()
        for heading, which in (("Overdue", LISTED_OVERDUE), ("Due soon", LISTED_DUE_SOON)):
            on_list = sorted(listed[which], key=itemgetter(PAGE_DUE, PAGE_ID))
            out.write(f"<h2>{heading}</h2>\n")
            out.write(_table([_rows(on_list[at:at + BATCH], reasons, notes, codes)
                              for at in range(0, len(on_list), BATCH)], owner=True))
    parts = ["<h2>Blocked</h2>"]
    if blocked:
        parts.append('<table class="blocked"><thead><tr><th>Ref</th><th>Action</th><th>Owner</th>'
                     "<th>Since</th><th>Why it is blocked</th></tr></thead><tbody>")
        parts += [f'<tr><td class="nw">{_e(b["ref"])}</td><td>{_e(b["title"])}</td>'
                  f'<td>{_e(b["owner"])}</td><td class="nw">{_e((b["since"] or "")[:10])}</td>'
                  f'<td>{_e(b["reason"] or "no reason given")}</td></tr>' for b in blocked]
        parts.append("</tbody></table>")
    else:
        parts.append("<p>None.</p>")
    if report.header["since"]:  # what a briefing reads first, before the lists by group
        parts.append(f"<h2>Changes since {_e(report.header['since'])}</h2>")
        if report.changes:
            parts.append('<table class="changes"><thead><tr><th>Date</th><th>Ref</th>'
                         "<th>Action</th><th>Change</th></tr></thead><tbody>")
            parts += [f'<tr><td class="nw">{_e(c["date"][:10])}</td><td class="nw">'
                      f"{_e(c['ref'])}</td><td>{_e(c['title'])}</td>"
                      f"<td>{_e(change_text(c))}</td></tr>" for c in report.changes]
            parts.append("</tbody></table>")
        else:
            parts.append("<p>None.</p>")
    out.write("\n".join(parts) + "\n")
    for g in report.groups:  # each group's table, in the groups' order
        out.write(f"<h2>{_e(g['key'])} — {_e(g['name'])}</h2>\n"
                  f"{_table(sections.pop(g['key'], []), owner=False)}")
    parts = []
    for heading, rows in follow_up_sections({"follow_up": report.follow_up,
                                             "carried": report.carried}):
        parts.append(f"<h2>{_e(heading)}</h2>")
        parts.append("<ul>" + "".join(f"<li><b>{_e(ref)}</b> {_e(text)}</li>"
                                      for ref, text in rows)
                     + "</ul>" if rows else "<p>None.</p>")
    parts.append(f"<footer>Generated by bptrack at {_e(report.header['generated_at'])}.</footer>")
    parts.append("</body></html>")
    out.write("\n".join(parts) + "\n")


# One column layout for every table of actions, so that the groups' tables line up.
_COLUMNS = (("Ref", 9), ("Action", 38), ("Status", 9), ("Assignee", 15), ("Due", 10),
            ("Notes", 19))
_OWNER_COLUMNS = (("Ref", 9), ("Action", 33), ("Owner", 7), ("Status", 9), ("Assignee", 14),
                  ("Due", 10), ("Notes", 18))
BATCH = 1000


def _table(rows: list[str], *, owner: bool) -> str:
    """A table of actions around its rows' HTML; "None." for none."""
    if not rows or not any(rows):
        return "<p>None.</p>\n"
    columns = _OWNER_COLUMNS if owner else _COLUMNS
    cols = "".join(f'<col style="width:{width}%">' for _, width in columns)
    head = "".join(f"<th>{name}</th>" for name, _ in columns)
    return (f'<table class="actions"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>\n")


def _rows(rows: Sequence[PageRow], reasons: dict[int, str], notes: dict[int, str],
          codes: dict[int, str] | None = None) -> str:
    """Rows of a table of actions as HTML. They are made directly, then checked as a whole:
    printable (what one_line() leaves as it is), no "&", and no "<" or ">" but the tags'
    own. Most runs are, and need no escaping cell by cell (three quarters of a million
    cells at 100,000 actions); any other is made again through _marked(). With the owners'
    `codes`, the rows have an Owner column."""
    made: list[str] = []
    for id_, ref, title, owner, status, assignee, due, resolution, listed, _ in rows:
        note = note_text(reasons.get(id_), resolution, notes.get(id_)) if (
            resolution or id_ in reasons or id_ in notes) else ""
        row = '<tr class="overdue">' if listed == LISTED_OVERDUE else "<tr>"
        who = "" if codes is None else f"<td>{codes[owner]}</td>"
        made.append(f"{row}<td>{ref}</td><td>{title}</td>{who}<td>{STATUS_LABELS[status]}</td>"
                    f"<td>{assignee or ''}</td><td>{due or ''}</td><td>{note}</td></tr>")
    text = "".join(made)
    if _plain(text, len(rows) * (2 * len(_COLUMNS if codes is None else _OWNER_COLUMNS) + 2)):
        return text
    return _marked(rows, reasons, notes, codes)


# Printable ASCII but the three characters HTML escapes in text: what a plain run's bytes
# hold besides its tags' brackets.
_PLAIN_ASCII = bytes(b for b in range(0x20, 0x7F) if b not in b"&<>")


def _plain(text: str, tags: int) -> bool:
    """Rows as made by _rows() need nothing escaped or cleaned: printable, no "&", and no "<"
    or ">" but those of their `tags`. ASCII text (the most) is asked in one pass at C speed:
    deleting the plain bytes leaves exactly the tags' brackets."""
    if text.isascii():  # O(1)
        rest = text.encode("ascii").translate(None, _PLAIN_ASCII)
        return len(rest) == 2 * tags and rest.count(b"<") == tags == rest.count(b">")
    return "&" not in text and text.count("<") == tags == text.count(">") and printable(text)


# A run that is not plain is put together as text with a mark before each row and each cell,
# then cleaned and escaped in one pass, and the marks made tags. The marks are lone
# surrogates, which no stored text can hold (neither SQLite's UTF-8 nor PostgreSQL's allows
# them).
_ROW, _OVERDUE_ROW, _CELL = "\ud800", "\ud801", "\ud802"
_MARK = re.compile("([\ud800-\ud8ff])")
# What one_line() changes: controls, tabs and newlines, bidi marks.
_CLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _marked(rows: Sequence[PageRow], reasons: dict[int, str], notes: dict[int, str],
            codes: dict[int, str] | None) -> str:
    marked: list[str] = []
    for id_, ref, title, owner, status, assignee, due, resolution, listed, _ in rows:
        note = note_text(reasons.get(id_), resolution, notes.get(id_))
        start = _OVERDUE_ROW if listed == LISTED_OVERDUE else _ROW
        who = "" if codes is None else f"\ud802{codes[owner]}"
        marked.append(f"{start}{ref}\ud802{title}{who}\ud802{STATUS_LABELS[status]}"
                      f"\ud802{assignee or ''}\ud802{due or ''}\ud802{note}")
    text = "".join(marked)
    if _CLEAN.search(text):  # the cells one by one
        text = "".join(piece if _MARK.fullmatch(piece) else one_line(piece)
                       for piece in _MARK.split(text))
    # Text content, never an attribute: quotes need no escaping (as in the plain rows).
    text = html.escape(text, quote=False)
    text = text.replace(_OVERDUE_ROW, '</td></tr><tr class="overdue"><td>').replace(
        _ROW, "</td></tr><tr><td>").replace(_CELL, "</td><td>")
    return text[len("</td></tr>"):] + "</td></tr>"
