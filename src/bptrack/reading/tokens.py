"""Stage 3a: a sentence → its tokens, and the verb groups among them ("will continue to",
"agreed to", "are committed to", "was held"): which word is a verb, and in which form.

Asides (parentheses, dashes, relative clauses) are masked first: they are never the main
clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bptrack.reading.lexicon import (
    ADVERBS,
    DETERMINERS,
    MODALS,
    PEOPLE,
    PRONOUNS,
    SAME_PARTICIPLE,
    verb,
)

_UNKNOWN_PAST = re.compile(r"[a-z]{4,}ed")
_TOKEN = re.compile(r"[A-Za-z0-9][\w’'.&/-]*[\w]|[A-Za-z0-9]|[^\w\s]")
PREPOSITIONS = frozenset(["of", "in", "on", "at", "by", "for", "with", "from", "to", "into",
                           "onto", "over", "under", "through", "during", "before", "after",
                           "since", "until", "towards", "toward", "across", "among", "amongst",
                           "between", "within", "without", "against", "upon", "about", "via",
                           "per", "including", "despite", "beyond", "alongside", "around",
                           "behind", "throughout", "regarding", "concerning", "like"])
_CONJUNCTIONS = frozenset({"and", "or", "but", "while", "whereas", "nor", "as", "so", "yet"})
AFTER_PARTICIPLE = frozenset({"under", "by", "in", "at", "from", "within", "during",
                               "through", "across", "into", "after", "before", "since", "as",
                               "over", "among", "between", "without"})
BE = frozenset({"is", "are", "was", "were", "am", "be", "been", "being", "'s"})
HAVE = frozenset({"has", "have", "had", "having"})
# Adjectives after "be" that make the phrase a predicate of its own: "are committed to".
BE_ADJECTIVES = frozenset(["committed", "determined", "resolved", "ready", "prepared", "willing",
                           "dedicated", "keen", "eager", "pleased", "happy", "glad", "proud",
                           "honoured", "honored", "united", "concerned", "opposed", "confident",
                           "able", "unable", "aware", "conscious", "mindful", "grateful",
                           "appreciative", "supportive", "ongoing", "vital", "important",
                           "essential", "necessary", "critical", "key", "unacceptable", "central",
                           "crucial", "determined", "fit", "responsible", "due", "set",
                           "scheduled", "expected", "planned", "likely", "unlikely", "going",
                           "about", "intent", "bound", "open"])


@dataclass(slots=True, init=False)
class Token:
    text: str
    start: int
    end: int
    after_aside: bool  # a parenthesis or dash-aside stood just before it
    low: str  # folded once: every stage asks
    word: bool
    capital: bool

    # Written out rather than generated with a __post_init__: a long statement makes some
    # 40,000 tokens, and the second call each was a tenth of its reading. `low` comes cut
    # from the sentence folded once.
    def __init__(self, text: str, start: int, end: int, low: str) -> None:
        self.text, self.start, self.end, self.low = text, start, end, low
        self.after_aside = False
        first = text[0]
        self.word = first.isalnum()
        self.capital = first.isupper()


def tokenize(text: str) -> list[Token]:
    """A sentence's words and marks. A word ends with a letter or digit, so "report." gives
    up its full stop and "U.S." is "U.S" and "."."""
    low = text.lower().replace("’", "'")
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): word by word
        return [Token(m.group(), m.start(), m.end(), m.group().lower().replace("’", "'"))
                for m in _TOKEN.finditer(text)]
    return [Token(m.group(), start, end, low[start:end])
            for m in _TOKEN.finditer(text) for start, end in (m.span(),)]


@dataclass(slots=True)
class VerbGroup:
    start: int  # token index of its first word (the modal or auxiliary, if any)
    end: int  # token index after its main verb
    lemma: str  # the main verb's lemma; "be" for a copula
    form: str  # base, third, past, participle, ing
    modal: str | None = None  # will, shall, would, should, must, can, may, "be to"
    passive: bool = False
    perfect: bool = False
    progressive: bool = False
    negated: bool = False
    adjective: str | None = None  # "are committed", "remain ready"
    head: int = 0  # token index of the main verb
    under: VerbGroup | None = None  # the verb whose "to …" this one continues ("agreed to")
    scheduled: str | None = None  # "is scheduled to", "is expected to"



def mask_asides(text: str) -> str:
    """The text with parentheses, dash-asides and relative clauses blanked out (same
    length, so offsets still match): they are never the main clause."""
    if "(" not in text and "–" not in text and "—" not in text and " - " not in text \
            and "wh" not in text:  # none of them here (most sentences): nothing to blank
        return text
    out = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, min(end, len(out))):
            out[i] = " "

    depth, opened = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                blank(opened, i + 1)
    if depth:
        blank(opened, len(text))
    # "The UAE – home to … – will invest"; "- an initiative supported by the RSO".
    for m in re.finditer(r"\s[–—]\s[^–—]{1,300}?\s[–—](?=[\s,])|\s[–—]\s[^–—]{1,300}?,\s"
                         r"|\s-\s[^-]{1,200}?\s-\s", text):
        blank(m.start() + 1, m.end() - 1)
    for m in re.finditer(r"\s[–—]\s[^–—]{1,300}?$", text):
        blank(m.start() + 1, m.end())
    masked = "".join(out)
    # ", which will be published …," and ", who …": relative clauses, to the next comma.
    for m in re.finditer(r",\s*(?:which|who|whose|whom)\s[^,;]*", masked):
        blank(m.start() + 1, m.end())
    return "".join(out)


def is_past_like(token: Token, *, perfect: bool = False) -> bool:
    low = token.low
    found = verb(low)
    if found and found[1] in ("past", "participle"):
        return True
    if perfect and low in SAME_PARTICIPLE:
        return True  # "has also become"
    return bool(re.fullmatch(r"[a-z]{3,}ed", low)) and not found


def noun_like(token: Token | None) -> bool:
    """Could this token end a subject noun phrase?"""
    if token is None or not token.word:
        return bool(token and token.text in (")", "”", '"', "'", "’"))
    low = token.low
    if low in DETERMINERS or low in PREPOSITIONS or low in _CONJUNCTIONS or low in MODALS:
        return False
    return not (low in BE or low in HAVE or low == "to")


def verb_at(tokens: list[Token], i: int, *, loose: bool = False) -> VerbGroup | None:
    """A verb group starting at token i, or None. `loose` accepts a bare present verb
    without a subject before it (coordinated verbs, bullets under a lead-in)."""
    tok = tokens[i]
    low = tok.low
    prev = tokens[i - 1] if i > 0 else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if low in MODALS:
        j = i + 1
        negated = False
        while j < len(tokens) and (tokens[j].low in ADVERBS or tokens[j].text == ","):
            if tokens[j].low in ("not", "never"):
                negated = True
            j += 1
        if j >= len(tokens) or not tokens[j].word:
            return None
        group = _after_auxiliary(tokens, j, low)
        if group is None:
            return None
        group.start, group.negated = i, group.negated or negated
        return group
    if low in BE and low not in ("be", "been", "being"):
        if prev is not None and prev.low in ("to",):
            return None
        group = _after_be(tokens, i)
        return group
    if low == "be" and prev is not None and noun_like(prev) and prev.low not in PRONOUNS \
            and nxt is not None and not loose:
        group = _after_be(tokens, i)  # "recommended that the Strategy be reviewed …"
        if group is not None and group.passive:
            group.modal = "subjunctive"
            return group
        return None
    if low in ("has", "have", "had"):
        j = i + 1
        while j < len(tokens) and tokens[j].low in ADVERBS:
            j += 1
        if j < len(tokens) and (tokens[j].low == "been" or is_past_like(tokens[j],
                                                                         perfect=True)):
            if tokens[j].low == "been":
                group = _after_be(tokens, j)
                if group is not None:
                    group.start, group.perfect = i, True
                return group
            lemma = (verb(tokens[j].low) or (tokens[j].low[:-2], "past"))[0]
            return VerbGroup(i, j + 1, lemma, "participle", perfect=True, head=j)
        if j < len(tokens) and tokens[j].low == "to":
            return VerbGroup(i, j, "have", "third" if low == "has" else "base", head=i)
        return VerbGroup(i, i + 1, "have", "third" if low == "has" else "base", head=i)
    # A capitalised word inside a sentence is a name ("Members Welcomed" is rare).
    if (not tok.word or (tok.capital and prev is not None and not loose)) and not (
            tok.capital and prev is not None and prev.text in (",", ";")):
        return None
    found = verb(low)
    if found is None:
        # An unknown past form, right after a name or people: "Members lauded …"
        if _UNKNOWN_PAST.fullmatch(low) and prev is not None and not loose and (
                prev.capital or PEOPLE.fullmatch(prev.low) or prev.low in PRONOUNS):
            return VerbGroup(i, i + 1, low[:-2], "past", head=i)
        return None
    lemma, form = found
    if form == "ing":
        if loose and prev is not None and (prev.low == "to" or prev.low in ADVERBS):
            return VerbGroup(i, i + 1, lemma, "ing", head=i)  # "… and to increasing …"
        return None
    if form in ("past", "participle"):
        if prev is not None and prev.text == "," and not loose and i >= 3 and (
                nxt is None or nxt.low not in AFTER_PARTICIPLE | {"on"}):
            # "We, the Leaders …, met"; "Mr A, Minister of …, in a meeting on …, urged …"
            return VerbGroup(i, i + 1, lemma, "past", head=i)
        if not noun_like(prev) and not loose:
            return None
        if prev is not None and prev.low in ("and", "or") and not loose:
            return None
        return VerbGroup(i, i + 1, lemma, "past", head=i)
    # base or third: only right after a subject (or an adverb after one)
    if nxt is not None and (nxt.low in MODALS or nxt.low in BE or nxt.low in HAVE or (
            not loose and nxt.word and is_past_like(nxt) and nxt.low != "forward" and
            lemma not in ("remain", "stand", "stay", "become", "seem", "appear", "feel")) or (
            not loose and nxt.low == "of" and lemma not in ("consist", "approve", "think"))):
        return None  # "progress reports were …", "potential benefits of …": a noun
    if loose:
        return VerbGroup(i, i + 1, lemma, form, head=i)
    k = i - 1
    while k >= 0 and tokens[k].low in ADVERBS:
        k -= 1
    before = tokens[k] if k >= 0 else None
    if before is None:
        return None
    if form == "base":
        if before.low in ("we", "they", "i", "you") or (
                before.word and (PEOPLE.fullmatch(before.low) and before.low.endswith("s"))) or (
                before.capital and before.word and before.low not in DETERMINERS
                and (k > 0 or before.low.endswith("s"))):
            return VerbGroup(i, i + 1, lemma, form, head=i)
        return None
    if before.low in ("it", "he", "she", "this", "that", "which", "who") or (
            noun_like(before) and before.low not in ("we", "they")):
        return VerbGroup(i, i + 1, lemma, form, head=i)
    return None


def _after_auxiliary(tokens: list[Token], j: int, modal: str) -> VerbGroup | None:
    """The verb group after "will"/"should"…: "will be held", "will continue to", "will
    further enhance"."""
    tok = tokens[j]
    if tok.low in ("be",):
        group = _after_be(tokens, j)
        if group is None:
            return VerbGroup(j, j + 1, "be", "base", modal=modal, head=j)
        group.modal = modal
        return group
    if tok.low == "have":
        k = j + 1
        if k < len(tokens) and tokens[k].low == "been":
            group = _after_be(tokens, k)
            if group is not None:
                group.modal, group.perfect = modal, True
                return group
        if k < len(tokens) and is_past_like(tokens[k]):
            lemma = (verb(tokens[k].low) or (tokens[k].low, "past"))[0]
            return VerbGroup(j, k + 1, lemma, "participle", modal=modal, perfect=True, head=k)
    found = verb(tok.low)
    lemma = found[0] if found else tok.low
    return VerbGroup(j, j + 1, lemma, "base", modal=modal, head=j)


def _after_be(tokens: list[Token], i: int) -> VerbGroup | None:
    """is/are/was/were …: passive, progressive, "is to", an adjective, or a copula."""
    low = tokens[i].low
    form = "past" if low in ("was", "were") else ("base" if low in ("be", "been", "being", "are",
                                                                     "am") else "third")
    j = i + 1
    negated = False
    while j < len(tokens) and (tokens[j].low in ADVERBS or tokens[j].low in ("not", "never")):
        if tokens[j].low in ("not", "never"):
            negated = True
        j += 1
    if j >= len(tokens):
        return VerbGroup(i, j, "be", form, negated=negated, head=i)
    nxt = tokens[j]
    if nxt.low == "to" and j + 1 < len(tokens):  # "is to develop", "are to be submitted"
        inner = _after_auxiliary(tokens, j + 1, "be to")
        if inner is not None:
            inner.start, inner.negated = i, negated
            return inner
    if nxt.low in BE_ADJECTIVES:
        if nxt.low in ("scheduled", "expected", "set", "due", "planned", "going", "about") and \
                j + 2 < len(tokens) and tokens[j + 1].low == "to":
            inner = _after_auxiliary(tokens, j + 2, "be to")
            if inner is not None:
                inner.start, inner.negated = i, negated
                inner.scheduled = nxt.low
                return inner
        return VerbGroup(i, j + 1, "be", form, adjective=nxt.low, negated=negated, head=j)
    found = verb(nxt.low)
    if found is None and re.fullmatch(r"[a-z]{3,}ing", nxt.low) and nxt.low not in (
            "nothing", "something", "anything", "everything", "during", "morning", "evening",
            "building", "meeting", "funding", "training", "hearing", "setting", "thing"):
        found = (nxt.low[:-3], "ing")  # "we are formalizing …": a verb the lexicon lacks
    if found and found[1] == "ing":
        return VerbGroup(i, j + 1, found[0], form, progressive=True, negated=negated, head=j)
    if (found and found[1] in ("past", "participle")) or is_past_like(nxt):
        lemma = found[0] if found else nxt.low[:-2]
        return VerbGroup(i, j + 1, lemma, form, passive=True, negated=negated, head=j)
    return VerbGroup(i, j, "be", form, negated=negated, head=i)


def subject_and_verb(tokens: list[Token], start: int, limit: int,
                      *, max_subject: int = 24, prefer_auxiliary: bool = False,
                      no_comma: bool = False) -> VerbGroup | None:
    """The first verb group at most `max_subject` words after `start`, with a subject
    before it (or none, for a bare verb at the very start: "Will conduct research")."""
    words = 0
    # "Establishing a regional network of focal points …": a verbless bullet that opens
    # with a gerund has no present-tense verb ("points" is a noun)
    gerund_start = start < limit and tokens[start].capital and tokens[start].low.endswith(
        "ing") and (verb(tokens[start].low) or ("", ""))[1] == "ing"
    for i in range(start, limit):
        tok = tokens[i]
        if tok.text in (";", ":") or (no_comma and tok.text == ","):
            return None
        group = verb_at(tokens, i, loose=(i == start))
        if group is not None and group.modal is None and group.form == "past" and \
                group.start == group.head and i + 1 < limit and tokens[i + 1].low == "by" \
                and i > start:
            group = None  # "Major issues considered by the Ministers … included"
        if group is not None and prefer_auxiliary and group.modal is None and \
                group.start == group.head and tokens[group.head].low not in BE | HAVE:
            window = range(i + 1, min(limit, i + 24))
            later = next((g for g in (verb_at(tokens, k) for k in window
                                      if tokens[k].low in MODALS) if g is not None), None)
            if later is not None and any(not t.word for t in tokens[i + 1:later.start]):
                later = None
            if later is not None:
                group = later
        if group is not None and i == start and group.modal is None and \
                tok.low not in BE | HAVE and i + 1 < limit and (
                    tokens[i + 1].low in MODALS | BE | HAVE or is_past_like(tokens[i + 1])
                    or (verb(tokens[i + 1].low) or ("", ""))[1] in ("third", "base")):
            group = None  # "Heads reaffirmed …": the first word is the subject
        if group is not None and gerund_start and group.modal is None and \
                group.form in ("base", "third", "past") and tok.low not in BE | HAVE:
            group = None  # "Encouraging regional projects aimed at …": a participle
        if group is not None:
            if i == start and tok.low not in MODALS and tok.low not in BE and \
                    tok.low not in HAVE and group.form not in ("base", "third", "past"):
                return None
            return group
        if tok.word:
            words += 1
            if words > max_subject:
                return None
    return None
