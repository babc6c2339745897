"""What every command shares: the lazily opened database, the actor, and option types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from bptrack import render

if TYPE_CHECKING:
    from bptrack.config import Settings
    from bptrack.service import Change
    from bptrack.store import Opened, Store


@dataclass
class AppState:
    """The global options, and the database once a command asks for it."""

    db: str | None = None
    debug: bool = False
    _settings: Settings | None = None
    _store: Store | None = field(default=None, repr=False)
    last_open: Opened | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from bptrack.config import load_settings

            self._settings = load_settings()
        return self._settings

    def target(self) -> str:
        from bptrack.config import db_target

        return db_target(self.db, self.settings())

    def store(self, *, init: bool = False, seed: bool = True) -> Store:
        if self._store is None:
            from bptrack import service

            opened = service.connect(self.target(), self.settings(), init=init, seed=seed)
            self._store = opened.store
            self.last_open = opened
            if opened.created and seed:
                render.message(f"Created {opened.store.target.display} and seeded "
                               f"{opened.seeded} actions from the AHG16 outcome statement.")
            elif opened.created:
                render.message(f"Created {opened.store.target.display}.")
            for notice in opened.notices:
                render.message(notice)
        return self._store

    def actor(self, flag: str | None) -> str:
        from bptrack.config import actor

        return actor(flag, self.settings())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def report_change(change: Change) -> None:
    """Tell the person what a write command changed, on stderr; data stays on stdout."""
    for item in change.changed:
        render.message(f"{change.verb} #{item['id']} {item['title']}")
    for text in change.warnings:
        render.warning(text)


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
IdsArgument = Annotated[list[str], typer.Argument(
    metavar="ID...", help="Action numbers or refs, e.g. 9 or AHG16-09.", show_default=False)]
IdArgument = Annotated[str, typer.Argument(metavar="ID",
                                           help="Action number or ref, e.g. 9 or AHG16-09.")]
NoteOption = Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT",
                                                help="A note for the history.")]
