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
- `progress`: a new action or ongoing item that continues the earlier one.

Each earlier action gets its best proposal only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MIN_SCORE = 0.5
PARTNER_WEIGHT = 0.85

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
                   r"established|signed|endorsed|approved|updated|produced)\b", re.IGNORECASE)
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


@dataclass(frozen=True)
class Evidence(Earlier):
    """One of the new meeting's items, with the sentence it came from."""

    source: str


@dataclass(frozen=True)
class Proposal:
    earlier: Earlier
    evidence: Evidence
    proposed: str  # done or progress
    score: float


def stem(word: str) -> str:
    """A light stemmer: plural and verb endings, enough to match 'campaigns' to 'campaign'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + keep
    return word


def content_words(text: str) -> frozenset[str]:
    """What a text is about: its content words, stemmed."""
    words = re.findall(r"[a-z][a-z0-9]+", text.lower().replace("’", "'").replace("-", " "))
    return frozenset(stem(w) for w in words
                     if w not in _STOPWORDS and w not in _GENERIC and len(w) > 2)


def _owner_weight(earlier: Earlier, evidence: Evidence) -> float:
    if earlier.owner == evidence.owner:
        return 1.0
    if earlier.owner in evidence.partners or evidence.owner in earlier.partners:
        return PARTNER_WEIGHT
    return 0.0


def _kind(earlier: Earlier, evidence: Evidence) -> str | None:
    if evidence.kind in ("action", "ongoing"):
        return "progress"
    if evidence.kind != "record":
        return None
    if earlier.kind == "ongoing":
        return "done" if _DONE_PROPER.search(evidence.source) else "progress"
    return "done" if _DONE.search(evidence.source) else "progress"


def score(earlier: Earlier, evidence: Evidence) -> float:
    from rapidfuzz import fuzz

    weight = _owner_weight(earlier, evidence)
    wanted = content_words(earlier.title)
    said = content_words(evidence.source) | content_words(evidence.title)
    if not weight or not wanted or not said:
        return 0.0
    coverage = len(wanted & said) / len(wanted)
    # What was to be done, without why: "Initiate another Joint Period of Action in 2023 to
    # disrupt … networks" is reported done by "Completed the 2023 Joint Period of Action".
    what = content_words(_PURPOSE.split(earlier.title, maxsplit=1)[0])
    if len(what) >= 2:
        coverage = max(coverage, len(what & said) / len(what))
    similarity = fuzz.token_set_ratio(" ".join(sorted(wanted)), " ".join(sorted(said))) / 100
    return round(weight * (0.7 * coverage + 0.3 * similarity), 3)


def propose(earlier: list[Earlier], evidence: list[Evidence],
            min_score: float = DEFAULT_MIN_SCORE) -> list[Proposal]:
    """The best proposal for each earlier action that scores at least `min_score`, best
    first (then by the earlier action's id)."""
    best: dict[int, Proposal] = {}
    for old in earlier:
        for new in evidence:
            proposed = _kind(old, new)
            if proposed is None:
                continue
            value = score(old, new)
            if value < min_score:
                continue
            current = best.get(old.id)
            if current is None or value > current.score:
                best[old.id] = Proposal(old, new, proposed, value)
    return sorted(best.values(), key=lambda p: (-p.score, p.earlier.id))
