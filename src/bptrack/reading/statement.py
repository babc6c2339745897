"""A whole statement: where its outcomes start, its sections, and every block's items.

Nothing in the layout is required. An "Outcomes:" line, where there is one, ends the opening;
otherwise the opening is the title lines and the sentences that describe the meeting itself
(who hosted it, where, when, who attended), wherever they stand among the first paragraphs.
A heading that names a body opens that body's section; any other heading closes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bptrack.errors import InvalidValue
from bptrack.reading.blocks import Block, blocks, title_case
from bptrack.reading.bodies import BODY_WORDS, Bodies, core
from bptrack.reading.clauses import predicates
from bptrack.reading.items import Context, ParsedItem, items_of, lead_in, opening_outcome
from bptrack.reading.known import BALI, BodyRef, countries_in, find_entities, find_forum
from bptrack.reading.meeting import ParsedMeeting, is_meeting_sentence, parse_meeting
from bptrack.reading.sentences import split_sentences
from bptrack.reading.text import clean_lines
from bptrack.reading.words import fold


@dataclass
class ParsedStatement:
    meeting: ParsedMeeting
    items: list[ParsedItem]
    bodies: list[BodyRef] = field(default_factory=list)  # every body the items name


class StatementError(InvalidValue):
    """Text that cannot be read as an outcome statement."""


# "Outcomes:", "Key Outcomes", "OUTCOMES", "Outcomes of the meeting:" (not "Outcome Statement",
# which is a title).
_OUTCOMES = re.compile(r"^\s*(?:#+\s*)?(?:key\s+|main\s+|meeting\s+)?outcomes?"
                       r"(?:\s+of\s+the\s+(?:meeting|discussions?))?\s*:?\s*$", re.IGNORECASE)
_OUTCOMES_LEAD = re.compile(r"^[^.:]{0,100}\b(?:outcomes|conclusions|decisions)\b[^.:]{0,60}:\s*$",
                            re.IGNORECASE)
_FUTURE_HEADING = re.compile(r"\b(?:recommendations?|future|next steps?|decisions?|way forward|"
                             r"actions?|follow-up|forward|work ?plan|agreed)\b")


def _is_heading(block: Block, next_block: Block | None) -> bool:
    """A heading: a short line that is no sentence ("Review of Progress", "The Working Group
    on Trafficking in Persons:"); a lead-in with a verb ("Leaders agreed to:") is not."""
    text = block.text.strip()
    words = len(text.split())
    if block.marker == "#":
        return True
    if text.endswith(":"):
        body = text[:-1].strip()
        return words <= 16 and (title_case(body) or body.isupper() or not predicates(body))
    if text.endswith((".", ";", "!", "?", ",")) or words > 16:
        return False
    if title_case(text) or (text.isupper() and words > 1):
        return True
    found = predicates(text)
    if not found:
        return True
    # "Will meet in 2026" is an item; a line naming a body over its indented list is a heading
    return bool(next_block and next_block.indent > block.indent and
                BODY_WORDS.search(fold(text)))


def _names_body(text: str, bodies: Bodies) -> bool:
    """Does a heading name a body whose section follows ("The Working Group on …:", "Bali
    Process Regional Support Office (RSO):", "Indonesia:")? A country's name alone, without
    a colon, is a topic ("Ukraine"), not a body."""
    low = fold(text)
    entities = find_entities(text)
    return bool(BODY_WORDS.search(low)) or core(text) in bodies.by_core or bool(
        re.search(r"\([A-Z][A-Za-z0-9&-]{1,15}\)\s*:?$", text)) or bool(
        entities and entities[0][0] <= 4 and text.rstrip().endswith(":")) or \
        text.strip().rstrip(":").upper() in bodies.by_code


def _opening(lines: list[str]) -> tuple[list[str], list[Block], set[str]]:
    """(the opening's lines, the blocks after it, the sentences of those blocks that are
    about the meeting itself and so no items)."""
    start = next((i for i, line in enumerate(lines) if _OUTCOMES.match(line)), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if _OUTCOMES_LEAD.match(line)), None)
    if start is not None:
        head = blocks(lines[:start])
        return ([s for b in head for s in split_sentences(b.text)], blocks(lines[start + 1:]),
                set())
    all_blocks = blocks(lines)
    opening: list[str] = []
    rest: list[Block] = []
    skip: set[str] = set()
    in_opening = True
    for index, block in enumerate(all_blocks):
        following = all_blocks[index + 1] if index + 1 < len(all_blocks) else None
        if in_opening and block.marker in ("", "#") and _is_heading(block, following) and not \
                block.text.endswith(":"):
            opening.append(block.text)  # title lines: the statement's name, place, date
            continue
        in_opening = False
        sentences = split_sentences(block.text)
        about_meeting = [s for s in sentences if is_meeting_sentence(s)] if index < 8 else []
        if index < 4 and not about_meeting and not skip and sentences and not any(
                s in opening for s in sentences):
            opening.append(sentences[0])  # a first sentence that says who met, and when
        if about_meeting:
            opening.extend(about_meeting)
            skip.update(" ".join(s.split()) for s in about_meeting)
            if len(about_meeting) == len(sentences) and not any(
                    opening_outcome(s) for s in about_meeting):
                continue
        rest.append(block)
    return opening, rest, skip


def _members(meeting: ParsedMeeting, opening: str, bodies_known: list[BodyRef],
             text: str = "") -> BodyRef:
    """Who "We", "Members", "Ministers" and "Leaders" are: the forum's members, the two
    (or three) governments of a joint statement, or the meeting's participants."""
    if meeting.forum is not None:
        return meeting.forum.members
    low = fold(opening)
    known_cores = {core(b.name) for b in bodies_known if b.kind not in ("country",
                                                                         "organisation")}
    if re.search(r"\b(?:bali process|ad hoc group|regional support office|ahg)\b", low) or \
            meeting.ref.startswith(("AHG", "SOSG", "BPMC", "SOM")) or not opening.strip() or (
                meeting.name and core(meeting.name) in known_cores):
        return BALI.members
    head = [line.title() if line.isupper() else line for line in opening.split("\n")[:6]]
    parties = countries_in(" ".join(head))
    # A joint statement of two or three governments says so: in its title ("Joint Statement
    # by …", "AFGHANISTAN AUSTRALIA INDONESIA") or by calling them "the two Governments"
    joint = re.search(r"\b(?:joint (?:statement|press release|communiqu[eé]|declaration)|"
                      r"bilateral|trilateral)\b", low) or re.search(
        r"\b(?:the two|both|the three) (?:governments|countries|leaders|prime ministers|"
        r"ministers|sides|presidents|nations)\b", fold(text))
    if 2 <= len(parties) <= 3 and joint:
        code = "-".join(p.code for p in parties)
        names = [p.name for p in parties]
        name = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 2 else \
            " and ".join(names)
        return BodyRef(code, name, "members")
    return BodyRef("PARTICIPANTS", "Meeting participants", "members")


# The longest real statements give a few hundred items; more is a wrong or hostile file, and
# stopping there bounds the time and memory of reading it.
MAX_ITEMS = 2_000


def parse_statement(text: str, known: Iterable[BodyRef] = (), *,
                    ref: str | None = None,
                    tick: Callable[[int], None] | None = None) -> ParsedStatement:
    """Read an outcome statement: its meeting, and its items; `tick(n)` as n paragraphs (or
    bullets) have been read."""
    lines = clean_lines(text)
    opening, body_blocks, skip = _opening(lines)
    opening_text = "\n".join(opening)
    forum = find_forum(opening_text[:3000]) or find_forum("\n".join(lines[:12])[:3000])
    meeting = parse_meeting(opening_text, ref, text="\n".join(lines), forum=forum)
    known = list(known)
    members = _members(meeting, opening_text, known, text)
    if ref is None and meeting.forum is None and meeting.ordinal is None and not meeting.name \
            and members.code not in ("MEMBERS", "PARTICIPANTS"):
        # A joint statement of two or three governments: their codes and the date
        meeting.ref = members.code + (f"-{meeting.date:%Y%m%d}" if meeting.date else "")
    bodies = Bodies(known, members=members)
    bodies.learn_acronyms(" ".join(lines))
    meeting_body = meeting.body()
    if meeting_body is not None:
        meeting_body = bodies.register(meeting_body)
    if re.search(r"(?:^|\n)\s*(?:\d+\.\s+)?We,? ", text) or re.search(r"\bWe (?:agreed|noted|"
                                                                       r"welcomed|tasked)\b",
                                                                       text):
        bodies.we = bodies.members() if meeting.forum is not None or meeting_body is None \
            else meeting_body
    context = Context(fallback=meeting_body)
    section_indent: int | None = None  # set when the section's items are indented under it
    section_marked: bool | None = None  # whether the section's items are bullets
    items: list[ParsedItem] = []
    for index, block in enumerate(body_blocks):
        if tick is not None and index % 100 == 99:
            tick(100)
        following = body_blocks[index + 1] if index + 1 < len(body_blocks) else None
        if section_indent is not None and block.indent <= section_indent:
            context.section, section_indent = None, None
        if _is_heading(block, following):
            heading = block.text.strip()
            context.lead = None
            if _names_body(heading, bodies) and not _FUTURE_HEADING.search(fold(heading)):
                context.section = bodies.from_header(heading)
                context.future_heading = False
            else:
                context.section = None
                context.future_heading = bool(_FUTURE_HEADING.search(fold(heading)))
            section_indent = block.indent if (following and following.indent > block.indent) \
                else None
            section_marked = None
            continue
        if context.section is not None:
            # A plain paragraph after a section of bullets (or the other way round) is back
            # in the statement's own voice.
            if section_marked is None:
                section_marked = block.marked
            elif block.marked != section_marked:
                context.section, section_indent = None, None
        if context.lead is not None and not block.marked and not block.text.rstrip().endswith(
                ":"):
            context.lead = None  # a plain paragraph after the list
        sentences = split_sentences(" ".join(block.text.split()))
        last = sentences[-1] if sentences else ""
        lead = lead_in(last, bodies, context.lead) if last.endswith(":") else None
        body_text = " ".join(sentences[:-1]) if lead is not None or (
            last.endswith(":") and context.lead is not None) else block.text
        items.extend(items_of(body_text, context, bodies, meeting, skip,
                              room=MAX_ITEMS - len(items)))
        if len(items) > MAX_ITEMS:
            raise StatementError(f"the text reads as more than {MAX_ITEMS:,} items; no outcome "
                                 "statement is that long (is this the right file?)")
        if last.endswith(":"):
            context.lead = lead or context.lead
    if not any(item.decided for item in items):  # only sentences no verb of ours decides
        raise StatementError("no outcomes found: no sentence says what was done, agreed or "
                             "will be done; is this an outcome statement?")
    return ParsedStatement(meeting, items, list(bodies.used.values()))
