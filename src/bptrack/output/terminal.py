"""Text on a terminal: is it one, how wide, tables that fit it, lines wrapped to it.

What a piece of text takes on a terminal is Rich's to say (rich.cells: graphemes, so that a
combining accent, an emoji sequence or a Devanagari conjunct is as wide as it is shown, and a
zero-width space takes nothing); it is imported only when output is for a terminal. The
layout is drawn here: Rich's console and tables cost more to import than a whole `bptrack
list` may take (docs/performance.md), and piped, JSON and completion output import nothing.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from bptrack.output.cells import one_line

WIDE = 120  # terminals narrower than this get compact tables (see _write_table)
NARROW = 100  # and narrower than this, tables of actions show the id without the ref


def is_terminal(stream: IO[str] | None = None) -> bool:
    """Whether output is for people: a terminal, or TTY_COMPATIBLE=1 (Rich's convention, for
    CI logs that show terminal output; 0 says it is not). FORCE_COLOR changes colour only,
    never the format: piped output stays plain for `cut` and scripts."""
    stream = stream or sys.stdout
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def width_of(out: IO[str]) -> int | None:
    """The terminal's width when `out` is one (COLUMNS wins, as for Rich); None when piped."""
    if not is_terminal(out):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        size = os.get_terminal_size(out.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80
    return size if size > 0 else 80  # a terminal that does not say (0): the usual 80


def wrapped(text: str, out: IO[str], *, indent: str = "", hanging: str | None = None) -> str:
    """One line of text, wrapped at spaces to the terminal, never mid-word (a word wider
    than the line is cut with "…"); left on one line when piped, for scripts."""
    line = one_line(text)
    width = width_of(out)
    if width is None:
        return indent + line
    rest = indent + "  " if hanging is None else hanging
    return "\n".join(fold_text(line, max(width, 30), indent, rest))


def fold_text(text: str, width: int, indent: str = "", hanging: str = "") -> list[str]:
    """`text` in lines of at most `width` columns, broken only at spaces; a word that does
    not fit on a line of its own is cut with "…"."""
    lines: list[str] = []
    line = indent
    start = True  # nothing but the indent on this line yet
    for word in text.split(" "):  # "a  b" keeps its two spaces: "", an empty word, between
        if start and not word:
            continue
        candidate = line + ("" if start else " ") + word
        if cell_width(candidate) <= width:
            line, start = candidate, False
            continue
        if not word:
            continue
        if not start:
            lines.append(line.rstrip())
            line = hanging
        room = width - cell_width(line)
        line, start = line + (word if cell_width(word) <= room else _cut(word, room)), False
    lines.append(line.rstrip() if not start else line)
    return lines


def cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(one_line(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return one_line(value)


def table(records: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                 out: IO[str], *, highlight: str | None = None, header: bool = False) -> None:
    """A table on a terminal; tab-separated lines when piped, without a header unless
    `header` (a report's table, read by people as often as by scripts). Two spaces between
    columns, a bold header, highlighted rows bold red, and the title taking what width is
    left."""
    if not is_terminal(out):
        if header:
            out.write("\t".join(h for _, h in columns) + "\n")
        for record in records:
            out.write("\t".join(cell(record.get(f)) for f, _ in columns) + "\n")
        return
    width = width_of(out) or 80
    narrow = width < WIDE
    if narrow:  # every column earns its place: drop the ones with nothing in them
        columns = [(f, h) for f, h in columns
                   if any(record.get(f) not in (None, "", []) for record in records)] or columns
        if width < NARROW and any(f == "id" for f, _ in columns):
            columns = [(f, h) for f, h in columns if f != "ref"]  # the id names it as well
    cells = [[cell(record.get(f)) for f, _ in columns] for record in records]
    widths = [max([cell_width(h), *(cell_width(row[n]) for row in cells)])
              for n, (_, h) in enumerate(columns)]
    flexible = next((n for n, (f, _) in enumerate(columns) if f in ("title", "name", "note")),
                    None)
    gaps = 2 * (len(columns) - 1)
    if flexible is not None and sum(widths) + gaps > width:
        if narrow:  # one line a record, short columns capped, the title cut with "…"
            widths = [w if n == flexible else min(w, 30) for n, w in enumerate(widths)]
        least = min(widths[flexible], max(width // 2, cell_width(columns[flexible][1])))
        _give_way(widths, columns, width - gaps - least, keep=flexible)
        rest = width - gaps - sum(w for n, w in enumerate(widths) if n != flexible)
        widths[flexible] = max(cell_width(columns[flexible][1]), rest)
    elif sum(widths) + gaps > width:  # no title to give: the widest columns give way
        _give_way(widths, columns, width - gaps)
    colour = _colours(out)
    lines = [_styled("  ".join(_pad(h, widths[n]) for n, (_, h) in enumerate(columns))
                     .rstrip(), "1", colour)]
    for record, row in zip(records, cells, strict=True):
        parts = []
        for n, text in enumerate(row):
            if n == flexible and not narrow and cell_width(text) > widths[n]:
                parts.append(_fold(text, widths[n]))  # wide: the title wraps in its column
            else:
                parts.append([_cut(text, widths[n])])
        height = max(len(p) for p in parts)
        style = "1;31" if highlight and record.get(highlight) else None
        for k in range(height):
            line = "  ".join(_pad(p[k] if k < len(p) else "", widths[n])
                             for n, p in enumerate(parts)).rstrip()
            lines.append(_styled(line, style, colour))
    out.write("\n".join(lines) + "\n")


# Columns never narrowed to make room: ids, refs, dates and the short words of a status.
WHOLE = ("id", "ref", "n", "due", "date", "at", "status", "kind", "confidence", "proposed",
         "score", "total", "open", "action_id", "owner", "code")


def _give_way(widths: list[int], columns: Sequence[tuple[str, str]], room: int,
              keep: int | None = None) -> None:
    """Narrow the widest columns (not `keep`), one column at a time, until the others fit in
    `room`; none below its header, which stays whole."""
    while sum(w for n, w in enumerate(widths) if n != keep) > room:
        shrinkable = [n for n, w in enumerate(widths) if n != keep and columns[n][0] not in WHOLE
                      and w > max(cell_width(columns[n][1]), 4)]
        if not shrinkable:
            return
        widest = max(shrinkable, key=lambda n: widths[n])
        widths[widest] -= 1


def _colours(out: IO[str]) -> bool:
    """Colour on a terminal, unless NO_COLOR is set, or FORCE_COLOR is 0 or false, or the
    terminal is dumb (where FORCE_COLOR asks for it all the same)."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force.lower() in ("0", "false"):
        return False
    return bool(force) or os.environ.get("TERM") != "dumb"


def _styled(text: str, style: str | None, colour: bool) -> str:
    return f"\x1b[{style}m{text}\x1b[0m" if style and colour and text else text


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal, grapheme by grapheme (see the module's note)."""
    from rich.cells import cell_len  # plain text is counted quickly there too

    return cell_len(text)


def _graphemes(text: str) -> list[tuple[str, int]]:
    """Each grapheme of `text` (what a reader sees as one character) with its width."""
    from rich.cells import split_graphemes

    spans, _ = split_graphemes(text)
    return [(text[start:end], width) for start, end, width in spans]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


def _fold(text: str, width: int) -> list[str]:
    """Text wrapped at spaces to `width` columns (a longer word is cut with "…")."""
    return fold_text(text, width) if text else [""]


def _cut(text: str, width: int) -> str:
    """Text cut to `width` columns, ending in "…" when it was longer."""
    if cell_width(text) <= width:
        return text
    kept, used = [], 1  # the "…"
    for grapheme, size in _graphemes(text):
        used += size
        if used > width:
            break
        kept.append(grapheme)  # never an accent or a joined emoji cut from its letter
    return "".join(kept).rstrip() + "…"
