"""An item's title: the clause it was read from, cut to what is to be done ("Will hold a
workshop on … in 2024" → "Hold a workshop on …"), in the base form of its verb; and a
priority list's items ("priorities included A, B and C")."""

from __future__ import annotations

import re

from bptrack.reading.bodies import Bodies
from bptrack.reading.clauses import Predicate
from bptrack.reading.known import BodyRef
from bptrack.reading.lexicon import verb
from bptrack.reading.words import capitalise, fold, shorten, straighten

_TITLE_CUTS = [
    r"affirmed the value of (?=continuing)", r"highlighted (?:its|their) commitment to ",
    r"(?:its|their|our) (?:\w+ )?commitment to ", r"will further ", r"will also ",
    r"(?:would|should|is to|are to|must) ",
    r"will,? (?:\w+ly,? |therefore,? |thereby |each |then |jointly )*",
    r"shall ", r"plans to ", r"(?:is |are )?planning to ", r"agreed to ", r"committed to ",
    r"commits to ",
    r"intends? to ", r"undertook to ", r"resolved to ", r"decided to ", r"noted the need to ",
    r"needs? to ", r"raised the issue of ", r"aims? to ", r"seeks? to ", r"expects? to ",
    r"proposed to ", r"offered to ", r"volunteered to ", r"pledged? to ",
    r"(?:tasked|requested|encouraged|invited|urged|asked) [^,;]{1,80}? to ",
    r"(?:supported|welcomed|endorsed|accepted) (?:the |a |an )?(?:[\w-]+ ){0,3}"
    r"(?:initiative|proposal|plan|offer|intention)s? (?:(?:of|by|from) [^,;]{1,60}? )?to ",
]
_TITLE_CUT = re.compile("|".join(f"(?:{c})" for c in _TITLE_CUTS), re.IGNORECASE)


def make_title(clause: str, kind: str, owner: BodyRef | None, bodies: Bodies,
               predicate: Predicate | None = None) -> str:
    """A short summary: the commitment itself for actions, the event for records."""
    text = clause.strip()
    if predicate is not None and predicate.group.end > predicate.group.start and \
            predicate.subject and text.startswith(predicate.subject):
        # From the verb on: "Ministers agreed to hold …" → "agreed to hold …"
        rest = re.sub(r"^\([^)]*\)\s*", "", text[len(predicate.subject):].strip(" ,"))
        if predicate.group.lemma != "be" and (kind in ("action", "ongoing") or (
                owner is not None and bodies.owners_of(predicate.subject)[:1] == [owner])):
            text = rest or text
    if kind in ("action", "ongoing"):
        m = _TITLE_CUT.search(text)
        if m and (m.start() < 120 if predicate is None else m.start() == 0):
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
            rest = _base_form(rest)
            if rest.strip() and not re.match(r"be\s", rest):
                return capitalise(shorten(rest))
        planning = re.match(r"(?:is|are) (?:planning|preparing|organi[sz]ing) (?!to\b)", text,
                            re.IGNORECASE)
        if planning:  # "is planning a 5th joint period of action" → "Plan a 5th …"
            return capitalise(shorten(_base_form(text.split(" ", 1)[1])))
        continuing = re.match(r"^(?:[^,;]{0,120}?\s)?continues\s+(?=to\s|with\s|its\s|their\s)",
                              text, re.IGNORECASE)
        if continuing:  # "Continues to support members…" → "Continue to support members…"
            return capitalise(shorten("continue " + text[continuing.end():]))
    subject = bodies.subject(text) if predicate is None else None
    if subject is not None and owner is not None and subject.code == owner.code:
        stripped = re.sub(r"^\s*(?:The\s+)?\S+(?:\s+\S+){0,12}?\s+(?=(?:[a-z]+ed|held|met|"
                          r"shared|will|plans|continues)\b)", "", text, count=1)
        if stripped != text and stripped:
            text = stripped
    return capitalise(shorten(text))


def _base_form(text: str) -> str:
    """"reviewing public procurement rules" → "review public procurement rules"."""
    first = text.split(" ", 1)
    found = verb(first[0].lower()) if first else None
    if found is not None and found[1] == "ing" and first[0].islower():
        return found[0] + (" " + first[1] if len(first) > 1 else "")
    return text


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
