"""The calendar feed is written by bptrack and read back by the icalendar library: any text
survives, and no line is longer than RFC 5545 allows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event

from bptrack.service.calendar import fold, text
from conftest import Cli


def _read_back(value: str) -> str:
    event = Event.from_ical(f"BEGIN:VEVENT\r\n{fold('SUMMARY:' + text(value))}\r\nEND:VEVENT\r\n")
    return str(event["SUMMARY"])


def test_text_is_escaped_as_rfc_5545_says() -> None:
    # Readers tolerate a bare comma or semicolon; the RFC does not (3.3.11).
    assert text("a,b;c\\d\r\ne\rf\tg") == "a\\,b\\;c\\\\d\\ne\\nf g"


@given(st.text(max_size=300))
def test_any_text_reads_back(value: str) -> None:
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(" " if (ord(c) < 32 and c != "\n") or c == "\x7f" else c
                       for c in expected)
    assert _read_back(value) == expected


@given(st.text(alphabet=st.sampled_from("aé東😀;,\\\n "), max_size=400))
def test_no_line_is_longer_than_75_octets(value: str) -> None:
    folded = fold("DESCRIPTION:" + text(value))
    for line in folded.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + text(value)


def test_feed_of_awkward_actions(cli: Cli, tmp_path: Path) -> None:
    title = "Review; the plan, with \\ partners — 東京 " + "データ共有" * 20
    cli.ok("add", title, "--owner", "RSO", "--due", "2027-02-28")
    cli.ok("assign", "9", "Jane Doe <jane@example.org>")
    cli.ok("calendar", "--output", str(tmp_path / "feed.ics"))  # the bytes, CRLF and all
    feed = (tmp_path / "feed.ics").read_bytes().decode("utf-8")
    assert [line for line in feed.split("\r\n") if len(line.encode("utf-8")) > 75] == []
    assert feed.endswith("END:VCALENDAR\r\n") and "\n" not in feed.replace("\r\n", "")
    cal = Calendar.from_ical(feed)
    assert str(cal["X-WR-CALNAME"]) == "Bali Process follow-up actions"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    added = next(e for uid, e in events.items() if uid not in ("ahg16-09@bptrack",))
    assert str(added["SUMMARY"]).endswith(": " + title)
    assert added.decoded("DTSTART") == dt.date(2027, 2, 28)
    assert added.decoded("DTEND") == dt.date(2027, 3, 1)
    assert [str(c) for c in added["CATEGORIES"].cats] == ["RSO"]
    assert str(added["DESCRIPTION"]).startswith("Owner: RSO (")
    ninth = events["ahg16-09@bptrack"]
    assert "\nAssignee: Jane Doe\nStatus: open\nSource: " in str(ninth["DESCRIPTION"])
    assert isinstance(ninth.decoded("DTSTAMP"), dt.datetime)
