"""Every way bptrack reaches into Typer, or the Click it carries, past their public API: here
and nowhere else. Typer is held below 0.29 (which would import pydantic on every run), and a
release may break any of these at once, silently; tests/test_typer_compat.py checks each one
in WORKAROUNDS and names the one a new Typer breaks.

Where Click has a public extension point it is used instead: errors are translated in
`Group.invoke`, usage lines are fixed in `get_command` and `format_usage`.
"""

import functools
import os
from collections.abc import Callable
from typing import Any

import typer
from typer._click.types import ParamType as ParamType
from typer.core import TyperGroup

# Click's ParamType above is its public way to give an option a type of its own
# (`click_type=`). Workaround "param type": Typer carries its Click as typer._click.

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_BPTRACK_COMPLETE"


class CompatGroup(TyperGroup):
    """Typer's group, with a hook before shell completion runs (to choose how each shell is
    answered) and usage lines in Click's plain style."""

    def before_completion(self, instruction: str) -> None:
        """Runs before a completion is answered; `instruction` is e.g. "complete_bash"."""

    # Workaround "completion hook": TyperGroup._main_shell_completion is private.
    def _main_shell_completion(self, ctx_args: Any, prog_name: str,
                               complete_var: str | None = None) -> None:
        self.before_completion(os.environ.get(COMPLETE_VAR, ""))
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            plain_metavars(command)
        return command

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        plain_metavars(self)
        super().format_usage(ctx, formatter)


def plain_metavars(command: Any) -> None:
    """Arguments in the usage line as a user reads them (`ID...`, `[ID]`, `ID... WHO`), as
    Click shows them: not in Typer's braces (`{ID}`).

    Workaround "usage pieces": each TyperArgument's get_usage_pieces is replaced."""
    from typer.core import TyperArgument

    for param in getattr(command, "params", ()):
        if isinstance(param, TyperArgument) and not getattr(param, "_bptrack_plain", False):
            shown = param.metavar or (param.name or "").upper()
            if param.metavar is None and param.nargs != 1:
                shown += "..."
            usage = shown if param.required or shown.startswith("[") else f"[{shown}]"
            param._bptrack_plain = True  # type: ignore[attr-defined]
            param.get_usage_pieces = functools.partial(  # type: ignore[method-assign]
                _usage_pieces, [usage])
    for sub in getattr(command, "commands", {}).values():
        plain_metavars(sub)


def _usage_pieces(pieces: list[str], _ctx: Any) -> list[str]:
    return pieces


def is_click_error(exc: Exception) -> bool:
    """Usage errors and the like belong to Typer's Click, which reports them (exit 2).

    Workaround "click errors": Typer's Click lives in Typer's own modules, so its exceptions
    are told by module name."""
    return any(cls.__module__.startswith("typer") for cls in type(exc).__mro__
               if cls is not Exception)


def only_the_command_asked_for(app: typer.Typer, args: list[str] | None) -> None:
    """Build only the command this run invokes, or completes. Typer turns every command's
    signature into Click parameters on every run, which costs more than a whole `bptrack
    show`; when the command is plain to see (`bptrack [--db X] list …`), the others are left
    unregistered. Help, completion of a command's name and anything unusual keep the whole
    app.

    Workaround "registered commands": Typer builds its Click group from these lists, which it
    does not document."""
    if args is None:
        return
    name = None
    rest = iter(args)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif arg.startswith("--db=") or arg in ("--debug", "--create"):
            continue
        elif arg == "--version":  # answered before any command is looked at: none built
            app.registered_commands, app.registered_groups = [], []
            return
        elif arg.startswith("-"):
            return  # --help, completion: the whole app
        else:
            name = arg
            break
    if name is None:
        return
    commands = [c for c in app.registered_commands
                if (c.name or (c.callback.__name__ if c.callback else "")).replace("_", "-")
                == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


def completed_words() -> list[str] | None:
    """The words before the one being completed, as Typer's completion reads them: bash
    passes COMP_WORDS and COMP_CWORD, the other shells the whole line. None when unclear.

    Workaround "completion words": _TYPER_COMPLETE_ARGS is Typer's own variable."""
    import shlex

    try:
        if "COMP_WORDS" in os.environ:
            words = shlex.split(os.environ["COMP_WORDS"])
            return words[1:int(os.environ.get("COMP_CWORD", ""))]
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = shlex.split(line)[1:]
        return words if line.endswith(" ") else words[:-1]
    except ValueError:  # an open quote, a COMP_CWORD that is not a number
        return None


def install_completion(shell: str) -> tuple[str, Any]:
    """Install the completion script for `shell`; (shell, where).

    Workaround "install": typer._completion_shared.install."""
    from typer._completion_shared import install

    return install(shell=shell, prog_name="bptrack", complete_var=COMPLETE_VAR)


def use_bash_with_titles() -> None:
    """Bash shows each candidate id with its title while there is a choice to make, and
    inserts the bare id once only one is left. (Typer's bash completion shows values only.)

    Workaround "completion classes": Typer's BashComplete, ZshComplete and FishComplete, and
    its Click's add_completion_class, are private."""
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


def script(shell: str | None) -> tuple[str, str]:
    """(shell, the completion script for it): the shell named, else the one running.

    Workaround "completion script": typer._completion_shared's script and shell name."""
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    if not shell:
        from typer._completion_shared import _get_shell_name

        shell = _get_shell_name() or "bash"
    if shell not in SHELLS:
        raise typer.BadParameter(f"{shell!r}: completion is for {', '.join(SHELLS)}")
    text = get_completion_script(prog_name="bptrack", complete_var=COMPLETE_VAR, shell=shell)
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



def _check(module: str, *names: str) -> Callable[[], None]:
    def check() -> None:
        import importlib

        found = importlib.import_module(module)
        for name in names:
            found_name = found
            for part in name.split("."):
                found_name = getattr(found_name, part)

    return check


def _check_registered() -> None:
    app = typer.Typer()
    app.command("x")(lambda: None)
    app.add_typer(typer.Typer(), name="y")
    assert [c.name for c in app.registered_commands] == ["x"]
    assert [g.name for g in app.registered_groups] == ["y"]


# Each workaround above, and what it needs of Typer: a check that raises when a Typer lacks it.
WORKAROUNDS: dict[str, Callable[[], None]] = {
    "completion hook": _check("typer.core", "TyperGroup._main_shell_completion"),
    "usage pieces": _check("typer.core", "TyperArgument.get_usage_pieces"),
    "click errors": _check("typer.core", "TyperGroup"),
    "registered commands": _check_registered,
    "param type": _check("typer._click.types", "ParamType.convert", "ParamType.fail"),
    "completion words": _check("typer._completion_classes", "completion_init"),
    "install": _check("typer._completion_shared", "install"),
    "completion classes": _check("typer._completion_classes", "BashComplete", "ZshComplete",
                                 "FishComplete"),
    "completion classes (Click)": _check("typer._click.shell_completion",
                                         "add_completion_class", "CompletionItem"),
    "completion script": _check("typer._completion_shared", "get_completion_script",
                                "_get_shell_name"),
}
