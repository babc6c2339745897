"""Where the database is, and setting one up."""

from __future__ import annotations

import typer

from bptrack import render
from bptrack.cli.common import state

app = typer.Typer(help="The database: where it is, and setting it up.", no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print where the database is (a file path, or a URL without its password)."""
    from bptrack import service

    render.data_line(service.describe_target(state(ctx).target()))


@app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Create the database if needed and seed what is missing; safe to run again."""
    app_state = state(ctx)
    store = app_state.store(init=True)
    opened = app_state.last_open
    if opened is not None and not opened.created:
        if opened.seeded:
            render.message(f"Seeded {opened.seeded} actions into {store.target.display}.")
        else:
            render.message(f"{store.target.display} is ready; nothing to add.")
