"""Who a predicate's subject is: we, people (a body, a country, people who act), a named
person, a thing no one does, or nothing. The kind of an item, and whether its subject owns
it, turn on this."""

from __future__ import annotations

import functools
import re

from bptrack.reading.lexicon import PEOPLE
from bptrack.reading.words import fold

_PERSON = re.compile(
    r"^(?:the\s+)?(?:H\.?E\.?|His Excellency|Her Excellency|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Sir|Dame|"
    r"Hon\.?|Senator|Professor|Prof\.?|Ambassador|Minister|Prime Minister|President|"
    r"Secretary|Chancellor|King|Queen|Prince|Princess|Sheikh|Dato'?|Datuk|Tan Sri|Pak|Ibu)\s+"
    r"(?:the\s+Hon\.?\s+)?[A-Z]", re.IGNORECASE)
_THING = re.compile(r"^(?:this|these|that|those|such|there|it|one|each of these|all of "
                    r"these|both of these)\b", re.IGNORECASE)
_SUBJECT_HEAD = re.compile(r"\s+(?:of|on|for|in|from|at|with|under|between|among|to|by|"
                           r"within|across|through|into)\s+.*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def subject_class(subject: str) -> str:
    """we, people (a body, a country, people who act), person (a named individual), thing
    (what no one does: "These investments", "This", "The arrangement") or none."""
    text = " ".join(subject.split()).strip(" ,")
    text = re.sub(r"^(?:and|but|while|whereas|so|then|also)\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return "none"
    low = fold(text)
    if re.search(r"(?:^|\s)(?:we|us)$", low) or low.startswith("we,") or low == "we":
        return "we"
    if re.match(r"(?:together|today|also|thus|so|then|now|in this regard|to this end)?,?\s*"
                r"we\b", low):
        return "we"
    if low in ("they", "he", "she", "it") or re.search(r"\s(?:they|he|she)$", low):
        return "pronoun" if low != "it" else "it"
    if _PERSON.match(text) and not re.match(r"(?:the\s+)?(?:prime\s+)?ministers?\s+(?:for|of)\b",
                                             low):
        # One person speaks; several named together ("Mr A, …, and Dr B, …, in a meeting")
        # are the meeting
        if len(re.findall(r"(?:^|,\s+|\band\s+)(?:H\.?E\.?|His Excellency|Her Excellency|Mr\.?|"
                          r"Ms\.?|Mrs\.?|Dr\.?|Sir|Dame|Senator|Prime Minister|President)\s",
                          text)) < 2:
            return "person"
        return "people"
    if _THING.match(low):
        if re.match(r"(?:this|these|that|those)\s+(?:\w+\s+)?(?:working group|group|"
                    r"task ?force|forum|office|committee|secretariat|body|network|ministers|"
                    r"leaders|countries|governments|members)\b", low):
            return "people"
        return "thing"
    head = _SUBJECT_HEAD.sub("", low)
    head = re.sub(r"\s*,.*$", "", head)
    last = head.split()[-1] if head.split() else ""
    last = re.sub(r"['’]s$", "s", last).strip("'’")  # "Minister's noted" (for Ministers)
    if PEOPLE.fullmatch(last) or PEOPLE.fullmatch(last.rstrip("s")):
        return "people"
    if re.search(r"(?:'s|’s)\s+\w+$", head) and not PEOPLE.fullmatch(last):
        return "thing"  # "Russia's war of aggression"
    name = re.sub(r"^(?:the|The)\s+", "", text)
    first = name.split()[0].strip("'’\"") if name.split() else ""
    if name[:1].isupper() and re.fullmatch(r"[A-Z][A-Za-z0-9&.+-]*", first):
        # A name: a body, a country, an organisation ("ANZTPA", "New Zealand", "the NAATI")
        words = _SUBJECT_HEAD.sub("", name).split()
        if len(words) <= 6 and all(w[:1].isupper() or w in ("and", "of", "the", "for", "on",
                                                              "+", "&") for w in words):
            return "people"
    return "thing"
