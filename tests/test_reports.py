"""`bptrack report`: schema-valid JSON, counts that move as they should, every format safe."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import Cli

ROOT = Path(__file__).parents[1]
SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text())
GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2024-01-15"
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def report(cli: Cli, *args: str) -> dict[str, Any]:
    data = cli.json("report", "--as-of", AS_OF, *args)
    jsonschema.validate(data, SCHEMA)
    return data


def group(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(g for g in data["groups"] if g["key"] == key)


def test_json_validates_and_counts_the_seed(cli: Cli) -> None:
    data = report(cli)
    assert data["as_of"] == AS_OF and data["since"] is None
    assert data["totals"] == {"open": 16, "in_progress": 0, "blocked": 0, "done": 0,
                              "cancelled": 0, "overdue": 1, "due_soon": 0}
    assert [g["key"] for g in data["groups"]] == ["GABF", "MEMBERS", "RSO", "TEGRR", "TFPP",
                                                  "WGDPS", "WGTIP"]
    wgdps = group(data, "WGDPS")
    assert (wgdps["total"], wgdps["overdue"], wgdps["actions"][0]["ref"]) == (1, 1, "AHG16-09")
    assert sum(g["total"] for g in data["groups"]) == 16


def test_closing_one_action_moves_exactly_its_counts(cli: Cli) -> None:
    before = report(cli)
    cli.ok("close", "9")
    after = report(cli)
    moved = {k: after["totals"][k] - before["totals"][k] for k in before["totals"]}
    assert moved == {"open": -1, "in_progress": 0, "blocked": 0, "done": 1, "cancelled": 0,
                     "overdue": -1, "due_soon": 0}
    b, a = group(before, "WGDPS"), group(after, "WGDPS")
    assert (a["open"] - b["open"], a["done"] - b["done"], a["overdue"] - b["overdue"],
            a["percent_done"]) == (-1, 1, -1, 100)
    for key in ("GABF", "MEMBERS", "RSO", "TEGRR", "TFPP", "WGTIP"):
        assert {k: v for k, v in group(after, key).items() if k != "actions"} == {
            k: v for k, v in group(before, key).items() if k != "actions"}


@pytest.mark.parametrize("by", ["owner", "assignee", "meeting", "status"])
def test_each_groups_counts_are_its_actions(cli: Cli, by: str) -> None:
    """The counts come from one aggregate query, the actions from another: they agree, group
    by group, however the report is grouped."""
    cli.ok("assign", "9", "Indonesia")
    cli.ok("assign", "11", "Indonesia")
    cli.ok("close", "9")
    cli.ok("block", "12", "--note", "Waiting")
    cli.ok("start", "15")
    cli.ok("add", "Hand-made", "--owner", "RSO", "--due", "2023-06-30")
    cli.ok("close", "16", "--cancel")
    data = report(cli, "--group-by", by)
    assert len(data["groups"]) >= 2
    for g in data["groups"]:
        actions = g["actions"]
        assert g["total"] == len(actions), g["key"]
        for status in ("open", "in_progress", "blocked", "done", "cancelled"):
            assert g[status] == sum(a["status"] == status for a in actions), (g["key"], status)
        assert g["overdue"] == sum(a["overdue"] for a in actions), g["key"]
    assert sum(g["total"] for g in data["groups"]) == 17


def test_due_soon_and_as_of(cli: Cli) -> None:
    cli.ok("edit", "11", "--due", "2024-01-20")
    data = report(cli)
    assert data["totals"]["due_soon"] == 1
    later = cli.json("report", "--as-of", "2024-02-01")
    assert later["totals"]["overdue"] == 2 and later["totals"]["due_soon"] == 0


def test_changes_since(cli: Cli) -> None:
    cli.ok("assign", "12", "Thailand")
    cli.ok("close", "11", "--note", "guide published")
    cli.ok("edit", "15", "--due", "2024-01-10")
    data = cli.json("report", "--since", "today", "--as-of", "+1d")
    jsonschema.validate(data, SCHEMA)
    kinds = [(c["change"], c["ref"]) for c in data["changes"]]
    assert ("reassigned", "AHG16-12") in kinds and ("closed", "AHG16-11") in kinds
    assert ("due_changed", "AHG16-15") in kinds
    # Seeded today, from a meeting held in 2022: not new in this period.
    assert not [k for k in kinds if k[0] == "new"]
    data = report(cli, "--since", "2024-01-01")
    assert [(c["change"], c["ref"]) for c in data["changes"] if c["change"] != "new"] == [
        ("became_overdue", "AHG16-15")]


def test_since_meeting_is_the_briefing_pack(cli: Cli) -> None:
    cli.ok("meeting", "import", str(Path(__file__).parent / "fixtures" / "ahg17-indented.txt"))
    data = report(cli, "--since-meeting", "ahg17")
    assert data["meeting"] == "AHG17" and data["since"] == "2024-02-14"
    refs = {a["ref"] for g in data["groups"] for a in g["actions"]}
    assert refs and all(r.startswith("AHG17-") for r in refs)
    run = cli("report", "--since-meeting", "AHG99")
    assert run.exit_code == 1 and "no meeting" in run.stderr


@pytest.mark.parametrize(("by", "keys"), [
    ("status", ["open", "done"]), ("assignee", ["(unassigned)", "Indonesia"]),
    ("meeting", ["(none)", "AHG16"]),
])
def test_group_by(cli: Cli, by: str, keys: list[str]) -> None:
    cli.ok("assign", "9", "Indonesia")
    cli.ok("close", "9")
    cli.ok("add", "Hand-made", "--owner", "RSO")
    data = report(cli, "--group-by", by)
    assert [g["key"] for g in data["groups"]] == keys


def test_each_action_shows_its_latest_note_not_one_undone(cli: Cli, store: Any) -> None:
    """The documents' Notes column, for the whole tracker and for one meeting's report
    (two ways of asking)."""
    from bptrack.service.reports import ReportOptions, open_report

    cli.ok("note", "9", "first")
    cli.ok("note", "9", "second")
    cli.ok("undo")  # withdraws "second"
    cli.ok("add", "Hand-made", "--owner", "RSO")
    hand = cli.json("list", "--search", "Hand-made")[0]["id"]
    cli.ok("note", str(hand), "by hand")
    cli.ok("note", "8", "older")
    cli.ok("note", "8", "newer")
    with open_report(store, ReportOptions()) as whole:
        assert whole.notes() == {9: "first", 8: "newer", hand: "by hand"}
    with open_report(store, ReportOptions(since_meeting="AHG16")) as meeting:
        assert meeting.notes() == {9: "first", 8: "newer"}


def _normalise(text: str) -> str:
    return STAMP.sub("<timestamp>", text)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_golden(cli: Cli, fmt: str, backend: str) -> None:
    out = cli.ok("report", "--as-of", AS_OF, "--format", fmt).stdout
    golden = GOLDEN / f"report-seed.{fmt}"
    if os.environ.get("BPTRACK_UPDATE_GOLDEN") and backend == "sqlite":
        golden.write_text(_normalise(out))
    if fmt == "json" and backend == "postgresql":
        # PostgreSQL spaces its JSON differently; the content must be the same.
        assert json.loads(_normalise(out)) == json.loads(golden.read_text())
    else:
        assert _normalise(out) == golden.read_text()


def test_json_is_the_same_whatever_the_batches(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    """The JSON is written a run of one group's actions at a time; a group that spans
    several batches of rows is still one group, in order."""
    from bptrack.store import db

    def document() -> str:
        # generated_at is the wall clock: two runs may straddle a second.
        return _normalise(cli.ok("report", "--as-of", AS_OF, "--format", "json").stdout)

    whole = document()
    monkeypatch.setattr(db, "STREAM_BATCH", 2)
    assert document() == whole
    monkeypatch.setattr(db, "STREAM_BATCH", 1)
    assert document() == whole
    assert len(report(cli)["groups"]) > 1


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_same_data_same_bytes(cli: Cli, fmt: str) -> None:
    cli.ok("assign", "9", "Indonesia")
    first = cli.ok("report", "--format", fmt, "--since", "2020-01-01").stdout
    second = cli.ok("report", "--format", fmt, "--since", "2020-01-01").stdout
    strip = re.compile(r'("generated_at": |Generated by bptrack at )\S+')
    assert strip.sub("", first) == strip.sub("", second), fmt


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


HOSTILE = '<script>alert("x")</script> & [bold]|=cmd|'


def test_html_is_self_contained_with_chart_tables_and_escaped_data(cli: Cli) -> None:
    cli.ok("add", HOSTILE, "--owner", "RSO", "--due", "2023-06")
    page = _Page()
    page.feed(cli.ok("report", "--format", "html", "--as-of", AS_OF).stdout)
    assert "svg" in page.tags and page.tags.count("rect") >= 7
    assert page.tags.count("table") >= 9  # summary, overdue, one per group
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert not any(v and ("http://" in v or "https://" in v) for _, v in page.attrs
                   if _ != "xmlns")
    assert HOSTILE in "".join(page.text)


def test_html_rows_written_in_batches_read_as_rows_written_one_by_one(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's rows are escaped and cleaned a batch at a time: a batch of one row and a
    batch of all give the same page, and a title's escape sequence, bidi override, tab and
    newline come out as one_line() leaves them."""
    from bptrack.output import report_html
    from bptrack.store import db

    cli.ok("add", "Map\tshelters \x1b[31mnow\x1b[0m \u202ein the\nPacific", "--owner", "RSO")
    cli.ok("note", "AHG16-06", "Spoke to <the> co-chairs\n& agreed")
    cli.ok("add", 'The "Bali" members\' plan', "--owner", "RSO", "--due", "2023-06")
    whole = cli.ok("report", "--format", "html", "--as-of", AS_OF).stdout
    # Runs of one row: those with nothing to escape are made directly, the others escaped
    # and cleaned; the rows come out the same either way.
    monkeypatch.setattr(report_html, "BATCH", 1)
    monkeypatch.setattr(db, "STREAM_BATCH", 1)
    strip = re.compile(r"Generated by bptrack at \S+")
    assert strip.sub("", cli.ok("report", "--format", "html", "--as-of", AS_OF).stdout) == \
        strip.sub("", whole)
    page = _Page()
    page.feed(whole)
    text = "".join(page.text)
    assert "Map shelters now in the Pacific" in text
    assert "Latest note: Spoke to <the> co-chairs & agreed" in text
    assert "\x1b" not in whole and "\u202e" not in whole and "\ud800" not in whole
    assert 'The "Bali" members\' plan' in text


def test_html_lists_are_the_reports_overdue_and_due_soon(cli: Cli) -> None:
    """The page's overdue and due-soon lists come from the same read as its groups' tables:
    the same actions, in the same order, as the report's own lists (the JSON's)."""
    for n, due in enumerate(("2023-03-01", "2023-03-01", "2024-01-20", "2024-01-16", "2022")):
        cli.ok("add", f"Dated {n}", "--owner", "WGTIP" if n % 2 else "RSO", "--due", due)
    cli.ok("close", "AHG16-06")
    page = cli.ok("report", "--format", "html", "--as-of", AS_OF).stdout
    data = report(cli, "--as-of", AS_OF)

    def refs(heading: str) -> list[str]:
        section = page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]
        return re.findall(r"<tr(?: class=\"overdue\")?><td>([^<]+)</td>", section)

    overdue = sorted((a for g in data["groups"] for a in g["actions"] if a["overdue"]),
                     key=lambda a: (a["due"], a["id"]))
    assert refs("Overdue") == [a["ref"] for a in overdue] and len(overdue) >= 4
    assert refs("Due soon") == [a["ref"] for a in data["due_soon"]] != []


def test_md_and_csv_defuse_data(cli: Cli) -> None:
    cli.ok("add", HOSTILE, "--owner", "RSO")
    md = cli.ok("report", "--format", "md").stdout
    row = next(line for line in md.splitlines() if "alert" in line)
    assert "&lt;" not in row and "&amp;" not in row  # Markdown escapes, not HTML entities
    assert row.count(" | ") == 5  # the title's "|" cannot split the row
    # Rendered by a CommonMark parser (markdown-it, which Rich brings), the cell is the
    # title exactly: no tag, no link, no emphasis made from it.
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").enable("table").render(md)
    cell = next(c for c in page.split("<td>") if "alert" in c).split("</td>")[0]
    assert html.unescape(cell) == HOSTILE and "<script>" not in page
    csv_text = cli.ok("report", "--format", "csv").stdout
    assert csv_text.splitlines()[0].startswith("group,group_name,id,ref,title")
    assert any(line.startswith("GABF,") for line in csv_text.splitlines())
    cli.ok("add", "=1+2", "--owner", "RSO")
    assert "'=1+2" in cli.ok("report", "--format", "csv").stdout


def test_output_file_is_written_whole(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "briefing.html"
    run = cli.ok("report", "--output", str(target))
    assert run.stdout == "" and "Wrote the html report" in run.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    run = cli("report", "--output", str(tmp_path / "missing" / "r.md"))
    assert run.exit_code == 1 and "cannot write" in run.stderr
    assert cli("report", "--output", str(tmp_path / "r.txt")).exit_code == 1


def test_table_when_piped_is_plain(cli: Cli) -> None:
    out = cli.ok("report", "--as-of", AS_OF).stdout
    assert "\x1b" not in out and "█" not in out and "░" not in out  # no bar glyphs piped
    lines = out.splitlines()
    assert lines[0] == f"bptrack status report, as of {AS_OF}"
    assert lines[1].startswith("16 commitments: 16 open, 0 in progress, 0 blocked")
    assert lines[3] == "Group\tDone\tTotal\tActive\tBlocked\tOverdue"  # a header, piped too
    assert lines[4].startswith("GABF\t0/3\t3\t3\t0\t")
    assert next(line for line in lines if line.startswith("Total\t")).startswith(
        "Total\t0/16\t16\t16\t0\t")
    assert "Overdue (1):" in out


def test_database_made_json_equals_the_python_objects(cli: Cli, store: Any) -> None:
    """The report's JSON is made by the database for speed; it must say what `list` says."""
    from bptrack.store import queries

    cli.ok("add", 'Esc \x1b[31m "quoted" \\ back\tslash — 東京 \u202e', "--owner", "RSO",
           "--partner", "WGTIP", "--partner", "TFPP", "--due", "2023-05")
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    cli.ok("close", "11", "--note", "line one\nline two")
    today = "2024-01-15"
    with store.read() as conn:
        made = [json.loads(text) for (text,) in conn.all(
            f"SELECT {queries.action_json_sql(conn, today)} FROM {queries.ACTION_FROM} "
            "ORDER BY a.id")]
        python = [queries.row_to_action(row, today) for row in conn.all(
            f"{queries.action_select(conn)} ORDER BY a.id")]
    assert made == python
    assert [list(m) for m in made] == [list(p) for p in python]  # same keys, same order


def _changes(cli: Cli) -> list[tuple[str, str]]:
    today = dt.date.today().isoformat()
    report = cli.json("report", "--since", today)
    return [(c["ref"], c["change"]) for c in report["changes"] if c["change"] != "became_overdue"]


def test_changes_are_the_net_change_per_action(cli: Cli) -> None:
    # Seeded today, but the AHG16 meeting was held in 2022: nothing is new.
    assert _changes(cli) == []
    cli.ok("close", "9")
    cli.ok("reopen", "9")
    cli.ok("close", "9")
    assert _changes(cli) == [("AHG16-09", "closed")]
    cli.ok("close", "7")
    cli.ok("undo")
    assert ("AHG16-07", "closed") not in _changes(cli)
    cli.ok("close", "11")
    cli.ok("reopen", "11")  # ends as it began
    assert not [c for c in _changes(cli) if c[0] == "AHG16-11"]
    cli.ok("assign", "12", "Thailand")
    cli.ok("assign", "12", "Indonesia")
    cli.ok("edit", "12", "--due", "2031-06-30")
    added = cli.ok("add", "Map shelters", "--owner", "RSO").stdout.strip()
    changes = cli.json("report", "--since", dt.date.today().isoformat())["changes"]
    by_ref = {(c["ref"], c["change"]): c for c in changes}
    assert by_ref[("AHG16-12", "reassigned")]["old"] is None
    assert by_ref[("AHG16-12", "reassigned")]["new"] == "Indonesia"
    assert by_ref[("AHG16-12", "due_changed")]["new"] == "2031-06-30"
    assert (f"BP-{added}", "new") in by_ref
    md = cli.ok("report", "--since", dt.date.today().isoformat(), "--format", "md").stdout
    assert "due 2031-06-30" in md and "assigned to Indonesia" in md


def test_reopened_when_closed_before_the_period(cli: Cli) -> None:
    cli.ok("close", "9")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    # Nothing happened tomorrow yet: a report since tomorrow, as of tomorrow, is empty.
    report = cli.json("report", "--since", tomorrow, "--as-of", tomorrow)
    assert [c for c in report["changes"] if c["change"] != "became_overdue"] == []
    cli.ok("reopen", "9")
    assert ("AHG16-09", "closed") not in _changes(cli)  # closed and reopened today: nothing


@pytest.mark.parametrize(("cell", "plain"), [
    ("Map shelters", True), ("Timor-Leste · Türkiye", True), ("R&D", False), ("a <b>", False),
    ("a > b", False), ("tab\there", False), ("bidi \u202e", False), ("nbsp\u00a0x", False),
    ("del\x7f", False), ('"quoted" it\'s', True)])
def test_a_run_of_rows_is_made_as_it_is_only_when_nothing_needs_escaping(cell: str,
                                                                         plain: bool) -> None:
    """The page's rows are made as they are and checked at once; a cell with anything HTML
    or a terminal would not show as it is sends the run to be escaped cell by cell."""
    from bptrack.output import report_html

    rows = [(1, "AHG16-01", "A title", 1, "open", None, "2030-01-01", None, 0, None),
            (2, "AHG16-02", cell, 1, "done", "Ana", None, "closed", 0, None)]
    text = "".join(f"<tr><td>{r[1]}</td><td>{r[2]}</td><td>x</td><td></td><td></td><td></td>"
                   "</tr>" for r in rows)
    assert report_html._plain(text, 2 * 14) is plain
    made = report_html._rows(rows, {}, {})
    assert made == report_html._marked(rows, {}, {}, None)  # the same rows either way
