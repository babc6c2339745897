"""Hostile input: text that tries to be markup, escapes, formulas or headers; odd arguments;
broken storage. bptrack prints it literally or refuses it, and never writes half a change."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptrack.output.render import csv_cell, one_line, terminal_safe
from conftest import Cli

# The payloads tried, by name: each must come back from `list --format json` unchanged, and
# never reach a terminal, a spreadsheet or a page as anything but text.
PAYLOADS = {
    "rich markup": "[bold red]urgent[/bold red] and [link=https://evil.example]click[/link]",
    "rich closing tag": "[/]",
    "escaped bracket": "\\[not markup] \\\\[still not]",
    "ansi colour": "\x1b[31mred\x1b[0m title",
    "ansi cursor": "line\x1b[2J\x1b[Hcleared screen",
    "osc title": "\x1b]0;owned terminal\x07visible",
    "osc hyperlink": "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "c1 controls": "csi\x9b31m and nel\x85 here",
    "bidi override": "invoice \u202etxt.exe\u202c done",
    "bidi isolates": "\u2066left\u2069 \u2067right\u2069 \u2068first\u2069",
    "csv formula": "=HYPERLINK(\"https://evil.example\",\"x\")",
    "csv plus": "+1+cmd|' /C calc'!A0",
    "csv minus": "-2+3",
    "csv at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "csv tab": "\t=1+1",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "markdown table": "a | b | c\n---|---",
    "header injection": "Subject: free money\r\nBcc: all@example.org",
    "sql": "'; DROP TABLE action; --",
    "unicode": "Réunion à Genève — 東京 ✓ 🎉",
    "zero width": "zero\u200bwidth\u200djoiner",
    "long": "x" * 500,
}
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payload_round_trips_and_prints_safely(cli: Cli, name: str) -> None:
    title = PAYLOADS[name]
    new_id = cli.ok("add", "--owner", "RSO", "--note", title, "--", title).stdout.strip()
    shown = cli.json("show", new_id)
    assert shown["title"] == title.strip()
    assert shown["history"][0]["note"] == title.strip()
    listed = [a for a in cli.json("list", "--all") if str(a["id"]) == new_id]
    assert listed[0]["title"] == title.strip()
    for fmt in ("table", "tsv", "md", "ids"):
        out = cli.ok("list", "--search", "", "--format", fmt).stdout
        assert not UNSAFE.search(out.replace("\n", "").replace("\t", "")), fmt
    assert not UNSAFE.search(cli.ok("show", new_id).stdout.replace("\n", ""))
    rows = list(csv.reader(io.StringIO(cli.ok("list", "--format", "csv").stdout)))
    cell = next(r for r in rows[1:] if r[0] == new_id)[2]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_markup_is_printed_literally_on_a_terminal(cli: Cli,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cli.ok("add", "[bold]x[/] and [/] and [red]y", "--owner", "RSO")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    out = cli.ok("list", "--search", "bold").stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "[bold]x[/] and [/] and [red]y" in plain


def test_sinks_in_isolation() -> None:
    assert terminal_safe("\x1b]0;t\x07a\x1b[31mb\u202ec") == "abc"
    assert one_line("a\nb\tc") == "a b c"
    assert one_line("plain [bold] text") == "plain [bold] text"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(f"{start}x") == f"'{start}x"
    assert csv_cell("safe") == "safe" and csv_cell(None) == ""


@pytest.mark.parametrize(("args", "message"), [
    (["add", "x" * 501, "--owner", "RSO"], "limit is 500"),
    (["add", "ok", "--owner", "RSO", "--note", "n" * 10_001], "limit is 10000"),
    (["add", "a\x00b", "--owner", "RSO"], "NUL"),
    (["add", "bad \udcff byte", "--owner", "RSO"], "not valid UTF-8"),
    (["note", "9", " \t\n "], "note is empty"),
    (["show", "AHG16-09; DROP"], "not an action id"),
    (["show", "-5"], "No such option"),
    (["show", "0"], "not an action id"),
    (["show", "9" * 40], "no action"),
])
def test_limits_and_malformed_values_are_refused(cli: Cli, args: list[str], message: str
                                                 ) -> None:
    before = cli.ok("db", "export").stdout
    run = cli(*args)
    assert run.exit_code in (1, 2), run.output
    assert message in run.stderr and "Traceback" not in run.stderr
    assert cli.ok("db", "export").stdout == before


# Bounded for CI; BPTRACK_FUZZ_EXAMPLES=2000 for a longer hunt.
EXAMPLES = int(os.environ.get("BPTRACK_FUZZ_EXAMPLES", "80"))
HOSTILE = st.text(alphabet=st.sampled_from(list("[]/=\\\x1b\u202e+@-| \t\n\"'<>&;aZ9é東")),
                  max_size=40)
WORDS = st.sampled_from(["list", "add", "show", "assign", "close", "reopen", "start", "block",
                         "edit", "note", "history", "report", "remind", "--owner", "--due",
                         "--status", "--kind", "--format", "--note", "--limit", "--sort",
                         "--search", "--all", "9", "AHG16-09", "json", "csv", "all", "RSO",
                         "tomorrow", "-1", "0", "--", "--since", "body", "list"])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=HOSTILE, note=HOSTILE, owner=st.one_of(HOSTILE, st.just("RSO")),
       due=st.one_of(HOSTILE, st.just("2027-Q2")))
def test_fuzz_add_never_crashes_and_round_trips(cli: Cli, title: str, note: str, owner: str,
                                                due: str) -> None:
    run = cli("add", "--owner", owner, "--due", due, "--note", note, "--", title)
    assert run.exit_code in (0, 1, 2), run.output
    assert "Traceback" not in run.stderr
    if run.exit_code == 0:
        new = cli.json("show", run.stdout.strip())
        assert new["title"] == title.strip()
    else:
        assert run.stdout == ""


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(args=st.lists(st.one_of(WORDS, HOSTILE), max_size=8))
def test_fuzz_random_arguments(cli: Cli, args: list[str]) -> None:
    run = cli(*args)
    assert run.exit_code in (0, 1, 2), run.output
    assert "Traceback" not in run.stderr
    if run.exit_code == 1:
        assert run.stderr.startswith("Error: "), run.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_bptrack_file_is_exit_3_and_untouched(cli: Cli, db_path: Path) -> None:
    cli.ok("list", "--format", "ids")
    data = bytearray(db_path.read_bytes())
    data[4096:8192] = b"\xde\xad" * 2048  # a page in the middle is garbage now
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    run = cli("list", "--all")
    assert run.exit_code == 3, run.output
    assert run.stderr.startswith("Error: ") and "Traceback" not in run.stderr
    assert digest(db_path) == before


def test_read_only_database_refuses_writes(cli: Cli, db_path: Path) -> None:
    cli.ok("list", "--format", "ids")
    before = digest(db_path)
    target = f"sqlite:///{db_path}?mode=ro"
    assert cli.ok("--db", target, "show", "9").stdout
    run = cli("--db", target, "close", "9")
    assert run.exit_code == 3 and "read-only" in run.stderr, run.output
    assert digest(db_path) == before
    assert sqlite3.connect(db_path).execute(
        "SELECT status FROM action WHERE id = 9").fetchone() == ("open",)


def bptrack() -> str:
    return str(Path(sys.executable).parent / "bptrack")


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path)
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def interruptible() -> None:
    """Ctrl-C reaches the command as from a terminal, even when the tests run as a background
    job (a shell starts those with SIGINT ignored, and a child keeps that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_is_exit_130(db_path: Path, cli: Cli) -> None:
    cli.ok("list", "--format", "ids")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the close below waits for this lock
    try:
        proc = subprocess.Popen([bptrack(), "close", "9"], env={**os.environ},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=interruptible)
        # Interrupt it once it is waiting for the lock, not while Python is still starting.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _has_open(proc.pid, db_path):
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert cli.json("show", "9")["status"] == "open"


EXIT_CODES = [
    ("success", ["list"], 0),
    ("unknown id", ["show", "999"], 1),
    ("invalid value", ["add", "x", "--owner", "RSO", "--due", "someday"], 1),
    ("conflict", ["start", "10"], 1),  # a record, closed at the meeting
    ("usage: unknown option", ["list", "--colour"], 2),
    ("usage: unknown command", ["frobnicate"], 2),
    ("usage: bad choice", ["list", "--format", "yaml"], 2),
    ("usage: missing argument", ["show"], 2),
]


@pytest.mark.parametrize(("name", "args", "code"), EXIT_CODES, ids=[e[0] for e in EXIT_CODES])
def test_exit_codes(cli: Cli, name: str, args: list[str], code: int) -> None:
    cli.ok("list", "--format", "ids")
    run = cli(*args)
    assert run.exit_code == code, run.output
    assert "Traceback" not in run.stderr


def test_exit_3_database_unavailable(cli: Cli, tmp_path: Path) -> None:
    run = cli("--db", str(tmp_path), "list")
    assert run.exit_code == 3 and "is a directory" in run.stderr


def test_undecodable_argument_is_a_usage_error(db_path: Path) -> None:
    proc = subprocess.run([bptrack().encode(), b"add", b"caf\xe9", b"--owner", b"RSO"],
                          capture_output=True, env={**os.environ, "BPTRACK_DB": str(db_path)},
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("Error: argument 2 is not valid UTF-8")


def test_debug_shows_the_traceback(cli: Cli) -> None:
    run = cli("--debug", "show", "999")
    assert run.exit_code == 1
    assert "Traceback" in run.stderr and run.stderr.rstrip().endswith(
        "see `bptrack list --all`")  # a read: nothing to change


def test_json_output_is_valid_whatever_the_titles(cli: Cli) -> None:
    for title in PAYLOADS.values():
        cli.ok("add", "--owner", "RSO", "--", title)
    titles = {a["title"] for a in cli.json("list")}
    assert {t.strip() for t in PAYLOADS.values()} <= titles
    json.loads(cli.ok("report", "--format", "json").stdout)
