"""Stage 3b: a sentence → its predicates: who does what, in which verb form.

A statement's sentence has an opening phrase or not ("Building on …, we will …"), a subject
("Ministers", "The Working Group", "We"), a verb group ("will continue to", "agreed to",
"welcomed", "are committed to") and what follows. Coordinated verbs share the subject ("noted
… and agreed to …"), and under one auxiliary ("will help …, will continue …, and will …";
"pledge to respond …, combat …, and address …") each is a commitment of its own. A verb that
continues an infinitive of purpose ("mobilise capital to modernise …, advance …") is not.

Nothing here knows kinds: `kinds` reads each predicate this stage finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bptrack.reading.lexicon import (
    ADVERBS,
    DETERMINERS,
    MODALS,
    PEOPLE,
    PRONOUNS,
    SAME_PARTICIPLE,
    verb,
)
from bptrack.reading.lexicon import (
    DIRECT as DIRECT_VERBS,
)

_TOKEN = re.compile(r"[A-Za-z0-9][\w’'.&/-]*[\w]|[A-Za-z0-9]|[^\w\s]")
_PREPOSITIONS = frozenset(["of", "in", "on", "at", "by", "for", "with", "from", "to", "into",
                           "onto", "over", "under", "through", "during", "before", "after",
                           "since", "until", "towards", "toward", "across", "among", "amongst",
                           "between", "within", "without", "against", "upon", "about", "via",
                           "per", "including", "despite", "beyond", "alongside", "around",
                           "behind", "throughout", "regarding", "concerning", "like"])
_CONJUNCTIONS = frozenset({"and", "or", "but", "while", "whereas", "nor", "as", "so", "yet"})
_AFTER_PARTICIPLE = frozenset({"under", "by", "in", "at", "from", "within", "during",
                               "through", "across", "into", "after", "before", "since", "as",
                               "over", "among", "between", "without"})
_BE = frozenset({"is", "are", "was", "were", "am", "be", "been", "being", "'s"})
_HAVE = frozenset({"has", "have", "had", "having"})
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


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    after_aside: bool = False  # a parenthesis or dash-aside stood just before it
    low: str = field(init=False)  # folded once: every stage asks
    word: bool = field(init=False)
    capital: bool = field(init=False)

    def __post_init__(self) -> None:
        self.low = self.text.lower().replace("’", "'")
        self.word = self.text[:1].isalnum()
        self.capital = self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        # "U.S." keeps its dots; "report." gives up its full stop.
        if len(word) > 1 and word.endswith(".") and not re.fullmatch(r"(?:[A-Za-z]\.)+", word):
            out.append(Token(word[:-1], m.start(), m.end() - 1))
            out.append(Token(".", m.end() - 1, m.end()))
        else:
            out.append(Token(word, m.start(), m.end()))
    return out


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


@dataclass
class Predicate:
    """One verb of a sentence with what it says: subject, verb group, the words after."""

    sentence: str
    subject: str
    group: VerbGroup
    complement: str  # the words after the verb group, to the end of this predicate
    text: str  # subject (if its own) + verb group + complement, as written
    intro: str = ""  # an opening phrase before the subject ("Building on …,")
    shared: bool = False  # coordinated with the one before: subject (and modal) shared
    outer: Predicate | None = None  # the verb whose "that"-clause this is
    span: tuple[int, int] = (0, 0)  # character offsets in the sentence
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")


def mask_asides(text: str) -> str:
    """The text with parentheses, dash-asides and relative clauses blanked out (same
    length, so offsets still match): they are never the main clause."""
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


def _is_past_like(token: Token, *, perfect: bool = False) -> bool:
    low = token.low
    found = verb(low)
    if found and found[1] in ("past", "participle"):
        return True
    if perfect and low in SAME_PARTICIPLE:
        return True  # "has also become"
    return bool(re.fullmatch(r"[a-z]{3,}ed", low)) and not found


def _noun_like(token: Token | None) -> bool:
    """Could this token end a subject noun phrase?"""
    if token is None or not token.word:
        return bool(token and token.text in (")", "”", '"', "'", "’"))
    low = token.low
    if low in DETERMINERS or low in _PREPOSITIONS or low in _CONJUNCTIONS or low in MODALS:
        return False
    return not (low in _BE or low in _HAVE or low == "to")


def _verb_at(tokens: list[Token], i: int, *, loose: bool = False) -> VerbGroup | None:
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
    if low in _BE and low not in ("be", "been", "being"):
        if prev is not None and prev.low in ("to",):
            return None
        group = _after_be(tokens, i)
        return group
    if low == "be" and prev is not None and _noun_like(prev) and prev.low not in PRONOUNS \
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
        if j < len(tokens) and (tokens[j].low == "been" or _is_past_like(tokens[j],
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
                nxt is None or nxt.low not in _AFTER_PARTICIPLE | {"on"}):
            # "We, the Leaders …, met"; "Mr A, Minister of …, in a meeting on …, urged …"
            return VerbGroup(i, i + 1, lemma, "past", head=i)
        if not _noun_like(prev) and not loose:
            return None
        if prev is not None and prev.low in ("and", "or") and not loose:
            return None
        return VerbGroup(i, i + 1, lemma, "past", head=i)
    # base or third: only right after a subject (or an adverb after one)
    if nxt is not None and (nxt.low in MODALS or nxt.low in _BE or nxt.low in _HAVE or (
            not loose and nxt.word and _is_past_like(nxt) and nxt.low != "forward" and
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
            _noun_like(before) and before.low not in ("we", "they")):
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
        if k < len(tokens) and _is_past_like(tokens[k]):
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
    if (found and found[1] in ("past", "participle")) or _is_past_like(nxt):
        lemma = found[0] if found else nxt.low[:-2]
        return VerbGroup(i, j + 1, lemma, form, passive=True, negated=negated, head=j)
    return VerbGroup(i, j, "be", form, negated=negated, head=i)


_UNKNOWN_PAST = re.compile(r"[a-z]{4,}ed")
_LONGEST = 1500  # characters of a predicate's words that are read
# Words that open a sentence with a phrase before its subject.
_INTRO_START = re.compile(
    r"^(?:[A-Z][a-z]+ing\b|To\b|In\b|On\b|At\b|With\b|Under\b|Through\b|During\b|Given\b|"
    r"As\b|Since\b|After\b|Before\b|Following\b|Further\b|Furthermore\b|Moreover\b|"
    r"Today\b|Together\b|Also\b|Finally\b|Additionally\b|Separately\b|Consequently\b|"
    r"Accordingly\b|Meanwhile\b|This year\b|Last year\b|Over\b|For\b|By\b|Against\b|"
    r"Despite\b|Recalling\b|Reaffirming\b|Noting\b|Recognising\b|Recognizing\b|Guided\b|"
    r"Mindful\b|Conscious\b|Aware\b|Determined\b|Convinced\b|Deeply\b|Full\b|Within\b|"
    r"Beyond\b|Among\b|Between\b|Where\b|When\b|While\b|If\b|Once\b|Until\b|Based\b|"
    r"Inspired\b|Encouraged\b|Concerned\b|Committed\b|Acknowledging\b|Welcoming\b|"
    r"Taking\b|Bearing\b|Looking\b|Having\b|Being\b|Here\b|Hence\b|Thus\b|Thereby\b|"
    r"Overall\b|Specifically\b|Importantly\b|Similarly\b|Likewise\b|Lastly\b|Firstly\b|"
    r"Secondly\b|First\b|Second\b|Third\b|Then\b|Now\b|Again\b|Still\b|Instead\b|Rather\b)")


def _subject_and_verb(tokens: list[Token], start: int, limit: int,
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
        group = _verb_at(tokens, i, loose=(i == start))
        if group is not None and group.modal is None and group.form == "past" and \
                group.start == group.head and i + 1 < limit and tokens[i + 1].low == "by" \
                and i > start:
            group = None  # "Major issues considered by the Ministers … included"
        if group is not None and prefer_auxiliary and group.modal is None and \
                group.start == group.head and tokens[group.head].low not in _BE | _HAVE:
            window = range(i + 1, min(limit, i + 24))
            later = next((g for g in (_verb_at(tokens, k) for k in window
                                      if tokens[k].low in MODALS) if g is not None), None)
            if later is not None and any(not t.word for t in tokens[i + 1:later.start]):
                later = None
            if later is not None:
                group = later
        if group is not None and i == start and group.modal is None and \
                tok.low not in _BE | _HAVE and i + 1 < limit and (
                    tokens[i + 1].low in MODALS | _BE | _HAVE or _is_past_like(tokens[i + 1])
                    or (verb(tokens[i + 1].low) or ("", ""))[1] in ("third", "base")):
            group = None  # "Heads reaffirmed …": the first word is the subject
        if group is not None and gerund_start and group.modal is None and \
                group.form in ("base", "third", "past") and tok.low not in _BE | _HAVE:
            group = None  # "Encouraging regional projects aimed at …": a participle
        if group is not None:
            if i == start and tok.low not in MODALS and tok.low not in _BE and \
                    tok.low not in _HAVE and group.form not in ("base", "third", "past"):
                return None
            return group
        if tok.word:
            words += 1
            if words > max_subject:
                return None
    return None


def _skip_intro(tokens: list[Token], text: str) -> int:
    """Token index where the subject starts: after an opening phrase, if any."""
    if not tokens or not _INTRO_START.match(text.lstrip()):
        return 0
    first = tokens[0].low
    if first in ("as",) and len(tokens) > 2 and tokens[1].low == "agreed":
        pass
    for i, tok in enumerate(tokens):
        if tok.text == "," and i + 1 < len(tokens):
            group = _subject_and_verb(tokens, i + 1, len(tokens), max_subject=10,
                                      no_comma=True)
            if (group is not None and group.start > i + 1) or (
                    group is not None and tokens[i + 1].low in MODALS):
                # "Today, we pledge": a subject between the comma and the verb
                subject = tokens[i + 1:group.start]
                if subject and not any(t.low in ("and", "or") and k == 0
                                       for k, t in enumerate(subject)):
                    return i + 1
    return 0


_DATELINE = re.compile(r"^[A-Z][A-Za-z .'’]{1,30}(?:,\s*[A-Za-z .0-9]{1,30})?(?:\s\([^)]{1,30}\))?"
                       r"\s[-–—]\s+(?=[A-Z])")
_THAT_VERBS = frozenset(["assure", "reassure", "agree", "decide", "resolve", "recommend",
                         "propose", "request", "urge", "ask", "insist", "assure", "undertake",
                         "guarantee", "note", "observe", "recall", "emphasise", "emphasize",
                         "stress", "underline", "highlight", "recognise", "recognize",
                         "acknowledge", "believe", "consider", "affirm", "reaffirm", "reiterate",
                         "expect", "hope", "welcome", "advise", "announce", "inform", "say",
                         "state", "report", "indicate", "confirm", "add", "explain", "mention",
                         "ensure", "find", "conclude", "understand", "warn", "suggest",
                         "determine", "stipulate", "accept"])


def predicates(sentence: str) -> list[Predicate]:
    """The predicates of a sentence, in order; [] when it has no verb (a heading, a
    verbless bullet)."""
    masked = mask_asides(sentence)
    tokens = tokenize(masked)
    if not tokens:
        return []
    previous = 0
    for tok in tokens:
        tok.after_aside = "(" in sentence[previous:tok.start] or "–" in sentence[
            previous:tok.start]
        previous = tok.end
    start = _skip_intro(tokens, masked)
    dateline = _DATELINE.match(masked)
    if not start and dateline:  # "Singapore - We, the Ministers …": the dateline first
        start = next((k for k, t in enumerate(tokens) if t.start >= dateline.end()), 0)
    intro = sentence[:tokens[start].start].strip() if start else ""
    return _clause(sentence, tokens, start, len(tokens), intro, None, None)


def _clause(sentence: str, tokens: list[Token], start: int, limit: int, intro: str,
            outer: Predicate | None, inherited: Predicate | None) -> list[Predicate]:
    group = _subject_and_verb(tokens, start, limit)
    if group is None:
        # "Mr A, Australian Minister …, Dr B, Indonesian Minister …, in a meeting on …,
        # urged …": a long subject, then a verb of the kind statements use
        group = _subject_and_verb(tokens, start, limit, max_subject=70)
        if group is not None and not (group.modal or group.perfect or (
                group.form == "past" and verb(tokens[group.head].low))):
            group = None
    if group is None:
        return []
    subject_text = _text(sentence, tokens, start, group.start)
    if subject_text.strip() == "" and inherited is not None:
        subject_text = inherited.subject
    out: list[Predicate] = []
    heads = [group]
    _follow(sentence, tokens, group, limit, out, subject_text, start, intro, outer)
    del heads
    return out


def _trim_subject(subject: str) -> str:
    """"Members also" → "Members": adverbs before the verb are not the subject's."""
    words = subject.strip(" ,").split()
    while words and (words[-1].lower().strip(",") in ADVERBS or words[-1] == ","):
        words.pop()
    return " ".join(words).strip(" ,")


def _text(sentence: str, tokens: list[Token], i: int, j: int) -> str:
    if i >= j:
        return ""
    return sentence[tokens[i].start:tokens[j - 1].end]


def _follow(sentence: str, tokens: list[Token], group: VerbGroup, limit: int,
            out: list[Predicate], subject: str, subject_start: int, intro: str,
            outer: Predicate | None, shared: bool = False) -> None:
    """Add the predicate of `group` and of every verb coordinated with it, in order (a loop,
    not recursion: a sentence may coordinate any number of verbs)."""
    while True:
        that = _that_at(tokens, group, limit)
        if that is not None:  # the clause after "that" has its own coordination
            split_at, next_group, kind = None, None, ""
        else:
            split_at, next_group, kind = _coordinated_end(tokens, group, limit)
        stop = split_at if split_at is not None else limit
        span_start = tokens[subject_start].start if not shared else tokens[group.start].start
        text_end = tokens[stop - 1].end if stop > group.start else tokens[group.end - 1].end
        # A run-on "sentence" (no full stop for pages) is read by its first words only
        text_end = min(text_end, max(tokens[group.end - 1].end, span_start) + _LONGEST)
        predicate = Predicate(
            sentence, _trim_subject(subject), group,
            sentence[tokens[group.end - 1].end:text_end].strip(" ,;")
            if group.end <= stop else "",
            sentence[span_start:text_end].strip(" ,;"), intro=intro, shared=shared,
            outer=outer, span=(span_start, text_end))
        # A "that"-clause under a verb of agreeing or saying holds predicates of its own.
        inner: list[Predicate] = []
        if that is not None:
            inner = _that_clauses(sentence, tokens, that + 1, stop, predicate)
        elif group.lemma in _THAT_VERBS and group.end < stop and not group.passive:
            # "agreed the review would consider …", "emphasised an effective response …"
            found = _subject_and_verb(tokens, group.end, stop, max_subject=24,
                                      prefer_auxiliary=True)
            if found is not None and found.start > group.end and found.modal in (
                    "will", "would", "should", "shall", "must", "be to") and \
                    tokens[group.end].low not in ("to", "on", "for", "with"):
                inner = _that_clauses(sentence, tokens, group.end, stop, predicate)
        predicate.extras["inner"] = "yes" if inner else ""
        out.append(predicate)
        out.extend(inner)
        if split_at is None or next_group is None:
            return
        if kind == "clause":  # a new subject: "…, and New Zealand will set …"
            new_subject = _text(sentence, tokens, split_at, next_group.start)
            subject = re.sub(r"^(?:and|but|while|whereas|or)\s+", "",
                             new_subject.strip(" ,;"), flags=re.IGNORECASE)
            group, subject_start, intro, shared = next_group, split_at, "", False
            continue
        if kind in ("top", "modal"):
            # "agreed to A, and tasked B"; "…, and will further enhance …": the same subject
            group, subject_start, shared = next_group, split_at, True
            continue
        # the same subject and the same modal: "will help …, continue …"; "agreed to A, and B"
        next_group.modal = group.modal if next_group.modal is None else next_group.modal
        infinitive = _infinitive(tokens, group, limit)
        if group.form == "past" and next_group.form in ("base", "third") and infinitive is None:
            next_group.form = "past"
        if infinitive is not None or (next_group.form == "ing" and _gerund_head(tokens, group)):
            next_group.under = group
        elif group.under is not None:
            next_group.under = group.under
        next_group.scheduled = group.scheduled
        group, subject_start, shared = next_group, split_at, True


_TELL = frozenset({"assure", "reassure", "inform", "advise", "tell", "remind", "notify",
                   "convince", "brief", "update", "warn"})


def _that_at(tokens: list[Token], group: VerbGroup, stop: int) -> int | None:
    """The token index of the "that" opening this verb's clause: "agreed that …",
    "assured the States that …"."""
    if group.end < stop and tokens[group.end].low == "that" and group.lemma in (
            "reach", "make", "take", "be") and group.start > 0 and re.match(
                r"(?:agreement|consensus|a decision|the decision|it)$",
                tokens[group.start - 1].low):
        return group.end  # "Agreement has been reached that …"
    if group.end >= stop or group.lemma not in _THAT_VERBS | _TELL:
        return None
    if tokens[group.end].low == "that":
        return group.end
    if group.lemma in _TELL:
        for j in range(group.end, min(stop, group.end + 8)):
            if tokens[j].low == "that":
                return j
            if tokens[j].text in (",", ";") or (verb(tokens[j].low) and j > group.end):
                break
    return None


def _that_clauses(sentence: str, tokens: list[Token], start: int, limit: int,
                  outer: Predicate) -> list[Predicate]:
    """"agreed that A will …, and that B will …": each clause read with its own subject."""
    parts: list[tuple[int, int]] = []
    begin = start
    for i in range(start, limit):
        if tokens[i].low == "that" and i > begin and tokens[i - 1].low in ("and", "but") and (
                i < 2 or tokens[i - 2].text == "," or True):
            parts.append((begin, i - 1 if tokens[i - 2].text != "," else i - 2))
            begin = i + 1
    parts.append((begin, limit))
    out: list[Predicate] = []
    for a, b in parts:
        out.extend(_clause(sentence, tokens, a, b, "", outer, None))
    return out


def _coordinated_end(tokens: list[Token], group: VerbGroup,
                     limit: int) -> tuple[int | None, VerbGroup | None, str]:
    """Where the predicate of `group` ends and what comes next: (token index, the next
    verb group, "clause" | "modal" | "verb"), or (None, None, "") when it runs to the end."""
    # The verb that a coordinated verb continues: the head, or a later infinitive of
    # purpose ("… capital to modernise A, advance B" continues "modernise", not "mobilise").
    last_verb_is_head = True
    purpose_list = False  # a list of verbs continuing an infinitive of purpose has begun
    i = group.end
    lemma_head = group.lemma
    infinitive = _infinitive(tokens, group, limit)
    infinitive_verb = verb(tokens[infinitive].low) if infinitive is not None else None
    if infinitive_verb and infinitive_verb[0] in ("help", "make", "let", "enable", "allow"):
        purpose_list = True  # "help Ukraine repair, restore and defend": one commitment
    head_form = group  # the form coordinated verbs must have
    if infinitive is not None:  # "agreed to enhance A, and encourage B": B is under "to"
        i = infinitive + 1
        lemma_head = infinitive_verb[0] if infinitive_verb else tokens[infinitive].low
        head_form = VerbGroup(infinitive, infinitive + 1, lemma_head, "base", modal="to",
                              head=infinitive)
    while i < limit:
        tok = tokens[i]
        low = tok.low
        if low == "to" and i + 1 < limit and i > head_form.end - 1:
            m = i + 1
            while m + 1 < limit and tokens[m].low in ADVERBS:
                m += 1
            word = verb(tokens[m].low)
            if word and word[1] == "base" and tokens[m].low not in _PREPOSITIONS:
                last_verb_is_head = False
        if low == "in" and i + 2 < limit and tokens[i + 1].low == "order" and \
                tokens[i + 2].low == "to":
            last_verb_is_head = False
        if tok.text == ";":
            j = i + 1
            if j < limit and tokens[j].low in ("and", "but"):
                j += 1
            nxt = _subject_and_verb(tokens, j, limit, max_subject=8)
            if nxt is not None and nxt.start > j:
                return i, nxt, "clause"
            if nxt is not None and tokens[j].low in MODALS:
                return i, nxt, "modal"
        conj = low in ("and", "but", "while", "whereas") or (
            tok.text == "," and i + 1 < limit and tokens[i + 1].word) or (
            low == "as" and i + 2 < limit and tokens[i + 1].low == "well" and
            tokens[i + 2].low == "as")
        if conj and i >= head_form.end:
            j = i + 1
            conj_word: str | None = low if low != "," else None
            if tok.text == "," and j < limit and tokens[j].low in ("and", "but", "while",
                                                                  "whereas", "then"):
                conj_word = tokens[j].low
                j += 1
            if j + 1 < limit and tokens[j - 1].low == "as" and tokens[j].low == "well":
                j += 2
            elif j + 2 < limit and tokens[j].low == "as" and tokens[j + 1].low == "well" \
                    and tokens[j + 2].low == "as":
                conj_word = "as well as"
                j += 3
            while j < limit and tokens[j].low in ("also", "further", "then", "thereby"):
                j += 1
            if j >= limit:
                break
            comma = tok.text == "," or (i > 0 and tokens[i - 1].text == ",")
            nxt_tok = tokens[j]
            # "…, and will further enhance …": the same subject, a modal of its own
            if nxt_tok.low in MODALS:
                found = _verb_at(tokens, j)
                if found is not None:
                    return (i, found, "modal")
            # "…, and are committed to …"
            if nxt_tok.low in _BE and group.modal is None and conj_word == "and":
                found = _verb_at(tokens, j)
                if found is not None and (found.adjective or found.passive):
                    return (i, found, "modal")
            # "…, and New Zealand will set …": a clause with a subject of its own
            if nxt_tok.low not in ("to", "that") and (nxt_tok.capital or nxt_tok.low in (
                    "we", "they", "it", "both", "all", "each", "the", "our", "their",
                    "officials", "members", "ministers", "leaders", "any", "relevant",
                    "australian", "this", "these")):
                found = _subject_and_verb(tokens, j, limit, max_subject=12,
                                          prefer_auxiliary=True, no_comma=True)
                if found is not None and not found.modal and found.start == found.head and \
                        found.head + 1 < limit and (
                            tokens[found.head + 1].low in _AFTER_PARTICIPLE or (
                                tokens[found.head + 1].low == "on" and found.head + 2 < limit
                                and tokens[found.head + 2].text[:1].isdigit())):
                    found = None  # "people admitted under …", "held on 25 October"
                if found is not None and any(t.low in ("which", "who", "that", "whose")
                                             for t in tokens[j:found.start]):
                    found = None
                if found is not None and found.start - j <= 3 and all(
                        t.capital for t in tokens[j:found.start]) and \
                        tokens[found.start].after_aside:
                    found = None  # "… on Modern Slavery and Human Trafficking (FSC) aimed …"
                if found is not None and found.start > j and (
                        found.modal or found.form in ("past", "third") or
                        tokens[found.start].low in _BE | _HAVE or
                        tokens[found.start - 1].low in ("we", "they")) and \
                        not _has_verb_between(tokens, j, found.start):
                    return (i, found, "clause")
            # "… and to report …", "… and encourage …": a verb under the same head
            k = j
            if group.lemma in ("invite", "encourage", "urge", "call", "appeal") and (
                    nxt_tok.low == "to" or group.passive):
                i += 1
                continue  # "invite partners to join … and to participate …": one call
            if nxt_tok.low == "to" and conj_word is None:
                i += 1
                continue  # "…, to meet challenges": an infinitive of purpose, not a verb of its own
            if nxt_tok.low == "to" and j + 1 < limit:
                k = j + 1
            while k + 1 < limit and tokens[k].low in ADVERBS:
                k += 1
            if tokens[k].low in _BE | _HAVE | MODALS:
                i += 1
                continue  # "…, were forced to …": not a verb of the head's
            if low == "and" and i >= 2 and tokens[i - 1].text.isalpha() and (
                    tokens[i - 2].low in _PREPOSITIONS or tokens[i - 2].low in DETERMINERS) and \
                    k + 1 < limit and ((tokens[k + 1].low in _PREPOSITIONS and tokens[
                        k + 1].low not in ("to", "with", "on", "in")) or
                                       not tokens[k + 1].word):
                i += 1
                continue  # "cooperation on search and rescue at sea": nouns, not two verbs
            found = _verb_at(tokens, k, loose=True)
            if found is not None and found.form == "past" and conj_word is None and \
                    found.end < limit and tokens[found.end].low in _AFTER_PARTICIPLE | {"on"}:
                found = None  # "…, commissioned at their 2012 meeting": a participle
            if found is not None and found.form == "past" and tokens[k].low in _ADJECTIVAL and \
                    found.end < limit and tokens[found.end].word and not tokens[
                        found.end].capital and tokens[found.end].low not in DETERMINERS | \
                    PRONOUNS | _PREPOSITIONS | {"that"}:
                found = None  # "… human trafficking and related transnational crime"
            if found is not None and found.form in ("base", "third", "past", "ing") and \
                    tokens[k].low not in ("that",) and _object_follows(tokens, found, limit):
                same_form = _forms_agree(head_form, found, tokens[k], tokens)
                if not same_form and head_form is not group and found.form == "past" and \
                        group.form == "past" and conj_word is not None:
                    # "agreed to establish X, which …, and tasked the Co-Chairs to …"
                    return (i, found, "top")
                continues_head = found.lemma == lemma_head or (
                    not purpose_list and (last_verb_is_head or (
                        comma and conj_word is not None)))
                between = [t for t in tokens[head_form.end:i] if t.word]
                if same_form and continues_head and any(t.low not in ADVERBS for t in between):
                    return (i, found, "verb")
                if same_form and not continues_head and conj_word is None:
                    purpose_list = True
            elif found is not None and conj_word is None and not last_verb_is_head and \
                    found.form in ("base", "third"):
                purpose_list = True  # "to direct negotiations, coordinate, and tackle …"
        i += 1
    return None, None, ""


_COMMITTED = frozenset({"committed", "determined", "resolved", "ready", "prepared", "willing",
                        "dedicated", "intent"})
_TAKES_INFINITIVE = frozenset(["agree", "commit", "pledge", "undertake", "resolve", "decide",
                               "intend", "plan", "aim", "seek", "strive", "endeavour", "endeavor",
                               "vow", "promise", "propose", "offer", "volunteer", "expect",
                               "prepare", "continue", "attempt", "try", "work", "task", "ask",
                               "request", "call", "urge", "invite", "encourage", "direct",
                               "instruct", "mandate", "charge", "appeal", "entrust", "empower",
                               "authorise", "recommend", "require", "commission", "look", "help",
                               "need", "determine", "wish", "hope", "want", "remain", "stand"])


def _infinitive(tokens: list[Token], group: VerbGroup, limit: int) -> int | None:
    """The token index of the verb in "agreed to enhance", "tasked SOMTC Lead Shepherds to
    finalise", "are committed to work", or None."""
    if group.lemma not in _TAKES_INFINITIVE and group.adjective not in _COMMITTED and \
            group.modal != "be to":
        return None
    j = group.end
    reach = 12 if group.lemma in DIRECT_VERBS else 2
    for k in range(j, min(limit, j + reach)):
        tok = tokens[k]
        if tok.text in (";", ".", ":") or (tok.text == "," and group.lemma not in DIRECT_VERBS):
            return None
        if tok.low == "to" and k + 1 < limit:
            m = k + 1
            while m < limit and tokens[m].low in ADVERBS:
                m += 1
            found = verb(tokens[m].low) if m < limit else None
            if found and found[1] == "base":
                return m
            return None
        if tok.low in MODALS or tok.low == "that":
            return None
    return None


def _gerund_head(tokens: list[Token], group: VerbGroup) -> bool:
    """Does the head take a gerund after "to": "committed to mobilising", "look forward to
    concluding"?"""
    j = group.end
    if j < len(tokens) and tokens[j].low == "forward":
        j += 1
    if j < len(tokens) and tokens[j].low == "to":
        j += 1
        while j < len(tokens) and tokens[j].low in ADVERBS:
            j += 1
        found = verb(tokens[j].low) if j < len(tokens) else None
        return found is not None and found[1] == "ing"
    return False


def _has_verb_between(tokens: list[Token], i: int, j: int) -> bool:
    return any(t.low in MODALS for t in tokens[i:j])


def _forms_agree(group: VerbGroup, found: VerbGroup, token: Token,
                 tokens: list[Token] | None = None) -> bool:
    """Is `found` the same form as the head, so that it shares the head's subject?"""
    form = verb(token.low)
    if form is None:
        return False
    if found.form == "ing":  # "committed to A-ing and to B-ing", "look forward to …"
        return tokens is not None and _gerund_head(tokens, group)
    if group.modal or group.form in ("base", "third") or group.adjective:
        return form[1] in ("base", "third") or (group.adjective is not None and form[1] == "ing")
    if group.form == "past":
        return form[1] in ("past", "participle")
    return False


# Words that are as often nouns as verbs: after "and", a preposition makes them nouns.
_NOUN_TOO = frozenset(["rescue", "search", "relief", "recovery", "support", "report", "plan",
                       "review", "study", "work", "progress", "research", "design", "test",
                       "trial", "fund", "budget", "aid", "help", "record", "focus", "exchange",
                       "update", "change", "increase", "use", "need", "process", "share",
                       "outline", "draft", "launch", "visit", "control", "release", "access",
                       "return", "respect", "interest", "issue", "step", "cost", "demand", "lack",
                       "training", "balance", "contact", "lead", "host", "map", "mark", "match",
                       "measure", "monitor", "network", "offer", "order", "partner", "pilot",
                       "place", "point", "present", "programme", "program", "project", "protest",
                       "rise", "risk", "sanction", "schedule", "service", "shift", "sign",
                       "spread", "stand", "start", "state", "strike", "structure", "survey",
                       "target", "transfer", "travel", "trust", "view", "vote", "watch"])


# Participles that mostly qualify a noun: "related transnational crime", "forced labour".
_ADJECTIVAL = frozenset("""
related organised organized integrated coordinated associated affected displaced detained
skilled qualified limited advanced concerned interested dedicated targeted combined united
sustained increased enhanced strengthened improved expanded renewed continued shared agreed
proposed planned updated revised detailed informed mixed forced armed unaccompanied trafficked
smuggled smuggled accelerated developed emerging registered documented undocumented
""".split())
# Words that are as often adjectives: "a free, open region", "and open Indo-Pacific".
_ADJECTIVE_TOO = frozenset(["open", "close", "free", "clear", "secure", "complete", "direct",
                            "present", "separate", "perfect", "correct", "alert", "equal", "level",
                            "free", "clean", "dry", "empty", "full", "safe", "sound", "still",
                            "warm", "cool", "slow", "fast", "light", "right", "wrong"])


def _object_follows(tokens: list[Token], found: VerbGroup, limit: int) -> bool:
    """A verb, not a noun: "and support the plan" (a verb), "and support to members" (a
    noun)."""
    j = found.end
    if j >= limit:
        return False
    nxt = tokens[j]
    low = nxt.low
    if tokens[found.head].low in _ADJECTIVE_TOO and low not in DETERMINERS and \
            low not in PRONOUNS and low not in ("up", "out"):
        return False  # "free, open, inclusive": adjectives
    if found.form in ("past", "participle", "ing") or tokens[found.head].low not in _NOUN_TOO:
        return low not in (".", ",", ";", ")", "and", "or", "is", "are", "was", "were")
    if low in ("of", "and", "or", "for", "in", "with", "is", "are", "was", "were", "will",
               ".", ",", ";", ")") and found.lemma not in ("work", "cooperate", "collaborate",
                                                          "engage", "meet", "continue"):
        return False
    return not (low == "to" and found.lemma not in (
        "continue", "work", "respond", "contribute", "agree", "commit", "seek", "aim", "strive",
        "look", "plan", "intend", "decide", "resolve"))
