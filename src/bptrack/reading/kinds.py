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

import re
from collections.abc import Callable
from dataclasses import dataclass

from bptrack.reading.clauses import Predicate, cue_of
from bptrack.reading.cues import (
    DELIVERABLE,
    DELIVERABLE_NOUN,
    EVENT_NOW,
    NOMINAL_THAT,
    OBSERVE_ALWAYS,
    PLAN_OBJECT,
    PLANNED_ACTIVITIES,
    POSSESSIVE_COMMITMENT,
    PREDICTION,
    RECURRING,
)
from bptrack.reading.lexicon import COMMIT, CONTINUING, DIRECT, OBSERVE, REPORT, verb
from bptrack.reading.subjects import subject_class
from bptrack.reading.tokens import VerbGroup
from bptrack.reading.words import fold

KIND_RANK = {"note": 0, "record": 1, "ongoing": 2, "action": 3}

@dataclass
class Reading:
    kind: str
    cue: str  # the words that decided it
    predicate: Predicate
    target: str = ""  # who is tasked, invited, called on, or who offered ("the OECD")
    confident: bool = True


_Make = Callable[..., Reading]


def read(p: Predicate) -> Reading | None:
    """The kind a predicate signals, with its cue, or None when it signals nothing."""
    g = p.group
    comp = fold(p.complement).strip()
    lemma = g.lemma
    subject = subject_class(p.subject)
    cue = cue_of(p)

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
        if subject in ("thing", "person") or lemma in OBSERVE_ALWAYS or lemma in (
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
        if NOMINAL_THAT.search(comp):
            return None  # "reiterate our decision that …": the clause after it says
    if lemma in ("strive",):
        return reading("ongoing")
    if lemma == "raise" and comp.startswith("the issue of"):
        return reading("action")  # "Raised the issue of increased collaboration …"
    if g.form in ("past", "participle") or g.perfect:
        return reading("record")
    if subject in ("we", "people", "none", "pronoun") and lemma in EVENT_NOW:
        return reading("record")  # "we endorse …", "hereby establish": done by saying so
    if subject == "none" and verb(lemma):  # a bare verb under a section: "Plans to …"
        return reading("action")
    return reading("note")


def _continuing_head(p: Predicate, under: VerbGroup, reading: _Make) -> Reading:
    lemma = p.group.lemma
    if lemma in OBSERVE_ALWAYS:
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


def _future(p: Predicate, comp: str, subject: str, reading: _Make) -> Reading:
    g = p.group
    lemma = g.lemma
    if lemma in OBSERVE_ALWAYS and not g.passive:
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
    if PREDICTION.match(comp):
        return reading("note")
    if RECURRING.search(fold(p.text)):
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
            if DELIVERABLE_NOUN.match(comp[3:]):
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
        if DELIVERABLE_NOUN.match(comp) or comp.startswith("to"):
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
    plan = PLAN_OBJECT.match(comp)
    if (lemma in ("welcome", "support", "endorse", "accept", "approve") and plan and not re.match(
            r"(?:the |its |their )?(?:commitments?|decisions?) (?:of|by)", comp[:40])) or (
            lemma in ("welcome", "support") and PLANNED_ACTIVITIES.search(comp)):
        by = p.complement[plan.start("by"):plan.end("by")] if plan and plan.group("by") else ""
        owner = by or _possessor(p.complement)
        if not owner and PLANNED_ACTIVITIES.search(comp):
            # "the partnership between the RSO and JCLEC and its planned activities"
            named = re.search(r"\b(?:between|of|by)\s+(?:the\s+)?"
                              r"([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)", p.complement)
            owner = named.group(1) if named else ""
        inner = re.search(r"\bto\s+(?:\w+ly\s+)?([a-z-]+)", comp[plan.end() - 3:]) if plan else None
        found = verb(inner.group(1)) if inner else None
        if found and (found[0] in CONTINUING or found[0] == "continue"):
            return reading("ongoing", target=owner)
        return reading("action", target=owner)
    nominal = NOMINAL_THAT.search(comp)
    if nominal and lemma in ("reiterate", "reaffirm", "confirm", "welcome", "note", "recall",
                             "restate", "underline", "announce", "express"):
        return None  # "reiterate our decision that …": the clause is read on its own
    committed = POSSESSIVE_COMMITMENT.match(comp)
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


__all__ = ["KIND_RANK", "REPORT", "Reading", "read"]
