"""What a secretariat hands on: the briefing pack and the report in Word, due-soon actions in
every report format, and a workbook fit to print. Each document is read back as a reader's
program would read it (python-docx, openpyxl, LibreOffice where it is installed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

JPA = "Initiate another Joint Period of Action in 2023"
SOON = (dt.date.today() + dt.timedelta(days=5)).isoformat()


def briefing(cli: Cli, tmp_path: Path) -> Any:
    """The briefing on AHG16 after AHG16-11 was closed by hand, as a Word document."""
    from docx import Document

    cli.ok("close", "AHG16-11", "--note", "Guide updated and circulated")
    path = tmp_path / "briefing.docx"
    cli.ok("report", "--since-meeting", "AHG16", "--output", str(path))
    return Document(str(path)), path


def headings(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_the_briefing_in_word_leads_with_what_matters(cli: Cli, tmp_path: Path) -> None:
    doc, _ = briefing(cli, tmp_path)
    found = headings(doc)
    assert found[:6] == ["Done since the meeting (1)", "Carried forward (0)",
                         "Not mentioned since, to chase (15)", "Overdue (1)", "Due soon (0)",
                         "Blocked (0)"], found
    assert "All commitments, by group" in found
    assert any(h.startswith("WGDPS — ") for h in found), found
    paragraphs = [p for p in doc.paragraphs]
    assert paragraphs[0].style.name == "Title" and "AHG16" in paragraphs[0].text
    assert paragraphs[1].style.name == "Subtitle"
    assert "Bali Process" in paragraphs[1].text and "2022-12-06" in paragraphs[1].text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(JPA in text for text in cells)
    done = next(t for t in doc.tables if any("AHG16-11" in c.text for c in t.rows[1].cells))
    assert "closed by" in done.rows[1].cells[1].text and "Guide updated" in \
        done.rows[1].cells[1].text


def test_word_tables_repeat_their_header_and_pages_are_numbered(cli: Cli,
                                                                tmp_path: Path) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    doc, _ = briefing(cli, tmp_path)
    assert doc.tables
    for table in doc.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert table.style.name == "bptrack Table"
        assert table.rows[0].cells[0].paragraphs[0].style.name == "bptrack Table Heading"
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    orientations = [s.orientation for s in doc.sections]
    assert orientations[0] == WD_ORIENT.PORTRAIT and WD_ORIENT.LANDSCAPE in orientations
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert all(r.bold is None and r.font.size is None for r in runs), "direct formatting"


def test_word_table_cells_hold_text_as_text_in_their_styles(cli: Cli, tmp_path: Path) -> None:
    """The rows are made as XML text (see report_docx._table): markup in a title stays the
    title's text, an empty cell is empty, counts take the number style, widths hold."""
    from docx import Document
    from docx.shared import Inches

    title = 'A <b>bold</b> & "quoted" plan\tto  review'
    cli.ok("add", title, "--owner", "RSO")
    cli.ok("report", "--output", str(tmp_path / "r.docx"))
    doc = Document(str(tmp_path / "r.docx"))
    rows = [row for table in doc.tables for row in table.rows[1:]]
    mine = [row for row in rows if row.cells[1].text.startswith("A <b>")]
    assert mine and mine[0].cells[1].text == 'A <b>bold</b> & "quoted" plan to review'
    assert mine[0].cells[3].text == ""  # no assignee
    assert all(c.paragraphs[0].style.name == "bptrack Table Text" for c in mine[0].cells)
    assert mine[0].cells[1].width == Inches(3.9)
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "Group")
    total = summary.rows[-1].cells
    assert total[0].text == "Total" and total[1].text == "17"
    assert total[1].paragraphs[0].style.name == "bptrack Table Number"
    assert total[0].paragraphs[0].style.name == "bptrack Table Text"


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: the Word document is "
                    "not converted to PDF")
def test_the_word_briefing_converts_to_pdf(cli: Cli, tmp_path: Path) -> None:
    from pypdf import PdfReader

    _, path = briefing(cli, tmp_path)
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(str(tmp_path / "briefing.pdf"))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Done since the meeting" in text and "Joint Period of Action" in text
    assert "Page 1 of" in text and len(reader.pages) >= 2


def test_the_briefing_counts_only_what_changed_since_the_meeting(cli: Cli) -> None:
    cli.ok("close", "AHG16-11")
    data = cli.json("report", "--since-meeting", "AHG16")
    assert [c["change"] for c in data["changes"] if c["ref"].startswith("AHG16")
            and c["change"] == "new"] == []
    [done] = data["follow_up"]["reported_done"]
    assert (done["ref"], done["how"]) == ("AHG16-11", "hand")
    assert done["closed_at"] and done["closed_by"]
    assert "AHG16-11" not in {f["ref"] for f in data["follow_up"]["not_mentioned"]}


def test_word_needs_a_file(cli: Cli) -> None:
    run = cli("report", "--format", "docx")
    assert run.exit_code == 1 and "--output FILE.docx" in run.stderr


@pytest.fixture
def due_soon(cli: Cli) -> Cli:
    cli.ok("edit", "AHG16-12", "--due", SOON)
    return cli


def test_due_soon_is_in_every_report_format(due_soon: Cli, tmp_path: Path) -> None:
    cli = due_soon
    data = cli.json("report")
    assert [a["ref"] for a in data["due_soon"]] == ["AHG16-12"] and data["totals"]["due_soon"] == 1
    assert data["due_soon"][0]["due"] == SOON
    md = cli.ok("report", "--format", "md").stdout
    assert "## Due soon" in md and md.split("## Due soon")[1].split("##")[0].count("AHG16-12")
    page = cli.ok("report", "--format", "html").stdout
    assert "<h2>Due soon</h2>" in page and "AHG16-12" in page.split("<h2>Due soon</h2>")[1]
    rows = list(csv.DictReader(io.StringIO(cli.ok("report", "--format", "csv").stdout)))
    assert {r["ref"] for r in rows if r["due_soon"] == "true"} == {"AHG16-12"}
    text = cli.ok("report").stdout
    assert "Due soon (1):" in text and "AHG16-12" in text.split("Due soon (1):")[1]
    from docx import Document
    from openpyxl import load_workbook

    cli.ok("report", "--output", str(tmp_path / "r.docx"))
    doc = Document(str(tmp_path / "r.docx"))
    assert "Due soon (1)" in headings(doc)
    cli.ok("report", "--output", str(tmp_path / "r.xlsx"))
    sheet = load_workbook(tmp_path / "r.xlsx")["Due soon"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["AHG16-12"]


def test_the_workbook_report_is_fit_to_print(due_soon: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    cli = due_soon
    cli.ok("close", "AHG16-11")
    cli.ok("block", "AHG16-08", "--note", "Funding not yet confirmed")
    cli.ok("report", "--output", str(tmp_path / "r.xlsx"))
    book = load_workbook(tmp_path / "r.xlsx")
    summary = book["Summary"]
    header = [c.value for c in summary[2]]
    assert header == ["Group", "Name", "Total", "Open", "In progress", "Blocked", "Done",
                      "Cancelled", "Overdue", "Due soon", "Done %"]
    total = [c.value for c in summary[summary.max_row]]
    assert total[0] == "Total" and total[2] == 16 and total[6] == 1
    assert total[10] == pytest.approx(1 / 16, abs=0.005)
    assert summary.cell(summary.max_row, 11).number_format == "0%"
    assert summary.cell(2, 3).alignment.horizontal == "right"
    for sheet in book.worksheets:
        values = [v for row in sheet.iter_rows(values_only=True) for v in row]
        assert not any(isinstance(v, bool) for v in values), sheet.title
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.center.text, sheet.title
        assert sheet.freeze_panes in ("A2", "A3"), sheet.title
    wgdps = book["WGDPS"]
    assert [c.value for c in wgdps[1]][:3] == ["Ref", "Action", "Kind"]
    assert wgdps.print_title_rows in ("1:1", "$1:$1") and wgdps.auto_filter.ref
    overdue = [c.value for c in book["Overdue"][2]]
    assert overdue[0] == "AHG16-09" and "Yes" in overdue
    assert book["WGDPS"].cell(2, 2).alignment.wrap_text
    blocked = [c.value for c in book["Blocked"][2]]
    assert "Funding not yet confirmed" in blocked
    assert book["Blocked"].cell(1, 6).value == "Why blocked"


def test_workbook_sheet_names_differ_in_more_than_case(cli: Cli, tmp_path: Path) -> None:
    """Spreadsheets take "Maria Cruz" and "maria cruz" for one sheet name, and refuse a name
    that starts or ends with an apostrophe or holds a slash."""
    from openpyxl import load_workbook

    cli.ok("assign", "9", "Maria Cruz")
    cli.ok("assign", "8", "maria cruz")
    cli.ok("assign", "7", "'Quoted'")
    cli.ok("assign", "6", "IOM/UNODC")
    cli.ok("report", "--group-by", "assignee", "--output", str(tmp_path / "r.xlsx"))
    names = load_workbook(tmp_path / "r.xlsx").sheetnames
    assert len({n.casefold() for n in names}) == len(names)
    # Which of the two comes first is the database's collation's to say.
    assert {"maria cruz", "maria cruz 2", "quoted", "iom unodc"} <= {
        n.casefold() for n in names}, names


def test_people_read_times_in_their_own_zone(tmp_path: Path) -> None:
    import json
    import zoneinfo

    from test_e2e import run_in

    adelaide = {"TZ": "Australia/Adelaide"}
    shown = run_in(tmp_path, "show", "9", env=adelaide).stdout
    created = json.loads(run_in(tmp_path, "show", "9", "--format", "json").stdout)["created_at"]
    assert created.endswith("Z")  # JSON stays ISO 8601 UTC
    local = dt.datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(
        zoneinfo.ZoneInfo("Australia/Adelaide"))
    assert f"Created:     {local:%Y-%m-%d %H:%M %z}" in shown
    assert local.strftime("%z") in ("+1030", "+0930")
    history = run_in(tmp_path, "history", "9", env=adelaide).stdout
    assert f"{local:%Y-%m-%d %H:%M %z}" in history
    utc = run_in(tmp_path, "show", "9", "--utc", env=adelaide).stdout
    assert f"Created:     {created[:10]} {created[11:16]} UTC" in utc


def test_html_group_tables_share_one_column_layout(cli: Cli) -> None:
    import re

    cli.ok("assign", "9", "Maria Cruz")
    page = cli.ok("report", "--format", "html").stdout
    layouts = re.findall(r'<table class="actions"><colgroup>(.*?)</colgroup>', page)
    groups = [layout for layout in layouts if layout.count("<col ") == 6]
    assert len(groups) >= 7 and len(set(groups)) == 1  # every group's table alike
    assert "table-layout: fixed" in page
    # The style sheet picks the columns by place from the end, alike in both layouts (with
    # and without Owner): the assignee is never hyphenated; ref, status and due never wrap.
    assert "table.actions td:nth-last-child(3) { hyphens: none;" in page
    assert re.search(r"table\.actions td:first-child, table\.actions td:nth-last-child\(2\),"
                     r"\s*table\.actions td:nth-last-child\(4\) \{ white-space: nowrap; \}", page)
    rows = re.findall(r"<tr(?: class=\"overdue\")?>((?:<td>.*?</td>)+)</tr>", page)
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    jpa = [row for row in cells if row[0] == "AHG16-09"]
    assert len(jpa) == 2 and {len(row) for row in jpa} == {6, 7}  # overdue list, and group
    assert all((row[-3], row[-2], row[-4]) == ("Maria Cruz", "2023-12-31", "Open")
               for row in jpa)
