"""What a focal point trips over, through the installed console script: statements on stdin,
CSV for Excel, searching notes and resolutions, and one date grammar everywhere."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from test_e2e import console_script, run_in

STATEMENT = """\
On 2 May 2030, the Co-Chairs hosted the Twenty-seventh Meeting of the Ad Hoc Group Senior \
Officials in Nadi, Fiji.
- The Regional Support Office will deliver a training course on document fraud in 2031.
"""


def test_meeting_import_reads_stdin_but_never_a_terminal(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""),
           "BPTRACK_DB": str(tmp_path / "t.db")}
    piped = subprocess.run([console_script(), "meeting", "import", "-", "--format", "json"],
                           input=STATEMENT, capture_output=True, text=True, env=env,
                           timeout=60)
    assert piped.returncode == 0, piped.stderr
    document = json.loads(piped.stdout)
    assert document["meeting"]["ref"] == "AHG27"
    assert document["meeting"]["source"] == {"file": "stdin", "format": "txt"}
    empty = run_in(tmp_path, "meeting", "import", "-")  # stdin is /dev/null here
    assert empty.returncode == 1 and "empty" in empty.stderr


def test_csv_with_a_byte_order_mark_for_excel(tmp_path: Path) -> None:
    plain = run_in(tmp_path, "list", "--format", "csv")
    assert plain.returncode == 0 and plain.stdout.startswith("id,")
    marked = run_in(tmp_path, "list", "--format", "csv", "--bom")
    assert marked.stdout.startswith("\ufeffid,")
    report = run_in(tmp_path, "report", "--format", "csv", "--bom", "--output", "r.csv")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfgroup,")
    assert run_in(tmp_path, "config", "set", "csv_bom", "true").returncode == 0
    assert run_in(tmp_path, "list", "--format", "csv").stdout.startswith("\ufeff")


def test_search_finds_notes_and_resolutions(tmp_path: Path) -> None:
    assert run_in(tmp_path, "note", "11", "Draft circulated to Fiji").returncode == 0
    assert run_in(tmp_path, "close", "12", "--note", "Merged into the Pacific plan"
                  ).returncode == 0
    noted = run_in(tmp_path, "list", "--search", "circulated to fiji", "--format", "ids")
    assert noted.stdout.split() == ["11"]
    closed = run_in(tmp_path, "list", "--all", "--search", "pacific plan", "--format", "ids")
    assert closed.stdout.split() == ["12"]


def test_one_date_grammar_for_due_and_report(tmp_path: Path) -> None:
    for phrase, due in (("mid-2031", "2031-06-30"), ("late 2031", "2031-12-31"),
                        ("2031-H1", "2031-06-30"), ("30 June 2031", "2031-06-30"),
                        ("June 30, 2031", "2031-06-30"), ("3/4/2031", "2031-04-03")):
        done = run_in(tmp_path, "edit", "11", "--due", phrase)
        assert done.returncode == 0, done.stderr
        shown = json.loads(run_in(tmp_path, "show", "11", "--format", "json").stdout)
        assert shown["due"] == due, phrase
    assert run_in(tmp_path, "config", "set", "dayfirst", "false").returncode == 0
    assert run_in(tmp_path, "edit", "11", "--due", "3/4/2031").returncode == 0
    assert json.loads(run_in(tmp_path, "show", "11", "--format", "json").stdout)["due"] == (
        "2031-03-04")
    bad = run_in(tmp_path, "add", "x", "--owner", "RSO", "--due", "whenever")
    assert bad.returncode == 1 and "D Month YYYY" in bad.stderr and "mid-2025" in bad.stderr
    for option in (["report", "--as-of"], ["report", "--since"], ["list", "--due-before"],
                   ["history", "--since"], ["add", "x", "--owner", "RSO", "--due"]):
        extreme = run_in(tmp_path, *option, "9999-12-31")
        assert extreme.returncode == 1 and "out of range" in extreme.stderr, option
        assert "Traceback" not in extreme.stderr
    report = run_in(tmp_path, "report", "--as-of", "Q1 2024", "--format", "json")
    assert json.loads(report.stdout)["as_of"] == "2024-03-31"


def test_email_to_two_spellings_of_one_address(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    from test_remind import Inbox, free_port

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = tmp_path / "config.toml"
        config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                          'from = "Bali Process RSO <rso@example.org>"\ntimeout = 5\n')
        env = {"BPTRACK_CONFIG": str(config)}
        assert run_in(tmp_path, "edit", "11", "--due", "+2d").returncode == 0
        assert run_in(tmp_path, "assign", "9", "Jane Doe <jane.doe@example.org>").returncode == 0
        assert run_in(tmp_path, "assign", "11", "J. Doe <JANE.DOE@example.org>").returncode == 0
        sent = run_in(tmp_path, "remind", "--email", env=env)
        assert sent.returncode == 0, sent.stderr
        assert len(inbox.received) == 1
        message = inbox.received[0][1]
        assert message["Date"] and message["Message-ID"]
        assert message["Auto-Submitted"] == "auto-generated"
        body = message.get_body(("plain",)).get_content()
        assert "AHG16-09" in body and "AHG16-11" in body
    finally:
        controller.stop()


def test_briefing_changes_and_usage_errors_through_the_console_script(tmp_path: Path) -> None:
    for args in (["close", "9"], ["reopen", "9"], ["close", "9"], ["close", "7"], ["undo"]):
        assert run_in(tmp_path, *args).returncode == 0
    report = json.loads(run_in(tmp_path, "report", "--since", "today", "--format", "json").stdout)
    changes = [(c["ref"], c["change"]) for c in report["changes"]
               if c["change"] != "became_overdue"]
    assert changes == [("AHG16-09", "closed")]
    for args in (["list", "--sort", "size"], ["list", "--status", "finished"],
                 ["list", "--format", "xml"], ["report", "--group-by", "colour"]):
        assert run_in(tmp_path, *args).returncode == 2, args


def test_reminders_and_calendar_for_one_member(tmp_path: Path) -> None:
    assert run_in(tmp_path, "edit", "11", "--due", "+3d").returncode == 0
    assert run_in(tmp_path, "assign", "11", "Indonesia").returncode == 0
    mine = run_in(tmp_path, "remind", "--assignee", "indonesia")
    assert mine.returncode == 0 and "AHG16-11" in mine.stdout and "AHG16-09" not in mine.stdout
    nobody = run_in(tmp_path, "remind", "--assignee", "Fiji")
    assert nobody.returncode == 0 and nobody.stdout == ""  # cron stays quiet
    feed = run_in(tmp_path, "calendar", "--owner", "WGDPS")
    assert "AHG16-09" in feed.stdout and "AHG16-11" not in feed.stdout


def test_meeting_import_dash_refuses_a_terminal(tmp_path: Path) -> None:
    import pty

    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""),
           "BPTRACK_DB": str(tmp_path / "t.db")}
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([console_script(), "meeting", "import", "-"], stdin=follower,
                              capture_output=True, text=True, env=env, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 1 and "reads the statement from a pipe" in done.stderr


def test_a_typo_in_db_starts_no_second_tracker(tmp_path: Path) -> None:
    typo = str(tmp_path / "typo" / "dir" / "x.db")
    refused = run_in(tmp_path, "list", db=typo)
    assert refused.returncode == 3 and "does not exist" in refused.stderr
    assert not (tmp_path / "typo").exists()
    assert "--create" in refused.stderr
    made = run_in(tmp_path, "db", "init", db=typo)
    assert made.returncode == 0, made.stderr
    assert run_in(tmp_path, "list", db=typo).returncode == 0
    other = str(tmp_path / "team" / "new" / "x.db")
    asked = run_in(tmp_path, "--create", "list", "--format", "ids", db=other)
    assert asked.returncode == 0, asked.stderr
    assert len(asked.stdout.split()) == 16 and (tmp_path / "team" / "new" / "x.db").is_file()
    assert (tmp_path / "team" / "new").stat().st_mode & 0o077 == 0


def test_undo_says_what_it_reverted(tmp_path: Path) -> None:
    assert run_in(tmp_path, "assign", "9", "Thailand").returncode == 0
    undone = run_in(tmp_path, "undo")
    assert undone.returncode == 0 and "(assignee: Thailand → -)" in undone.stderr
