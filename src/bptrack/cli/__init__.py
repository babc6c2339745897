"""The bptrack command line: parse, call one service function, render.

Nothing here imports SQLAlchemy at module level: `--help` and `--version` stay fast. The
command modules do not use `from __future__ import annotations`: Typer would then evaluate
every annotation string on every run, a sixth of `--version`'s time.
"""


import functools
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from bptrack import __version__
from bptrack.cli.common import AppState, state
from bptrack.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, BptrackError
from bptrack.output import render


class BptrackGroup(TyperGroup):
    """Translates domain errors, once, into an `Error:` line and the contract's exit code."""

    def _main_shell_completion(self, ctx_args: Any, prog_name: str,
                               complete_var: str | None = None) -> None:
        instruction = os.environ.get("_BPTRACK_COMPLETE", "")
        if instruction.endswith("bash"):
            from bptrack.cli.complete import use_bash_with_titles

            use_bash_with_titles()
        elif instruction.endswith(("zsh", "fish")):
            from bptrack.cli.complete import use_plain_zsh_and_fish

            use_plain_zsh_and_fish()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_metavars(command)
        return command

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _plain_metavars(self)
        super().format_usage(ctx, formatter)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BptrackError as exc:
            obj = ctx.find_root().obj
            if isinstance(obj, AppState) and obj.debug:
                _print_traceback()
            render.error(str(exc))
            raise typer.Exit(exc.exit_code) from exc
        except BrokenPipeError as exc:
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from exc
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _click_error(exc):
                raise
            # A bug, not bad input: still one line, and the traceback with --debug.
            obj = ctx.find_root().obj
            if isinstance(obj, AppState) and obj.debug:
                _print_traceback()
            render.error(f"unexpected {type(exc).__name__}: {exc} "
                         "(run with --debug for the traceback, and please report it)")
            raise typer.Exit(EXIT_FAILED) from exc


def _print_traceback() -> None:
    import traceback  # only with --debug, after an error

    from bptrack.errors import mask_secrets

    sys.stderr.write(mask_secrets(traceback.format_exc()))


def _plain_metavars(command: Any) -> None:
    """Arguments in the usage line as a user reads them (`ID...`, `[ID]`, `ID... WHO`), as
    Click shows them: not in Typer's braces (`{ID}`)."""
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
        _plain_metavars(sub)


def _usage_pieces(pieces: list[str], _ctx: Any) -> list[str]:
    return pieces


def _click_error(exc: Exception) -> bool:
    """Usage errors and the like belong to Typer's Click, which reports them (exit 2)."""
    return any(cls.__module__.startswith("typer") for cls in type(exc).__mro__
               if cls is not Exception)


def _show_completion(value: str | None) -> None:
    if value is not None:
        from bptrack.cli.complete import script

        print(script(None if value == "auto" else value)[1])
        raise typer.Exit(EXIT_OK)


def _install_completion(value: str | None) -> None:
    if value is not None:
        from typer._completion_shared import install

        from bptrack.cli.complete import script

        shell, _ = script(None if value == "auto" else value)
        done, path = install(shell=shell, prog_name="bptrack",
                             complete_var="_BPTRACK_COMPLETE")
        print(f"{done} completion installed in {path}; it takes effect in a new shell.")
        raise typer.Exit(EXIT_OK)


def _version(value: bool) -> None:
    if value:
        print(f"bptrack {__version__}")
        raise typer.Exit(EXIT_OK)


app = typer.Typer(
    name="bptrack",
    cls=BptrackGroup,
    help="Track the follow-up commitments of Bali Process meetings.",
    rich_markup_mode=None,  # plain Click help: --help never imports Rich tables
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,  # ours honour the shell named: --show-completion zsh
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="TARGET", help="SQLite file or SQLAlchemy URL "
        "(default: $BPTRACK_DB, the config's db, or bptrack.db in the user data dir).")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    create: Annotated[bool, typer.Option(
        "--create", help="Let --db name a new tracker in a directory that does not exist yet "
        "(made private).")] = False,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    show_completion: Annotated[str | None, typer.Option(
        "--show-completion", metavar="[SHELL]", callback=_show_completion, is_eager=True,
        expose_value=False,
        help="Print the completion script for SHELL (bash, zsh or fish; default: this "
        "shell), to load or copy.")] = None,
    install_completion: Annotated[str | None, typer.Option(
        "--install-completion", metavar="[SHELL]", callback=_install_completion,
        is_eager=True, expose_value=False,
        help="Install completion for SHELL (default: this shell).")] = None,
) -> None:
    """Track the follow-up commitments of Bali Process meetings."""
    app_state = AppState(db=db, debug=debug, create=create)
    ctx.obj = app_state
    ctx.call_on_close(app_state.close)


from bptrack.cli import (  # noqa: E402  (commands register on `app`)
    actions,
    bodies,
    config,
    db,
    meeting,
    remind,
    report,
    sheets,
)

app.add_typer(meeting.app, name="meeting")
app.add_typer(db.app, name="db", short_help="The database: set-up, checks, backups, export.")
app.add_typer(config.app, name="config", short_help="Settings: show them, set them.")
app.add_typer(bodies.body_app, name="body")
app.add_typer(bodies.member_app, name="member")
actions.register(app)
app.command(short_help="Status report: counts, overdue, blocked, changes.")(report.report)
app.command(short_help="Overdue and due-soon actions, for cron.")(remind.remind)
app.command(short_help="iCalendar feed of dated active actions.")(remind.calendar)
app.command("import", short_help="Import a tracker spreadsheet (.xlsx or .csv).")(
    sheets.import_sheet)

__all__ = ["app", "run", "state"]


def run() -> None:
    """The console script: the app, plus a quiet end when the reader of a pipe goes away."""
    for number, arg in enumerate(sys.argv[1:], 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            # Bytes that are not UTF-8 (Python kept them as lone surrogates): refuse them here
            # rather than store text no other program could read.
            render.error(f"argument {number} is not valid UTF-8 text; check the terminal's "
                         "encoding")
            sys.exit(EXIT_USAGE)
    completing = os.environ.get("_BPTRACK_COMPLETE")
    _only_the_command_asked_for(_completed_words() if completing else sys.argv[1:])
    try:
        app(args=_completion_shell_named(sys.argv[1:]), prog_name="bptrack")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_OK)
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(EXIT_OK)


def _only_the_command_asked_for(args: list[str] | None) -> None:
    """Build only the command this run invokes, or completes. Typer turns every command's
    signature into Click parameters on every run, which costs more than a whole `bptrack
    show`; when the command is plain to see (`bptrack [--db X] list …`), the others are left
    unregistered. Help, completion of a command's name and anything unusual keep the whole
    app."""
    if args is None:
        return
    name = None
    rest = iter(args)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif arg.startswith("--db=") or arg in ("--debug", "--create"):
            continue
        elif arg.startswith("-"):
            return  # --help, --version, completion: the whole app
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


def _completed_words() -> list[str] | None:
    """The words before the one being completed, as Typer's completion reads them: bash
    passes COMP_WORDS and COMP_CWORD, the other shells the whole line. None when unclear."""
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


def _completion_shell_named(args: list[str]) -> list[str]:
    """`--show-completion` alone means this shell: Click options cannot take an optional
    value, so the missing one is filled in here."""
    args = list(args)
    for flag in ("--show-completion", "--install-completion"):
        if flag in args:
            at = args.index(flag) + 1
            if at >= len(args) or args[at].startswith("-"):
                args.insert(at, "auto")
    return args


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
