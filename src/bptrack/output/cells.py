"""Text made safe for where it goes: a terminal, one line, a CSV cell, a Markdown cell.

Data from statements, users and databases is never markup or a command: these are the sinks
every renderer (render.py, report_formats.py, sheets.py) passes it through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any


# The patterns below are compiled when first needed (most text is printable and needs none):
# every command loads this module, and five patterns took a millisecond and a half of it.
@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# C0 and C1 controls (but tab and newline), and the bidi overrides and isolates that can make
# a terminal show text in another order than it is stored.
_ANSI = r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What CSV cells lose: terminal controls, but not the tab, CR and LF a quoted cell may hold.
_CSV_CONTROL = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")



def terminal_safe(value: Any) -> str:
    """Text that cannot move the cursor, recolour, retitle or reorder a terminal."""
    if value is None:
        return ""
    text = str(value)
    if text.isprintable():  # no controls, escapes or bidi format characters: nothing to strip
        return text
    text = _compiled(_ANSI).sub("", text)
    return _compiled(_CONTROL).sub("", text)


# What printable ASCII is: any other text is asked of str.isprintable().
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable(text: str) -> bool:
    """str.isprintable(), quicker for long ASCII text (a page of rows at once): such text
    is printable unless it holds an ASCII control, which bytes.translate finds at C speed."""
    if text.isascii():  # O(1): Python knows it of every string
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


def one_line(value: Any) -> str:
    """Terminal-safe text on one line (newlines and tabs become single spaces)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return " ".join(terminal_safe(text).split())


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = str(value)
    if not text.isprintable():  # escapes, OSC-8 links, bidi overrides: stripped, as elsewhere
        text = _compiled(_CSV_CONTROL).sub("", _compiled(_ANSI).sub("", text))
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


_PLAIN_UNSAFE = frozenset(_FORMULA_START)



def xml_illegal() -> re.Pattern[str]:
    """What a document's XML (a workbook's, a Word file's) cannot hold, and DEL: dropped from
    the text written into one."""
    return _compiled(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def csv_cells(values: Sequence[Any]) -> list[Any]:
    """A row of csv_cell()s, quickly: printable text that starts no formula, the most of any
    tracker's cells, is taken as it is (a 100,000-row list makes two million cells)."""
    return [v if (kind := v.__class__) is str and v.isprintable() and v[:1] not in _PLAIN_UNSAFE
            else v if kind is int else ("true" if v else "false") if kind is bool
            else "" if v is None or v == [] else csv_cell(v) for v in values]


_MD_SPECIAL = r"([\\`*_\[\]<>|~&])"


def md_cell(value: Any) -> str:
    """Text that Markdown shows as it is: its markup characters backslash-escaped (the
    Markdown way, never HTML entities), on one line so that it cannot break a table."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = one_line("" if value is None else value)
    return _compiled(_MD_SPECIAL).sub(r"\\\1", text)
