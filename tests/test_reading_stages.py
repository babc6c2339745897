"""Each stage of the statement reader on its own: pure functions, small inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from bptrack.reading import kind_of, parse_statement
from bptrack.reading.blocks import blocks
from bptrack.reading.bodies import Bodies
from bptrack.reading.deadlines import find_deadline
from bptrack.reading.known import BodyRef, find_entities
from bptrack.reading.meeting import is_meeting_sentence, parse_meeting
from bptrack.reading.sentences import coordinated, split_sentences
from bptrack.reading.text import clean_lines
from bptrack.reading.words import fold

# --- text: what PDF extraction does to a statement -----------------------------------------

def test_page_numbers_and_running_footers_are_dropped() -> None:
    text = ("Members agreed to meet.\nSOM7 – Co-Chairs' Statement\n1\n"
            "The RSO will report.\nSOM7 – Co-Chairs' Statement\nPage 2 of 2\n")
    assert [line for line in clean_lines(text) if line] == [
        "Members agreed to meet.", "The RSO will report."]


def test_a_wrapped_line_repeated_more_often_than_the_pages_is_content() -> None:
    """Sixty pages of a long statement can wrap the same words onto a line of their own
    hundreds of times; a running header is there once a page."""
    page = ("SOM7 – Co-Chairs' Statement\n"
            + "- Will train officers in 2031, working with members and\n"
              "partners on the next steps.\n" * 5)
    text = "".join(f"{page}Page {n} of 3\n" for n in range(1, 4))
    kept = [line for line in clean_lines(text) if line]
    assert "SOM7 – Co-Chairs' Statement" not in kept
    assert kept.count("partners on the next steps.") == 15


def test_hyphenation_at_a_line_end_is_joined() -> None:
    assert clean_lines("will incorporate the recom-\nmendations into it.")[0] == (
        "will incorporate the recommendations into it.")
    # A hyphen before a capital is part of a name, not a break.
    assert clean_lines("the Asia-\nPacific region") == ["the Asia-", "Pacific region"]


def test_a_paragraph_number_alone_on_its_line_joins_its_paragraph() -> None:
    assert clean_lines("3.\nMembers agreed to meet.\n(b)\nThe RSO will report.") == [
        "3. Members agreed to meet.", "(b) The RSO will report."]


# --- blocks --------------------------------------------------------------------------------

def test_wrapped_lines_join_but_short_title_lines_stay_apart() -> None:
    lines = ["Twenty-fifth Meeting of the Ad Hoc Group",
             "Co-Chairs' Statement",
             "On 20 November 2028 the Co-Chairs hosted the Twenty-fifth Meeting of the Ad",
             "Hoc Group Senior Officials in Jakarta, Indonesia, with members and partners.",
             "The RSO will roll out its learning platform to all members in the first half",
             "of 2029."]
    texts = [b.text for b in blocks(lines)]
    assert texts[:2] == ["Twenty-fifth Meeting of the Ad Hoc Group", "Co-Chairs' Statement"]
    assert texts[2].endswith("with members and partners.") and len(texts) == 4


def test_markers_and_markdown_headings() -> None:
    found = blocks(["## Commitments", "II. Decisions", "   a) Adopting a declaration.",
                    "10. The next meeting will be held in 2027."])
    assert [(b.marker, b.text) for b in found] == [
        ("#", "Commitments"), ("II.", "Decisions"), ("a)", "Adopting a declaration."),
        ("10.", "The next meeting will be held in 2027.")]
    assert found[1].roman and found[3].numbered


# --- sentences -----------------------------------------------------------------------------

def test_sentences_keep_abbreviations() -> None:
    assert split_sentences("Members met, e.g. in Bali. The RSO will report.") == [
        "Members met, e.g. in Bali.", "The RSO will report."]


@pytest.mark.parametrize(("clause", "parts"), [
    ("will continue to deliver training and develop a compendium of good practice",
     ["will continue to deliver training", "will develop a compendium of good practice"]),
    ("requested the RSO to expand its assistance and to report on progress",
     ["requested the RSO to expand its assistance", "requested the RSO to report on progress"]),
    # Nouns after "and" are objects, not second commitments.
    ("will deliver training and support to members", [
        "will deliver training and support to members"]),
    ("will initiate another Joint Period of Action to disrupt smuggling and trafficking", [
        "will initiate another Joint Period of Action to disrupt smuggling and trafficking"]),
])
def test_coordinated_commitments_are_split(clause: str, parts: list[str]) -> None:
    assert coordinated(clause) == parts


# --- kinds from the main clause ------------------------------------------------------------

@pytest.mark.parametrize(("clause", "kind"), [
    ("Members acknowledged the rise, including the ongoing impacts of Covid-19", "note"),
    ("Scams remain an issue of ongoing concern", "note"),
    ("Members supported the initiative to hold a regional workshop", "action"),
    ("Members welcomed the report, which will be published in 2026", "note"),
    ("Members noted that scams will continue to grow", "note"),
    ("Ministers encouraged the Forum to continue promoting responsible supply chains",
     "ongoing"),
    ("Members agreed that the RSO would prepare a stocktake", "action"),
    ("Ministers welcomed Thailand's offer to host the next Conference", "action"),
    ("We reaffirmed our commitment to the Plan of Action", "ongoing"),
    ("We expressed our appreciation to the host", "note"),
])
def test_kind_from_the_main_clause(clause: str, kind: str) -> None:
    assert kind_of(fold(clause)) == kind


# --- deadlines -----------------------------------------------------------------------------

MEETING = dt.date(2026, 3, 9)


@pytest.mark.parametrize(("phrase", "due"), [
    ("will hold it in late 2026", dt.date(2026, 12, 31)),
    ("will hold it in early 2027", dt.date(2027, 3, 31)),
    ("will finish before the next Conference, scheduled for 2029", dt.date(2029, 12, 31)),
    ("will finish before the next Conference, scheduled for March 2029",
     dt.date(2029, 3, 31)),
    ("will report by the end of the year", dt.date(2026, 12, 31)),
    ("will report in 2027-H1", dt.date(2027, 6, 30)),
    ("will report by 30 June 2026", dt.date(2026, 6, 30)),
    ("will report by June 30, 2026", dt.date(2026, 6, 30)),
    # A date at or before the meeting says when something happened.
    ("will address the surge in the first half of 2025", None),
    ("will follow up the workshop hosted by Indonesia in August 2013", None),
    ("will report by 9 March 2026", None),
])
def test_deadlines_after_the_meeting(phrase: str, due: dt.date | None) -> None:
    assert find_deadline(phrase, MEETING.year, after=MEETING) == due


@pytest.mark.parametrize("sentence", [
    "Met on 5 December 2025 and will report by 30 June 2026, then in 2027.",
    "Will report in 2025 and by the end of 2027", "in August 2013 and in 2029-H2",
    "within six months, by mid-2027 or later this year", "no later than the end of 2028",
    "on 13 December, and before the 2028 Summit", "by Q3 2027; during 2026", "nothing",
    "in the second half of 2026 in the first quarter of 2027", "in 2024 in 2025 in 2026",
])
def test_the_earliest_deadline_is_what_every_pattern_alone_finds(sentence: str) -> None:
    """One pass over the sentence finds the phrase that trying each pattern over the whole
    sentence finds: the earliest whose date holds, the first pattern's at one place."""
    from bptrack.reading.deadlines import _DEADLINES, _day, deadline_phrase
    from bptrack.reading.words import fold

    low, hits = fold(sentence), []
    for pattern, shape in _DEADLINES:
        for m in pattern.finditer(low):
            day = _day(shape, m, MEETING.year, MEETING)
            if day is not None and day > MEETING:
                hits.append((m.start(), sentence[m.start():m.end()], day))
    expected = min(hits, key=lambda hit: hit[0])[1:] if hits else None
    assert deadline_phrase(sentence, MEETING.year, after=MEETING, meeting=MEETING) == expected


# --- meeting details -----------------------------------------------------------------------

@pytest.mark.parametrize(("opening", "ref", "title"), [
    ("On 5 May 2013 the Co-Chairs hosted the Tenth Meeting Ad Hoc Group Senior Officials.",
     "AHG10", "Tenth Meeting of the Ad Hoc Group Senior Officials"),
    ("Sixth Bali Process Senior Officials Meeting\nHeld in Bali on 2 March 2016.", "SOM6",
     "Sixth Bali Process Senior Officials Meeting"),
    ("Sixth Bali Process Regional Ministerial Conference\nBali, Indonesia, 23 March 2016",
     "BPMC6", "Sixth Bali Process Regional Ministerial Conference"),
    ("The 7th ASEAN Ministerial Meeting on Transnational Crime met in Siem Reap.", "AMMTC7",
     "7th ASEAN Ministerial Meeting on Transnational Crime"),
    ("Task Force on Planning and Preparedness\nSixth Meeting – Co-Chairs' Summary", "TFPP6",
     "Sixth Meeting of the Task Force on Planning and Preparedness"),
])
def test_meeting_ref_from_its_own_name(opening: str, ref: str, title: str) -> None:
    meeting = parse_meeting(opening)
    assert (meeting.ref, meeting.title) == (ref, title)
    assert not meeting.ref.startswith("BODY")


def test_ref_can_be_given() -> None:
    assert parse_meeting("Tenth Meeting of the Ad Hoc Group", ref="X1").ref == "X1"


def test_attendance_in_two_sentences_without_observers() -> None:
    meeting = parse_meeting(
        "The Eleventh Meeting of the Ad Hoc Group was held in Colombo, Sri Lanka, on 16 "
        "November 2016.\nIn attendance were representatives from Australia, Nepal and "
        "Vietnam as well as representatives from UNHCR, UNODC and the IOM. Canada and "
        "Germany attended as observers.")
    assert meeting.attendees == ["Australia", "Nepal", "Vietnam", "UNHCR", "UNODC", "IOM"]
    assert meeting.location == "Colombo, Sri Lanka"
    assert meeting.date == dt.date(2016, 11, 16)


@pytest.mark.parametrize("sentence", [
    "The meeting was co-chaired by Indonesia and Australia.",
    "Participants from Australia, Fiji and IOM took part.",
    "We, the ASEAN Ministers, gathered in Kuala Lumpur on 14 October 2027.",
    "Canada and Switzerland attended as observers.",
])
def test_sentences_about_the_meeting_itself(sentence: str) -> None:
    assert is_meeting_sentence(sentence)


def test_an_outcome_is_not_about_the_meeting() -> None:
    assert not is_meeting_sentence("The next Senior Officials Meeting will be held in 2027.")


# --- bodies, members, organisations --------------------------------------------------------

def test_countries_and_organisations_are_known_as_data() -> None:
    names = [(body.code, "…") for _, _, body in find_entities(
        "Australia, the Philippines, Viet Nam, Hong Kong, China and the IOM")]
    assert [code for code, _ in names] == ["AUS", "PHL", "VNM", "HKG", "IOM"]


def test_china_after_a_comma_is_china() -> None:
    """Hong Kong's spellings once held " China", which took the China of "Indonesia, China
    and Japan" (a space after a comma) for Hong Kong."""
    assert [body.code for _, _, body in find_entities(
        "Indonesia, China and Japan; Hong Kong SAR, China")] == ["IDN", "CHN", "JPN", "HKG"]


@pytest.mark.parametrize("text", [
    "xSouth Sudan and Sudan", "Niger, Nigeria and Niger-Delta", "-France; France-x France",
    "UNHCR's, the UN-led UN", "São Tomé and Príncipe", "Lao PDR.", "the IOM/UNODC unit",
    "Timor-Leste and Timor", "Papua New Guinea and Guinea-Bissau, Guinea", "", "—Fiji—"])
def test_spellings_are_found_as_one_alternation_finds_them(text: str) -> None:
    """Word by word (Spellings) finds what one pattern of every spelling, longest first and
    never inside a word or after a hyphen, finds."""
    import re

    from bptrack.reading.known import _index

    spellings, table = _index()
    alternation = re.compile(r"(?<![\w-])(?:" + "|".join(
        re.escape(s) for s in sorted(table, key=len, reverse=True)) + r")(?![\w-])")
    assert spellings.find(text) == [(m.start(), m.end(), m.group(0))
                                    for m in alternation.finditer(text)]


def test_a_spelling_must_begin_with_a_word() -> None:
    from bptrack.reading.known import Spellings

    with pytest.raises(ValueError, match="begins with a word"):
        Spellings(["Fiji", " China"])


@pytest.mark.parametrize("text", ["“Regional” – 2024’s ‘plan’ — done", "plain ASCII - 'x'",
                                  "Côte d’Ivoire−2 ‐ „x“", ""])
def test_folding_replaces_as_a_translation_table_would(text: str) -> None:
    from bptrack.reading.words import _FOLD, straighten

    assert straighten(text) == text.translate(str.maketrans(_FOLD))
    assert fold(text) == text.translate(str.maketrans(_FOLD)).lower()


def test_several_owners_become_owner_and_partners() -> None:
    parsed = parse_statement("Outcomes:\nAustralia and Indonesia will pursue a pilot joint "
                             "information campaign by the end of 2026.\n")
    item = parsed.items[0]
    assert (item.kind, item.owner, item.partners) == ("action", "AUS", ["IDN"])


def test_a_generic_name_means_the_body_already_named() -> None:
    bodies = Bodies([BodyRef("GABF", "Government and Business Forum", "forum")])
    assert bodies.subject("The Forum launched its guide.") == bodies.by_code["GABF"]
    assert bodies.subject("The Group will meet.") is None  # no group known: nobody invented


def test_each_item_says_why_and_how_sure() -> None:
    parsed = parse_statement("Outcomes:\n- Will meet again in 2031.\n"
                             "- The Co-Chairs will write to members by June 2031.\n")
    unnamed, named = parsed.items
    assert unnamed.confidence == "low" and "none named" in unnamed.why
    assert named.confidence == "high"
    assert "'will' (action)" in named.why and "'by June 2031'" in named.why
