"""The commands through Typer's CliRunner: JSON parsed, exit codes and stderr checked."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from bptrack.vocabulary import FIELDS, JSON_FIELDS
from conftest import Cli


def test_first_use_creates_and_seeds_with_one_line_on_stderr(cli: Cli, db_path: Path) -> None:
    run = cli.ok("list", "--format", "ids")
    assert run.stderr.strip() == (
        f"Created {db_path} and seeded 24 actions from the AHG16 outcome statement.")
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert cli.ok("list", "--format", "ids").stderr == ""


def test_default_list_is_active_actions_with_jpa_first(cli: Cli) -> None:
    items = cli.json("list")
    assert items[0]["ref"] == "AHG16-09"
    assert items[0]["due"] == "2023-12-31" and items[0]["overdue"] is True
    assert {i["kind"] for i in items} == {"action", "ongoing"}
    assert {i["status"] for i in items} == {"open"}
    assert len(items) == 16
    assert all(list(i) == list(JSON_FIELDS) for i in items)
    assert not any(i["title"].startswith("Conducted its Annual Meeting") for i in items)


def test_list_all_shows_records_and_notes(cli: Cli) -> None:
    items = cli.json("list", "--all")
    assert len(items) == 24
    titles = [i["title"] for i in items]
    assert any(t.startswith("Conducted its Annual Meeting") for t in titles)
    assert any("Policy Expert Gatherings" in t for t in titles)
    assert {i["kind"] for i in items} == {"action", "ongoing", "record", "note"}


@pytest.mark.parametrize(("args", "refs"), [
    (["--owner", "tegrr"], ["AHG16-11", "AHG16-12"]),
    (["--owner", "Returns"], ["AHG16-11", "AHG16-12"]),
    (["--overdue"], ["AHG16-09"]),
    (["--due-before", "2024"], ["AHG16-09"]),
    (["--due-within", "0"], ["AHG16-09"]),
    (["--search", "asean"], ["AHG16-08"]),
    (["--kind", "record", "--status", "done", "--owner", "WGDPS"], ["AHG16-10"]),
    (["--kind", "note", "--status", "closed"], ["AHG16-02"]),
    (["--meeting", "ahg16", "--kind", "action", "--owner", "WGTIP"],
     ["AHG16-05", "AHG16-06", "AHG16-07", "AHG16-08"]),
])
def test_list_filters(cli: Cli, args: list[str], refs: list[str]) -> None:
    assert [i["ref"] for i in cli.json("list", *args)] == refs


def test_assignee_filters(cli: Cli) -> None:
    cli.ok("assign", "9", "11", "Jane Doe <jane@example.org>")
    assert [i["id"] for i in cli.json("list", "--assignee", "JANE")] == [9, 11]
    assert [i["id"] for i in cli.json("list", "--assignee", "example.org")] == [9, 11]
    unassigned = cli.json("list", "--unassigned")
    assert 9 not in [i["id"] for i in unassigned] and len(unassigned) == 14


def test_sorting(cli: Cli) -> None:
    assert [i["id"] for i in cli.json("list", "--sort", "id")][:3] == [1, 3, 5]
    owners = [i["owner"] for i in cli.json("list", "--sort", "owner")]
    assert owners == sorted(owners)
    cli.ok("start", "12")
    assert cli.json("list", "--sort", "status")[-1]["id"] == 12
    cli.ok("note", "16", "latest")
    assert cli.json("list", "--sort", "updated")[0]["id"] == 16


def test_table_limit_footer_goes_to_stderr(cli: Cli) -> None:
    run = cli.ok("list", "--limit", "3")
    assert len(run.stdout.splitlines()) == 3
    assert "showing 3 of 16" in run.stderr
    assert "\x1b" not in run.stdout  # piped: no ANSI escapes
    assert len(cli.ok("list", "--format", "ids").stdout.split()) == 16


def test_csv_tsv_md_ids(cli: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli.ok("list", "--format", "csv").stdout)))
    assert list(rows[0]) == list(FIELDS) and rows[0]["ref"] == "AHG16-09"
    assert rows[0]["overdue"] == "true"
    tsv = cli.ok("list", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == list(FIELDS) and len(tsv) == 17
    md = cli.ok("list", "--format", "md").stdout.splitlines()
    assert md[0].startswith("| ID | Ref |") and len(md) == 18
    assert cli.ok("list", "--format", "ids").stdout.split()[0] == "9"


def test_csv_defuses_formulas(cli: Cli) -> None:
    cli.ok("add", "=HYPERLINK(\"http://x\")", "--owner", "RSO")
    rows = list(csv.DictReader(io.StringIO(cli.ok("list", "--format", "csv").stdout)))
    assert rows[-1]["title"] == "'=HYPERLINK(\"http://x\")"


def test_markup_in_titles_is_printed_literally(cli: Cli) -> None:
    title = "[bold]Review[/] the [red]guide[/red] \\[x]"
    new_id = cli.ok("add", title, "--owner", "RSO").stdout.strip()
    assert cli.json("show", new_id)["title"] == title
    assert title in cli.ok("list", "--search", "Review").stdout


def test_walkthrough(cli: Cli) -> None:
    """The README's walkthrough on the 2023 Joint Period of Action."""
    first = cli.ok("list", "--overdue").stdout.splitlines()[0].split("\t")
    assert first[:3] == ["9", "AHG16-09", "2023-12-31"]
    run = cli.ok("assign", "AHG16-09", "Indonesia", "--actor", "secretariat")
    assert run.stderr.startswith("Assigned #9 Initiate another Joint Period of Action")
    cli.ok("start", "9")
    run = cli.ok("close", "9", "--note", "JPA 2023 held; report circulated")
    assert run.stderr.startswith("Closed #9")
    events = cli.json("history", "9")
    assert [(e["type"], e["new"]) for e in events] == [
        ("create", None), ("assign", "Indonesia"), ("status", "in_progress"),
        ("status", "done")]
    assert events[1]["actor"] == "secretariat" and events[2]["actor"] == "tester"
    # The contract's event fields, and (third round) the login beside the actor
    assert set(events[0]) == {"id", "action_id", "at", "actor", "login", "type", "field", "old",
                              "new", "note"}
    assert 9 not in [i["id"] for i in cli.json("list")]


def test_close_closed_warns_and_changes_nothing(cli: Cli) -> None:
    cli.ok("close", "9")
    run = cli.ok("close", "9")
    assert "Warning: #9 is already done" in run.stderr
    assert len(cli.json("history", "9")) == 2


def test_add_prints_the_new_id(cli: Cli) -> None:
    due = (date.today() + timedelta(days=7)).isoformat()
    run = cli.ok("add", "Circulate the draft", "--owner", "rso", "--due", "+1w",
                 "--assignee", "UNODC", "--partner", "WGTIP", "--kind", "ongoing")
    new = cli.json("show", run.stdout.strip())
    assert (new["title"], new["owner"], new["due"], new["assignee"], new["partners"],
            new["kind"], new["status"]) == ("Circulate the draft", "RSO", due, "UNODC",
                                            ["WGTIP"], "ongoing", "open")
    assert [i["id"] for i in cli.json("list", "--due-within", "7")] == [9, new["id"]]
    assert new["history"][0]["actor"] == "tester"


def test_edit_and_unassign(cli: Cli) -> None:
    cli.ok("assign", "9", "Thailand")
    cli.ok("edit", "9", "--due", "2027-06", "--title", "Initiate the next JPA")
    cli.ok("unassign", "9")
    jpa = cli.json("show", "9")
    assert (jpa["due"], jpa["title"], jpa["assignee"], jpa["overdue"]) == (
        "2027-06-30", "Initiate the next JPA", None, False)


def test_show_table(cli: Cli) -> None:
    out = cli.ok("show", "AHG16-09").stdout
    assert "Due:         2023-12-31 (overdue)" in out
    assert "Will initiate another Joint Period of Action in 2023" in out


@pytest.mark.parametrize(("args", "code", "message"), [
    (["show", "999"], 1, "no action 999"),
    (["show", "nine"], 1, "not an action id"),
    (["close", "9", "999"], 1, "nothing was changed"),
    (["add", "x", "--owner", "nobody"], 1, "no body matches"),
    (["add", "x", "--owner", "working group"], 1, "ambiguous"),
    (["add", " ", "--owner", "RSO"], 1, "title is empty"),
    (["add", "x", "--owner", "RSO", "--due", "next week"], 1, "invalid date"),
    (["list", "--status", "finished"], 2, "unknown status"),
    (["list", "--kind", "task"], 2, "unknown kind"),
    (["list", "--sort", "size"], 2, "unknown sort"),
    (["list", "--format", "xml"], 2, "xml"),
    (["list", "--bogus"], 2, "--bogus"),
    (["assign", "9"], 2, "missing the assignee"),
    (["close"], 2, "missing ids"),
    (["show", "99"], 1, "no action 99"),
    (["show", "AHG16-99"], 1, "did you mean AHG16-19?"),
    (["block", "9"], 2, "--note"),
    (["edit", "9"], 1, "nothing to change"),
    (["note", "9", ""], 1, "note is empty"),
])
def test_errors_are_one_line_with_the_contract_exit_code(
        cli: Cli, args: list[str], code: int, message: str) -> None:
    cli.ok("list", "--format", "ids")  # seed first, so stderr is only the error
    run = cli(*args)
    assert run.exit_code == code, run.output
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    if code == 1:
        assert run.stderr.startswith("Error: ") and len(run.stderr.strip().splitlines()) == 1
    assert run.stdout == ""


def test_db_path_and_init(cli: Cli, db_path: Path) -> None:
    assert cli.ok("db", "path").stdout.strip() == str(db_path)
    assert not db_path.exists()  # `db path` only says where
    run = cli.ok("db", "init")
    assert "seeded 24 actions" in run.stderr
    run = cli.ok("db", "init")
    assert "nothing to add" in run.stderr
    assert len(cli.json("list", "--all")) == 24


def test_body_and_member_lists(cli: Cli) -> None:
    bodies = {b["code"]: b for b in cli.json("body", "list")}
    assert (bodies["WGTIP"]["open"], bodies["WGTIP"]["total"]) == (4, 4)
    assert bodies["WGDPS"]["name"].startswith("Working Group on the Disruption")
    members = cli.json("member", "list")
    assert len(members) == 16 and all(m["meetings"] == 1 for m in members)


def test_version(cli: Cli) -> None:
    from bptrack import __version__

    assert cli.ok("--version").stdout == f"bptrack {__version__}\n"


def test_actor_from_config(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('actor = "focal-point"\n')
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    monkeypatch.delenv("BPTRACK_ACTOR")
    cli.ok("note", "9", "hello")
    assert cli.json("history", "9")[-1]["actor"] == "focal-point"


def test_debug_shows_the_traceback(cli: Cli) -> None:
    cli.ok("list", "--format", "ids")
    run = cli("--debug", "show", "999")
    assert run.exit_code == 1 and "Traceback" in run.stderr


@pytest.mark.parametrize("args", [
    ["list", "--status", "bogus"], ["list", "--kind", "bogus"], ["list", "--sort", "bogus"],
    ["list", "--format", "bogus"], ["show", "9", "--format", "bogus"],
    ["history", "--format", "bogus"], ["report", "--format", "bogus"],
    ["report", "--group-by", "bogus"], ["remind", "--format", "bogus"],
    ["meeting", "list", "--format", "bogus"], ["meeting", "show", "AHG16", "--format", "bogus"],
    ["meeting", "import", "x.txt", "--format", "bogus"],
    ["meeting", "reconcile", "AHG16", "--format", "bogus"],
    ["import", "x.csv", "--format", "bogus"],
    ["body", "list", "--format", "bogus"], ["member", "list", "--format", "bogus"],
    ["add", "x", "--owner", "RSO", "--kind", "bogus"], ["edit", "9", "--kind", "bogus"],
])
def test_every_choice_option_refuses_an_unknown_value_as_a_usage_error(
        cli: Cli, args: list[str]) -> None:
    cli.ok("list", "--format", "ids")
    run = cli(*args)
    assert run.exit_code == 2, run.output
    assert "bogus" in run.stderr


@pytest.mark.parametrize("args", [["show", "99"], ["history", "99"]])
def test_read_only_commands_do_not_say_nothing_was_changed(cli: Cli, args: list[str]) -> None:
    run = cli(*args)
    assert run.exit_code == 1 and "nothing was changed" not in run.stderr, args
    assert "nothing was changed" in cli("close", "99").stderr


def test_refs_match_with_or_without_the_leading_zero(cli: Cli) -> None:
    assert cli.json("show", "AHG16-9")["ref"] == "AHG16-09"
    assert cli.json("show", "ahg16-09")["id"] == 9
    cli.ok("close", "AHG16-9")
    assert cli.json("show", "9")["status"] == "done"


def test_csv_strips_terminal_controls_and_keeps_the_formula_guard() -> None:
    from bptrack.output.render import csv_cell

    assert csv_cell("a\x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07\u202e") == (
        "ared link")
    assert csv_cell("=1+1") == "'=1+1"


def test_edit_clears_the_due_date_and_partners_with_none(cli: Cli) -> None:
    cli.ok("edit", "9", "--due", "2027-06", "--partner", "RSO", "--partner", "WGTIP")
    assert (cli.json("show", "9")["due"], cli.json("show", "9")["partners"]) == (
        "2027-06-30", ["RSO", "WGTIP"])
    cli.ok("edit", "9", "--due", "None", "--partner", "none")
    shown = cli.json("show", "9")
    assert (shown["due"], shown["partners"]) == (None, [])
    refused = cli("list", "--due-before", "none")  # only a field can be cleared
    assert refused.exit_code == 1 and "invalid date" in refused.stderr
