"""The bptrack command line: parse, call one service function, render.

Nothing here imports SQLAlchemy at module level: `--help` and `--version` stay fast. The
command modules do not use `from __future__ import annotations`: Typer would then evaluate
every annotation string on every run, a sixth of `--version`'s time.
"""


import os
import sys
from typing import Annotated, Any

import typer

from bptrack import __version__
from bptrack.cli.common import AppState, state
from bptrack.cli.typer_compat import (
    COMPLETE_VAR,
    CompatGroup,
    completed_words,
    install_completion,
    is_click_error,
    only_the_command_asked_for,
    script,
    use_bash_with_titles,
    use_plain_zsh_and_fish,
)
from bptrack.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, BptrackError
from bptrack.output import render


class BptrackGroup(CompatGroup):
    """Translates domain errors, once, into an `Error:` line and the contract's exit code."""

    def before_completion(self, instruction: str) -> None:
        if instruction.endswith("bash"):
            use_bash_with_titles()
        elif instruction.endswith(("zsh", "fish")):
            use_plain_zsh_and_fish()

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
        except KeyboardInterrupt as exc:
            _interrupted()
            raise typer.Exit(EXIT_INTERRUPTED) from exc
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            if is_click_error(exc):
                raise
            # A bug, not bad input: still one line, and the traceback with --debug.
            obj = ctx.find_root().obj
            if isinstance(obj, AppState) and obj.debug:
                _print_traceback()
            render.error(f"unexpected {type(exc).__name__}: {exc} "
                         "(run with --debug for the traceback, and please report it)")
            raise typer.Exit(EXIT_FAILED) from exc


def _interrupted() -> None:
    """Ctrl-C: one line. A file being written was removed as the interrupt went by (see
    output/files.py) and a transaction rolled back; what the half-written document leaves
    to be cleaned up at exit (a writer's generators) would print a traceback each."""
    sys.unraisablehook = lambda _: None
    render.error("interrupted")


def _print_traceback() -> None:
    import traceback  # only with --debug, after an error

    from bptrack.errors import mask_secrets

    sys.stderr.write(mask_secrets(traceback.format_exc()))


def _show_completion(value: str | None) -> None:
    if value is not None:
        print(script(None if value == "auto" else value)[1])
        raise typer.Exit(EXIT_OK)


def _install_completion(value: str | None) -> None:
    if value is not None:
        shell, _ = script(None if value == "auto" else value)
        done, path = install_completion(shell)
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
    completing = os.environ.get(COMPLETE_VAR)
    only_the_command_asked_for(app, completed_words() if completing else sys.argv[1:])
    try:
        app(args=_completion_shell_named(sys.argv[1:]), prog_name="bptrack")
    except KeyboardInterrupt:  # before or after a command ran (while starting, say)
        _interrupted()
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_OK)
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(EXIT_OK)


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
