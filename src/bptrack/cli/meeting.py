"""Meetings and their outcome statements."""

from typing import Annotated, Any

import typer

from bptrack.cli.common import (
    ActorOption,
    DetailFormatOption,
    FormatOption,
    NoProgressOption,
    state,
)
from bptrack.output import render

app = typer.Typer(help="Meetings, and reading their outcome statements.", no_args_is_help=True,
                  rich_markup_mode=None)

MEETING_COLUMNS = (("ref", "Ref"), ("date", "Date"), ("title", "Title"),
                   ("location", "Location"), ("attendees", "Attendees"), ("items", "Items"),
                   ("open", "Open"))


@app.command("list")
def meeting_list(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """The meetings, with attendee and item counts."""
    from bptrack.service import meetings

    render.records(meetings.list_meetings(state(ctx).database()), MEETING_COLUMNS, fmt)


@app.command("show", short_help="One meeting: attendees and its items by kind.")
def meeting_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The meeting, e.g. AHG16.")],
    fmt: DetailFormatOption = "table",
) -> None:
    """One meeting: attendees, and its items counted by kind and status."""
    from bptrack.service import meetings

    render.meeting_detail(meetings.show_meeting(state(ctx).database(), ref), fmt)


@app.command("import", short_help="Read an outcome statement; add its items.")
def meeting_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(
        metavar="FILE", help="The statement: text, Markdown, PDF, Word (.docx) or a web page; "
        "`-` reads it from stdin.")],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be added, with each item's confidence and why; "
        "write nothing.")] = False,
    ref: Annotated[str | None, typer.Option(
        "--ref", metavar="REF", help="The meeting's ref (default: from its name, e.g. "
        "AHG17).")] = None,
    review: Annotated[bool, typer.Option(
        "--review", help="Edit the proposed items in $VISUAL/$EDITOR first; import what is "
        "saved (nothing if the editor fails or the file is emptied).")] = False,
    items: Annotated[str | None, typer.Option(
        "--items", metavar="FILE", help="Import exactly the items of a reviewed JSON file in "
        "the dry run's format.")] = None,
    update: Annotated[bool, typer.Option(
        "--update", help="The meeting is in the tracker and this is a corrected statement: "
        "apply its changes to the items nobody has changed since import.")] = False,
    fmt: DetailFormatOption = "table",
    actor: ActorOption = None,
    quiet: NoProgressOption = False,
) -> None:
    """Read an outcome statement and add its meeting and items (once).

    The same statement again, in any format, adds nothing; a corrected one is shown item by
    item with --dry-run and applied with --update.

    Any layout is read: bullets, numbered or Roman-numbered paragraphs, or prose, with or
    without an "Outcomes:" line."""
    from bptrack.errors import InvalidValue
    from bptrack.service import statements

    if review and items:
        raise InvalidValue("give --review or --items, not both")
    data = _stdin_statement() if file == "-" else None
    app_state = state(ctx)
    result = statements.import_statement(app_state.database(), app_state.schema_tools,
                                         app_state.actor(actor),
                                         "stdin" if data is not None else file,
                                         dry_run=dry_run, ref=ref,
                                         review=_editor() if review else None,
                                         items_path=items, data=data, update=update,
                                         progress=render.phases(quiet=quiet))
    render.statement_import(result.document, fmt)
    ref = result.document["meeting"]["ref"]
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(result.by_kind.items()))
    if result.known_as is not None:
        _restated(result, file)
    elif result.dry_run:
        meeting = result.document["meeting"]
        attendees = meeting.get("attendees") or []
        low = sum(1 for i in result.document["items"] if i.get("confidence") == "low")
        render.message(f"Dry run: {len(result.document['items'])} items of {ref} ({kinds}) "
                       "would be added; nothing was written.")
        render.message(f"Attendees ({len(attendees)}): " + (", ".join(attendees) or "none "
                                                            "named in the statement"))
        render.message("Bodies it would create: " + (", ".join(result.bodies_to_create) or
                                                     "none (all known already)"))
        if low:
            render.message(f"{render.plural(low, 'item')} of low confidence, listed first: "
                           "check them, or edit them with --review.")
    else:
        render.message(f"Imported {ref}: {render.plural(result.added, 'item')} added ({kinds}); "
                       f"{render.plural(result.new_bodies, 'new body', 'new bodies')}, "
                       f"{render.plural(result.new_members, 'new member')}.")
        # The import never closes anything: it says where to look.
        from bptrack.service import meetings

        reported = meetings.reconcile_meeting(app_state.database(), ref,
                                              progress=render.phases(quiet=quiet))
        if reported:
            render.message(f"{len(reported)} earlier action{'s' if len(reported) != 1 else ''} "
                           f"look{'' if len(reported) != 1 else 's'} reported on: "
                           f"bptrack meeting reconcile {ref}")


def _editor() -> Any:
    """What opens the proposed items in the user's editor (`--review`)."""
    from bptrack.cli.editor import edit  # only starts an editor when the reader calls it

    return edit


def _restated(result: Any, file: str) -> None:
    """What a statement of a meeting in the tracker came to: nothing, or its corrections."""
    ref = result.known_as
    earlier = f" from {result.known_from}" if result.known_from else ""
    if result.already:
        render.message(f"{ref}: already imported{earlier} (same statement); nothing added.")
        return
    counts = {kind: sum(1 for c in result.changes if c.change == kind)
              for kind in ("changed", "added", "withdrawn")}
    kept = [c.ref for c in result.changes if c.touched]
    what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    if result.dry_run:
        render.message(f"Dry run: {ref} is in the tracker already (imported{earlier}); this "
                       f"statement corrects {render.plural(len(result.changes), 'item')} "
                       f"({what}); nothing was written.")
        if kept:
            render.message("Changed by someone since import, so --update would leave them as "
                           f"they are: {', '.join(kept)}.")
        render.message(f"To apply it: bptrack meeting import {file} --update")
        return
    done = result.updated
    render.message(f"Updated {ref} from {file}: "
                   f"{len(done.changed)} changed, {len(done.added)} added, "
                   f"{len(done.withdrawn)} withdrawn; `bptrack undo` reverts the changes.")
    if done.kept:
        render.message("Left as they are, as someone has changed them since import: "
                       + ", ".join(f"{c.ref} ({c.change})" for c in done.kept) + ".")


def _stdin_statement() -> bytes:
    """`meeting import -`: the statement from a pipe, never from a terminal, size-limited."""
    import sys

    from bptrack.errors import InvalidValue
    from bptrack.reading.documents import MAX_DOCUMENT_BYTES

    if sys.stdin is None or sys.stdin.isatty():
        raise InvalidValue("`meeting import -` reads the statement from a pipe, e.g. "
                           "`pdftotext statement.pdf - | bptrack meeting import -`")
    data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidValue(f"stdin holds more than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB: "
                           "a statement is at most 5 MB of text")
    return data


RECONCILE_COLUMNS = (("ref", "Earlier"), ("proposed", "Proposed"), ("score", "Score"),
                     ("evidence_ref", "Evidence"), ("owner", "Owner"), ("title", "Title"))
VERBOSE_COLUMNS = (*RECONCILE_COLUMNS[:4], ("runner_up_ref", "Runner-up"),
                   ("runner_up_score", "Its score"), ("successor_ref", "Successor"),
                   *RECONCILE_COLUMNS[4:])


@app.command("reconcile", short_help="What a statement reports of earlier actions.")
def meeting_reconcile(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The new meeting, e.g. AHG17.")],
    min_score: Annotated[float | None, typer.Option(
        "--min-score", metavar="X", min=0.0, max=1.0,
        help="Propose only pairs scoring at least X, 0 to 1 (default 0.5).")] = None,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Do it, in one transaction: close what is reported done, note and "
        "link what is carried forward. `bptrack undo` reverts it all.")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Show each proposal's runner-up evidence and its score, and "
        "the successor a done action is followed by.")] = False,
    fmt: DetailFormatOption = "table",
    actor: ActorOption = None,
    quiet: NoProgressOption = False,
) -> None:
    """What meeting REF's statement reports about earlier meetings' active actions: done,
    progress (activity reported), or carried (the commitment made again), each with its
    evidence and a score, best first."""
    from bptrack.cli.common import report_change
    from bptrack.service import meetings

    app_state = state(ctx)
    if apply:
        done = meetings.apply_reconcile(app_state.database(), app_state.actor(actor), ref,
                                       min_score, progress=render.phases(quiet=quiet))
        proposals = done.proposals
    else:
        proposals = meetings.reconcile_meeting(app_state.database(), ref, min_score,
                                               progress=render.phases(quiet=quiet))
    if fmt == "json":
        render.records(proposals, RECONCILE_COLUMNS, "json")
    else:
        render.records([{**p, "evidence_ref": p["evidence"]["ref"],
                         "runner_up_ref": (p["runner_up"] or {}).get("ref", "-"),
                         "runner_up_score": (p["runner_up"] or {}).get("score", "-"),
                         "successor_ref": (p["successor"] or {}).get("ref", "-")}
                        for p in proposals],
                       VERBOSE_COLUMNS if verbose else RECONCILE_COLUMNS, "table")
    if apply:
        report_change(done.change)
        render.message(f"Reconciled {render.plural(len(proposals), 'earlier action')} with "
                       f"{ref.upper()}; `bptrack undo` reverts all of it.")
    elif not proposals:
        render.message(f"{ref.upper()} reports nothing about earlier active actions.")
