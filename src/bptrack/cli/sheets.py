"""`bptrack import`: bring an existing tracker spreadsheet in."""

from typing import Annotated

import typer

from bptrack.cli.common import ActorOption, DetailFormatOption, NoProgressOption, state
from bptrack.output import render

IMPORT_COLUMNS = (("line", "Line"), ("outcome", "Outcome"), ("ref", "Ref"), ("kind", "Kind"),
                  ("status", "Status"), ("owner", "Owner"), ("due", "Due"),
                  ("assignee", "Assignee"), ("title", "Title"))


def import_sheet(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A tracker: .csv or .xlsx.")],
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="The workbook's sheet (default: the first).")] = None,
    mapping: Annotated[str | None, typer.Option(
        "--map", metavar="FIELD=HEADER,…", help="Columns by header, overriding the synonyms: "
        "title, owner, owner_name, due, status, assignee, meeting, notes, ref, kind.")] = None,
    dayfirst: Annotated[bool | None, typer.Option(
        "--dayfirst/--monthfirst", help="Read 3/4/2025 as 3 April (or as March 4); needed "
        "only when the column does not say.")] = None,
    create_bodies: Annotated[bool, typer.Option(
        "--create-bodies", help="Add owners that are not known bodies.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be added; write nothing.")] = False,
    fmt: DetailFormatOption = "table",
    actor: ActorOption = None,
    quiet: NoProgressOption = False,
) -> None:
    """Import an existing tracker spreadsheet: all rows, or nothing if any row is bad.

    Columns are matched by header (Action, Lead, Deadline, Status, Focal point, Remarks …);
    the header row may sit below a title block. Importing the same file twice adds nothing."""
    from bptrack.service import sheet_table as sheets
    from bptrack.service.sheets import SheetOptions, document, import_sheet

    app_state = state(ctx)
    options = SheetOptions(sheet=sheet, mapping=sheets.parse_map(mapping), dayfirst=dayfirst,
                           create_bodies=create_bodies, dry_run=dry_run)
    result = import_sheet(app_state.schema_tools(), app_state.actor(actor), file, options,
                          progress=render.phases(quiet=quiet))
    if fmt == "json":
        render.records(document(result), IMPORT_COLUMNS, "json")
    else:
        render.summarised(document(result), IMPORT_COLUMNS)
    new = len(result.rows) - result.skipped
    if dry_run:
        render.message(f"Dry run: {render.plural(new, 'action')} would be added, "
                       f"{result.skipped} already there; nothing was written.")
        if result.new_bodies:
            render.message(f"New owners (need --create-bodies): {', '.join(result.new_bodies)}")
    else:
        render.message(f"Imported {render.plural(result.added, 'action')} from {file}; "
                       f"{result.skipped} {'was' if result.skipped == 1 else 'were'} there "
                       "already." + (f" New bodies: {', '.join(result.new_bodies)}."
                                           if result.new_bodies else "")
                       + (f" New meetings: {', '.join(result.new_meetings)}."
                          if result.new_meetings else ""))
