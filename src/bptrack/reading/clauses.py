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

from bptrack.reading.coordination import coordinated_end, gerund_head, infinitive_at
from bptrack.reading.lexicon import (
    ADVERBS,
    MODALS,
    verb,
)
from bptrack.reading.tokens import (
    Token,
    VerbGroup,
    mask_asides,
    subject_and_verb,
    tokenize,
)


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


def _skip_intro(tokens: list[Token], text: str) -> int:
    """Token index where the subject starts: after an opening phrase, if any."""
    if not tokens or not _INTRO_START.match(text.lstrip()):
        return 0
    first = tokens[0].low
    if first in ("as",) and len(tokens) > 2 and tokens[1].low == "agreed":
        pass
    for i, tok in enumerate(tokens):
        if tok.text == "," and i + 1 < len(tokens):
            group = subject_and_verb(tokens, i + 1, len(tokens), max_subject=10,
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
    group = subject_and_verb(tokens, start, limit)
    if group is None:
        # "Mr A, Australian Minister …, Dr B, Indonesian Minister …, in a meeting on …,
        # urged …": a long subject, then a verb of the kind statements use
        group = subject_and_verb(tokens, start, limit, max_subject=70)
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
            split_at, next_group, kind = coordinated_end(tokens, group, limit)
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
            found = subject_and_verb(tokens, group.end, stop, max_subject=24,
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
        infinitive = infinitive_at(tokens, group, limit)
        if group.form == "past" and next_group.form in ("base", "third") and infinitive is None:
            next_group.form = "past"
        if infinitive is not None or (next_group.form == "ing" and gerund_head(tokens, group)):
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


def cue_of(p: Predicate) -> str:
    """The words that decide a predicate's kind: "will", "agreed to", "tasked … to",
    "welcomed", "will continue to"."""
    g = p.group
    words = p.sentence[p.span[0]:p.span[1]]
    subject = p.subject
    start = words.find(subject) + len(subject) if subject and words.find(subject) >= 0 else 0
    text = " ".join(words[start:].split()).lstrip(" ,;:–—-")
    tokens = text.split()
    if not tokens:
        return ""
    if g.modal in ("will", "shall", "would", "should") and tokens[0].lower().rstrip(",") in (
            "will", "shall", "would", "should"):
        if len(tokens) > 2 and tokens[1].lower() == "continue" and tokens[2] == "to":
            return " ".join(tokens[:3])
        return tokens[0].rstrip(",")
    size = max(1, g.end - g.start)
    cue = tokens[:size]
    rest = tokens[size:]
    if rest and rest[0].lower() in ("to", "that", "on", "for", "forward"):
        cue.append(rest[0])
        if rest[0].lower() == "forward" and len(rest) > 1:
            cue.append(rest[1])
    return " ".join(cue).rstrip(",.;:")
