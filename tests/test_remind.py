"""Reminders for cron: the digest, e-mail through a real SMTP server, and the calendar."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from conftest import Cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                      f'from = "Bali Process RSO <rso@example.org>"\ntimeout = 5\n')
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    return config


def test_remind_names_the_overdue_jpa(cli: Cli) -> None:
    run = cli.ok("remind")
    lines = run.stdout.splitlines()
    assert lines[0].startswith("bptrack reminders for") and "1 overdue" in lines[0]
    assert any("OVERDUE 2023-12-31  AHG16-09" in line for line in lines)
    data = cli.json("remind")
    assert [a["ref"] for g in data["groups"] for a in g["actions"]] == ["AHG16-09"]
    assert data["groups"][0]["owner"] == "WGDPS" and data["within"] == 14


def test_nothing_due_prints_nothing(cli: Cli) -> None:
    cli.ok("close", "9")
    run = cli.ok("remind", "--within", "0")
    assert run.stdout == "" and run.exit_code == 0


def test_due_soon_grouped_by_assignee_overdue_first(cli: Cli) -> None:
    soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    cli.ok("edit", "11", "--due", soon)
    cli.ok("edit", "12", "--due", "+30d")
    cli.ok("assign", "11", "Thailand")
    data = cli.json("remind")
    assert next(g["key"] for g in data["groups"]).startswith("WGDPS")
    assert [a["ref"] for g in data["groups"] for a in g["actions"]] == ["AHG16-09", "AHG16-11"]
    assert len(cli.json("remind", "--within", "30")["groups"]) == 3


def test_email_one_message_per_assignee_and_never_twice_a_day(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    write_config(tmp_path, monkeypatch, port)
    cli.ok("edit", "11", "--due", "+2d")
    cli.ok("edit", "12", "--due", "+5d")
    cli.ok("edit", "15", "--due", "+6d")
    cli.ok("assign", "9", "11", "Jane Doe <jane@example.org>")
    cli.ok("assign", "12", "Bob Roe <bob@example.org>")
    run = cli.ok("remind", "--email")
    assert "No e-mail address for TFPP" in run.stderr and "AHG16-15" in run.stderr
    assert len(inbox.received) == 2
    by_rcpt = {rcpts[0]: message for rcpts, message in inbox.received}
    assert set(by_rcpt) == {"jane@example.org", "bob@example.org"}
    jane = by_rcpt["jane@example.org"]
    assert jane["Subject"] == "Bali Process: 1 action overdue, 1 due in 14 days"
    assert jane["To"] == "Jane Doe <jane@example.org>"
    assert jane["From"] == "Bali Process RSO <rso@example.org>"
    body = jane.get_body(("plain",)).get_content()
    assert "AHG16-09 (OVERDUE 2023-12-31, WGDPS)" in body and "AHG16-11 (due" in body
    assert "Source: Will initiate another Joint Period of Action" in body
    assert "AHG16-12" not in body

    again = cli.ok("remind", "--email")
    assert len(inbox.received) == 2
    assert "Already reminded jane@example.org today: AHG16-09, AHG16-11" in again.stderr

    cli.ok("assign", "15", "jane@example.org")
    cli.ok("remind", "--email")
    assert len(inbox.received) == 3
    assert "AHG16-15" in inbox.received[-1][1].get_body(("plain",)).get_content()
    assert "AHG16-09" not in inbox.received[-1][1].get_body(("plain",)).get_content()


def test_dry_run_prints_messages_and_records_nothing(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    write_config(tmp_path, monkeypatch, port)
    cli.ok("assign", "9", "Jané Doe <jane@example.org>")
    run = cli.ok("remind", "--email", "--dry-run")
    # What would go on the wire, encoded as sent: read back, it is the message a person gets
    shown = message_from_bytes(run.stdout.encode(), policy=default_policy)
    assert str(shown["To"]) == "Jané Doe <jane@example.org>"
    assert "Hello Jané Doe" in shown.get_body(("plain",)).get_content()
    assert "To: =?utf-8?" in run.stdout and "Jané" not in run.stdout
    assert inbox.received == []
    cli.ok("remind", "--email")
    assert len(inbox.received) == 1
    [(_, sent)] = inbox.received
    # The same headers, the same boundary; on the wire lines end in CRLF, in the preview LF
    wire = {name: value.replace("\r\n", "\n") for name, value in sent.raw_items()
            if name not in ("Date", "Message-ID")}
    assert wire == {name: value for name, value in shown.raw_items()
                    if name not in ("Date", "Message-ID")}
    assert sent.get_body(("plain",)).get_content().replace("\r\n", "\n") == shown.get_body(
        ("plain",)).get_content()


ENCODED_INJECTION = ("=?utf-8?q?Eve=0D=0ABcc=3A_victim=40evil=2Eorg=0D=0AX-Injected=3A_yes?= "
                     "<eve3@example.org>")


def test_an_encoded_word_in_a_name_adds_no_header_nor_recipient(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    write_config(tmp_path, monkeypatch, port)
    cli.ok("assign", "9", ENCODED_INJECTION)
    preview = cli.ok("remind", "--email", "--dry-run").stdout
    cli.ok("remind", "--email")
    [(recipients, message)] = inbox.received
    assert recipients == ["eve3@example.org"]
    names = [name.lower() for name in message]
    assert "bcc" not in names and "x-injected" not in names, message.keys()
    assert names.count("to") == 1
    # The name arrives as it was typed, text in the To header, never decoded into headers
    [to] = message["To"].addresses
    assert to.addr_spec == "eve3@example.org"
    assert to.display_name.replace(" ", "") == ENCODED_INJECTION.split(" <")[0]
    for shown in (preview, message.as_string()):
        assert "\nBcc:" not in shown and "\nX-Injected:" not in shown


def test_the_password_never_goes_out_in_clear(cli: Cli, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A username without starttls or ssl, to a host that is not this machine: refused
    before connecting, unless smtp.allow_plaintext says the network is trusted."""
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nhost = "192.0.2.1"\nport = 25\nstarttls = false\n'
                      'username = "rso"\nfrom = "rso@example.org"\ntimeout = 1\n')
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    monkeypatch.setenv("BPTRACK_SMTP_PASSWORD", "s3cret")
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    run = cli("remind", "--email")
    assert run.exit_code == 1 and "refusing to send the SMTP password" in run.stderr, run.output
    assert "s3cret" not in run.output
    assert "Already reminded" not in cli.ok("remind", "--email", "--dry-run").stderr
    config.write_text(config.read_text() + "allow_plaintext = true\n")
    tried = cli("remind", "--email")  # now it tries: TEST-NET-1 does not answer
    assert tried.exit_code == 1 and "cannot send e-mail through 192.0.2.1:25" in tried.stderr


def test_plaintext_auth_to_this_machine_is_allowed(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A relay on localhost (a local MTA) may take the login without TLS."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        config = write_config(tmp_path, monkeypatch, port)
        config.write_text(config.read_text() + 'username = "rso"\n')
        monkeypatch.setenv("BPTRACK_SMTP_PASSWORD", "s3cret")
        cli.ok("assign", "9", "Jane Doe <jane@example.org>")
        cli.ok("remind", "--email")
    finally:
        controller.stop()
    assert logins == [(b"rso", b"s3cret")] and len(inbox.received) == 1


def test_smtp_failure_is_exit_1_and_nothing_recorded(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    write_config(tmp_path, monkeypatch, free_port())  # nothing listens there
    run = cli("remind", "--email")
    assert run.exit_code == 1, run.output
    assert run.stderr.startswith("Error: cannot send e-mail through 127.0.0.1:")
    write_config(tmp_path, monkeypatch, port)
    cli.ok("remind", "--email")
    assert len(inbox.received) == 1


def test_email_needs_smtp_settings(cli: Cli) -> None:
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    run = cli("remind", "--email")
    assert run.exit_code == 1 and "[smtp] host and from" in run.stderr


def test_password_comes_from_env_and_is_never_printed(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\nstarttls = false\n'
                      'from = "rso@example.org"\nusername = "rso"\ntimeout = 2\n')
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    monkeypatch.setenv("BPTRACK_SMTP_PASSWORD", "s3cret-pw")
    cli.ok("assign", "9", "jane@example.org")
    run = cli("--debug", "remind", "--email")
    assert run.exit_code == 1
    assert "s3cret-pw" not in run.stdout + run.stderr


def test_assignee_cannot_inject_headers(cli: Cli) -> None:
    run = cli("assign", "9", "Eve\r\nBcc: all@example.org <eve@example.org>")
    assert run.exit_code == 1 and "Name <email@example.org>" in run.stderr


def console_script() -> str:
    return str(Path(sys.executable).parent / "bptrack")


def test_cron_environment_with_non_ascii_titles(tmp_path: Path, target: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C", "HOME": str(tmp_path / "cronhome"),
           "BPTRACK_DB": target, "BPTRACK_ACTOR": "cron"}
    (tmp_path / "cronhome").mkdir()
    add = subprocess.run([console_script(), "add", "Réunion à Genève — 東京 follow-up",
                          "--owner", "RSO", "--due", "today"], env=env,
                         capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    assert add.returncode == 0, add.stderr
    proc = subprocess.run(f"exec 0<&- '{console_script()}' remind", shell=True, env=env,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "Réunion à Genève — 東京 follow-up" in out and "\x1b" not in out


@pytest.mark.parametrize("command", ["list", "remind", "list --all --format csv"])
def test_head_ends_without_a_traceback(target: str, command: str) -> None:
    env = {**os.environ, "BPTRACK_DB": target}
    proc = subprocess.run(f"'{console_script()}' {command} | head -1", shell=True, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_calendar_feed(cli: Cli, tmp_path: Path) -> None:
    from icalendar import Calendar

    cli.ok("edit", "11", "--due", "2027-03")
    cli.ok("close", "11")
    cli.ok("edit", "12", "--due", "2027-Q2")
    first = cli.ok("calendar").stdout
    assert first == cli.ok("calendar").stdout  # an unchanged database, an unchanged feed
    events = Calendar.from_ical(first).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["ahg16-09@bptrack", "ahg16-12@bptrack"]
    assert events[0].decoded("DTSTART") == dt.date(2023, 12, 31)
    assert events[1].decoded("DTEND") == dt.date(2027, 7, 1)
    assert str(events[0]["SUMMARY"]).startswith("AHG16-09: Initiate another")
    target = tmp_path / "bptrack.ics"
    cli.ok("calendar", "--output", str(target))
    assert target.read_text() == first


def test_overlapping_runs_send_once(target: str, smtp: tuple[Inbox, int],
                                    tmp_path: Path) -> None:
    inbox, port = smtp
    config = tmp_path / "config.toml"
    config.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
                      'from = "rso@example.org"\n')
    env = {**os.environ, "BPTRACK_DB": target, "BPTRACK_CONFIG": str(config)}
    subprocess.run([console_script(), "assign", "9", "Jane <jane@example.org>"], env=env,
                   check=True, capture_output=True, timeout=60)
    runs = [subprocess.Popen([console_script(), "remind", "--email"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)]
    codes = [run.wait(timeout=60) for run in runs]
    assert codes == [0, 0, 0, 0]
    assert len(inbox.received) == 1


def test_two_spellings_of_one_address_get_one_message_with_date_and_id(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp
    write_config(tmp_path, monkeypatch, port)
    cli.ok("edit", "11", "--due", "+2d")
    cli.ok("assign", "9", "Jane Doe <jane.doe@example.org>")
    cli.ok("assign", "11", "J. Doe <Jane.Doe@Example.org>")
    cli.ok("remind", "--email")
    assert len(inbox.received) == 1
    rcpts, message = inbox.received[0]
    assert [r.lower() for r in rcpts] == ["jane.doe@example.org"]
    body = message.get_body(("plain",)).get_content()
    assert "AHG16-09" in body and "AHG16-11" in body
    assert message["Date"] and message["Message-ID"].endswith("@example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    again = cli.ok("remind", "--email")
    assert len(inbox.received) == 1 and "Already reminded" in again.stderr


def test_remind_and_calendar_for_one_member_or_body(cli: Cli) -> None:
    cli.ok("edit", "11", "--due", "+2d")
    cli.ok("assign", "11", "Indonesia")
    mine = cli.json("remind", "--assignee", "indonesia")
    assert [a["ref"] for g in mine["groups"] for a in g["actions"]] == ["AHG16-11"]
    body = cli.json("remind", "--owner", "WGDPS")
    assert [a["ref"] for g in body["groups"] for a in g["actions"]] == ["AHG16-09"]
    feed = cli.ok("calendar", "--owner", "TEGRR").stdout
    assert "AHG16-11" in feed and "AHG16-09" not in feed
    assert "AHG16-11" not in cli.ok("calendar", "--assignee", "Thailand").stdout


@pytest.mark.parametrize(("overdue", "soon", "subject"), [
    (1, 0, "Bali Process: 1 action overdue"), (0, 1, "Bali Process: 1 action due in 14 days"),
    (0, 3, "Bali Process: 3 actions due in 14 days"),
    (2, 1, "Bali Process: 2 actions overdue, 1 due in 14 days"),
])
def test_subject_says_what_is_due(overdue: int, soon: int, subject: str) -> None:
    import datetime as dt

    from bptrack.service.reminder_mail import build_message
    from bptrack.service.reminders import Group

    actions = [{"id": n, "ref": f"X-{n}", "title": "t", "owner": "RSO", "source": None,
                "due": "2026-01-01", "overdue": n < overdue} for n in range(overdue + soon)]
    message = build_message(Group("k", "Jane", "jane@example.org", None, actions),
                            "rso@example.org", dt.date(2026, 1, 2))
    assert message["Subject"] == subject


def test_the_email_is_written_for_the_focal_point_who_gets_it(
        cli: Cli, smtp: tuple[Inbox, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """From the secretariat, a subject naming the forum and what is due, each action with its
    meeting and source sentence, whom to reply to, the signature; no commands to type unless
    the readers use bptrack (remind.audience = users). A plain and an HTML part."""
    inbox, port = smtp
    write_config(tmp_path, monkeypatch, port)
    cli.ok("config", "set", "remind.signature", "RSO Secretariat, Bangkok")
    cli.ok("edit", "11", "--due", "+3d")
    cli.ok("assign", "9", "11", "Jane Doe <jane@example.org>")
    cli.ok("remind", "--email")
    [(_, message)] = inbox.received
    assert message["From"] == "Bali Process RSO <rso@example.org>"
    assert message["Subject"] == "Bali Process: 1 action overdue, 1 due in 14 days"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (" ".join(plain.split()), html):
        assert "AHG16-09" in body and "Initiate another Joint Period of Action" in body
        assert "Meeting: AHG16" in body and "Source: Will initiate another" in body
        assert "reply to this e-mail (Bali Process RSO)" in body
        assert "RSO Secretariat, Bangkok" in body
        assert "bptrack note" not in body and "`" not in body
    assert plain.replace("\r\n", "\n").rstrip().endswith("-- \nRSO Secretariat, Bangkok")
    assert html.startswith("<!DOCTYPE html>") and "<li><b>AHG16-09 (OVERDUE" in html

    cli.ok("config", "set", "remind.audience", "users")
    cli.ok("edit", "12", "--due", "+4d")
    cli.ok("assign", "12", "Bob Roe <bob@example.org>")
    cli.ok("remind", "--email")
    bob = inbox.received[-1][1].get_body(("plain",)).get_content()
    assert "`bptrack note REF TEXT`" in " ".join(bob.split())
    assert cli("config", "set", "remind.audience", "everyone").exit_code == 1


def test_a_dry_run_needs_the_sender(cli: Cli, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPTRACK_CONFIG", str(tmp_path / "none.toml"))
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    run = cli("remind", "--email", "--dry-run")
    assert run.exit_code == 1 and "smtp.from" in run.stderr and run.stdout == ""
