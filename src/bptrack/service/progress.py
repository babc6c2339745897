"""How long work says how far it has got, without knowing who watches.

A service that can take more than a second takes a `Progress`: it opens a phase with what it
is doing and how much there is (asked for only if a display is drawn), and calls the phase's
`tick(n)` as n units are done. The CLI passes output.progress.phases() (a bar a phase, on a
terminal's stderr); anyone else gets `unwatched`, which shows nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Tick = Callable[[int], None]
# A phase of the work: what it is doing, and how much there is to do (None: unknown).
Progress = Callable[[str, Callable[[], int | None]], AbstractContextManager[Tick]]


def _nothing(n: int = 1) -> None:
    return None


@contextmanager
def unwatched(what: str, total: Callable[[], int | None]) -> Iterator[Tick]:
    """Progress nobody watches."""
    yield _nothing
