"""All output: tables on a terminal, plain text when piped, json/csv/tsv/md/ids for scripts.
One door for the CLI (`render.message`, `render.records`, `render.report` …) to the three
modules behind it: messages (stderr), formats (data and files) and views (each thing shown).

Data from statements, users and databases is never markup: terminals get text with control
and bidi characters removed, Markdown gets escapes, spreadsheets get defused cells.

Each module behind the door loads when one of its names is first used: completion, run on
every <TAB>, and `--version` load none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bptrack.lazy import loader

if TYPE_CHECKING:
    from bptrack.output.cells import csv_cell, md_cell, one_line, terminal_safe
    from bptrack.output.formats import BOM, data_line, data_text, emit, records
    from bptrack.output.messages import error, message, plural, warning
    from bptrack.output.progress import counted, phases, progress
    from bptrack.output.terminal import is_terminal, width_of, wrapped
    from bptrack.output.views import (
        ACTION_COLUMNS,
        action_detail,
        actions,
        history,
        meeting_detail,
        reminder_document,
        reminder_lines,
        report,
        report_text,
        statement_import,
        summarised,
    )

__all__ = ["ACTION_COLUMNS", "BOM", "action_detail", "actions", "counted", "csv_cell",
           "data_line", "data_text", "emit", "error", "history", "is_terminal", "md_cell",
           "meeting_detail", "message", "one_line", "phases", "plural", "progress", "records",
           "reminder_document", "reminder_lines", "report", "report_text", "statement_import",
           "summarised", "terminal_safe", "warning", "width_of", "wrapped"]

_NAMES = {
    "bptrack.output.cells": ("csv_cell", "md_cell", "one_line", "terminal_safe"),
    "bptrack.output.formats": ("BOM", "data_line", "data_text", "emit", "records"),
    "bptrack.output.messages": ("error", "message", "plural", "warning"),
    "bptrack.output.progress": ("counted", "phases", "progress"),
    "bptrack.output.terminal": ("is_terminal", "width_of", "wrapped"),
    "bptrack.output.views": ("ACTION_COLUMNS", "action_detail", "actions", "history",
                             "meeting_detail", "reminder_document", "reminder_lines", "report",
                             "report_text", "statement_import", "summarised"),
}
__getattr__ = loader(__name__, _NAMES)
