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


def use_bash_with_titles() -> None:
    """Bash shows each candidate id with its title while there is a choice to make, and
    inserts the bare id once only one is left. (Typer's bash completion shows values only.)"""
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete

    class TitledBashComplete(BashComplete):
        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            items = self.get_completions(args, incomplete)
            if len(items) > 1 and any(item.help for item in items):
                width = max(len(str(item.value)) for item in items)
                return "\n".join(f"{item.value!s:<{width}}  ({item.help})" if item.help
                                 else str(item.value) for item in items)
            return "\n".join(str(item.value) for item in items)

    add_completion_class(TitledBashComplete, "bash")


def _one_line(text: str) -> str:
    """Help on one line, as a shell shows it beside a candidate (Typer renders it through
    Rich, which wraps it at 80 columns: fish then offers the fragments as candidates)."""
    return " ".join(text.split())


def use_plain_zsh_and_fish() -> None:
    """zsh and fish get each candidate whole, with its help unwrapped."""
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import FishComplete, ZshComplete

    class PlainZshComplete(ZshComplete):
        def format_completion(self, item: CompletionItem) -> str:
            def escape(s: str) -> str:
                return (s.replace('"', '""').replace("'", "''").replace("$", "\\$")
                        .replace("`", "\\`").replace(":", r"\\:"))

            value = escape(str(item.value))
            return f'"{value}":"{escape(_one_line(item.help))}"' if item.help else f'"{value}"'

    class PlainFishComplete(FishComplete):
        def format_completion(self, item: CompletionItem) -> str:
            value = str(item.value).replace("\t", " ")
            return f"{value}\t{_one_line(item.help)}" if item.help else value

    add_completion_class(PlainZshComplete, "zsh")
    add_completion_class(PlainFishComplete, "fish")


SHELLS = ("bash", "zsh", "fish")


def script(shell: str | None) -> tuple[str, str]:
    """(shell, the completion script for it): the shell named, else the one running."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    if not shell:
        from typer._completion_shared import _get_shell_name

        shell = _get_shell_name() or "bash"
    if shell not in SHELLS:
        raise typer.BadParameter(f"{shell!r}: completion is for {', '.join(SHELLS)}")
    text = get_completion_script(prog_name="bptrack", complete_var="_BPTRACK_COMPLETE",
                                 shell=shell)
    # Candidates come in the program's order (ids by number: 1, 3, 11, not 1, 11, 3); the
    # shells would sort them as text unless told not to.
    if shell == "bash":
        text = text.replace("complete -o default -F", "complete -o nosort -o default -F")
    elif shell == "zsh":
        text = text.replace("compdef _bptrack_completion bptrack",
                            "zstyle ':completion:*:*:bptrack:*' sort false\n"
                            "compdef _bptrack_completion bptrack")
    elif shell == "fish":
        text = text.replace("complete --command bptrack --no-files",
                            "complete --command bptrack --no-files --keep-order")
    return shell, text

