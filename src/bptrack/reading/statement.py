"""A whole statement: where its outcomes start, its sections, and every block's items.

Nothing in the layout is required. An "Outcomes:" line, where there is one, ends the opening;
otherwise the opening is the title lines and the sentences that describe the meeting itself
(who hosted it, where, when, who attended), wherever they stand among the first paragraphs.
A heading that names a body opens that body's section; any other heading closes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bptrack.errors import InvalidValue
from bptrack.reading.blocks import Block, blocks
from bptrack.reading.bodies import BODY_WORDS, Bodies, BodyRef, core, find_entities
from bptrack.reading.items import Context, ParsedItem, items_of
from bptrack.reading.kinds import kind_of
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
    """A heading: a short line that is no sentence, or ends with a colon and commits nobody."""
    text = block.text.strip()
    words = len(text.split())
    if block.marker == "#":
        return True
    if text.endswith(":"):
        return words <= 16 and kind_of(fold(text)) is None
    if text.endswith((".", ";", "!", "?", ",")) or words > 16:
        return False
    if kind_of(fold(text)) is not None and not re.match(r"^[A-Z][A-Z ,&'’-]+$", text):
        # "Will meet in 2026" is an item; "DECISIONS AND FUTURE ACTIVITIES" is a heading.
        return bool(next_block and next_block.indent > block.indent and
                    BODY_WORDS.search(fold(text)))
    return True


def _names_body(text: str, bodies: Bodies) -> bool:
    low = fold(text)
    entities = find_entities(text)
    return bool(BODY_WORDS.search(low)) or core(text) in bodies.by_core or bool(
        re.search(r"\([A-Z][A-Za-z0-9&-]{1,15}\)\s*:?$", text)) or bool(
        entities and entities[0][0] <= 4) or text.strip().rstrip(":").upper() in bodies.by_code


def _opening(lines: list[str]) -> tuple[list[str], list[Block]]:
    """(the opening's lines, the blocks after it)."""
    start = next((i for i, line in enumerate(lines) if _OUTCOMES.match(line)), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if _OUTCOMES_LEAD.match(line)), None)
    if start is not None:
        return lines[:start], blocks(lines[start + 1:])
    all_blocks = blocks(lines)
    opening: list[str] = []
    rest: list[Block] = []
    in_opening = True
    for index, block in enumerate(all_blocks):
        following = all_blocks[index + 1] if index + 1 < len(all_blocks) else None
        if in_opening and block.marker in ("", "#") and _is_heading(block, following) and not \
                block.text.endswith(":"):
            opening.append(block.text)  # title lines: the statement's name, place, date
            continue
        in_opening = False
        sentences = split_sentences(block.text)
        about_meeting = [s for s in sentences if is_meeting_sentence(s)]
        if about_meeting and index < 12:
            opening.extend(about_meeting)
            if len(about_meeting) == len(sentences):
                continue
        rest.append(block)
    return opening, rest


def parse_statement(text: str, known: Iterable[BodyRef] = (), *,
                    ref: str | None = None) -> ParsedStatement:
    """Read an outcome statement: its meeting, and its items."""
    lines = clean_lines(text)
    opening, body_blocks = _opening(lines)
    meeting = parse_meeting("\n".join(opening), ref)
    bodies = Bodies(known)
    meeting_body = meeting.body()
    if meeting_body is not None:
        meeting_body = bodies.register(meeting_body)
    if re.search(r"(?:^|\n)\s*(?:\d+\.\s+)?We,? ", text) or re.search(r"\bWe (?:agreed|noted|"
                                                                       r"welcomed|tasked)\b",
                                                                       text):
        bodies.we = meeting_body or bodies.members()
    context = Context(fallback=meeting_body)
    section_indent: int | None = None  # set when the section's items are indented under it
    section_marked: bool | None = None  # whether the section's items are bullets
    items: list[ParsedItem] = []
    for index, block in enumerate(body_blocks):
        following = body_blocks[index + 1] if index + 1 < len(body_blocks) else None
        if section_indent is not None and block.indent <= section_indent:
            context.section, section_indent = None, None
        if _is_heading(block, following):
            heading = block.text.strip()
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
        items.extend(items_of(block.text, context, bodies, meeting))
    if not any(item.decided for item in items):  # only sentences no verb of ours decides
        raise StatementError("no outcomes found: no sentence says what was done, agreed or "
                             "will be done; is this an outcome statement?")
    return ParsedStatement(meeting, items, list(bodies.used.values()))
