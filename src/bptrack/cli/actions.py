"""The everyday commands on actions: list, show, add, assign, start, block, close, history…"""

import datetime as dt
from typing import Annotated, Any, Literal

import typer

import bptrack.cli.complete as complete
from bptrack.cli.common import (
    DATE,
    DATE_OR_NONE,
    ActorOption,
    BomOption,
    DetailFormatOption,
    ForceOption,
    NoteOption,
    QuietOption,
    StdinOption,
    UtcOption,
    YesOption,
    confirm_bulk,
    gather_ids,
    id_argument,
    ids_argument,
    report_change,
    state,
)
from bptrack.output import render
from bptrack.vocabulary import MAX_DAYS

AnyId = Annotated[str, id_argument(complete.any_ids)]
AnyIds = Annotated[list[str] | None, ids_argument(complete.any_ids)]
ActiveIds = Annotated[list[str] | None, ids_argument(complete.active_ids)]
ClosedIds = Annotated[list[str] | None, ids_argument(complete.closed_ids)]

SortChoice = Annotated[str, typer.Option(
    "--sort", metavar="due|id|owner|status|updated", autocompletion=complete.sorts,
    help="Order: due (undated last, then id), id, owner, status, updated (newest first).")]
TABLE_PAGE = 50


def list_actions(
    ctx: typer.Context,
    status: Annotated[list[str] | None, typer.Option(
        "--status", "-s", metavar="STATUS", autocompletion=complete.statuses,
        help="open, in_progress, blocked, done, cancelled, active (default), closed or all; "
        "repeatable.")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", "-k", metavar="KIND", autocompletion=complete.kinds,
        help="action, ongoing (default both), record, note or all; repeatable.")] = None,
    owner: Annotated[str | None, typer.Option(
        "--owner", "-o", metavar="BODY", autocompletion=complete.bodies,
        help="Owner body: code or part of its name.")] = None,
    assignee: Annotated[str | None, typer.Option(
        "--assignee", "-a", metavar="WHO", autocompletion=complete.assignees,
        help="Assignee name or e-mail contains WHO.")] = None,
    unassigned: Annotated[bool, typer.Option("--unassigned", help="Only unassigned.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue.")] = False,
    due_within: Annotated[int | None, typer.Option(
        "--due-within", metavar="DAYS", min=0, max=MAX_DAYS,
        help="Due within DAYS from today (overdue included).")
    ] = None,
    due_before: Annotated[dt.date | None, typer.Option(
        "--due-before", metavar="DATE", click_type=DATE, help="Due before DATE.")] = None,
    meeting: Annotated[str | None, typer.Option(
        "--meeting", "-m", metavar="REF", autocompletion=complete.meetings,
        help="From meeting REF, e.g. AHG16.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-q", metavar="TEXT", help="TEXT in title, source, ref or assignee.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every status and kind.")] = False,
    sort: SortChoice = "due",
    limit: Annotated[int | None, typer.Option(
        "--limit", "-L", metavar="N", min=0,
        help=f"At most N (table default {TABLE_PAGE}; 0 = no limit).")] = None,
    fmt: Annotated[Literal["table", "json", "csv", "tsv", "md", "ids", "xlsx"], typer.Option(
        "--format", "-f", help="table on a terminal (plain lines when piped), json, csv, tsv, "
        "md, ids, or xlsx (a workbook: give --output).")] = "table",
    output: Annotated[str | None, typer.Option(
        "--output", metavar="FILE", help="Write to FILE instead of stdout (needed for xlsx; "
        "`-` is stdout).")] = None,
    force: ForceOption = False,
    bom: BomOption = False,
) -> None:
    """List actions: by default the active actions and ongoing commitments, soonest due first."""
    from bptrack import service
    from bptrack.service import ActionQuery
    from bptrack.vocabulary import FIELDS

    if limit is None and fmt == "table" and output is None:
        limit = TABLE_PAGE
    query = ActionQuery(
        statuses=status or (), kinds=kind or (), owner=owner, assignee=assignee,
        unassigned=unassigned, overdue=overdue, due_within=due_within,
        due_before=due_before, meeting=meeting,
        search=search, everything=everything, sort=sort, limit=limit)
    store = state(ctx).database()
    bom = fmt == "csv" and (bom or state(ctx).settings().csv_bom)
    with service.listing(store, query, with_chains=fmt == "json") as found:
        actions = found.actions
        if output not in (None, "-") or not render.is_terminal():  # a document, not a table
            actions = render.counted(actions, f"Writing {output or 'the list'}",
                                     lambda: min(found.total(), limit) if limit
                                     else found.total())
        if fmt == "xlsx":
            from bptrack.output import workbooks

            def write(out: Any) -> int:
                workbooks.write_actions(out, actions, FIELDS)
                return 0
        else:
            def write(out: Any) -> int:
                return render.actions(actions, fmt, FIELDS, out=out)
        shown = render.emit(fmt, output, write, what=f"{fmt} list", bom=bom, force=force,
                            database=store.target.sqlite_path)
        if fmt == "table" and output is None and limit and shown >= limit and (
                total := found.total()) > shown:
            render.message(f"showing {shown} of {total} (use --limit 0 for all)")


def show(ctx: typer.Context, action_id: AnyId, fmt: DetailFormatOption = "table",
         utc: UtcOption = False) -> None:
    """Everything about one action: its fields, source sentence and history."""
    from bptrack import service

    render.action_detail(service.show_action(state(ctx).database(), action_id), fmt, utc=utc)


def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(metavar="TITLE", help="What is to be done.")],
    owner: Annotated[str, typer.Option(
        "--owner", "-o", metavar="BODY", autocompletion=complete.bodies,
        help="Responsible body: code or part of its name.")],
    due: Annotated[Any, typer.Option("--due", "-d", metavar="DATE", click_type=DATE_OR_NONE,
                                     help="Deadline.")] = None,
    assignee: Annotated[str | None, typer.Option(
        "--assignee", "-a", metavar="WHO", help="A member, organisation or Name <email>.")
    ] = None,
    partner: Annotated[list[str] | None, typer.Option(
        "--partner", "-p", metavar="BODY", autocompletion=complete.bodies,
        help="Partner body; repeatable.")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", metavar="action|ongoing",
                                      help="action (default) or ongoing.")] = "action",
    meeting: Annotated[str | None, typer.Option(
        "--meeting", "-m", metavar="REF", help="Meeting it comes from.")] = None,
    note: NoteOption = None,
    actor: ActorOption = None,
    quiet: QuietOption = False,
) -> None:
    """Add an action by hand; prints its new id."""
    from bptrack import service

    app_state = state(ctx)
    new = service.NewAction(title=title, owner=owner, due=due if isinstance(due, dt.date)
                            else None, assignee=assignee,
                            partners=partner or (), kind=kind, meeting=meeting, note=note)
    action = service.add_action(app_state.database(), app_state.actor(actor), new)
    render.data_line(str(action["id"]))
    if not quiet:
        render.message(f"Added #{action['id']} {action['ref']} {action['title']}")


def assign(
    ctx: typer.Context,
    args: Annotated[list[str], typer.Argument(
        metavar="ID... WHO", autocompletion=complete.assign_args, help="Action ids (`-` reads "
        "them from stdin), then who follows them up: a member, an organisation, or "
        "Name <email>.")],
    actor: ActorOption = None,
    from_stdin: StdinOption = False,
    yes: YesOption = False,
    quiet: QuietOption = False,
) -> None:
    """Set who follows up one or more actions."""
    from bptrack import service

    if len(args) < 2 and not from_stdin:
        from bptrack.errors import UsageError

        raise UsageError("missing the assignee: give one or more ids and then who, e.g. "
                         "assign 9 Indonesia")
    ids = gather_ids(args[:-1], from_stdin)
    confirm_bulk(len(ids), "Assign", yes)
    app_state = state(ctx)
    report_change(service.assign(app_state.database(), app_state.actor(actor), ids, args[-1]),
                  quiet)


def unassign(ctx: typer.Context, ids: AnyIds = None, actor: ActorOption = None,
             from_stdin: StdinOption = False, yes: YesOption = False,
             quiet: QuietOption = False) -> None:
    """Clear the assignee of one or more actions."""
    from bptrack import service

    wanted = gather_ids(ids, from_stdin)
    confirm_bulk(len(wanted), "Unassign", yes)
    app_state = state(ctx)
    report_change(service.assign(app_state.database(), app_state.actor(actor), wanted, None),
                  quiet)


_ASKING = {"in_progress": "Start", "blocked": "Block", "done": "Close", "cancelled": "Cancel",
           "open": "Reopen"}


def _set_status(ctx: typer.Context, ids: list[str] | None, status: str, note: str | None,
                actor: str | None, from_stdin: bool, yes: bool, quiet: bool) -> None:
    from bptrack import service

    wanted = gather_ids(ids, from_stdin)
    confirm_bulk(len(wanted), _ASKING[status], yes)
    app_state = state(ctx)
    report_change(service.set_status(app_state.database(), app_state.actor(actor), wanted, status,
                                     note), quiet)


def start(ctx: typer.Context, ids: ActiveIds = None, note: NoteOption = None,
          actor: ActorOption = None, from_stdin: StdinOption = False, yes: YesOption = False,
          quiet: QuietOption = False) -> None:
    """Mark actions in progress."""
    _set_status(ctx, ids, "in_progress", note, actor, from_stdin, yes, quiet)


def block(
    ctx: typer.Context,
    note: Annotated[str, typer.Option("--note", "-n", metavar="WHY",
                                      help="Why it is blocked (required).")],
    ids: ActiveIds = None,
    actor: ActorOption = None,
    from_stdin: StdinOption = False,
    yes: YesOption = False,
    quiet: QuietOption = False,
) -> None:
    """Mark actions blocked, saying why."""
    _set_status(ctx, ids, "blocked", note, actor, from_stdin, yes, quiet)


def close(
    ctx: typer.Context,
    ids: ActiveIds = None,
    note: Annotated[str | None, typer.Option("--note", "-n", metavar="TEXT",
                                             help="The resolution.")] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Close as cancelled, not done.")
                      ] = False,
    actor: ActorOption = None,
    from_stdin: StdinOption = False,
    yes: YesOption = False,
    quiet: QuietOption = False,
) -> None:
    """Close actions as done (or --cancel). Closing a closed action changes nothing."""
    _set_status(ctx, ids, "cancelled" if cancel else "done", note, actor, from_stdin, yes,
                quiet)


def reopen(ctx: typer.Context, ids: ClosedIds = None, note: NoteOption = None,
           actor: ActorOption = None, from_stdin: StdinOption = False, yes: YesOption = False,
           quiet: QuietOption = False) -> None:
    """Set actions back to open."""
    _set_status(ctx, ids, "open", note, actor, from_stdin, yes, quiet)


def edit(
    ctx: typer.Context,
    action_id: AnyId,
    title: Annotated[str | None, typer.Option("--title", "-t", metavar="TEXT")] = None,
    due: Annotated[Any, typer.Option("--due", "-d", metavar="DATE|none",
                                     click_type=DATE_OR_NONE)] = None,
    owner: Annotated[str | None, typer.Option("--owner", "-o", metavar="BODY",
                                              autocompletion=complete.bodies)] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", metavar="action|ongoing|record|note")] = None,
    partner: Annotated[list[str] | None, typer.Option(
        "--partner", "-p", metavar="BODY|none", autocompletion=complete.bodies,
        help="Replaces the partners; repeatable.")] = None,
    actor: ActorOption = None,
    quiet: QuietOption = False,
) -> None:
    """Change an action's title, due date, owner, kind or partners."""
    from bptrack import service

    app_state = state(ctx)
    # "none" among the partners clears them: what is left replaces the list
    partners = None if partner is None else [p for p in partner if p.strip().lower() != "none"]
    changes = service.Edit(title=title, due=due, owner=owner, kind=kind, partners=partners)
    report_change(service.edit_action(app_state.database(), app_state.actor(actor), action_id,
                                      changes), quiet)


def note(
    ctx: typer.Context,
    action_id: AnyId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The note.")],
    actor: ActorOption = None,
    quiet: QuietOption = False,
) -> None:
    """Add a note to an action's history."""
    from bptrack import service

    app_state = state(ctx)
    report_change(service.add_note(app_state.database(), app_state.actor(actor), action_id, text),
                  quiet)


def history(
    ctx: typer.Context,
    action_id: Annotated[str | None, typer.Argument(
        metavar="[ID]", autocompletion=complete.any_ids,
        help="One action's history; all actions' without it.")] = None,
    since: Annotated[dt.date | None, typer.Option(
        "--since", metavar="DATE", click_type=DATE, help="Changes on or after DATE.")] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", "-L", metavar="N", min=0, help=f"The last N changes (default "
        f"{TABLE_PAGE} for the whole log in a table; 0 = all).")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every change.")] = False,
    fmt: DetailFormatOption = "table",
    utc: UtcOption = False,
) -> None:
    """The change log, newest last."""
    from bptrack import service

    if everything:
        limit = 0
    elif limit is None and action_id is None and fmt == "table":
        limit = TABLE_PAGE
    store = state(ctx).database()
    events = service.history(store, action_id, since=since, limit=limit)
    render.history(events, fmt, utc=utc)
    if fmt == "table" and limit and len(events) >= limit:
        total = service.count_history(store, action_id, since=since)
        if total > len(events):
            render.message(f"showing the last {len(events)} of {total} changes "
                           "(use --all for every one)")


def register(app: typer.Typer) -> None:
    # Summaries for `bptrack --help`, short enough for an 80-column terminal.
    app.command("list", short_help="Active actions and commitments, soonest due first.")(
        list_actions)
    app.command(short_help="Everything about one action, with its history.")(show)
    app.command()(add)
    app.command()(assign)
    app.command()(unassign)
    app.command()(start)
    app.command()(block)
    app.command()(close)
    app.command()(reopen)
    app.command()(edit)
    app.command()(note)
    app.command()(history)
    app.command(short_help="Revert your last change.")(undo)


def undo(ctx: typer.Context, actor: ActorOption = None, quiet: QuietOption = False) -> None:
    """Revert your last change (by the actor), using the history; the undo is recorded."""
    from bptrack.service.undo import undo as undo_last

    app_state = state(ctx)
    report_change(undo_last(app_state.database(), app_state.actor(actor)), quiet)
