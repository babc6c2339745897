"""Text on a terminal: is it one, how wide, tables that fit it, lines wrapped to it.

Tables are drawn here rather than by Rich: importing Rich's console alone costs most of what a
whole `bptrack list` may (docs/performance.md).
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
    stream = stream or sys.stdout
    if os.environ.get("FORCE_COLOR"):
        return True
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
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def wrapped(text: str, out: IO[str], *, indent: str = "", hanging: str | None = None) -> str:
    """One line of text, wrapped on word boundaries to the terminal (never mid-word, unless a
    word is wider than the line); left on one line when piped, for scripts."""
    import textwrap

    line = one_line(text)
    width = width_of(out)
    if width is None:
        return indent + line
    rest = indent + "  " if hanging is None else hanging
    return textwrap.fill(line, width=max(width, 30), initial_indent=indent,
                         subsequent_indent=rest, break_on_hyphens=False)


def cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(one_line(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return one_line(value)


def table(records: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]],
                 out: IO[str], *, highlight: str | None = None) -> None:
    """A table on a terminal; tab-separated lines without a header when piped. Two spaces
    between columns, a bold header, highlighted rows bold red, and the title taking what
    width is left."""
    if not is_terminal(out):
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
            widths = [min(w, 30) for w in widths]
        rest = width - gaps - sum(w for n, w in enumerate(widths) if n != flexible)
        widths[flexible] = max(12, rest)
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


def _colours(out: IO[str]) -> bool:
    """Colour on a terminal, unless NO_COLOR is set or the terminal is dumb."""
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _styled(text: str, style: str | None, colour: bool) -> str:
    return f"\x1b[{style}m{text}\x1b[0m" if style and colour and text else text


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide East Asian characters take two."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


def _fold(text: str, width: int) -> list[str]:
    """Text wrapped on word boundaries to `width` columns (a longer word is cut)."""
    import textwrap

    if text.isascii():
        return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_width(word) > width:
            head = _cut(word, width + 1)[:-1] if width > 1 else word[:1]
            lines.append(head)
            word = word[len(head):]
        line = word
    return [*lines, line] if line or not lines else lines


def _cut(text: str, width: int) -> str:
    """Text cut to `width` columns, ending in "…" when it was longer."""
    if cell_width(text) <= width:
        return text
    kept, used = [], 1  # the "…"
    for c in text:
        used += cell_width(c)
        if used > width:
            break
        kept.append(c)
    return "".join(kept).rstrip() + "…"
