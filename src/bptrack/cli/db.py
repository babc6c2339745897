"""The database as a whole: where it is, setting it up, checking, copying, moving."""

from typing import Annotated

import typer

from bptrack.cli.common import ForceOption, NoProgressOption, OutputOption, state
from bptrack.output import render

app = typer.Typer(help="The database: where it is, set-up, checks, backups, export and load.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("path", short_help="Where the database is.")
def db_path(ctx: typer.Context) -> None:
    """Print where the database is (a file path, or a URL without its password)."""
    from bptrack import service

    render.data_line(service.describe_target(state(ctx).target()))


@app.command("init", short_help="Create and seed the database; safe to repeat.")
def db_init(
    ctx: typer.Context,
    no_seed: Annotated[bool, typer.Option(
        "--no-seed", help="Create an empty tracker, without the AHG16 statement's items "
        "(for `bptrack import` of an existing tracker).")] = False,
) -> None:
    """Create the database if needed and seed what is missing; safe to run again."""
    opened = state(ctx).set_up(seed=not no_seed)
    if not opened.created:
        where = opened.store.target.display
        if opened.seeded:
            render.message(f"Seeded {opened.seeded} actions into {where}.")
        else:
            render.message(f"{where} is ready; nothing to add.")


@app.command("check", short_help="Check integrity and bptrack's rules.")
def db_check(ctx: typer.Context) -> None:
    """Integrity and foreign-key checks, and bptrack's own rules; exit 1 on any finding."""
    from bptrack.errors import EXIT_FAILED
    from bptrack.service import database

    findings = database.check(state(ctx).target(), state(ctx).database)
    for finding in findings:
        render.data_line(render.one_line(finding))
    if findings:
        render.message(f"{render.plural(len(findings), 'problem')} found.")
        raise typer.Exit(EXIT_FAILED)
    render.message("ok")


@app.command("backup", short_help="A consistent, private copy of the database.")
def db_backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="Where the copy goes (new file).")],
    quiet: NoProgressOption = False,
) -> None:
    """A consistent, private copy of the live database (an export, from PostgreSQL)."""
    from bptrack.service import database

    app_state = state(ctx)
    path = database.backup(app_state.database(), file, tools=app_state.schema_tools,
                           progress=render.phases(quiet=quiet))
    render.message(f"Backed up to {path}.")


@app.command("export")
def db_export(
    ctx: typer.Context,
    output: OutputOption = None,
    force: ForceOption = False,
    quiet: NoProgressOption = False,
) -> None:
    """Everything, history included, as a versioned JSON document."""

    from bptrack.service import database

    store = state(ctx).database()
    shown = output not in (None, "-") or not render.is_terminal()  # not onto the terminal
    progress = render.phases(quiet=quiet or not shown)
    render.emit("json", output, lambda out: database.export(
        store, out, dest=output or "stdout", progress=progress), what="export", private=True,
        force=force, database=store.target.sqlite_path)


@app.command("load", short_help="Load an export into an empty database.")
def db_load(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A `bptrack db export` file.")],
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace everything already in the database.")] = False,
    quiet: NoProgressOption = False,
) -> None:
    """Load an export: all of it or nothing, into an empty database (or with --replace)."""
    from bptrack.service import database

    app_state = state(ctx)
    loading = database.loading(file, app_state.target(), replace=replace)
    with render.progress(f"Loading {file}", lambda: None, quiet=quiet) as loading.tick:
        app_state.set_up(seed=False, filler=loading)
    counts = loading.counts
    render.message(f"Loaded {render.plural(counts.get('action', 0), 'action')}, "
                   f"{render.plural(counts.get('event', 0), 'history event')} and "
                   f"{render.plural(counts.get('meeting', 0), 'meeting')}.")


@app.command("grant", short_help="Give a PostgreSQL login a role: viewer, editor or admin.")
def db_grant(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="A PostgreSQL login (role).")],
    role: Annotated[str, typer.Argument(
        metavar="ROLE", help="viewer (reads), editor (also changes actions) or admin (also "
        "imports, loads, upgrades and grants).")],
) -> None:
    """Give LOGIN a role on this team database, replacing the one it had: real PostgreSQL
    grants. The first grant needs a login that may create roles (CREATEROLE)."""
    from bptrack.service import database

    database.grant_role(state(ctx).schema_tools(), login, role)
    render.message(f"{login} is now {'an' if role in ('editor', 'admin') else 'a'} {role} of "
                   f"{state(ctx).schema_tools().target.display}.")
