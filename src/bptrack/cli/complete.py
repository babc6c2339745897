"""Shell completion values: statuses, kinds and sorts, and, from one cheap query each
(service/completion.py), action ids with their titles as help, bodies and assignees.
"""

from collections.abc import Callable, Sequence
from typing import Any

import typer

from bptrack.vocabulary import KINDS, SORTS, STATUSES

STATUS_VALUES = (*STATUSES, "active", "closed", "all")
KIND_VALUES = (*KINDS, "all")

Completion = list[tuple[str, str]]


def _matching(values: Sequence[tuple[str, str]], incomplete: str) -> Completion:
    low = incomplete.lower()
    return [(value, help_) for value, help_ in values if value.lower().startswith(low)]


def statuses(incomplete: str) -> Completion:
    return _matching([(s, "") for s in STATUS_VALUES], incomplete)


def kinds(incomplete: str) -> Completion:
    return _matching([(k, "") for k in KIND_VALUES], incomplete)


def sorts(incomplete: str) -> Completion:
    return _matching([(s, "") for s in SORTS], incomplete)


def _rows(ctx: typer.Context, which: str, *args: Any) -> list[tuple[Any, ...]]:
    """The candidates `which` (actions, assignees, members, bodies, meetings) from the database
    the command line points at; nothing when it cannot be read."""
    from bptrack.service.completion import candidates

    return candidates(ctx.find_root().params.get("db"), which, *args)


def _ids(which: str) -> Callable[[typer.Context, str], Completion]:
    def complete(ctx: typer.Context, incomplete: str) -> Completion:
        rows = _rows(ctx, "actions", which)
        if incomplete[:1].isalpha():
            return _matching([(ref, title) for _, ref, title in rows], incomplete)
        return _matching([(str(id_), f"{ref} {title}") for id_, ref, title in rows],
                         incomplete)

    return complete


# What a status command can act on: active actions and commitments (not records or notes).
active_ids = _ids("active")
closed_ids = _ids("closed")
any_ids = _ids("any")


def assign_args(ctx: typer.Context, incomplete: str) -> Completion:
    """`assign ID... WHO`: ids first; once one is given, who (unless a number is begun)."""
    given = ctx.params.get("args") or ()
    if not given or incomplete[:1].isdigit():
        return active_ids(ctx, incomplete)
    return people(ctx, incomplete)


def people(ctx: typer.Context, incomplete: str) -> Completion:
    """Who may follow an action up: the assignees so far, then the members on record."""
    rows = _rows(ctx, "assignees")
    known = {name for name, _ in rows}
    members = [(name, "member") for (name,) in _rows(ctx, "members") if name not in known]
    return _matching([(name, _actions(n)) for name, n in rows] + members, incomplete)


def bodies(ctx: typer.Context, incomplete: str) -> Completion:
    rows = _rows(ctx, "bodies")
    by_code = _matching([(code, name) for code, name in rows], incomplete)
    by_name = [(name, code) for code, name in rows
               if incomplete and incomplete.lower() in name.lower() and
               not code.lower().startswith(incomplete.lower())]
    return by_code + by_name


def _actions(n: int) -> str:
    return f"{n} action" if n == 1 else f"{n} actions"


def assignees(ctx: typer.Context, incomplete: str) -> Completion:
    rows = _rows(ctx, "assignees")
    return _matching([(name, _actions(n)) for name, n in rows], incomplete)


def meetings(ctx: typer.Context, incomplete: str) -> Completion:
    return _matching([(ref, title) for ref, title in
                      _rows(ctx, "meetings")],
                     incomplete)
