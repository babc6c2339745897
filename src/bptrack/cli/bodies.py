"""The bodies that own actions, and the members named in attendance lists."""


import typer

from bptrack.cli.common import FormatOption, state
from bptrack.output import render

body_app = typer.Typer(help="The bodies that own actions.", no_args_is_help=True,
                       rich_markup_mode=None)
member_app = typer.Typer(help="Members and organisations named in attendance lists.",
                         no_args_is_help=True, rich_markup_mode=None)

BODY_COLUMNS = (("code", "Code"), ("name", "Name"), ("kind", "Kind"), ("open", "Open"),
                ("total", "Total"))
MEMBER_COLUMNS = (("name", "Name"), ("kind", "Kind"), ("meetings", "Meetings"))


@body_app.command("list")
def body_list(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """The bodies, with their active and total action counts."""
    from bptrack import service

    render.records(service.list_bodies(state(ctx).database()), BODY_COLUMNS, fmt)


@member_app.command("list")
def member_list(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """The members and organisations, with how many meetings each attended."""
    from bptrack import service

    render.records(service.list_members(state(ctx).database()), MEMBER_COLUMNS, fmt)
