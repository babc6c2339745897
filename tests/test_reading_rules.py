"""The reader's rules, one statement each, written here in the styles real statements use
(never copied from one): lead-ins and their verbless bullets, observations that govern a
commitment, reported speech, two-government and other forums' statements, datelines and date
ranges, ministers with their countries, PDF lines that wrap, and the deadline phrases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from bptrack.reading import ParsedStatement, find_deadline, parse_statement
from bptrack.reading.documents import read_document


def items(parsed: ParsedStatement) -> list[tuple[Any, ...]]:
    return [(i.kind, i.owner, i.due.isoformat() if i.due else None) for i in parsed.items]


def open_items(parsed: ParsedStatement) -> list[tuple[Any, ...]]:
    return [t for t in items(parsed) if t[0] in ("action", "ongoing")]


PACIFIC = """\
Communique of the Fifty-Fifth Pacific Islands Forum Leaders Meeting
Apia, Samoa, 12-13 September 2026

Leaders of the Pacific Islands Forum met in Apia from 12 to 13 September 2026.

Leaders welcomed the report of the Forum Secretariat on regional fisheries. Leaders agreed to:
- the establishment of a regional ocean data centre by the end of 2027;
- review the Forum's climate finance arrangements within twelve months;
- strengthen cooperation on maritime surveillance.

We will convene a special leaders' retreat on sea-level rise no later than June 2027, and \
will continue to support the Pacific Resilience Facility.
"""


def test_a_lead_ins_verbless_bullets_are_its_actions() -> None:
    parsed = parse_statement(PACIFIC)
    meeting = parsed.meeting
    assert meeting.date == dt.date(2026, 9, 13)  # a span of days: its last day
    assert meeting.forum is not None and meeting.forum.code == "PIF"
    members = meeting.forum.members.code
    # The lead-in "Leaders agreed to:" is no item; its three bullets are the Leaders' actions
    assert open_items(parsed) == [
        ("action", members, "2027-12-31"),
        ("action", members, "2027-09-13"),  # within twelve months of the meeting
        ("action", members, None),
        ("action", members, "2027-06-30"),
        ("ongoing", members, None),
    ]
    assert not any(i.title.endswith("agreed to") for i in parsed.items)


OBSERVATIONS = """\
On 4 March 2027 the Co-Chairs hosted the Twenty-ninth Meeting of the Ad Hoc Group Senior \
Officials in Dili, Timor-Leste.

- Members welcomed Thailand's offer to host a regional workshop on victim identification in \
the first half of 2027.
- Members welcomed the report of the Regional Support Office on irregular movement.
- Members noted the need to update the regional guide on returns.
- Members noted that scam centres will continue to recruit victims online.
- Members expressed concern at the rise in online exploitation.
"""


def test_an_observation_commits_only_when_it_governs_a_commitment() -> None:
    parsed = parse_statement(OBSERVATIONS)
    assert items(parsed) == [
        ("action", "THA", "2027-06-30"),  # welcomed Thailand's offer to host: Thailand hosts
        ("note", "MEMBERS", None),  # welcomed a report: an observation
        ("action", "MEMBERS", None),  # noted the need to update: the members' to do
        ("note", "MEMBERS", None),  # noted that … will continue: what was observed
        ("note", "MEMBERS", None),
    ]


SPEECH = """\
On 9 May 2027 the Co-Chairs hosted the Thirtieth Meeting of the Ad Hoc Group Senior \
Officials in Suva, Fiji.

The Minister for Home Affairs of Fiji said that his Government would review its border laws.
"This forum will remain central to our work," he said.
The Prime Minister of Fiji advised that Fiji will host the next Ministerial Conference in 2028.
If members agree, the Regional Support Office could prepare a regional study.
"""


def test_reported_speech_and_conditions_commit_only_by_the_speakers_word() -> None:
    parsed = parse_statement(SPEECH)
    assert open_items(parsed) == [("action", "FJI", "2028-12-31")]
    kinds = [i.kind for i in parsed.items]
    assert kinds.count("note") >= 2  # what was said, and what could be done if …


BILATERAL = """\
Joint Statement by the Prime Ministers of Samoa and Tonga
Nuku'alofa, 3 August 2027

Prime Ministers met in Nuku'alofa on 3 August 2027 for the annual Samoa-Tonga leaders' talks, \
reaffirming their commitment to the close friendship between Samoa and Tonga.

The two Governments will sign a labour mobility arrangement by the end of 2027. Tonga will \
host a joint seasonal workers' forum in March 2028. Both countries remain committed to \
regional security cooperation.
"""


def test_a_two_government_statement_is_owned_by_its_two_governments() -> None:
    parsed = parse_statement(BILATERAL)
    meeting = parsed.meeting
    assert meeting.date == dt.date(2027, 8, 3)
    assert sorted(meeting.attendees) == ["Samoa", "Tonga"]
    assert meeting.ref.startswith("WSM-TON") or meeting.ref.startswith("TON-WSM")
    governments = {b.code: b for b in parsed.bodies}[meeting.ref.rsplit("-", 1)[0]]
    assert governments.kind == "members" and "Samoa" in governments.name
    assert open_items(parsed) == [
        ("ongoing", governments.code, None),  # the opening's outcome: reaffirming …
        ("action", governments.code, "2027-12-31"),  # "The two Governments will sign …"
        ("action", "TON", "2028-03-31"),  # "Tonga will host …": Tonga's own
        ("ongoing", governments.code, None),  # "Both countries remain committed to …"
    ]


OTHER_FORUM = """\
Joint Statement of the Twelfth Colombo Process Senior Officials Meeting

We, the senior officials of the member states of the Colombo Process, met in Kathmandu, \
Nepal, on Monday, 14 June 2027.

We will develop a regional skills recognition framework by mid-2028. We tasked the Colombo \
Process Technical Working Group on Recruitment to report on fair recruitment fees before the \
next meeting. We encouraged member states to share data on labour migration.

Kathmandu: 14 June 2027
"""


def test_another_forums_we_are_its_own_members() -> None:
    parsed = parse_statement(OTHER_FORUM)
    meeting = parsed.meeting
    assert meeting.forum is not None and meeting.forum.code == "CP"
    assert meeting.date == dt.date(2027, 6, 14)  # "Monday, 14 June 2027"
    assert meeting.attendees == []  # a group named as itself is no attendance list
    found = open_items(parsed)
    assert found[0] == ("action", "CP-MEMBERS", "2028-06-30")
    assert found[1][0] == "action" and found[1][2] is None  # "before the next meeting": null
    working_group = {b.code: b for b in parsed.bodies}[found[1][1]]
    assert "Technical Working Group on Recruitment" in working_group.name
    assert all(b.code != "MEMBERS" for b in parsed.bodies)  # never the Bali Process's


DATELINE = """\
Communique
Meeting of the Ministers for Migration of the Pacific

Ministers for Migration met to discuss labour mobility. Ministers agreed to hold a regional \
labour mobility summit during the year.

Port Moresby: 21 October 2026
"""


@pytest.mark.parametrize(("opening", "day"), [
    ("The meeting was held in Apia on 12–13 March 2026.", dt.date(2026, 3, 13)),
    ("Ministers met in Apia from 3 to 5 June 2025.", dt.date(2025, 6, 5)),
    ("Ministers met in Apia on 12 and 13 December 2022.", dt.date(2022, 12, 13)),
    ("Ministers met in Apia on December 12-13, 2022.", dt.date(2022, 12, 13)),
    ("Ministers met in Apia on Monday, 12 December 2022.", dt.date(2022, 12, 12)),
    ("Ministers met in Apia on 12th December 2022.", dt.date(2022, 12, 12)),
    ("Ministers met in Apia on 30 November – 2 December 2022.", dt.date(2022, 12, 2)),
])
def test_meeting_dates_in_every_common_form(opening: str, day: dt.date) -> None:
    parsed = parse_statement(opening + "\nMinisters agreed to meet again in 2030.\n")
    assert parsed.meeting.date == day


def test_a_dateline_dates_the_meeting_and_during_the_year_is_its_year() -> None:
    parsed = parse_statement(DATELINE)
    assert parsed.meeting.date == dt.date(2026, 10, 21)
    assert open_items(parsed) == [("action", "PARTICIPANTS", "2026-12-31")]


def test_a_year_left_out_is_the_one_the_text_gives() -> None:
    parsed = parse_statement(
        "We, the Leaders of the Group of Seven, met on 14 June to review our cooperation.\n"
        "We will hold a ministerial meeting on energy security on 30 June. We welcome the "
        "agreement signed on 2 May 2027 and look forward to the summit of 20 May 2028.\n")
    assert parsed.meeting.date == dt.date(2027, 6, 14)
    assert open_items(parsed)[0] == ("action", "G7-MEMBERS", "2027-06-30")


MINISTERS = """\
Joint Press Release

Ms Ana Lopes, Timorese Minister for Foreign Affairs, Mr Kofi Mensah, Ghanaian Minister of \
Interior and Dr Lena Park, Korean Minister of Justice, in a meeting on 2 April 2026 in Seoul, \
agreed to establish a working group on the return of irregular migrants.
"""


def test_ministers_with_their_countries_are_the_attendees() -> None:
    parsed = parse_statement(MINISTERS)
    assert parsed.meeting.attendees == ["Timor-Leste", "Ghana", "Republic of Korea"]
    assert parsed.meeting.date == dt.date(2026, 4, 2)
    assert open_items(parsed)[0][0] == "action"


@pytest.mark.parametrize(("phrase", "due"), [
    ("Will reach net-zero emissions no later than 2050.", dt.date(2050, 12, 31)),
    ("Will report not later than June 2027.", dt.date(2027, 6, 30)),
    ("Will report by the end of the year.", dt.date(2026, 12, 31)),
    ("Will report during the year.", dt.date(2026, 12, 31)),
    ("Will report within six months.", dt.date(2027, 3, 9)),
    ("Will report before the next meeting.", None),
    ("The rules will enter into force on 1 July 2027.", dt.date(2027, 7, 1)),
    ("The protocol takes effect from 1 March 2027 to encourage investment.",
     dt.date(2027, 3, 1)),
    ("Will build on the conference on 21-22 June 2027 in London.", dt.date(2027, 6, 22)),
    ("Will meet during the conference in Paris on 13 December.", dt.date(2026, 12, 13)),
    ("Will report in advance of their 2028 Leaders' Meeting.", dt.date(2028, 12, 31)),
    ("Will do so once the transition is complete at the end of 2029.", dt.date(2029, 12, 31)),
    ("Will invest in the programme for 2027-28.", None),  # a programme's years
    ("Will fund it over two years.", None),
])
def test_deadline_phrases(phrase: str, due: dt.date | None) -> None:
    meeting = dt.date(2026, 9, 9)
    assert find_deadline(phrase, meeting.year, after=meeting, meeting=meeting) == due


COORDINATED = """\
On 1 June 2027 the Co-Chairs hosted the Thirty-first Meeting of the Ad Hoc Group Senior \
Officials in Male, Maldives.

- Members will help the Pacific members in meeting their reporting needs, will continue to \
support the regional data hub, and will further expand training during the regional \
conference to be held in Bangkok in October 2027.
- Members pledged to combat online scams, protect victims, and address forced criminality.
- Members agreed to mobilise private sector capital to modernise shelters, improve case \
management, and advance victim support.
- Members tasked the Lead Shepherds to finalise the work plan and to convene a review meeting.
"""


def test_coordinated_commitments_each_count_but_purposes_do_not() -> None:
    parsed = parse_statement(COORDINATED)
    kinds = [k for k, _, _ in open_items(parsed)]
    assert kinds == ["action", "ongoing", "action",  # help …, will continue …, will expand …
                     "action", "ongoing", "action",  # pledged to combat, protect, address
                     "action",  # mobilise … to modernise, improve, advance: one commitment
                     "action", "action"]  # tasked … to finalise and to convene
    assert open_items(parsed)[2][2] == "2027-10-31"
    assert [i.owner for i in parsed.items][-2:] == ["LS", "LS"]


def make_wrapped_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", size=22)  # a title too large for one line
    pdf.multi_cell(0, 10, "Seventeenth Meeting of the Ad Hoc Group Senior Officials",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5, "On 5 March 2029, the Co-Chairs of the Bali Process hosted the "
                   "Seventeenth Meeting of the Ad Hoc Group Senior Officials in Colombo, Sri "
                   "Lanka. In attendance were representatives from Afghanistan, Australia, "
                   "Bangladesh, Fiji, Indonesia, Japan, Malaysia, Maldives, Nepal, New "
                   "Zealand, Pakistan, Sri Lanka, Thailand and Viet Nam.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.multi_cell(0, 5, "- Members noted that online scams remain an issue of concern.",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, "- The Regional Support Office will publish a regional handbook on "
                   "victim identification by mid-2030.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_a_title_and_an_attendance_sentence_wrapped_in_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "ahg17.pdf"
    make_wrapped_pdf(path)
    document = read_document(path.read_bytes(), path.name)
    assert document.format == "pdf"
    parsed = parse_statement(document.text)
    meeting = parsed.meeting
    assert meeting.ref == "AHG17"
    assert meeting.title == "Seventeenth Meeting of the Ad Hoc Group Senior Officials"
    assert len(meeting.attendees) == 14
    assert not any(b.code.startswith("A") and "Ad" in b.name.split() for b in parsed.bodies)
    # "Members noted that …", right after the bullets' lead, is the members' note
    assert items(parsed) == [("note", "MEMBERS", None), ("action", "RSO", "2030-06-30")]
