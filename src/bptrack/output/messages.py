"""Messages for the person, on stderr, never mixed into data: notices, warnings, the one
`Error:` line; passwords masked, control characters shown escaped."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bptrack.errors import mask_secrets
from bptrack.output.cells import one_line, terminal_safe

if TYPE_CHECKING:

    pass


def message(text: str) -> None:
    """A notice for the person, on stderr, never mixed into data (nor any password); on a
    terminal wrapped at spaces to its width."""
    print(_fitted(terminal_safe(mask_secrets(text))), file=sys.stderr)


def warning(text: str) -> None:
    print(_fitted(f"Warning: {terminal_safe(mask_secrets(text))}"), file=sys.stderr)


def _fitted(text: str) -> str:
    from bptrack.output.terminal import fold_text, width_of

    width = width_of(sys.stderr)
    if width is None or all(len(line) <= width for line in text.split("\n")):
        return text
    return "\n".join(folded for line in text.split("\n")
                     for folded in fold_text(line, max(width, 30), "", "  "))


def error(text: str) -> None:
    print(f"Error: {one_line(mask_secrets(text))}", file=sys.stderr)


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 meeting", "2 meetings", "1 body", "3 bodies"."""
    return f"{n} {word if n == 1 else many or word + 's'}"
