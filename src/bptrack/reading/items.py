"""Stage 4: a block's sentences → items, each with its kind, owner, partners, due and title.

One item per sentence that reports, observes or commits, and one per commitment where a
sentence holds several (coordinated verbs, "agreed that A … and that B …"). A sentence with a
commitment and a note or record beside it is one item, keyed on the commitment. Bullets
without a verb of their own under a lead-in ("Leaders agreed to:") are read with it. Each
item says why it was read so (`why`) and how sure the reading is (`confidence`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bptrack.reading.bodies import Bodies
from bptrack.reading.clauses import Predicate, cue_of, predicates
from bptrack.reading.deadlines import deadline_phrase
from bptrack.reading.kinds import KIND_RANK, REPORT, Reading, read
from bptrack.reading.known import BodyRef, find_entities
from bptrack.reading.lexicon import OBSERVE
from bptrack.reading.meeting import ParsedMeeting
from bptrack.reading.sentences import split_sentences
from bptrack.reading.subjects import subject_class
from bptrack.reading.titles import make_title, priority_list
from bptrack.reading.words import capitalise, fold, shorten

OPEN = ("action", "ongoing")
_LONGEST_SOURCE = 2000  # a sentence longer than this is not kept whole for each of its items


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
class Lead:
    """A lead-in ending with a colon ("Leaders agreed to:"): its list's items are read with
    it when they have no verb of their own."""

    text: str  # without the colon and "the following"
    kind: str | None  # what a verbless item under it is, when the lead-in says
    owner: list[BodyRef] = field(default_factory=list)


@dataclass
class Context:
    """What the statement around a block says: its section's body, its heading, its
    lead-in."""

    section: BodyRef | None = None
    future_heading: bool = False  # under "Recommendations", "Next steps", "Decisions" …
    fallback: BodyRef | None = None  # the meeting's own body, when a sentence names no one
    lead: Lead | None = None


_VERBLESS = re.compile(r"^(?:[A-Z][a-z]+ing|To\s+[a-z]+|Further|Continued|Enhanced|Increased|"
                       r"Strengthened|Greater|New|Regular|Joint)\b")
# Bodies of the forum itself: named as a subject, one of them owns the item even inside
# another body's section. Members, co-chairs, countries and organisations do not.
_FORUM_KINDS = ("working group", "task force", "forum", "office")
# Verbs whose "that"-clause holds what was agreed or promised: its commitments count.
_AGREEING = frozenset(["agree", "decide", "resolve", "recommend", "propose", "request", "urge",
                       "ask", "insist", "assure", "reassure", "undertake", "guarantee",
                       "determine", "ensure", "stipulate", "accept", "reach", "pledge", "promise",
                       "vow", "commit", "confirm"])
# A lead-in whose list is of steps to take: its verbless items are actions.
_STEPS = re.compile(r"\b(?:steps|actions|measures|initiatives|recommendations|commitments|"
                    r"deliverables|activities|decisions|tasks|projects|undertakings|outcomes|"
                    r"proposals|action points|next steps|agreed to|agree to|agreed on|"
                    r"resolved to|decided to|committed to|will)\b", re.IGNORECASE)
_QUOTED = re.compile(r"^[\"“‘'].{3,1500}[\"”’'],?\s+(?:[a-z]+\s+)?(?:he|she|they|it|"
                     r"the \w+(?: \w+)?|"
                     r"[A-Z][\w.]*(?: [A-Z][\w.]*){0,3})\s+(?:said|says|added|stated|noted|"
                     r"remarked|told \w+|explained|declared)\b|^[\"“].{3,1500}[\"”]\s*$")
_PERSON_SPEECH = re.compile(r"\b(?:said|says|told|stated|remarked|added|noted)\s*[.,]?\s*$|"
                            r"^[\"“]", re.IGNORECASE)


@dataclass
class _Found:
    reading: Reading
    text: str  # the words the item is about: the predicate (with its subject, if its own)
    owners: list[BodyRef]
    owner_why: str
    confidence: str = "high"
    notes: list[str] = field(default_factory=list)


def items_of(text: str, context: Context, bodies: Bodies, meeting: ParsedMeeting,
             skip: set[str] | frozenset[str] = frozenset(), *,
             room: int | None = None) -> list[ParsedItem]:
    """The items of one block (a bullet, a numbered paragraph or a prose paragraph);
    `skip` holds the sentences about the meeting itself, which give no item unless they
    also state an outcome. Reading stops once there are more than `room` items."""
    source = " ".join(text.split())
    items: list[ParsedItem] = []
    subject_before: list[BodyRef] = []
    for sentence in split_sentences(source):
        read_as = sentence
        if " ".join(sentence.split()) in skip:
            outcome = opening_outcome(sentence)
            if outcome is None:
                continue
            read_as = outcome
        found, subject_before = _sentence(read_as, context, bodies, subject_before)
        for f in found:
            items.extend(_items(f, sentence, context, bodies, meeting))
            if room is not None and len(items) > room:
                return items
    return items


def lead_in(sentence: str, bodies: Bodies, inherited: Lead | None) -> Lead | None:
    """A sentence ending in a colon that introduces a list, or None."""
    text = sentence.strip()
    if not text.endswith(":"):
        return None
    body = re.sub(r"\s*(?:as follows|the following(?:\s+\w+){0,3}?)?\s*:$", "", text,
                  flags=re.IGNORECASE)
    found = predicates(body + " x") if body else []
    if not found:
        return None
    p = found[0]
    if subject_class(p.subject) == "thing" and re.match(r"(?:this|these|it)\b", fold(p.subject)):
        # "This includes:" continues the list it follows
        return inherited
    kind: str | None = None
    if _STEPS.search(fold(text)) and not re.search(r"\b(?:issues|topics|areas|matters|events|"
                                                   r"themes|subjects)\b", fold(text)):
        kind = "action"
    owners = bodies.owners_of(p.subject) if p.subject else []
    return Lead(body, kind, owners)


def _sentence(sentence: str, context: Context, bodies: Bodies,
              before: list[BodyRef]) -> tuple[list[_Found], list[BodyRef]]:
    """The readings a sentence gives: its commitments, else its strongest other reading."""
    lead = context.lead
    stripped = re.sub(r"^\*\*[^*]{1,60}:?\*\*:?\s*|^[A-Z][\w ]{1,40}:\s+(?=[A-Z])", "",
                      sentence)  # "**Food Security:** The UAE …", "Clean Energy: India will …"
    text = stripped
    if _QUOTED.match(text):
        # '"This forum will remain central to our work," he said.': what was said
        return [_Found(Reading("note", "quoted", _bare(text)), text, before, "the speaker",
                       confidence="high")], before
    found = predicates(text)
    if found and found[0].group.lemma in ("convene", "meet", "gather") and re.match(
            r"(?:to|for)\b", fold(found[0].complement)):
        outcome = opening_outcome(text)  # "We have convened to reaffirm our commitment …"
        if outcome is not None:
            found = predicates(outcome)
            text = outcome
    own_subject = bool(found) and bool(found[0].subject.strip()) and not found[0].shared
    if lead is not None and (not found or not own_subject):
        combined = f"{lead.text} {text[:1].lower() + text[1:] if _lowercase(text) else text}"
        readings = _readings(predicates(combined), bodies, lead.owner or before)
        if lead.kind == "action" and (not readings or all(r.reading.kind not in OPEN
                                                          for r in readings)):
            readings = [_Found(Reading("action", f"the lead-in '{shorten(lead.text)[:60]}:'",
                                       predicates(combined)[0] if predicates(combined) else
                                       _bare(text)), text, lead.owner, "the lead-in's subject",
                               confidence="high" if lead.owner else "low")]
        for r in readings:
            r.text = text
            if not r.owners and lead.owner:
                r.owners, r.owner_why = lead.owner, "the lead-in's subject"
        if readings:
            return _choose(readings), before
    if not found:
        if context.future_heading and _VERBLESS.match(text):
            return [_Found(Reading("action", "a heading of future work", _bare(text)), text,
                           [], "", confidence="low")], before
        if text.rstrip().endswith((".", ";", "!", "?")) and len(
                re.findall(r"[A-Za-z]{2,}", text[:200])) >= 3:
            owners = bodies.subjects(text[:300])
            return [_Found(Reading("note", "", _bare(text)), text, owners, "its subject",
                           confidence="low")], before
        return [], before
    readings = _readings(found, bodies, before)
    subjects = next((r.owners for r in readings if r.owners and r.owner_why.startswith(
        "the subject")), None)
    return _choose(readings), subjects or before


# "…, reaffirming their strong commitment to …"; "We have convened to reaffirm …": a
# convening sentence that also says what was decided.
_OPENING_OUTCOME = re.compile(
    r"(?:,\s*|\bto\s+)(reaffirm(?:ing)?|affirm(?:ing)?|renew(?:ing)?|adopt(?:ing)?|"
    r"sign(?:ing)?|launch(?:ing)?|endors(?:e|ing)|commit(?:ting)?|pledg(?:e|ing)|"
    r"agree(?:ing)? (?:to|on)|urg(?:e|ing))\s+(.{8,})$", re.IGNORECASE)


def opening_outcome(sentence: str) -> str | None:
    """The outcome a sentence about the meeting states, as a sentence of its own."""
    m = _OPENING_OUTCOME.search(sentence)
    if not m:
        return None
    verb = m.group(1).lower()
    verb = re.sub(r"ing$", "", verb)
    verb = {"reaffirm": "reaffirm", "affirm": "affirm", "renew": "renew", "adopt": "adopt",
            "sign": "sign", "launch": "launch", "endors": "endorse", "endorse": "endorse",
            "commit": "commit", "committ": "commit", "pledg": "pledge", "pledge": "pledge",
            "urg": "urge", "urge": "urge"}.get(verb.split()[0], verb)
    if verb.startswith("agree"):
        verb = "agree " + m.group(1).split()[-1]
    return f"We {verb} {m.group(2)}"


def _lowercase(text: str) -> bool:
    first = text.split()[0] if text.split() else ""
    return bool(first) and first[0].isupper() and first[1:].islower() and first.lower() in (
        "the", "a", "an", "reform", "consideration", "adopting", "joint", "further", "entry",
        "commencement", "inclusion", "merge", "rationalise", "establishment", "creation")


def _bare(text: str) -> Predicate:
    from bptrack.reading.tokens import VerbGroup

    return Predicate(text, "", VerbGroup(0, 0, "", "base"), text, text, span=(0, len(text)))


def _choose(readings: list[_Found]) -> list[_Found]:
    """The commitments of a sentence (a record or note beside them is part of the same
    item: "reviewed … and noted the need to …"); else its strongest other reading."""
    commitments = [r for r in readings if r.reading.kind in OPEN]
    if commitments:
        return commitments
    if not readings:
        return []
    # "agreed that it is vital …" is what the meeting concluded; else records before notes
    views = [r for r in readings if r.reading.predicate.outer is not None and
             r.reading.predicate.outer.group.lemma in ("agree", "decide", "conclude")]
    if views:
        return [views[0]]
    best = readings[0]
    for r in readings[1:]:
        if KIND_RANK[r.reading.kind] > KIND_RANK[best.reading.kind]:
            best = r
    return [best]


def _readings(found: list[Predicate], bodies: Bodies, before: list[BodyRef]) -> list[_Found]:
    out: list[_Found] = []
    targets: dict[int, str] = {}  # the verb group's id -> whom it tasks
    for p in found:
        reading = read(p)
        if reading is not None and reading.target:
            targets[id(p.group)] = reading.target
        if reading is not None and p.group.under is not None and not reading.target:
            reading.target = targets.get(id(p.group.under), "")
        if reading is None:
            if p.group.lemma in ("reiterate", "reaffirm", "confirm", "recall", "restate",
                                 "welcome", "note", "announce", "express", "underline"):
                out.extend(_nominal_that(p, bodies, before))
            continue
        owners, why = _owners(p, reading, bodies, before)
        confidence = "high" if reading.confident else "low"
        outer = p.outer
        agreeing = False
        if outer is not None:
            lemma = outer.group.lemma
            agreeing = lemma in _AGREEING or re.match(r"(?:it|agreement|consensus)\b",
                                                      fold(outer.subject)) is not None
            if reading.kind in OPEN and not agreeing:
                if lemma in REPORT and p.group.modal in ("will", "shall") and \
                        subject_class(p.subject) in ("people", "we") and p.subject[:1].isupper():
                    confidence = "low"  # "advised that New Zealand will …": its own word
                else:
                    reading = Reading("note", reading.cue, p, confident=False)
            if (agreeing and reading.kind in OPEN and (not owners or subject_class(
                    p.subject) in ("thing", "none"))) or (agreeing and subject_class(
                    p.subject) == "people" and owners and owners[0].kind == "members"):
                outer_owners, _ = _owners(outer, reading, bodies, before)
                if outer_owners and (not owners or subject_class(p.subject) == "thing") and \
                        not why.startswith("'by"):
                    owners, why = outer_owners, f"'{outer.group.lemma}' by the subject"
        if outer is not None and agreeing and reading.kind not in OPEN:
            # "agreed that the report provided a strong basis …": a view the meeting took
            reading = Reading("note", f"'{_short(cue_of(outer))}' a view", p)
        if outer is not None and not agreeing and not (
                outer.group.lemma in REPORT and reading.kind in OPEN):
            continue  # "recalled that …", "noted that …": the noting is the item
        if p.extras.get("inner") and reading.kind not in OPEN and outer is None and any(
                q.outer is p for q in found) and p.group.lemma in _AGREEING:
            continue  # "agreed that …": the clause after "that" is the item, not "agreed"
        out.append(_Found(reading, p.text, owners, why, confidence))
    return out


def _nominal_that(p: Predicate, bodies: Bodies, before: list[BodyRef]) -> list[_Found]:
    """"We reiterate our decision that the price cap … will enter into force on …"."""
    m = re.search(r"\b(?:decision|undertaking|assurance|agreement|commitment|pledge|"
                  r"understanding|determination)\s+that\s+", p.complement, re.IGNORECASE)
    if not m:
        return []
    out = []
    for q in predicates(p.complement[m.end():]):
        reading = read(q)
        if reading is None:
            continue
        owners, why = _owners(q, reading, bodies, before)
        if subject_class(q.subject) == "thing" or not owners:
            owners, why = _owners(p, reading, bodies, before)
        out.append(_Found(reading, q.text, owners, why))
    return out


def _owners(p: Predicate, reading: Reading, bodies: Bodies,
            before: list[BodyRef]) -> tuple[list[BodyRef], str]:
    if reading.target:
        tasked = bodies.owners_of(reading.target)
        if not tasked:
            named = [b for _, _, b in find_entities(reading.target)]
            tasked = [bodies.use(bodies.register(named[0]))] if named else []
        if not tasked and re.fullmatch(r"(?:the\s+)?(?:[A-Z][\w'’&+-]*\s*){1,6}",
                                       reading.target.strip()):
            tasked = [bodies.from_header(reading.target.strip())]  # "ASEAN SOMTC"
        if tasked:
            return tasked, f"'{_short(reading.cue)}' names who does it"
    if p.group.passive or (reading.kind in OPEN and subject_class(p.subject) == "thing"):
        by = re.search(r"\bby\s+((?:the\s+)?(?:[A-Z][\w'’-]*\s*(?:(?:and|of|on|for|in|the)\s+)*)"
                       r"{1,8})", p.complement)
        if by:
            agents = bodies.owners_of(by.group(1).strip())
            if agents:
                return agents, "'by …' names who does it"
    subject = p.subject
    cls = subject_class(subject)
    if cls in ("pronoun", "it") and before:
        return before, "the subject of the sentence before"
    if cls == "person":
        countries = [b for b in find_entities(subject) if b[2].kind == "country"]
        if countries:
            return [bodies.use(bodies.register(countries[0][2]))], "the speaker's country"
    if subject:
        found = bodies.owners_of(subject)
        if found:
            return found, "the subject"
    if before and p.outer is None:
        return before, "the subject of the sentence before"
    return [], ""


def _short(text: str) -> str:
    return " ".join(text.split()[:6])


def _items(f: _Found, sentence: str, context: Context, bodies: Bodies,
           meeting: ParsedMeeting) -> list[ParsedItem]:
    reading = f.reading
    kind = reading.kind
    confidence = f.confidence
    why: list[str] = [f"kind: '{reading.cue}' ({kind})" if reading.cue
                      else f"kind: no verb that decides it ({kind})"]
    if not reading.cue:
        confidence = "low"
    named = [b for b in f.owners if b.kind in _FORUM_KINDS]
    if context.section is not None and not (named and named[0].code != context.section.code) \
            and not (f.owner_why.startswith("'") and f.owners):
        owner, owners = context.section, [context.section]
        why.append(f"owner: the section heading '{owner.name}'")
    elif f.owners:
        owner, owners = f.owners[0], f.owners
        why.append(f"owner: {f.owner_why}")
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
    for body in bodies.named_in(f.text):
        if body.code != owner.code and body not in partners and body.kind not in (
                "members", "co-chairs", "meeting"):
            partners.append(body)
    for partner in partners:
        bodies.use(partner)
    partner_codes = [b.code for b in partners]

    def due_of(text: str) -> tuple[dt.date | None, str]:
        # Only the commitment's own words: a date in another clause is another's deadline.
        if kind not in OPEN:
            return None, ""
        found = deadline_phrase(_without_asides(text), meeting.date.year if meeting.date else
                                None, after=meeting.date, meeting=meeting.date)
        if found is None:
            return None, ""
        if re.search(r"\b(?:shortly|soon|immediately|promptly|without delay)\s+to\b",
                     fold(text)) and re.fullmatch(r"(?i:in|during|for)\s+\d{4}",
                                                  found[0].strip()):
            return None, ""  # "convene shortly to discuss … support in 2023"
        return found[1], f"due: '{found[0]}'"

    def item(kind: str, title: str, due: dt.date | None, due_why: str,
             source: str) -> ParsedItem:
        reasons = "; ".join(why + ([due_why] if due_why else []))
        return ParsedItem(kind, title, owner.code, owner.name, partner_codes, due, source,
                          confidence, reasons)

    if len(sentence) > _LONGEST_SOURCE:
        sentence = shorten(f.text, _LONGEST_SOURCE)  # a run-on text: its own words suffice
    if kind == "ongoing":
        priorities = priority_list(f.text)
        if priorities:
            due, due_why = due_of(f.text)
            out = []
            for p in priorities:
                p_due, p_why = due_of(p)
                out.append(item("ongoing", capitalise(shorten(p)), p_due or due,
                                p_why or due_why, sentence))
            return out
    due, due_why = due_of(f.text)
    predicate = reading.predicate if reading.predicate.text == f.text else None
    return [item(kind, make_title(f.text, kind, owner, bodies, predicate), due, due_why,
                 sentence)]


def _without_asides(text: str) -> str:
    """A commitment's words without the asides that date something else: "(2016-2025)",
    "– host of COP28 in 2023 –"."""
    text = re.sub(r"\([^()]*\)", " ", text)
    text = re.sub(r"\s[–—]\s[^–—]{1,200}?\s[–—]\s", " ", text)
    text = re.sub(r",\s+which\s[^,;]*", " ", text)
    return text


__all__ = ["OBSERVE", "OPEN", "Context", "Lead", "ParsedItem", "items_of", "lead_in",
           "make_title", "opening_outcome", "priority_list"]
