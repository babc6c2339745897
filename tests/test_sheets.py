"""Spreadsheets in and out, through the installed console script, on real workbooks made here
with openpyxl: a title block with merged cells, empty rows, date cells and serial numbers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from test_e2e import console_script, run_in


def run(tmp_path: Path, *args: str, db: str = "tracker.db") -> subprocess.CompletedProcess[str]:
    return run_in(tmp_path, *args, db=db, actor="importer")


def actions(tmp_path: Path, db: str = "tracker.db") -> dict[str, dict[str, Any]]:
    listed = run(tmp_path, "list", "--all", "--format", "json", db=db)
    assert listed.returncode == 0, listed.stderr
    return {a["ref"]: a for a in json.loads(listed.stdout)}


def tracker(path: Path, rows: list[list[Any]]) -> None:
    """A team's tracker: a merged title block, a blank row, then the header and rows."""
    book = Workbook()
    ws = book.active
    ws.title = "Follow-up"
    ws.append(["Bali Process: follow-up of meeting commitments"])
    ws.merge_cells("A1:G1")
    ws.append(["Updated by the RSO desk"])
    ws.append([])
    ws.append(["No.", "Action", "Lead", "Deadline", "Status", "Focal point", "Remarks"])
    for row in rows:
        ws.append(row)
    book.save(path)


GOOD = [
    ["AHG30-01", "Map shelters for victims in the Pacific", "WGTIP", dt.date(2027, 6, 30),
     "In progress", "Jane Doe <jane@example.org>", "Survey sent to members"],
    ["AHG30-02", "Publish the returns handbook", "Technical Experts Group on Returns", 46752,
     "Not started", "Indonesia", None],
    [],
    ["AHG30-03", "Hold a workshop on document fraud", "rso", "Q3 2027", "Delayed", "Thailand",
     "Waiting for funds"],
    ["AHG30-04", "Review the regional strategy", "Members", "end 2027", "Completed", None,
     "Adopted in May"],
    ["AHG30-05", "Translate the toolkit", "RSO", "mid-2028", "No longer relevant", None, None],
]


def test_a_tracker_imports_with_owners_statuses_and_dues(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    tracker(path, GOOD)
    done = run(tmp_path, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "Imported 5 actions" in done.stderr
    found = actions(tmp_path)
    got = {ref: (found[ref]["owner"], found[ref]["status"], found[ref]["due"],
                 found[ref]["assignee"]) for ref in found if ref.startswith("AHG30")}
    assert got == {
        "AHG30-01": ("WGTIP", "in_progress", "2027-06-30", "Jane Doe"),
        "AHG30-02": ("TEGRR", "open", "2027-12-31", "Indonesia"),  # serial 46752
        "AHG30-03": ("RSO", "blocked", "2027-09-30", "Thailand"),
        "AHG30-04": ("MEMBERS", "done", "2027-12-31", None),
        "AHG30-05": ("RSO", "cancelled", "2028-06-30", None),
    }
    assert found["AHG30-01"]["assignee_email"] == "jane@example.org"
    assert found["AHG30-04"]["resolution"] == "Adopted in May"
    history = json.loads(run(tmp_path, "history", "AHG30-03", "--format", "json").stdout)
    assert history[0]["note"] == "imported from tracker.xlsx (Follow-up, row 8)"
    assert history[0]["actor"] == "importer"
    assert history[1]["note"] == "Waiting for funds"
    again = run(tmp_path, "import", str(path))
    assert again.returncode == 0 and "Imported 0 actions" in again.stderr
    assert len(actions(tmp_path)) == len(found)


def test_a_bad_tracker_names_every_bad_line_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    tracker(path, [*GOOD[:2],
                   ["AHG30-07", "Do something", "WGTIP", "soon", "Done", None, None],
                   ["AHG30-08", "", "RSO", None, "Open", None, None],
                   ["AHG30-09", "Do more", "RSO", None, "Maybe", None, None],
                   ["AHG30-10", "Do it elsewhere", "Ministry of Magic", None, "Open", None,
                    None]])
    before = actions(tmp_path)
    done = run(tmp_path, "import", str(path))
    assert done.returncode == 1
    assert "line 7: due: 'soon' is not a date" in done.stderr
    assert "line 8: no action text" in done.stderr
    assert "line 9: unknown status 'Maybe'" in done.stderr
    assert "unknown owners: Ministry of Magic" in done.stderr
    assert actions(tmp_path) == before


def test_csv_with_a_map_and_slashed_dates(tmp_path: Path) -> None:
    path = tmp_path / "tracker.csv"
    path.write_text("Commitment;Responsible;By when;Progress\n"
                    "Hold the plenary;GABF;3/4/2027;Ongoing\n"
                    "Write the report;GABF;25/12/2027;Pending\n", encoding="utf-8-sig")
    done = run(tmp_path, "import", str(path), "--format", "json", "--dry-run")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)  # 25/12 says the column is day first
    assert [(r["due"], r["status"], r["owner"]) for r in rows] == [
        ("2027-04-03", "in_progress", "GABF"), ("2027-12-25", "open", "GABF")]
    ambiguous = tmp_path / "ambiguous.csv"
    ambiguous.write_text("Item,Owner,Due\nHold the plenary,GABF,3/4/2027\n", encoding="utf-8")
    refused = run(tmp_path, "import", str(ambiguous), "--map", "title=Item")
    assert refused.returncode == 1 and "ambiguous" in refused.stderr
    monthfirst = run(tmp_path, "import", str(ambiguous), "--monthfirst", "--dry-run",
                     "--format", "json", "--map", "title=Item")
    assert json.loads(monthfirst.stdout)[0]["due"] == "2027-03-04"


def test_ten_thousand_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    book = Workbook(write_only=True)
    ws = book.create_sheet("Tracker")
    ws.append(["Ref", "Action", "Lead", "Deadline", "Status"])
    for n in range(1, 10_001):
        ws.append([f"BIG-{n}", f"Follow-up number {n}", "RSO", 46000 + n % 700, "Open"])
    book.save(path)
    done = run(tmp_path, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "Imported 10000 actions" in done.stderr
    count = run(tmp_path, "list", "--all", "--owner", "RSO", "--format", "ids")
    assert len(count.stdout.split()) >= 10_000


def test_round_trip_into_an_empty_database(tmp_path: Path) -> None:
    assert run(tmp_path, "assign", "9", "Jane Doe <jane@example.org>").returncode == 0
    assert run(tmp_path, "close", "AHG16-06", "--note", "done").returncode == 0
    assert run(tmp_path, "add", "=cmd|' /C calc'!A0", "--owner", "RSO", "--due",
               "2027-01-31").returncode == 0
    out = run(tmp_path, "list", "--all", "--format", "xlsx", "--output", "all.xlsx")
    assert out.returncode == 0, out.stderr
    assert run(tmp_path, "db", "init", "--no-seed", db="empty.db").returncode == 0
    assert actions(tmp_path, "empty.db") == {}
    loaded = run(tmp_path, "import", "all.xlsx", "--create-bodies", db="empty.db")
    assert loaded.returncode == 0, loaded.stderr
    keys = ("ref", "title", "owner", "status", "assignee", "due")
    original, copy = actions(tmp_path), actions(tmp_path, "empty.db")
    assert {r: tuple(a[k] for k in keys) for r, a in copy.items()} == {
        r: tuple(a[k] for k in keys) for r, a in original.items()}


def test_workbook_cells_filters_and_formula_guard(tmp_path: Path) -> None:
    assert run(tmp_path, "add", "=HYPERLINK(\"http://x\")", "--owner", "RSO").returncode == 0
    out = run(tmp_path, "list", "--all", "--format", "xlsx", "--output", "all.xlsx")
    assert out.returncode == 0, out.stderr
    book = load_workbook(tmp_path / "all.xlsx")
    ws = book["Actions"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["id", "ref", "title"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = {row[1].value: row for row in ws.iter_rows(min_row=2)}
    jpa = rows["AHG16-09"]
    due = jpa[header.index("due")]
    assert due.is_date and due.value.date() == dt.date(2023, 12, 31)
    assert jpa[0].fill.fgColor.rgb.endswith("FDE2E1")  # overdue rows are highlighted
    formula = next(r for r in rows.values() if str(r[2].value).startswith("=HYPERLINK"))
    assert formula[2].data_type == "s"  # text, never a formula


def test_list_workbook_prints_and_keeps_any_text(tmp_path: Path) -> None:
    """The list's sheet as Excel and LibreOffice read it: print setup, widths, the filter's
    range, and titles with markup characters and scripts other than Latin."""
    for title in ("Lead & <follow> up \"quoted\"", "Nguyễn – 日本 क्षि 👩‍⚕️"):
        assert run(tmp_path, "add", title, "--owner", "RSO").returncode == 0
    out = run(tmp_path, "list", "--all", "--format", "xlsx", "--output", "all.xlsx")
    assert out.returncode == 0, out.stderr
    ws = load_workbook(tmp_path / "all.xlsx")["Actions"]
    listed = actions(tmp_path)
    assert ws.max_row == len(listed) + 1
    assert sorted(str(ws.cell(r, 3).value) for r in range(2, ws.max_row + 1)) == sorted(
        a["title"] for a in listed.values())
    assert ws.auto_filter.ref == f"A1:T{ws.max_row}"
    assert ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in ("9", 9)
    assert ws.page_setup.fitToHeight in (0, "0") and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "Page &P of &N" and ws.oddFooter.left.text == "&A"
    assert round(ws.column_dimensions["C"].width) == 61  # a title's 60 characters and padding
    assert ws.cell(1, 1).font.b and not ws.cell(2, 1).font.b
    created = ws.cell(2, 16)
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm"


def test_report_workbook_sheets(tmp_path: Path) -> None:
    out = run(tmp_path, "report", "--output", "report.xlsx")
    assert out.returncode == 0, out.stderr
    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames[:2] == ["Summary", "Overdue"]
    assert {"WGTIP", "RSO", "GABF"} <= set(book.sheetnames)
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert summary[-1][0] == "Total"
    overdue = [row[0].value for row in book["Overdue"].iter_rows(min_row=2)]
    assert overdue == ["AHG16-09"]


def test_a_workbook_is_never_written_to_a_terminal(tmp_path: Path) -> None:
    missing = run(tmp_path, "list", "--format", "xlsx")
    assert missing.returncode == 1 and "--output" in missing.stderr
    env = {"HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", ""),
           "BPTRACK_DB": str(tmp_path / "tracker.db")}
    piped = subprocess.run([console_script(), "list", "--format", "xlsx", "--output", "-"],
                           capture_output=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")  # a pipe is fine


def test_owners_resolve_as_the_owner_option_does(tmp_path: Path) -> None:
    """"Trafficking in Persons" is in two bodies' names: ambiguous, as `list --owner` says,
    never an unknown owner to create a duplicate of."""
    path = tmp_path / "tracker.xlsx"
    tracker(path, [["AHG30-11", "Train prosecutors", "Trafficking in Persons", None, "Open",
                    None, None]])
    listed = run(tmp_path, "list", "--owner", "Trafficking in Persons")
    assert listed.returncode == 1 and "ambiguous" in listed.stderr
    done = run(tmp_path, "import", str(path))
    assert done.returncode == 1
    assert ("line 5: owner 'Trafficking in Persons' is ambiguous: WGDPS, WGTIP; use a code "
            "or --map") in done.stderr
    assert "unknown owners" not in done.stderr and "--create-bodies" not in done.stderr
    again = run(tmp_path, "import", str(path), "--create-bodies")
    assert again.returncode == 1 and "ambiguous" in again.stderr


def test_a_comment_is_why_a_row_is_blocked_and_the_latest_note_shows(tmp_path: Path) -> None:
    path = tmp_path / "tracker.xlsx"
    tracker(path, GOOD)
    assert run(tmp_path, "import", str(path)).returncode == 0
    report = json.loads(run(tmp_path, "report", "--format", "json").stdout)
    assert [(b["ref"], b["reason"]) for b in report["blocked"]] == [
        ("AHG30-03", "Waiting for funds")]
    md = run(tmp_path, "report", "--format", "md").stdout
    row = next(line for line in md.splitlines() if line.startswith("| AHG30-01 "))
    assert "Latest note: Survey sent to members" in row
    blocked = next(line for line in md.splitlines() if line.startswith("| AHG30-03 "))
    assert "Blocked: Waiting for funds" in blocked and "no reason given" not in md
