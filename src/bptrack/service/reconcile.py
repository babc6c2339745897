"""A new meeting's items against earlier meetings' active actions: what they report done, and
what they carry forward. Pure functions over plain rows; the service reads and writes.

An earlier action and a new item are compared only when the same body owns both, or one's
owner is named as the other's partner. Then what each is about is compared: the words of the
earlier action's title and of the new item's sentence, lower-cased, without stopwords and the
generic words of the genre ("will", "members", "regional", "continue", the commitment verbs),
lightly stemmed ("campaigns" and "campaign" are one word). The score is

    score = owner × (0.7 × coverage + 0.3 × similarity)

where coverage is the share of the earlier action's words that the new sentence mentions,
similarity is rapidfuzz's token-set ratio of the two word sets (0–1), and owner is 1 for the
same owner and 0.85 for an owner named as partner.

When the earlier title says why as well as what ("… to disrupt networks"), the coverage of
what alone counts if it is higher.

- `done`: a record whose verb reports completion (completed, finalised, held, conducted,
  launched, published, adopted, delivered …) about an earlier action; for an earlier ongoing
  commitment only a verb of completion proper (completed, finalised, concluded) closes it, and
  a record of activity is progress.
- `progress`: a record of activity on the earlier action that does not complete it.
- `carried`: a new action or ongoing item that makes the same commitment again (carried
  forward): linked to the earlier one, which stays open.

An action and a later item are the same undertaking only when nothing sets them apart: a
different year ("the 2023 Joint Period of Action" against "a third … in 2025"), ordinal
("second" against "third") or place ("in Manila" against "in Dhaka") makes the later item a
successor, never evidence about the earlier one. (A record's date, "held in May 2024", does not
set it apart from a plan "in 2023": work is often done late.)

Each earlier action gets one proposal, its best evidence, where a record of completion
outweighs a plan to continue that scores up to DONE_WEIGHT more; with the runner-up beside it,
and, when it is done, the successor it is followed by, if the statement names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from bptrack.service.progress import Tick

DEFAULT_MIN_SCORE = 0.5
PARTNER_WEIGHT = 0.85
DONE_WEIGHT = 0.15  # completion outweighs progress scoring up to this much more
SUCCESSOR_SCORE = 0.6  # a later occurrence is linked only when it is plainly the same work

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words("""
a an the and or of to in on for with by at from into onto its their our his her this that
these those as be is are was were been being it they them which who whose all any each other
such also further more most new next another same than then there here about over under
between through during before after within across up down out both either per via upon
including
""")
# Words every statement uses about everything: they say nothing about which work is meant.
_GENERIC = _words("""
will shall would should can may plan plans planned planning agree agreed continue continues
continued continuing ongoing work working works member members region regional bali process
group groups forum office task force meeting meetings senior officials official co-chairs
cochairs chair chairs support supported supporting strengthen strengthened collaboration
collaborate collaborated cooperation cooperate cooperated conduct conducted hold held
initiate initiated undertake undertook update updated develop developed deliver delivered
complete completed completion finalise finalised finalize finalized launch launched publish
published make progress towards toward improve improved increase increased further ways
means possible relevant key priority priorities need needs noted note welcomed commended
report reported annual year years first second third fourth
""")
_DONE = re.compile(r"\b(?:completed|finali[sz]ed|concluded|finished|conducted|held|hosted|"
                   r"launched|published|adopted|delivered|implemented|incorporated|convened|"
                   r"organi[sz]ed|undertook|carried out|rolled out|released|submitted|"
                   r"established|signed|endorsed|approved|updated|produced|circulated|"
                   r"distributed|presented|translated|piloted)\b", re.IGNORECASE)
_PURPOSE = re.compile(r"\s+(?:in order to|so as to|to|aimed at|with a view to)\s+(?=[a-z])")
_DONE_PROPER = re.compile(r"\b(?:completed|finali[sz]ed|concluded|finished)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Earlier:
    """An earlier meeting's active action."""

    id: int
    ref: str
    title: str
    kind: str
    owner: str
    partners: tuple[str, ...]
    source: str = ""  # the sentence it came from, when it came from a statement
    owner_name: str = ""  # its words say nothing about which of the body's works is meant


@dataclass(frozen=True)
class Evidence(Earlier):
    """One of the new meeting's items, with the sentence it came from."""

    source: str


@dataclass(frozen=True)
class Proposal:
    earlier: Earlier
    evidence: Evidence
    proposed: str  # done, progress or carried
    score: float
    runner_up: tuple[Evidence, float] | None = None  # the next best evidence, and its score
    successor: Evidence | None = None  # the later instance of the same work, to link


_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# A year that names the work itself ("the 2023 Joint Period", "workplan for 2024-2025"), not
# when something was done ("in May 2024").
_NAMING_YEAR = re.compile(r"\b(?:the|a|an|its|their|for|of)\s+(19\d\d|20\d\d)\b|"
                          r"\b(19\d\d|20\d\d)\s*[-–]\s*(?:19|20)?\d\d\b")
_MONTH_YEAR = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|"
                         r"october|november|december)\s+(19\d\d|20\d\d)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                      r"\d+(?:st|nd|rd|th))\b(?!\s+(?:half|quarter|semester|time))",
                      re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at)\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)*)")
_NOT_PLACES = frozenset("""January February March April May June July August September October
November December Persons Person The This That Bali Process Asia Pacific Asia-Pacific Covid
""".split())


class Instance(NamedTuple):
    """What tells one occurrence of a recurring work from another."""

    years: frozenset[str]
    naming_years: frozenset[str]
    ordinals: frozenset[str]
    places: frozenset[str]


@lru_cache(maxsize=1 << 16)
def instance(text: str) -> Instance:
    dated = {m.group(1) for m in _MONTH_YEAR.finditer(text)}
    naming = {y for m in _NAMING_YEAR.finditer(text) for y in m.groups() if y}
    places = {m.group(1) for m in _PLACE.finditer(text)
              if m.group(1).split()[0] not in _NOT_PLACES}
    return Instance(frozenset(set(_YEAR.findall(text)) - (dated - naming)),
                    frozenset(naming), frozenset(o.lower() for o in _ORDINAL.findall(text)),
                    frozenset(places))


def set_apart(earlier: str, later: str, *, record: bool) -> bool:
    """Whether the later text is about another occurrence of the earlier one's work."""
    a, b = instance(earlier), instance(later)
    places = bool(a.places and b.places and not a.places & b.places)
    if a.ordinals & b.ordinals:  # "the fourth …" on both: the same one, whatever the years
        return places
    years_a, years_b = (a.years, b.naming_years) if record else (a.years, b.years)
    return places or any(x and y and not x & y for x, y in (
        (years_a, years_b), (a.ordinals, b.ordinals)))


def stem(word: str) -> str:
    """A light stemmer: plural and verb endings, enough to match 'campaigns' to 'campaign'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


@lru_cache(maxsize=1 << 16)
def content_words(text: str) -> frozenset[str]:
    """What a text is about: its content words, stemmed. (Cached: each earlier action's
    title meets every item of the new statement, and a body's name every one of its items.)"""
    words = re.findall(r"[a-z][a-z0-9]+", text.lower().replace("’", "'").replace("-", " "))
    return frozenset(stem(w) for w in words
                     if w not in _STOPWORDS and w not in _GENERIC and len(w) > 2)


def _owner_weight(earlier: Earlier, evidence: Evidence) -> float:
    if earlier.owner == evidence.owner:
        return 1.0
    if earlier.owner in evidence.partners or evidence.owner in earlier.partners:
        return PARTNER_WEIGHT
    return 0.0


def reports_done(earlier_kind: str, sentence: str) -> bool:
    """Whether a record's sentence reports an earlier item of this kind done: an ongoing
    commitment only by completion proper, an action by any verb of completion."""
    return bool((_DONE_PROPER if earlier_kind == "ongoing" else _DONE).search(sentence))


def _kind(earlier: Earlier, evidence: Evidence) -> str | None:
    if evidence.kind in ("action", "ongoing"):
        return "carried"  # the commitment made again: the earlier one stays open, linked
    if evidence.kind != "record":
        return None
    return "done" if reports_done(earlier.kind, evidence.source) else "progress"


def score(earlier: Earlier, evidence: Evidence) -> float:
    weight = _owner_weight(earlier, evidence)
    if not weight:  # another body's: most of the pairs in a large tracker
        return 0.0
    from rapidfuzz import fuzz

    # Every item of a body shares the words of its name ("Returns and Reintegration")
    names = content_words(earlier.owner_name) | content_words(evidence.owner_name)
    wanted = content_words(earlier.title) - names
    said = (content_words(evidence.source) | content_words(evidence.title)) - names
    if not weight or not wanted or not said:
        return 0.0
    coverage = len(wanted & said) / len(wanted)
    # What was to be done, without why: "Initiate another Joint Period of Action in 2023 to
    # disrupt … networks" is reported done by "Completed the 2023 Joint Period of Action".
    what = content_words(_PURPOSE.split(earlier.title, maxsplit=1)[0]) - names
    if len(what) >= 2:
        coverage = max(coverage, len(what & said) / len(what))
    similarity = fuzz.token_set_ratio(" ".join(sorted(wanted)), " ".join(sorted(said))) / 100
    return round(weight * (0.7 * coverage + 0.3 * similarity), 3)


# The most a pair can score with no content word in common (score(): all of it from how alike
# the words are spelt). Above it, an earlier action is weighed only against the items that
# share one of its words; above 0, only against its own body's items and its partners'
# (another body's score 0). A 100,000-action tracker against a statement of 400 items took
# 20 s pair by pair.
WORDLESS_SCORE = 0.3


class _Candidates:
    """Which of the new items can score above `min_score` against an earlier action."""

    def __init__(self, evidence: list[Evidence], min_score: float) -> None:
        self.evidence = evidence
        self.by_body = min_score > 0
        self.by_word = min_score > WORDLESS_SCORE
        self.involving: dict[str, list[int]] = {}  # the body owns it or is a partner in it
        self.owned: dict[str, list[int]] = {}
        for i, new in enumerate(evidence):
            self.owned.setdefault(new.owner, []).append(i)
            for code in {new.owner, *new.partners}:
                self.involving.setdefault(code, []).append(i)
        self.words = [content_words(new.source) | content_words(new.title)
                      for new in evidence] if self.by_word else []

    def of(self, old: Earlier) -> list[Evidence]:
        if not self.by_body:
            return self.evidence
        found = set(self.involving.get(old.owner, ()))
        for partner in old.partners:
            found.update(self.owned.get(partner, ()))
        if self.by_word:
            wanted = content_words(old.title)
            found = {i for i in found if not wanted.isdisjoint(self.words[i])}
        return [self.evidence[i] for i in sorted(found)]


def propose(earlier: list[Earlier], evidence: list[Evidence],
            min_score: float = DEFAULT_MIN_SCORE, tick: Tick | None = None) -> list[Proposal]:
    """One proposal for each earlier action with evidence scoring at least `min_score`:
    completion before progress, then the best score; best first (then by id). `tick(n)` as
    n earlier actions have been weighed."""
    proposals = []
    candidates = _Candidates(evidence, min_score)
    for n, old in enumerate(earlier, 1):
        if tick is not None and n % 1000 == 0:
            tick(1000)
        said = old.source or old.title
        found: list[tuple[str, float, Evidence]] = []
        successors: list[tuple[float, Evidence]] = []
        for new in candidates.of(old):
            proposed = _kind(old, new)
            if proposed is None:
                continue
            value = score(old, new)
            if value < min_score:
                continue
            if set_apart(said, new.source, record=new.kind == "record"):
                if new.kind in ("action", "ongoing") and value >= SUCCESSOR_SCORE:
                    successors.append((value, new))
                continue
            found.append((proposed, value, new))
        if not found:
            continue
        found.sort(key=lambda f: (-(f[1] + (DONE_WEIGHT if f[0] == "done" else 0)), f[2].id))
        proposed, value, best = found[0]
        runner_up = (found[1][2], found[1][1]) if len(found) > 1 else None
        successor = max(successors, key=lambda s: (s[0], -s[1].id))[1] if (
            successors and proposed == "done") else None
        proposals.append(Proposal(old, best, proposed, value, runner_up, successor))
    return sorted(proposals, key=lambda p: (-p.score, p.earlier.id))
