"""The status report."""

import datetime as dt
from typing import Annotated, Any, Literal

import typer

from bptrack.cli.common import (
    DATE,
    BomOption,
    ForceOption,
    NoProgressOption,
    OutputOption,
    output_file,
    state,
)
from bptrack.output import render

ReportFormat = Literal["table", "md", "json", "csv", "html", "xlsx", "docx"]
_BY_SUFFIX: dict[str, ReportFormat] = {".md": "md", ".json": "json", ".csv": "csv",
                                       ".html": "html", ".htm": "html", ".xlsx": "xlsx",
                                       ".docx": "docx"}


def report(
    ctx: typer.Context,
    fmt: Annotated[ReportFormat | None, typer.Option(
        "--format", "-f", help="table (default on stdout), md, json, csv, html, or xlsx or "
        "docx (Word) with --output; with --output, taken from the file's suffix when not "
        "given.")] = None,
    group_by: Annotated[Literal["owner", "assignee", "meeting", "status"], typer.Option(
        "--group-by", "-g", help="owner (default), assignee, meeting or status.")] = "owner",
    as_of: Annotated[dt.date | None, typer.Option(
        "--as-of", metavar="DATE", click_type=DATE,
        help="Judge overdue on DATE (default today).")] = None,
    since: Annotated[dt.date | None, typer.Option(
        "--since", metavar="DATE", click_type=DATE,
        help="List what changed since DATE.")] = None,
    since_meeting: Annotated[str | None, typer.Option(
        "--since-meeting", metavar="REF", help="Briefing pack: what was committed at meeting "
        "REF, where it stands, and what changed since.")] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    bom: BomOption = False,
    quiet: NoProgressOption = False,
) -> None:
    """Status report: counts per group, overdue actions, and what changed."""
    from bptrack.errors import InvalidValue
    from bptrack.service import reports

    app_state = state(ctx)
    to_stdout = output == "-"
    output = output_file(output)
    if fmt is None:
        suffix = output[output.rfind("."):].lower() if output and "." in output else ""
        fmt = _BY_SUFFIX.get(suffix, "table") if output else "table"
    if output and fmt == "table":
        raise InvalidValue("--output writes md, json, csv, html, xlsx or docx: give --format "
                           "or a file name ending in one of them")
    options = reports.ReportOptions(
        group_by=group_by, as_of=as_of, since=since,
        since_meeting=since_meeting,
        due_soon_days=app_state.settings().remind_within)
    bom_wanted = fmt == "csv" and (bom or app_state.settings().csv_bom)
    # A document being written shows its progress, on a terminal's stderr, until it is
    # written (then the message that it was); a table does not.
    shown = fmt in ("html", "xlsx", "docx") and (output is not None or not render.is_terminal())

    def writing() -> Any:
        return render.progress(f"Writing {output or 'the report'}", lambda: None,
                               quiet=quiet or not shown)

    with reports.open_report(app_state.database(), options) as report_data:
        if fmt == "xlsx":
            from bptrack.output import workbooks

            def write(out: Any) -> None:
                with writing() as tick:
                    workbooks.write_report(out, report_data.as_dict(), tick=tick)
        elif fmt == "docx":
            from bptrack.output.report_docx import write_report_docx

            def write(out: Any) -> None:
                with writing() as tick:
                    write_report_docx(out, report_data.as_dict(), meeting=report_data.meeting,
                                      forum=app_state.settings().forum, tick=tick)
        else:
            def write(out: Any) -> None:
                with writing() as tick:
                    render.report(report_data, fmt, out, tick)
        render.emit(fmt, "-" if to_stdout else output, write, what=f"{fmt} report",
                    bom=bom_wanted, force=force, database=app_state.database().target.sqlite_path)
