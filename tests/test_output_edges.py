"""What #19 asked of the output, each through the installed console script."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from test_e2e import run_in


def test_history_shows_the_last_50_newest_last_with_a_footer(tmp_path: Path) -> None:
    for n in range(1, 31):
        assert run_in(tmp_path, "note", "9", f"note {n}", "--quiet").returncode == 0
    shown = run_in(tmp_path, "history", env={"TTY_COMPATIBLE": ""})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 50 and lines[-1].endswith("(note 30)")
    assert shown.stderr.strip() == "showing the last 50 of 54 changes (use --all for every one)"
    every = run_in(tmp_path, "history", "--all")
    assert len(every.stdout.splitlines()) == 54 and every.stderr == ""
    as_json = json.loads(run_in(tmp_path, "history", "--format", "json").stdout)
    assert len(as_json) == 54  # machine formats are never cut
    one = run_in(tmp_path, "history", "9")
    assert len(one.stdout.splitlines()) == 31 and one.stderr == ""


DATE_OPTIONS = (["report", "--as-of"], ["report", "--since"], ["list", "--due-before"],
                ["history", "--since"], ["add", "A new commitment", "--owner", "RSO", "--due"],
                ["edit", "11", "--due"])


@pytest.mark.parametrize("option", DATE_OPTIONS)
def test_every_date_option_has_a_range_and_a_clear_error(tmp_path: Path,
                                                         option: list[str]) -> None:
    for extreme in ("0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "+99999999d",
                    "+999999999999w", "+400000m"):
        result = run_in(tmp_path, *option, extreme)
        assert result.returncode == 1, (option, extreme, result.stderr)
        assert "out of range: give a date from 1900 to 2999" in result.stderr, result.stderr
        assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    for edge in ("1900-01-01", "2999-12-31"):
        result = run_in(tmp_path, *option, edge)
        assert result.returncode == 0, (option, edge, result.stderr)
        for nonsense in ("2024-02-30", "99999-01-01", "soon"):
            result = run_in(tmp_path, *option, nonsense)
            assert result.returncode == 1, (option, nonsense)
            assert result.stderr.startswith("Error: ") and "unexpected" not in result.stderr


def test_the_edges_of_the_date_range_are_kept(tmp_path: Path) -> None:
    assert run_in(tmp_path, "edit", "11", "--due", "2999-12-31").returncode == 0
    shown = json.loads(run_in(tmp_path, "show", "11", "--format", "json").stdout)
    assert shown["due"] == "2999-12-31"
    report = run_in(tmp_path, "report", "--as-of", "2999-12-31", "--since", "1900-01-01",
                    "--format", "json")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["totals"]["overdue"] > 0


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TODAY = dt.date.today().isoformat()


def screen(result: subprocess.CompletedProcess[str]) -> list[str]:
    """What a terminal shows of stdout: the lines, colours removed."""
    return ANSI.sub("", result.stdout).splitlines()


@pytest.fixture
def briefing(tmp_path: Path) -> Path:
    """The seed, 25 overdue commitments from a spreadsheet, one blocked, one closed."""
    rows = ["Action,Owner,Due"] + [
        f"Overdue commitment {n} on regional cooperation against people smuggling networks,"
        f"RSO,2020-01-{n:02d}" for n in range(1, 26)]
    (tmp_path / "tracker.csv").write_text("\n".join(rows) + "\n")
    assert run_in(tmp_path, "import", "tracker.csv").returncode == 0
    assert run_in(tmp_path, "block", "12", "-n",
                  "Waiting for the co-chairs to agree the <terms> of reference").returncode == 0
    assert run_in(tmp_path, "close", "9", "-n", "Held in March | 12 members took part"
                  ).returncode == 0
    assert run_in(tmp_path, "edit", "12", "--due", "2020-06-30").returncode == 0
    return tmp_path


def test_terminal_report_heading_totals_pages_and_changes(briefing: Path) -> None:
    shown = run_in(briefing, "report", "--since", "2026-01-01",
                   env={"TTY_COMPATIBLE": "1", "COLUMNS": "80"})
    assert shown.returncode == 0, shown.stderr
    lines = screen(shown)
    assert lines[0] == f"bptrack status report, as of {TODAY}"
    assert " ".join(lines[1:3]).startswith("41 commitments: 39 open, 0 in progress, 1 blocked, "
                                           "1 done, 0 cancelled; 26 overdue")
    header = next(line for line in lines if line.startswith("Group"))
    assert header.split() == ["Group", "Done", "Total", "Active", "Blocked", "Overdue"]
    total = next(line for line in lines if line.startswith("Total "))
    assert total.split()[-5:] == ["1/41", "41", "40", "1", "26"] and "░" in total  # a bar
    at = lines.index("Overdue (26):")
    assert len([line for line in lines[at + 2:at + 40] if "Overdue commitment" in line]) == 20
    assert "showing 20 of 26; the full list is in --format md, html, json or csv" in shown.stderr
    text = " ".join(" ".join(lines).split())  # wrapped lines joined up again
    assert "Blocked (1):" in lines and "agree the <terms> of reference" in text
    assert "Changes since 2026-01-01 (" in text
    assert "closed (done): Held in March | 12 members took part" in text
    assert "blocked: Waiting for the co-chairs" in text
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)

    piped = run_in(briefing, "report", "--since", "2026-01-01")
    assert piped.returncode == 0, piped.stderr
    assert "█" not in piped.stdout and "░" not in piped.stdout and "\x1b" not in piped.stdout
    assert "Total\t1/41\t41\t40\t1\t26" in piped.stdout
    assert "showing 20 of 26" in piped.stderr


def test_reasons_and_resolutions_in_every_format(briefing: Path) -> None:
    reason = "Waiting for the co-chairs to agree the <terms> of reference"
    resolution = "Held in March | 12 members took part"
    md = run_in(briefing, "report", "--format", "md").stdout
    assert "Waiting for the co-chairs to agree the \\<terms\\> of reference" in md
    assert "Held in March \\| 12 members took part" in md and "&lt;" not in md
    page = run_in(briefing, "report", "--format", "html").stdout
    assert html.escape(reason) in page and html.escape(resolution) in page
    assert "<th>Why it is blocked</th>" in page and '<th class="n">Total</th>' in page
    assert "<tfoot><tr><th" in page
    document = json.loads(run_in(briefing, "report", "--format", "json").stdout)
    assert [(b["ref"], b["reason"]) for b in document["blocked"]] == [("AHG16-12", reason)]
    closed = next(a for g in document["groups"] for a in g["actions"] if a["id"] == 9)
    assert closed["resolution"] == resolution
    rows = list(csv.DictReader(io.StringIO(run_in(briefing, "report", "--format", "csv")
                                           .stdout)))
    assert next(r for r in rows if r["id"] == "12")["block_reason"] == reason
    assert next(r for r in rows if r["id"] == "9")["resolution"] == resolution
    assert run_in(briefing, "report", "--output", "brief.xlsx").returncode == 0
    from openpyxl import load_workbook

    book = load_workbook(briefing / "brief.xlsx", read_only=True)
    blocked = [[c.value for c in row] for row in book["Blocked"].iter_rows()]
    assert blocked[0][:6] == ["Ref", "Action", "Owner", "Assignee", "Due", "Why blocked"]
    assert blocked[1][0] == "AHG16-12" and blocked[1][5] == reason
    wdps = [[c.value for c in row] for row in book["WGDPS"].iter_rows()]
    assert resolution in [cell for row in wdps for cell in row]
    table = " ".join(screen(run_in(briefing, "report", env={"COLUMNS": "120"})))
    assert reason in table

    digest = run_in(briefing, "remind", env={"COLUMNS": "200"})
    assert f"blocked: {reason}" in digest.stdout
    as_json = json.loads(run_in(briefing, "remind", "--format", "json").stdout)
    reasons = {a["ref"]: a["block_reason"] for g in as_json["groups"] for a in g["actions"]}
    assert reasons["AHG16-12"] == reason and reasons["BP-25"] is None


def test_tables_fit_80_columns_and_text_wraps_on_words(briefing: Path) -> None:
    narrow = {"TTY_COMPATIBLE": "1", "COLUMNS": "80"}
    listed = screen(run_in(briefing, "list", "--limit", "0", env=narrow))
    assert all(len(line) <= 80 for line in listed), max(listed, key=len)
    assert len(listed) == 1 + 41 - 1  # a header, then one line an active action
    assert listed[0].split() == ["ID", "Due", "Status", "Owner", "Title"]  # no Assignee, no Ref
    assert any(line.endswith("…") for line in listed)
    wide = screen(run_in(briefing, "list", "--limit", "0",
                         env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"}))
    assert "Assignee" in wide[0] and not any("…" in line for line in wide)
    assert any("people smuggling networks" in line for line in wide)

    source = json.loads(run_in(briefing, "show", "12", "--format", "json").stdout)["source"]
    shown = screen(run_in(briefing, "show", "12", env=narrow))
    assert all(len(line) <= 80 for line in shown), max(shown, key=len)
    at = shown.index("Source:")
    body = shown[at + 1:shown.index("", at)]
    assert len(body) > 1 and " ".join(line.strip() for line in body) == " ".join(source.split())

    reminded = screen(run_in(briefing, "remind", env=narrow))
    assert all(len(line) <= 80 for line in reminded), max(reminded, key=len)
    words = " ".join(" ".join(reminded).split())
    assert "Overdue commitment 1 on regional cooperation against people smuggling networks" \
        in words  # wrapped between words, so the words join up again


@pytest.mark.parametrize("value", ["0", "1", "true"])
def test_force_color_never_turns_piped_output_into_a_table(tmp_path: Path, value: str) -> None:
    """CI jobs set FORCE_COLOR for their tools' logs; `bptrack list | cut -f2` must still cut."""
    piped = run_in(tmp_path, "list", env={"FORCE_COLOR": value, "COLUMNS": "80"})
    assert piped.returncode == 0, piped.stderr
    assert "\x1b[" not in piped.stdout
    rows = [line.split("\t") for line in piped.stdout.splitlines()]
    assert rows[0][1] == "AHG16-09" and all(len(row) == len(rows[0]) for row in rows)


# Mostly what a title holds, now and then what a terminal must not be sent.
TITLE_TEXT = st.text(alphabet=st.sampled_from(
    [chr(c) for c in range(0x20, 0x7F)] * 4 + ["\x00", "\t", "\n", "\x1b", "\x7f", "\x85",
                                               "\u00a0", "\u202e", "é", "東", "\u200b"]),
    max_size=200)


@given(TITLE_TEXT | st.text(alphabet=st.characters(max_codepoint=0x30FF), max_size=50))
@example("Plan 2024 & beyond")
@example("tab\there")
@example("del\x7f")
def test_printable_is_str_isprintable(text: str) -> None:
    """The quick check a page of rows or digest lines is made by (ASCII at C speed) says what
    str.isprintable says, of ASCII text and of any other."""
    from bptrack.output.cells import printable

    assert printable(text) == text.isprintable()
