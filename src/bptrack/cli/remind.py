"""Reminders for cron, and the calendar feed."""

from typing import Annotated, Literal

import typer

import bptrack.cli.complete as complete
from bptrack.cli.common import ForceOption, OutputOption, state
from bptrack.output import render
from bptrack.vocabulary import MAX_DAYS

OwnerFilter = Annotated[str | None, typer.Option(
    "--owner", "-o", metavar="BODY", autocompletion=complete.bodies,
    help="Only actions of this body: code or part of its name.")]
AssigneeFilter = Annotated[str | None, typer.Option(
    "--assignee", "-a", metavar="WHO", autocompletion=complete.assignees,
    help="Only actions whose assignee name or e-mail contains WHO.")]


def remind(
    ctx: typer.Context,
    within: Annotated[int | None, typer.Option(
        "--within", "-w", metavar="DAYS", min=0, max=MAX_DAYS,
        help="Due within DAYS (default: the config's remind_within, else 14). Overdue actions "
        "are always included.")] = None,
    fmt: Annotated[Literal["text", "json"], typer.Option(
        "--format", "-f", help="text (default) or json.")] = "text",
    email: Annotated[bool, typer.Option(
        "--email", help="E-mail each assignee with an address their items, through the "
        "config's [smtp] settings; at most once a day per action and address.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="With --email: print the messages instead of sending them.")
    ] = False,
    owner: OwnerFilter = None,
    assignee: AssigneeFilter = None,
) -> None:
    """Overdue and due-soon actions, by assignee; prints nothing when nothing is due (cron)."""
    from bptrack.service import reminders

    app_state = state(ctx)
    settings = app_state.settings()
    days = settings.remind_within if within is None else within
    if fmt == "text" and not email:
        render.reminder_lines(reminders.text_digest(app_state.database(), days, owner=owner,
                                                    assignee=assignee))
        return
    found = reminders.digest(app_state.database(), days, owner=owner, assignee=assignee)
    if not email:
        render.reminder_document(found.as_json())
        return
    from bptrack.service import reminder_mail

    sent = reminder_mail.send_reminders(app_state.database(), found, settings.smtp,
                                        dry_run=dry_run, remind=settings.remind,
                                        forum=settings.forum)
    for message in sent.previews:
        render.data_line(reminder_mail.preview(message))
    for group in sent.no_address:
        listed = ", ".join(a["ref"] for a in group.actions)
        render.message(f"No e-mail address for {group.key}: {listed}")
    for address, refs in sent.skipped:
        render.message(f"Already reminded {address} today: {', '.join(refs)}")
    for address, refs in sent.delivered:
        render.message(f"Sent a reminder to {address}: {', '.join(refs)}")


def calendar(
    ctx: typer.Context,
    output: OutputOption = None,
    force: ForceOption = False,
    owner: OwnerFilter = None,
    assignee: AssigneeFilter = None,
) -> None:
    """iCalendar (RFC 5545) feed of dated active actions, with stable UIDs."""
    from bptrack.service import calendar as calendar_feed

    store = state(ctx).database()
    feed = calendar_feed.calendar(store, owner=owner, assignee=assignee).decode("utf-8")
    render.emit("ics", output, lambda out: out.write(feed), what="calendar", force=force,
                database=store.target.sqlite_path)
