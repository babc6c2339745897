"""An item's kind, from its predicate's main verb and what that verb governs.

Future commitments are actions ("will establish", "agreed to hold", "tasked SOMTC to"); standing
priorities and continuing commitments are ongoing ("will continue to", "reaffirmed their
commitment to", "remain committed to", "We support …"); what happened is a record ("held",
"endorsed", "was convened"); observations are notes ("noted", "welcomed", "expressed
concern"). An observation verb makes a commitment only when it governs one ("welcomed
Thailand's offer to host" is Thailand's action; "noted the need to" is the members'). What is
reported, predicted or conditional commits nobody; what already happened is a record.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from bptrack.reading.clauses import Predicate, VerbGroup, predicates
from bptrack.reading.lexicon import COMMIT, CONTINUING, DIRECT, OBSERVE, PEOPLE, REPORT, verb
from bptrack.reading.words import fold

KIND_RANK = {"note": 0, "record": 1, "ongoing": 2, "action": 3}

# Verbs whose object is a deliverable: what they commit to is an action, not ongoing work.
DELIVERABLE = frozenset(["establish", "launch", "hold", "convene", "host", "co-host", "create",
                         "set", "begin", "develop", "publish", "produce", "submit", "report",
                         "prepare", "draft", "finalise", "finalize", "complete", "adopt", "sign",
                         "conduct", "organise", "organize", "deliver", "design", "build", "invest",
                         "provide", "designate", "appoint", "review", "evaluate", "study", "map",
                         "update", "translate", "circulate", "introduce", "conclude", "reach",
                         "achieve", "initiate", "commission", "hold", "undertake", "plan", "table",
                         "present", "release", "issue", "open", "close", "finish", "start",
                         "construct", "deploy", "allocate", "fund", "pilot", "test", "run",
                         "draft", "compile", "convene", "examine", "assess", "identify",
                         "formulate", "elaborate", "agree", "negotiate", "ratify", "implement",
                         "enact", "legislate", "amend", "revise", "replace", "phase", "halt",
                         "end", "stop", "withdraw", "invite", "nominate"])
_RECURRING = re.compile(r"\b(?:regularly|annually|each year|every year|at least once a year|"
                        r"once a year|on a regular basis|as a standing|periodically|"
                        r"on an ongoing basis|from time to time|biennially|twice a year)\b")
_PREDICTION = re.compile(r"^(?:be |serve as |represent |constitute |mark |set |establish "
                         r"|provide |offer |prove |become )?(?:a|an|the)\s+(?:(?!as\b)\w+\s+)"
                         r"{0,2}?"
                         r"(?:precedent|milestone|step forward|turning point|example|model|"
                         r"benchmark|basis|foundation|centrepiece|centerpiece|cornerstone)\b")
_PLAN_WORDS = (r"plans?|planned (?:activities|work|programme|program|events?)|offers?|"
               r"proposals?|initiatives?|intentions?|undertakings?|decisions?|pledges?|"
               r"commitments?|readiness|willingness|announcement|preparations?")
_PLAN_OBJECT = re.compile(
    rf"^(?:the |a |an |its |their |his |her |our )?(?:[\w'’-]+ ){{0,5}}?(?:{_PLAN_WORDS})\b"
    rf"(?:\s+(?:of|by|from)\s+(?P<by>[^,;]{{1,150}}?))?\s+(?:to|that)\s", re.IGNORECASE)
_PLANNED_ACTIVITIES = re.compile(r"\b(?:its|their|the) planned (?:activities|work|events)\b")
_POSSESSIVE_COMMITMENT = re.compile(
    r"^(?:our|their|its|his|her|the|both countries'|both countries’|[\w-]+(?:'s|’s|s'|s’)(?: and "
    r"[\w -]+?(?:'s|’s))?)\s+(?:(?:strong|steadfast|unwavering|firm|full|continued|continuing|"
    r"ongoing|shared|collective|joint|long-standing|longstanding|unequivocal|deep|enduring|"
    r"total|absolute|complete|renewed|strongest|utmost|clear|solemn|sincere|resolute|"
    r"unshakeable|unshakable|political|high-level|mutual|broad|consistent|active)\s+(?:and\s+)?)*"
    r"(?P<noun>commitments?|support|determination|resolve|intentions?|agreement|ambitions?|"
    r"solidarity|pledges?|readiness|willingness|desire|dedication|engagement|efforts?)\b"
    r"(?P<tail>\s+(?:to|for|with|towards|toward|in|of)\b)?", re.IGNORECASE)
_NOMINAL_THAT = re.compile(r"\b(?:decision|undertaking|assurance|agreement|commitment|pledge|"
                           r"understanding|determination)\s+that\s+", re.IGNORECASE)
_DELIVERABLE_NOUN = re.compile(
    r"^(?:the |a |an )?(?:\w+ ){0,2}?(?:establishment|creation|development|holding|"
    r"convening|launch|setting up|preparation|formation|organi[sz]ation|adoption|"
    r"drafting|conduct|implementation|review)\s+of\b", re.IGNORECASE)
_OBSERVE_ALWAYS = frozenset(["welcome", "note", "acknowledge", "recognise", "recognize", "thank",
                             "congratulate", "condemn", "deplore", "regret", "applaud", "praise",
                             "laud", "appreciate", "emphasise", "emphasize", "stress", "underline",
                             "underscore", "recall", "lament", "mourn", "salute", "observe",
                             "reiterate"])
_EVENT_NOW = frozenset(["endorse", "adopt", "launch", "establish", "approve", "sign", "inaugurate",
                        "open", "convene", "declare", "release", "issue"])
_PERSON = re.compile(
    r"^(?:the\s+)?(?:H\.?E\.?|His Excellency|Her Excellency|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Sir|Dame|"
    r"Hon\.?|Senator|Professor|Prof\.?|Ambassador|Minister|Prime Minister|President|"
    r"Secretary|Chancellor|King|Queen|Prince|Princess|Sheikh|Dato'?|Datuk|Tan Sri|Pak|Ibu)\s+"
    r"(?:the\s+Hon\.?\s+)?[A-Z]", re.IGNORECASE)
_THING = re.compile(r"^(?:this|these|that|those|such|there|it|one|each of these|all of "
                    r"these|both of these)\b", re.IGNORECASE)
_SUBJECT_HEAD = re.compile(r"\s+(?:of|on|for|in|from|at|with|under|between|among|to|by|"
                           r"within|across|through|into)\s+.*$", re.IGNORECASE)


@dataclass
class Reading:
    kind: str
    cue: str  # the words that decided it
    predicate: Predicate
    target: str = ""  # who is tasked, invited, called on, or who offered ("the OECD")
    confident: bool = True


_Make = Callable[..., Reading]


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


def read(p: Predicate) -> Reading | None:
    """The kind a predicate signals, with its cue, or None when it signals nothing."""
    g = p.group
    comp = fold(p.complement).strip()
    lemma = g.lemma
    subject = subject_class(p.subject)
    cue = _cue(p)

    def reading(kind: str, target: str = "", confident: bool = True) -> Reading:
        return Reading(kind, cue, p, target, confident)

    if g.negated:
        return reading("note")
    if g.under is not None and g.modal not in ("will", "shall", "'ll"):
        # "agreed to enhance A, and encourage B"; "tasked X to finalise A and to convene B"
        return _continuing_head(p, g.under, reading)
    if subject == "person" and p.outer is None:
        return reading("note")
    future = g.modal in ("will", "shall", "'ll", "be to") or g.scheduled is not None
    if p.outer is not None and g.modal in ("would", "should", "must", "can", "could", "may",
                                           "subjunctive"):
        future = True  # "agreed that officials would work …"
    if p.outer is not None and g.modal is None and g.form == "base" and not g.perfect and \
            p.outer.group.lemma in ("recommend", "request", "propose", "urge", "insist", "ask",
                                    "require", "suggest", "decide", "agree", "resolve"):
        future = True  # "recommended that members review …": what they are to do
    if future:
        return _future(p, comp, subject, reading)
    if g.modal is not None:
        return reading("note")  # "would be important", "can end this war", "must end"
    if g.progressive:
        if subject in ("thing", "person") or lemma in _OBSERVE_ALWAYS or lemma in (
                "see", "witness", "face", "experience", "become", "grow", "rise", "increase",
                "exacerbate", "threaten", "undermine", "suffer", "happen", "occur", "emerge"):
            return reading("note")  # "Russia's war is exacerbating …", "we are seeing …"
        if lemma in ("plan", "prepare", "organise", "organize", "draft", "finalise",
                     "finalize", "establish", "launch", "hold", "conduct", "build", "design",
                     "arrange", "convene", "host") or (lemma == "take" and re.match(
                         r"(?:\w+ )?(?:steps|measures|action)\b", comp)):
            return reading("action")
        return reading("ongoing")  # "we are working to …", "are exploring opportunities"
    if lemma == "be" or g.adjective:
        return _copula(p, comp, subject, reading)
    if g.passive and re.match(r"(?:the )?(?:\w+ )?priorities\b", fold(p.subject)) and \
            lemma in ("outline", "identify", "set", "agree", "list", "define", "highlight"):
        return reading("ongoing")  # "Key priorities were outlined as follows: …"
    if g.passive:
        return _passive(p, comp, subject, reading)
    if subject == "thing" and lemma not in ("continue", "remain"):
        return reading("record" if g.form in ("past", "participle") else "note")
    if lemma == "have" and not g.perfect:
        if re.match(r"(?:the |a |an )?(?:shared |common |joint |clear |stated )?(?:objective|"
                    r"goal|aim|ambition|intention|responsibility|task|mission)s? (?:of|to)\b",
                    comp):
            return reading("ongoing")
        return reading("note")
    if lemma in ("remain", "stand", "stay"):
        if re.match(r"(?:\w+ly )?(?:strong, )?(?:united (?:and )?)?(?:(?:absolutely|fully|firmly|"
                    r"deeply|resolutely|steadfastly|strongly) )?(?:committed|dedicated|"
                    r"determined|resolved|ready|prepared|willing|seized|focused|focussed|"
                    r"engaged|with|by)\b", comp) or "committed" in comp[:60]:
            return reading("ongoing")
        if lemma == "stand" and re.match(r"ready|with|by|together|united|strong", comp):
            return reading("ongoing")
        return reading("note")
    if lemma in COMMIT or lemma == "look":
        found = _commitment(p, comp, subject, reading)
        if found is not None:
            return found
    if lemma in DIRECT:
        found = _directive(p, comp, reading)
        if found is not None:
            return found
    if lemma in OBSERVE or lemma in ("support", "back", "endorse", "share", "reinforce",
                                     "renew", "restate", "show", "demonstrate"):
        found = _observation(p, comp, subject, reading)
        if found is not None:
            return found
        if _NOMINAL_THAT.search(comp):
            return None  # "reiterate our decision that …": the clause after it says
    if lemma in ("strive",):
        return reading("ongoing")
    if lemma == "raise" and comp.startswith("the issue of"):
        return reading("action")  # "Raised the issue of increased collaboration …"
    if g.form in ("past", "participle") or g.perfect:
        return reading("record")
    if subject in ("we", "people", "none", "pronoun") and lemma in _EVENT_NOW:
        return reading("record")  # "we endorse …", "hereby establish": done by saying so
    if subject == "none" and verb(lemma):  # a bare verb under a section: "Plans to …"
        return reading("action")
    return reading("note")


def _continuing_head(p: Predicate, under: VerbGroup, reading: _Make) -> Reading:
    lemma = p.group.lemma
    if lemma in _OBSERVE_ALWAYS:
        return reading("note")
    if under.lemma == "look":
        obj = fold(p.complement)
        if re.match(r"(?:further |continued )?(?:strengthening|deepening|implementation|"
                    r"cooperation|working)\b", obj) or lemma in ("strengthen", "deepen"):
            return reading("ongoing")
        return reading("action")
    if lemma in CONTINUING or lemma == "continue" or under.adjective or (
            under.lemma == "commit" and under.form in ("base", "third")):
        return reading("ongoing")
    return reading("action")


def _cue(p: Predicate) -> str:
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


def _future(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading:
    g = p.group
    lemma = g.lemma
    if lemma in _OBSERVE_ALWAYS and not g.passive:
        return reading("note")  # "will welcome …" is said now, not done later
    if g.adjective in ("committed", "dedicated", "determined", "resolved", "ready", "prepared",
                       "willing", "seized", "focused"):
        return reading("ongoing")
    if lemma == "be" and not g.passive and not g.scheduled:
        return reading("note")  # "will be a major step", "would be an integral part"
    scheduled_event = re.match(r"(?:into (?:force|effect)|effect|place|operational)\b", comp) \
        and lemma in ("enter", "take", "come", "become", "go")
    agreed = p.outer is not None and p.outer.group.lemma in ("agree", "decide", "resolve",
                                                              "recommend", "assure", "propose")
    if subject == "thing" and not g.passive and not g.scheduled and not scheduled_event and \
            not agreed:
        if lemma == "remain" and re.match(r"as agreed", fold(p.intro)):
            return reading("ongoing")  # "As agreed by all, the discussions will remain …"
        return reading("note")  # "These investments will help …": a prediction
    if scheduled_event:
        return reading("action")
    if _PREDICTION.match(comp):
        return reading("note")
    if _RECURRING.search(fold(p.text)):
        return reading("ongoing")
    if g.passive and subject in ("thing", "it") and re.match(
            r"(?:\w+ly )?to\s+(?:\w+ly\s+)?(?:further\s+)?[a-z]+", comp) and lemma in (
                "design", "intend", "aim", "expect", "mean", "use", "develop", "tailor"):
        return reading("note")  # "This will be designed to further enhance …": what it is for
    if g.passive:
        return reading("ongoing" if lemma in CONTINUING else "action")
    if lemma == "continue" or lemma in ("keep", "maintain", "remain", "sustain", "uphold",
                                        "stand"):
        return reading("ongoing")
    if lemma in CONTINUING and lemma not in ("support", "encourage", "follow"):
        return reading("ongoing")
    if lemma in ("support", "encourage") and not re.match(r"(?:the |a |an )?(?:establishment|"
                                                          r"creation|launch|holding)", comp):
        return reading("ongoing")
    if lemma == "contribute" or (lemma == "work" and re.match(r"(?:closely |together )?(?:to|"
                                                               r"with|on)\b", comp) and False):
        return reading("ongoing")
    return reading("action")


def _copula(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading:
    g = p.group
    adj = g.adjective or ""
    if adj in ("committed", "dedicated", "determined", "resolved", "ready", "prepared",
               "willing", "intent"):
        if re.match(r"that\b", comp) or subject == "thing":
            return reading("note")
        return reading("ongoing")
    if adj == "ongoing":
        return reading("ongoing")
    if adj == "planned" and subject == "thing":
        return reading("action")
    if subject in ("we", "people", "pronoun") and adj in ("keen", "eager", "pleased", "happy",
                                                         "glad", "proud", "honoured"):
        return reading("note")
    return reading("note")


def _passive(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading:
    g = p.group
    lemma = g.lemma
    if lemma in DIRECT and re.match(r"(?:\w+ly )?to\s+\w+", comp) and lemma not in ("require",):
        return reading("action", confident=False)  # "were encouraged to consider …"
    if lemma in ("plan", "schedule", "expect", "set", "due") and g.form != "past" and \
            subject == "thing":
        return reading("action")
    if lemma in ("agree", "decide", "resolve"):
        return reading("record")
    if lemma in OBSERVE or lemma == "encourage":
        return reading("note")
    if g.form == "past" or g.perfect:
        return reading("record")
    return reading("note")  # "are held annually", "is administered independently"


def _infinitive_after(comp: str) -> str | None:
    m = re.match(r"(?:forward\s+)?to\s+(?:\w+ly\s+)?(?:further\s+)?([a-z-]+)", comp)
    if not m:
        return None
    found = verb(m.group(1))
    return found[0] if found else None


def _commitment(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading | None:
    g = p.group
    lemma = g.lemma
    past = g.form in ("past", "participle") or g.perfect
    inner = _infinitive_after(comp)
    if lemma == "look":
        if not comp.startswith("forward"):
            return None
        obj = re.sub(r"^forward\s+to\s+", "", comp)
        if re.match(r"(?:the |a )?future\b", obj):
            return reading("note")
        if re.match(r"(?:the |a |an |their |our |its )?(?:\w+ly )?(?:further |continued |"
                    r"continuing |robust |full |close |closer |deeper |enhanced )*(?:and \w+ )?"
                    r"(?:implementation|cooperation|engagement|partnership|strengthening|"
                    r"deepening|working|collaboration|dialogue|progress|relationship)\b", obj):
            return reading("ongoing")
        return reading("action")
    if lemma == "agree":
        if comp.startswith("that") or p.extras.get("inner"):
            return None  # the clause after "that" says what was agreed
        if re.match(r"on (?:the )?need\b", comp) or re.match(r"with\b", comp):
            return reading("note")
        if re.match(r"on\b", comp):
            if _DELIVERABLE_NOUN.match(comp[3:]):
                return reading("action")
            return reading("record")
        if re.match(r"for\s+\S+(?:\s+\S+)?\s+to\s+(\w+)", comp):
            m = re.match(r"for\s+\S+(?:\s+\S+)?\s+to\s+(\w+)", comp)
            found = verb(m.group(1)) if m else None
            if found and found[0] in CONTINUING:
                return reading("ongoing")
            return reading("action")
        if comp.startswith("to"):
            if inner in CONTINUING or inner == "continue":
                return reading("ongoing")
            return reading("action")
        return reading("record")
    if lemma == "commit":
        if not comp.startswith("to") and not comp.startswith("themselves") and \
                not comp.startswith("ourselves"):
            return reading("record") if past else None
        ger = re.match(r"(?:themselves |ourselves )?to\s+(?:\w+ly\s+)?([a-z-]+)", comp)
        word = verb(ger.group(1)) if ger else None
        if word is None:  # "commit to urgent climate action": a standing commitment
            return reading("ongoing")
        if word[0] in CONTINUING or word[0] in ("work", "act", "promote"):
            return reading("ongoing")
        if word[0] in DELIVERABLE:
            return reading("action")
        return reading("action" if past else "ongoing")
    if lemma == "continue":
        return reading("ongoing")
    if lemma == "work":
        if past:
            return reading("record")
        return reading("ongoing")
    if lemma in ("undertake", "resolve", "decide", "intend", "plan", "aim", "seek", "strive",
                 "endeavour", "endeavor", "propose", "offer", "volunteer", "expect", "prepare",
                 "attempt", "try", "pledge", "vow", "promise", "determine"):
        if comp.startswith("to") or re.match(r"(?:\w+ly )to\b", comp):
            if inner in CONTINUING or inner == "continue":
                return reading("ongoing")
            if lemma in ("expect",) and subject == "thing":
                return reading("note")
            return reading("action")
        if lemma == "strive" and re.match(r"(?:for|towards?)\b", comp):
            return reading("ongoing")
        if lemma in ("plan",) and not past:
            return reading("action")
        if lemma == "decide" and re.match(r"(?:on|upon)\b", comp):
            return reading("action")  # "have decided on a pathway of intensified engagement"
        if lemma == "offer" and past:
            return reading("record")
        return reading("record") if past else None
    return None


def _directive(p: Predicate, comp: str, reading: _Make) -> Reading | None:
    g = p.group
    lemma = g.lemma
    if lemma == "call":
        m = re.match(r"(?:on|upon)\s+(.{1,120}?)\s+to\s+\w+", comp)
        if m:
            return reading("action", target=_original(p, m.start(1), m.end(1)))
        if comp.startswith("for"):
            by = re.search(r"\bby\s+(?:the\s+)?((?:[\w'’-]+\s+){0,6}[\w'’-]+)\s*[.,;]?$", comp)
            return reading("action", target=by.group(1) if by else "")
        return None
    if lemma == "recommend":
        if comp.startswith("that") or p.extras.get("inner"):
            return None
        if _DELIVERABLE_NOUN.match(comp) or comp.startswith("to"):
            return reading("action")
        return reading("note")
    m = re.match(r"(.{1,140}?)\s+to\s+(?:\w+ly\s+)?([a-z-]+)", comp)
    if m and not re.search(r"[;:]", m.group(1)):
        found = verb(m.group(2)) or (
            (m.group(2), "base") if m.group(2) not in _NOT_VERBS else None)
        if found is not None and found[1] == "base":
            target = _original(p, m.start(1), m.end(1))
            if lemma in ("encourage", "invite", "urge") and not _named(target):
                target = ""
            if found[0] in CONTINUING or found[0] == "continue":
                return reading("ongoing", target=target)
            return reading("action", target=target)
    if lemma in ("encourage", "invite", "urge", "appeal"):
        return reading("note") if g.form in ("base", "third") and lemma != "invite" else (
            reading("record") if lemma == "invite" else reading("note"))
    return None


_NOT_VERBS = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "this", "that",
                        "these", "those", "all", "be", "date", "which", "what", "whom"})


def _named(target: str) -> bool:
    """A named party, not "international partners" or "third countries"."""
    words = target.split()
    return any(w[:1].isupper() for w in words if w.lower() not in ("the", "our", "all"))


def _original(p: Predicate, start: int, end: int) -> str:
    """The complement's words [start:end] (offsets in its folded form) as written."""
    return p.complement[start:end]


def _observation(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading | None:
    g = p.group
    lemma = g.lemma
    if subject == "thing":
        return reading("note")
    plan = _PLAN_OBJECT.match(comp)
    if (lemma in ("welcome", "support", "endorse", "accept", "approve") and plan and not re.match(
            r"(?:the |its |their )?(?:commitments?|decisions?) (?:of|by)", comp[:40])) or (
            lemma in ("welcome", "support") and _PLANNED_ACTIVITIES.search(comp)):
        by = p.complement[plan.start("by"):plan.end("by")] if plan and plan.group("by") else ""
        owner = by or _possessor(p.complement)
        if not owner and _PLANNED_ACTIVITIES.search(comp):
            # "the partnership between the RSO and JCLEC and its planned activities"
            named = re.search(r"\b(?:between|of|by)\s+(?:the\s+)?"
                              r"([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)", p.complement)
            owner = named.group(1) if named else ""
        inner = re.search(r"\bto\s+(?:\w+ly\s+)?([a-z-]+)", comp[plan.end() - 3:]) if plan else None
        found = verb(inner.group(1)) if inner else None
        if found and (found[0] in CONTINUING or found[0] == "continue"):
            return reading("ongoing", target=owner)
        return reading("action", target=owner)
    nominal = _NOMINAL_THAT.search(comp)
    if nominal and lemma in ("reiterate", "reaffirm", "confirm", "welcome", "note", "recall",
                             "restate", "underline", "announce", "express"):
        return None  # "reiterate our decision that …": the clause is read on its own
    committed = _POSSESSIVE_COMMITMENT.match(comp)
    if committed and lemma not in ("welcome", "note", "acknowledge", "recognise", "recognize",
                                   "observe", "appreciate", "thank", "commend", "condemn",
                                   "regret", "applaud", "praise", "laud", "congratulate",
                                   "demonstrate", "show", "value", "see", "view", "consider",
                                   "share") and (
            committed.group("tail") or committed.group("noun").lower() in ("support",
                                                                          "solidarity") or
            lemma in ("reaffirm", "renew", "reiterate", "restate")) and \
            not (committed.group("noun").lower().startswith("effort") and lemma != "reaffirm"):
        return reading("ongoing")
    if lemma in ("confirm", "reaffirm", "reiterate") and re.match(
            r"the (?:continuing|continued|ongoing|unwavering|strong|full) (?:support|commitment)",
            comp):
        return reading("ongoing")
    if lemma == "affirm" and comp.startswith("the value of continuing"):
        return reading("ongoing")
    if lemma == "note" and re.match(r"the (?:urgent |pressing )?need to\b", comp):
        return reading("action")
    if lemma in ("support", "back"):
        if re.search(r"\band\s+support", fold(p.text)) and lemma == "support":
            pass
        return reading("ongoing")
    if lemma in ("endorse",):
        return reading("record")
    if lemma in ("share",) and g.form in ("past", "participle"):
        return reading("record")
    return reading("note")


def _possessor(complement: str) -> str:
    """"Thailand's offer to host" → "Thailand"."""
    m = re.match(r"\s*(?:the\s+)?((?:[A-Z][\w-]*\s+){0,4}[A-Z][\w-]*)['’]s\b", complement)
    return m.group(1) if m else ""


def classify(text: str) -> tuple[str, str] | None:
    """(kind, cue) of the strongest predicate in a clause or sentence, or None."""
    best: Reading | None = None
    for p in predicates(text[:1].upper() + text[1:]):
        found = read(p)
        if found is None:
            continue
        if best is None or KIND_RANK[found.kind] > KIND_RANK[best.kind]:
            best = found
    return (best.kind, best.cue) if best else None


def kind_of(text: str) -> str | None:
    """The strongest kind a clause signals, or None."""
    found = classify(text)
    return found[0] if found else None


__all__ = ["DELIVERABLE", "KIND_RANK", "REPORT", "Reading", "classify", "kind_of", "read",
           "subject_class"]
