"""Progress of long work, on stderr, for a person watching: Rich's progress bar when stderr
is a terminal, never when it is piped (cron, scripts) or with --quiet.

It appears only once the work has taken SHOW_AFTER seconds, so quick runs draw nothing and
import nothing; it is transient, gone when the work ends, leaving stderr as it was. The
domain never sees Rich: it is handed a plain `tick(n)` callable (or iterates `counted`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from bptrack.output.terminal import is_terminal

T = TypeVar("T")
SHOW_AFTER = 0.5  # seconds of work before a bar is worth drawing
Tick = Callable[[int], None]


class _Bar:
    """A progress bar drawn once the work is slow enough to need one."""

    def __init__(self, what: str, total: Callable[[], int | None]) -> None:
        self.what, self.total = what, total
        self.started = time.monotonic()
        self.done = 0
        self.live: Any = None  # rich.progress.Progress, once shown
        self.task: Any = None

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.live is not None:
            self.live.update(self.task, completed=self.done)
        elif time.monotonic() - self.started >= SHOW_AFTER:
            self._show()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.live = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                             MofNCompleteColumn(), TimeRemainingColumn(),
                             console=Console(file=sys.stderr), transient=True)
        self.task = self.live.add_task(self.what, total=self.total(), completed=self.done)
        self.live.start()

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()


def _nothing(n: int = 1) -> None:
    return None


@contextmanager
def progress(what: str, total: Callable[[], int | None], *, quiet: bool = False
             ) -> Iterator[Tick]:
    """A `tick(n)` to call as work is done (n units of `total()`, asked for only if a bar is
    drawn); a bar on stderr while the block runs, if it runs long."""
    if quiet or not is_terminal(sys.stderr):
        yield _nothing
        return
    bar = _Bar(what, total)
    try:
        yield bar.tick
    finally:
        bar.close()


def counted(items: Iterable[T], what: str, total: Callable[[], int | None], *,
            quiet: bool = False, every: int = 200) -> Iterator[T]:
    """The items, as they are consumed, with a bar for them (ticked every `every`)."""
    with progress(what, total, quiet=quiet) as tick:
        n = 0
        for item in items:
            yield item
            n += 1
            if n == every:
                tick(n)
                n = 0
        tick(n)


def phases(*, quiet: bool = False) -> Callable[[str, Callable[[], int | None]],
                                               AbstractContextManager[Tick]]:
    """A service's Progress (service/progress.py): each phase of its work a bar of its own."""
    def phase(what: str, total: Callable[[], int | None]) -> AbstractContextManager[Tick]:
        return progress(what, total, quiet=quiet)
    return phase
