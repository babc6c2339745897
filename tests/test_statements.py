"""The outcome-statement parser: the seed, fixtures of other formats, rules, and no crashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bptrack import reading as statements
from bptrack.reading import BodyRef, StatementError, find_deadline, parse_statement
from bptrack.service import seeding

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())


def known_bodies() -> list[BodyRef]:
    doc, _ = seeding.read_seed()
    return [BodyRef(b["code"], b["name"], b["kind"]) for b in doc["bodies"]]


def reading(parsed: statements.ParsedStatement) -> list[list[Any]]:
    return [[i.kind, i.owner, i.due.isoformat() if i.due else None] for i in parsed.items]


def aligned(parsed: statements.ParsedStatement,
            reviewed: list[dict[str, Any]]) -> list[statements.ParsedItem]:
    """The parsed item for each reviewed one, in order: same kind, owner, partners and due,
    its sentence inside the reviewed bullet. The reader gives one item per sentence, so a
    bullet of several sentences is a reviewed item plus records or notes beside it."""
    out: list[statements.ParsedItem] = []
    rest = list(parsed.items)
    for item in reviewed:
        while rest:
            candidate = rest.pop(0)
            if [candidate.kind, candidate.owner, candidate.partners,
                    candidate.due.isoformat() if candidate.due else None] == [
                    item["kind"], item["owner"], item["partners"], item["due"]] and \
                    candidate.source in item["source"]:
                out.append(candidate)
                break
            assert candidate.kind in ("record", "note"), (
                f"{candidate.kind} {candidate.source!r} is not among the reviewed items")
        else:
            raise AssertionError(f"no parsed item for reviewed {item['source']!r}")
    assert all(i.kind in ("record", "note") for i in rest)
    return out


def test_seed_statement_reproduces_the_reviewed_items() -> None:
    doc, text = seeding.read_seed()
    parsed = parse_statement(text, known_bodies())
    reviewed = doc["items"]
    matched = aligned(parsed, reviewed)
    assert len(matched) == len(reviewed) == 24
    # every commitment the reader finds is a reviewed one, none invented
    assert sum(i.kind in ("action", "ongoing") for i in parsed.items) == sum(
        i["kind"] in ("action", "ongoing") for i in reviewed)
    meeting = parsed.meeting
    assert (meeting.ref, meeting.title, meeting.date, meeting.location) == (
        doc["meeting"]["ref"], doc["meeting"]["title"], dt.date(2022, 12, 6),
        doc["meeting"]["location"])
    assert meeting.attendees == doc["meeting"]["attendees"]


def test_seed_titles_differ_only_where_the_review_says_so() -> None:
    """Titles are rewritten on review; the reviewed file says so, with its reason."""
    doc, text = seeding.read_seed()
    assert any("Titles" in c for c in doc["corrections"])
    parsed = parse_statement(text, known_bodies())
    jpa = aligned(parsed, doc["items"])[8]
    assert jpa.title == doc["items"][8]["title"]  # the JPA needs no rewrite


def test_seed_reads_the_same_without_known_bodies() -> None:
    """The headers alone make the sections: kinds and deadlines do not need the registry."""
    doc, text = seeding.read_seed()
    parsed = parse_statement(text)
    assert [i.kind for i in parsed.items if i.kind in ("action", "ongoing")] == [
        i["kind"] for i in doc["items"] if i["kind"] in ("action", "ongoing")]
    assert [i.due for i in parsed.items if i.due] == [dt.date(2023, 12, 31)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_statements(name: str) -> None:
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    parsed = parse_statement(text, known_bodies())
    expected = EXPECTED[name]
    assert reading(parsed) == expected["items"]
    meeting = parsed.meeting
    assert meeting.ref == expected["meeting"]["ref"]
    assert meeting.date and meeting.date.isoformat() == expected["meeting"]["date"]
    assert meeting.location == expected["meeting"]["location"]
    assert len(meeting.attendees) == expected["meeting"]["attendees"]


def test_crlf_fixture_really_has_crlf() -> None:
    assert b"\r\n" in (FIXTURES / "sosg18-numbered-crlf.txt").read_bytes()


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Will hold it in 2023.", dt.date(2023, 12, 31)),
    ("Will finish by the end of 2024.", dt.date(2024, 12, 31)),
    ("Will report by June 2025.", dt.date(2025, 6, 30)),
    ("Will report before the end of February 2024.", dt.date(2024, 2, 29)),
    ("Will launch it by mid-2024.", dt.date(2024, 6, 30)),
    ("Will meet in the first half of 2025.", dt.date(2025, 6, 30)),
    ("Will meet in the second half of 2025.", dt.date(2025, 12, 31)),
    ("Will review it in Q1 2026.", dt.date(2026, 3, 31)),
    ("Will review it in Q3 2026.", dt.date(2026, 9, 30)),
    ("Will review it in the third quarter of 2026.", dt.date(2026, 9, 30)),
    ("Will implement the 2018 Ministerial Declaration.", None),
    ("Shared its priorities for the ASEAN Chairmanship 2023.", None),
    ("Will hold a meeting on 5 December 2022 results.", None),
    ("Will report by end-2025.", dt.date(2025, 12, 31)),
    ("Will report by end June 2025.", dt.date(2025, 6, 30)),
    ("Will report by the end of the year.", dt.date(2024, 12, 31)),
    ("Will meet again next year.", dt.date(2025, 12, 31)),
    ("Will meet again in the next year.", dt.date(2025, 12, 31)),
    ("Will report later this year.", dt.date(2024, 12, 31)),
])
def test_deadline_phrases(phrase: str, expected: dt.date | None) -> None:
    assert find_deadline(phrase, year=2024) == expected


def _statement(body: str) -> str:
    return ("On 1 May 2024 the Co-Chairs hosted the Twentieth Meeting of the Ad Hoc Group "
            "Senior Officials in Bali, Indonesia.\nOutcomes:\n" + body)


@pytest.mark.parametrize("marker", ["-", "*", "•", "1.", "2)", "a)", "(b)", "iv.", "o", "\uf0b7",
                                    "►", "·"])
def test_bullet_markers(marker: str) -> None:
    parsed = parse_statement(_statement(
        f"{marker} The Working Group on Trafficking in Persons will map shelters in 2025.\n"))
    assert reading(parsed) == [["action", "WGTP", "2025-12-31"]]
    assert parsed.items[0].owner_name == "Working Group on Trafficking in Persons"


def test_header_forms() -> None:
    text = _statement(
        "- Task Force on Planning and Preparedness:\n"
        "- Will test the toolkit in 2025.\n"
        "- The Regional Support Office (RSO)\n"
        "- Will publish a handbook by mid-2025.\n"
        "- The Co-Chairs will write to members in Q2 2025.\n")
    parsed = parse_statement(text)
    assert reading(parsed) == [["action", "TFPP", "2025-12-31"],
                               ["action", "RSO", "2025-06-30"],
                               ["action", "RSO", "2025-06-30"]]
    assert parsed.items[-1].title == "Write to members in Q2 2025"


def test_subjects_inside_a_sentence() -> None:
    text = _statement("- Members welcomed the report and agreed to meet again by March 2025.\n"
                      "- The Co-Chairs will circulate the minutes.\n")
    parsed = parse_statement(text, known_bodies())
    assert reading(parsed) == [["action", "MEMBERS", "2025-03-31"], ["action", "CC", None]]
    assert parsed.items[0].title == "Meet again by March 2025"


def test_partners_named_in_the_sentence() -> None:
    text = _statement("- Working Group on Trafficking in Persons:\n"
                      "- Will work with the Regional Support Office and ASEAN in 2025.\n")
    parsed = parse_statement(text, known_bodies())
    assert parsed.items[0].partners == ["RSO", "ASEAN"]


def test_unicode_punctuation_and_spaces() -> None:
    text = _statement("– The Members’ group\u00a0will  meet\u00a0in\u00a02025 — as agreed.\r\n")
    parsed = parse_statement(text)
    assert reading(parsed)[0][0] == "action" and reading(parsed)[0][2] == "2025-12-31"
    assert "\u00a0" not in parsed.items[0].source


@pytest.mark.parametrize("text", ["", "just some words", "Outcomes:\n", "\x00\x01",
                                  "Outcomes:\n\n\n   \n"])
def test_not_a_statement(text: str) -> None:
    with pytest.raises(StatementError):
        parse_statement(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        parsed = parse_statement(text)
    except StatementError:
        return
    for item in parsed.items:
        assert item.kind in statements.KIND_RANK
        assert item.title


_LINES = st.sampled_from([
    "Outcomes:", "- Will do it in 2025.", "* Members noted the report.", "• Working Group:",
    "1. Plans to act by mid-2026.", "   a) Held a workshop.", "", "Task Force on X",
    "- Key priorities were outlined as follows: a; b; and c.", "continued line",
    "- The Co-Chairs will meet in Q9 2024.", "- by the end of 0000.", "(RSO):", "- –", "- :",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=20))
def test_statement_shaped_noise_never_crashes(lines: list[str]) -> None:
    with contextlib.suppress(StatementError):
        parse_statement("\n".join(lines), known_bodies())


def test_a_relative_clause_commits_nobody() -> None:
    parsed = parse_statement(_statement(
        "- Members welcomed the report, which will be published in 2026.\n"))
    assert reading(parsed) == [["note", "MEMBERS", None]]  # welcoming is an observation


def test_encouraged_body_owns_the_action() -> None:
    parsed = parse_statement(_statement(
        "- Members encouraged the Task Force on Planning and Preparedness to hold an exercise "
        "by mid-2026.\n"), known_bodies())
    assert reading(parsed) == [["action", "TFPP", "2026-06-30"]]


def test_a_plain_paragraph_after_bullets_leaves_the_section() -> None:
    text = _statement("Government and Business Forum:\n"
                      "- Will hold a plenary in 2026.\n"
                      "- Held a consultation.\n"
                      "The Co-Chairs will write to members in Q3 2026.\n")
    assert reading(parse_statement(text, known_bodies())) == [
        ["action", "GABF", "2026-12-31"], ["record", "GABF", None],
        ["action", "CC", "2026-09-30"]]


def test_a_title_saying_outcome_statement_is_not_the_outcomes_section() -> None:
    text = ("Twenty-second Meeting of the Ad Hoc Group Senior Officials\nOutcome Statement\n"
            "1. The meeting took place on 4 December 2027 in Colombo, Sri Lanka.\n"
            "Outcomes:\n- Will meet again in 2028.\n")
    parsed = parse_statement(text)
    assert parsed.meeting.date == dt.date(2027, 12, 4)
    # Nobody is named, so the meeting's own body owns it (never an invented "Members").
    assert reading(parsed) == [["action", "AHG", "2028-12-31"]]


def test_outcomes_introduced_by_a_sentence() -> None:
    text = ("On 2 June 2026 the Co-Chairs hosted the Twentieth Meeting of the Ad Hoc Group "
            "Senior Officials in Bali, Indonesia.\n"
            "The meeting agreed the following outcomes:\n"
            "- Members will review the strategy in 2027.\n")
    assert reading(parse_statement(text)) == [["action", "MEMBERS", "2027-12-31"]]
