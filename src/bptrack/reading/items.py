"""Stage 4: a block's sentences → items, each with its kind, owner, partners, due and title.

A block gives one item per commitment (action or ongoing), coordinated commitments split; a
block that commits nobody gives one record or note, its strongest. Each item says why it was
read so (`why`) and how sure the reading is (`confidence`), so a reviewer knows where to look.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bptrack.reading.bodies import Bodies, BodyRef
from bptrack.reading.deadlines import deadline_phrase
from bptrack.reading.kinds import KIND_RANK, classify
from bptrack.reading.meeting import ParsedMeeting, is_meeting_sentence
from bptrack.reading.sentences import clauses, coordinated, split_sentences
from bptrack.reading.words import capitalise, fold, shorten, straighten


@dataclass
class ParsedItem:
    kind: str
    title: str
    owner: str
    owner_name: str
    partners: list[str]
    due: dt.date | None
    source: str
    confidence: str = "high"
    why: str = ""

    @property
    def decided(self) -> bool:
        """Did a verb (or a heading of future work) decide the kind, not a fallback?"""
        return not self.why.startswith("kind: no verb")


@dataclass
class Context:
    """What the statement around a block says: its section's body, and its heading."""

    section: BodyRef | None = None
    future_heading: bool = False  # under "Recommendations", "Next steps", "Decisions" …
    fallback: BodyRef | None = None  # the meeting's own body, when a sentence names no one


_TITLE_CUTS = [
    r"affirmed the value of (?=continuing)", r"highlighted (?:its|their) commitment to ",
    r"(?:its|their|our) commitment to ", r"will further ", r"will also ", r"will ", r"shall ",
    r"plans to ", r"planning to ", r"agreed to ", r"committed to ", r"commits to ",
    r"intends? to ", r"undertook to ", r"resolved to ", r"decided to ", r"noted the need to ",
    r"needs? to ", r"raised the issue of ", r"aims? to ", r"seeks? to ", r"expects? to ",
    r"proposed to ", r"offered to ", r"volunteered to ",
    r"(?:tasked|requested|encouraged|invited|urged|asked) [^,;]{1,80}? to ",
    r"(?:supported|welcomed|endorsed|accepted) (?:the |a |an )?(?:[\w-]+ ){0,3}"
    r"(?:initiative|proposal|plan|offer|intention)s? (?:(?:of|by|from) [^,;]{1,60}? )?to ",
]
_TITLE_CUT = re.compile("|".join(f"(?:{c})" for c in _TITLE_CUTS), re.IGNORECASE)


def make_title(clause: str, kind: str, owner: BodyRef | None, bodies: Bodies) -> str:
    """A short summary: the commitment itself for actions, the event for records."""
    text = clause.strip()
    if kind in ("action", "ongoing"):
        m = _TITLE_CUT.search(text)
        if m:
            rest = text[m.end():]
            cue = fold(m.group(0))
            if cue.startswith("will further"):
                rest = "further " + rest
            elif cue.startswith("raised the issue of"):
                rest = "pursue " + rest  # "the issue of increased collaboration" → pursue it
            elif cue.endswith("commitment to ") and re.match(r"(?:the|a|an|its|their)\s",
                                                               rest, re.IGNORECASE):
                rest = "uphold " + rest  # "commitment to the Declaration" → uphold it
            if fold(rest).startswith("continuing "):
                rest = "continue " + rest[len("continuing "):]
            return capitalise(shorten(rest))
        continuing = re.match(r"^(?:[^,;]{0,120}?\s)?continues\s+(?=to\s|with\s|its\s|their\s)",
                              text, re.IGNORECASE)
        if continuing:  # "Continues to support members…" → "Continue to support members…"
            return capitalise(shorten("continue " + text[continuing.end():]))
    subject = bodies.subject(text)
    if subject is not None and owner is not None and subject.code == owner.code:
        stripped = re.sub(r"^\s*(?:The\s+)?\S+(?:\s+\S+){0,12}?\s+(?=(?:[a-z]+ed|held|met|"
                          r"shared|will|plans|continues)\b)", "", text, count=1)
        if stripped != text and stripped:
            text = stripped
    return capitalise(shorten(text))


_PRIORITY_LEAD = re.compile(
    r"priorities\b(?:[^:;.]{0,80}?:|\s+(?:of|include|including|are|were)\s+)", re.IGNORECASE)
_PRIORITY_TRIM = re.compile(r"^(?:and |the need for |the need to |the value of |the benefit of "
                            r"|the importance of |moving towards |continuing to |to )",
                            re.IGNORECASE)


def priority_list(sentence: str) -> list[str]:
    """The priorities a sentence lists after "priorities …:" / "priorities of …", if any."""
    m = _PRIORITY_LEAD.search(straighten(sentence))
    if not m:
        return []
    rest = sentence[m.end():].strip().rstrip(".")
    parts = [p.strip() for p in re.split(r";\s*|,\s+(?=and\s)|,\s+", rest) if p.strip()]
    cleaned = []
    for part in parts:
        part = _PRIORITY_TRIM.sub("", part).strip()
        part = _PRIORITY_TRIM.sub("", part).strip()
        if part:
            cleaned.append(part)
    return cleaned if len(cleaned) >= 2 else []


_DELEGATED = re.compile(r"\b(?:(?:agreed|decided|requested|recommended|proposed|resolved)\s+"
                        r"that|encouraged|invited|urged|asked|requested|tasked|called on|"
                        r"(?:offer|proposal|initiative|intention)s?\s+(?:of|by|from))\s+|"
                        r"\b(?:welcomed|supported|endorsed|accepted|noted)\s+(?=(?:the\s+)?"
                        r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}['’]s\s+(?:offer|proposal|"
                        r"initiative|intention))", re.IGNORECASE)
_VERBLESS = re.compile(r"^(?:[A-Z][a-z]+ing|To\s+[a-z]+|Further|Continued|Enhanced|Increased|"
                       r"Strengthened|Greater|New|Regular|Joint)\b")


# Bodies of the forum itself: named as a subject, one of them owns the item even inside
# another body's section. Members, co-chairs, countries and organisations do not.
_FORUM_KINDS = ("working group", "task force", "forum", "office")


@dataclass
class _Reading:
    kind: str
    cue: str
    clause: str
    sentence: str
    owners: list[BodyRef]
    owner_why: str


def items_of(text: str, context: Context, bodies: Bodies,
             meeting: ParsedMeeting) -> list[ParsedItem]:
    """The items of one block (a bullet, a numbered paragraph or a prose paragraph)."""
    source = " ".join(text.split())
    commitments: list[_Reading] = []
    best: _Reading | None = None
    subject_before: list[BodyRef] = []
    sentences = [s for s in split_sentences(source) if not is_meeting_sentence(s)]
    for sentence in sentences:
        sentence_subjects = bodies.subjects(sentence) or _pronoun(sentence, subject_before)
        if sentence_subjects:
            subject_before = sentence_subjects
        for clause in clauses(sentence):
            found = classify(fold(clause))
            if found is None:
                continue
            kind, cue = found
            owners, owner_why = _owners(clause, sentence_subjects, bodies)
            reading = _Reading(kind, cue, clause, sentence, owners, owner_why)
            if kind in ("action", "ongoing"):
                commitments.append(reading)
            elif best is None or KIND_RANK[kind] > KIND_RANK[best.kind]:
                best = reading
    if not commitments and best is None and sentences:
        first = sentences[0]
        if context.future_heading and _VERBLESS.match(first):
            commitments.append(_Reading("action", "a heading of future work", first, first,
                                        [], ""))
        elif first.rstrip().endswith((".", ";", "!", "?")) and len(
                re.findall(r"[A-Za-z]{2,}", first)) >= 3:
            best = _Reading("note", "", first, first, bodies.subjects(first), "its subject")
    readings = commitments or ([best] if best else [])
    items: list[ParsedItem] = []
    for reading in readings:
        items.extend(_items_of_reading(reading, source, context, bodies, meeting))
    if len(items) == 1:  # the whole block is its source; several items each cite a sentence
        items[0].source = source
    return items


def _pronoun(sentence: str, before: list[BodyRef]) -> list[BodyRef]:
    """"It will …", "The Group will …": the subject of the sentence before."""
    if before and re.match(r"\s*(?:it|they|the (?:group|forum|office|task force|working group|"
                           r"network|secretariat))\b", fold(sentence)):
        return before
    return []


def _owners(clause: str, sentence_subjects: list[BodyRef],
            bodies: Bodies) -> tuple[list[BodyRef], str]:
    delegated = _DELEGATED.search(clause)
    if delegated:
        # "Members agreed that the Co-Chairs will …": the Co-Chairs do it.
        # "welcomed Thailand's offer to host …": Thailand hosts.
        rest = re.sub(r"^((?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})['’]s\b", r"\1",
                      clause[delegated.end():])
        tasked = bodies.subjects(rest)
        if tasked:
            return tasked, f"'{' '.join(delegated.group(0).split())}' names who does it"
    own = bodies.subjects(clause)
    if own:
        return own, "the clause's subject"
    if sentence_subjects:
        return sentence_subjects, "the sentence's subject"
    return [], ""


def _items_of_reading(reading: _Reading, source: str, context: Context, bodies: Bodies,
                      meeting: ParsedMeeting) -> list[ParsedItem]:
    confidence = "high"
    why: list[str] = [f"kind: '{reading.cue}' ({reading.kind})" if reading.cue
                      else f"kind: no verb that decides it ({reading.kind})"]
    if not reading.cue:
        confidence = "low"
    named = [b for b in reading.owners if b.kind in _FORUM_KINDS]
    if context.section is not None and not (named and named[0].code != context.section.code):
        owner, owners = context.section, [context.section]
        why.append(f"owner: the section heading '{owner.name}'")
    elif reading.owners:
        owner, owners = reading.owners[0], reading.owners
        why.append(f"owner: {reading.owner_why}")
    elif context.fallback is not None:
        owner, owners = context.fallback, [context.fallback]
        why.append("owner: none named, so the meeting itself")
        confidence = "low"
    else:
        owner, owners = bodies.members(), [bodies.members()]
        why.append("owner: none named, so the members")
        confidence = "low"
    bodies.use(owner)
    partners = [b for b in owners[1:] if b.code != owner.code]
    for body in bodies.named_in(source):
        if body.code != owner.code and body not in partners and body.kind not in (
                "members", "co-chairs", "meeting"):
            partners.append(body)
    for partner in partners:
        bodies.use(partner)
    partner_codes = [b.code for b in partners]
    year = meeting.date.year if meeting.date else None

    def due_of(text: str) -> tuple[dt.date | None, str]:
        # Only the commitment's own words: a date in another clause is another's deadline.
        if reading.kind not in ("action", "ongoing"):
            return None, ""
        found = deadline_phrase(text, year, after=meeting.date)
        if found is None:
            return None, ""
        return found[1], f"due: '{found[0]}'"

    def item(kind: str, title: str, due: dt.date | None, due_why: str,
             sentence: str) -> ParsedItem:
        reasons = "; ".join(why + ([due_why] if due_why else []))
        return ParsedItem(kind, title, owner.code, owner.name, partner_codes, due, sentence,
                          confidence, reasons)

    if reading.kind == "ongoing":
        priorities = priority_list(reading.sentence)
        if priorities:
            due, due_why = due_of(reading.clause)
            out = []
            for p in priorities:
                p_due, p_why = due_of(p)
                out.append(item("ongoing", capitalise(shorten(p)), p_due or due,
                                p_why or due_why, reading.sentence))
            return out
    parts = coordinated(reading.clause) if reading.kind in ("action", "ongoing") else [
        reading.clause]
    out = []
    for n, part in enumerate(parts):
        kind = reading.kind
        if n > 0:
            found = classify(fold(part))
            kind = found[0] if found and found[0] in ("action", "ongoing") else reading.kind
        due, due_why = due_of(part)
        out.append(item(kind, make_title(part, kind, owner, bodies), due, due_why,
                        reading.sentence))
    return out
