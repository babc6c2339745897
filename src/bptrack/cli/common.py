"""What every command shares: the lazily opened database, the actor, and option types."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from bptrack.cli.typer_compat import ParamType
from bptrack.output import render

if TYPE_CHECKING:
    from bptrack.config import Settings
    from bptrack.service import Change
    from bptrack.service.database import Database, Opened, SchemaTools, Seeder


@dataclass
class AppState:
    """The global options, and the database once a command asks for it."""

    db: str | None = None
    debug: bool = False
    create: bool = False  # --create: a --db in a new directory may be made
    _settings: Settings | None = None
    _database: Database | None = field(default=None, repr=False)
    _schema_tools: SchemaTools | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from bptrack.config import load_settings

            self._settings = load_settings()
        return self._settings

    def target(self) -> str:
        from bptrack.config import db_target

        return db_target(self.db, self.settings())

    def database(self) -> Database:
        """The database for the everyday commands (DB-API, no SQLAlchemy)."""
        if self._database is None:
            from bptrack import service

            opened = service.connect(self.target(), self.settings(), create=self.create)
            self._database = opened.store
            self._announce(opened, seed=True)
        return self._database

    def schema_tools(self) -> SchemaTools:
        """The database through the schema tools (SQLAlchemy): meeting import, spreadsheets,
        export, backup and check."""
        if self._schema_tools is None:
            from bptrack import service

            opened = service.open_schema_tools(self.target(), self.settings(),
                                               create=self.create)
            self._schema_tools = opened.store
            self._announce(opened, seed=True)
        return self._schema_tools

    def set_up(self, *, seed: bool = True, filler: Seeder | None = None
               ) -> Opened[SchemaTools]:
        """`db init` and `db load`: the database created or set up (seeded unless `seed` is
        off; filled by `filler` instead, for a load), and what that did."""
        from bptrack import service

        opened = service.open_schema_tools(self.target(), self.settings(), init=True,
                                           seed=seed, create=self.create, filler=filler)
        if self._schema_tools is not None:
            self._schema_tools.close()
        self._schema_tools = opened.store
        self._announce(opened, seed=seed and filler is None)
        return opened

    def _announce(self, opened: Opened[Any], *, seed: bool) -> None:
        if opened.created and seed:
            render.message(f"Created {opened.store.target.display} and seeded "
                           f"{opened.seeded} actions from the AHG16 outcome statement.")
        elif opened.created:
            render.message(f"Created {opened.store.target.display}.")
        for notice in opened.notices:
            render.message(notice)

    def actor(self, flag: str | None) -> str:
        from bptrack.config import actor

        return actor(flag, self.settings())

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
        if self._schema_tools is not None:
            self._schema_tools.close()


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


class DateType(ParamType):
    """A date as users type it, read once into a `datetime.date` with the config's day order
    (`dayfirst`). With `clearable`, "none" is `CLEARED`: the date is to be emptied."""

    name = "date"

    def __init__(self, clearable: bool = False) -> None:
        self.clearable = clearable

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, dt.date) or value is None:
            return value
        from bptrack.userinput import CLEARED

        text = str(value)
        if self.clearable and text.strip().lower() == CLEARED.value:
            return CLEARED
        from bptrack.userinput.dates import (
            parse_date,  # the date grammar, only when a date is given
        )

        root = ctx.find_root().obj if ctx is not None else None
        dayfirst = root.settings().dayfirst if isinstance(root, AppState) else True
        return parse_date(text, dayfirst=dayfirst)


DATE = DateType()
DATE_OR_NONE = DateType(clearable=True)


def report_change(change: Change, quiet: bool = False) -> None:
    """Tell the person what a write command changed, on stderr; data stays on stdout."""
    if not quiet:
        for item in change.changed:
            detail = f" ({item['detail']})" if item.get("detail") else ""
            render.message(f"{change.verb} #{item['id']} {item['title']}{detail}")
    for text in change.warnings:
        render.warning(text)


BULK = 20  # changing more actions than this at once asks first


def gather_ids(ids: list[str] | None, from_stdin: bool = False) -> list[str]:
    """The ids named, with `-` (or --from-stdin) standing for those piped in on stdin."""
    from bptrack.errors import InvalidValue

    wanted = [i for i in (ids or []) if i != "-"]
    if from_stdin or "-" in (ids or []):
        stream = sys.stdin
        if stream is None or stream.closed or stream.isatty():
            raise InvalidValue("`-` reads ids from a pipe, but stdin is not one: "
                               "e.g. bptrack list --format ids | bptrack close -")
        piped = stream.read().split()
        if not piped:
            raise InvalidValue("no ids arrived on stdin; nothing was changed")
        wanted += piped
    if not wanted:
        from bptrack.errors import UsageError

        raise UsageError("missing ids: name one or more, or pipe them in with `-`")
    return wanted


def confirm_bulk(count: int, verb: str, yes: bool) -> None:
    """Ask before changing many actions; where nobody can answer, insist on --yes."""
    from bptrack.errors import InvalidValue

    if count <= BULK or yes:
        return
    if sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty():
        if typer.confirm(f"{verb} {count} actions?", default=False, err=True):
            return
        raise InvalidValue("not confirmed; nothing was changed")
    raise InvalidValue(f"{verb.lower()} {count} actions at once needs --yes when nobody can "
                       "answer a prompt; nothing was changed")


ListFormat = Literal["table", "json", "csv", "tsv", "md", "ids"]
DetailFormat = Literal["table", "json"]

FormatOption = Annotated[ListFormat, typer.Option(
    "--format", "-f", help="table on a terminal (plain lines when piped), json, csv, tsv, md "
    "or ids.")]
DetailFormatOption = Annotated[DetailFormat, typer.Option("--format", "-f",
                                                          help="table or json.")]
ActorOption = Annotated[str | None, typer.Option(
    "--actor", metavar="NAME",
    help="Who makes the change (default: $BPTRACK_ACTOR, the config's actor, the login name).")]
NoteOption = Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT",
                                                help="A note for the history.")]
OutputOption = Annotated[str | None, typer.Option(
    "--output", metavar="FILE",
    help="Write to FILE (whole or not at all; a link's target, a device or FIFO as it is; "
    "never the database) instead of stdout; `-` is stdout.")]
BomOption = Annotated[bool, typer.Option(
    "--bom", help="Start CSV with a byte-order mark, so Excel reads accents and quotes right "
    "(or set csv_bom = true in the config).")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Let --output replace a SQLite file that is not the open database.")]


def output_file(output: str | None) -> str | None:
    """The file --output names; None for stdout (no option, or `-`)."""
    return None if output in (None, "-") else output
UtcOption = Annotated[bool, typer.Option(
    "--utc", help="Times in UTC, not the local zone (TZ).")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", help="Do not report each change on stderr (warnings still show).")]
NoProgressOption = Annotated[bool, typer.Option(
    "--quiet", help="No progress display on a terminal.")]
YesOption = Annotated[bool, typer.Option(
    "--yes", "-y", help=f"Change more than {BULK} actions without asking.")]
StdinOption = Annotated[bool, typer.Option(
    "--from-stdin", help="Also read ids from stdin, like `-`.")]


def ids_argument(completer: Callable[[typer.Context, str], list[tuple[str, str]]]) -> Any:
    return typer.Argument(metavar="ID...", show_default=False, autocompletion=completer,
                          help="Action numbers or refs (9, AHG16-09); `-` reads them from "
                          "stdin.")


def id_argument(completer: Callable[[typer.Context, str], list[tuple[str, str]]]) -> Any:
    return typer.Argument(metavar="ID", autocompletion=completer,
                          help="Action number or ref, e.g. 9 or AHG16-09.")
