"""Python's cyclic garbage collector, paused while a command reads many rows and keeps them.

A large report or digest keeps tens of thousands of rows (tuples, which the collector tracks)
while it groups and sorts them; each time enough of them have been made the collector walks
all that survived so far, again and again, though rows and the strings in them hold no
reference cycles. Paused, the 100,000-action html report and the 31,000-line digest spend no
time on it (0.03 s and 0.008 s of it before); what the collector would have freed is freed
when it runs again, after the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (reference counting frees as ever); nested
    blocks leave it to the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
