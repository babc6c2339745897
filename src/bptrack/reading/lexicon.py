"""The words the reader knows by their grammar: verbs and their forms, and the small words
that tell a verb from a noun.

Statements are written in a narrow register: a subject (a body, "Ministers", "We"), a verb of
noting, agreeing, committing or doing, and its object. Knowing which words are verbs, in which
form, is what lets the reader find a sentence's main verb instead of the first familiar word.
Each verb is listed once by its lemma; regular forms are made here, irregular ones given.
"""

from __future__ import annotations

import functools
import re

# lemma -> (third person, past, past participle, -ing); None where the rule makes it.
_IRREGULAR: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    "be": ("is", "was", "been", "being"),
    "have": ("has", "had", "had", "having"),
    "do": ("does", "did", "done", "doing"),
    "hold": (None, "held", "held", None),
    "meet": (None, "met", "met", None),
    "take": (None, "took", "taken", None),
    "make": (None, "made", "made", None),
    "give": (None, "gave", "given", None),
    "undertake": (None, "undertook", "undertaken", None),
    "lead": (None, "led", "led", None),
    "bring": (None, "brought", "brought", None),
    "build": (None, "built", "built", None),
    "begin": (None, "began", "begun", "beginning"),
    "become": (None, "became", "become", None),
    "set": (None, "set", "set", "setting"),
    "put": (None, "put", "put", "putting"),
    "run": (None, "ran", "run", "running"),
    "see": (None, "saw", "seen", None),
    "seek": (None, "sought", "sought", None),
    "stand": (None, "stood", "stood", None),
    "understand": (None, "understood", "understood", None),
    "find": (None, "found", "found", None),
    "keep": (None, "kept", "kept", None),
    "say": (None, "said", "said", None),
    "tell": (None, "told", "told", None),
    "think": (None, "thought", "thought", None),
    "write": (None, "wrote", "written", None),
    "grow": (None, "grew", "grown", None),
    "know": (None, "knew", "known", None),
    "show": (None, "showed", "shown", None),
    "draw": (None, "drew", "drawn", None),
    "come": (None, "came", "come", None),
    "go": ("goes", "went", "gone", None),
    "get": (None, "got", "got", "getting"),
    "send": (None, "sent", "sent", None),
    "spend": (None, "spent", "spent", None),
    "lend": (None, "lent", "lent", None),
    "pay": (None, "paid", "paid", None),
    "lay": (None, "laid", "laid", None),
    "arise": (None, "arose", "arisen", None),
    "wear": (None, "wore", "worn", None),
    "sign": (None, None, None, None),
    "feel": (None, "felt", "felt", None),
    "leave": (None, "left", "left", None),
    "rise": (None, "rose", "risen", None),
    "forgo": (None, "forwent", "forgone", None),
    "overcome": (None, "overcame", "overcome", None),
    "broaden": (None, None, None, None),
    "deepen": (None, None, None, None),
    "strengthen": (None, None, None, None),
    "sharpen": (None, None, None, None),
    "open": (None, None, None, None),
    "happen": (None, None, None, None),
    "listen": (None, None, None, None),
    "threaten": (None, None, None, None),
    "focus": (None, None, None, None),
    "target": (None, None, None, None),
    "offer": (None, None, None, None),
    "deliver": (None, None, None, None),
    "consider": (None, None, None, None),
    "enter": (None, None, None, None),
    "gather": (None, None, None, None),
    "foster": (None, None, None, None),
    "render": (None, None, None, None),
    "register": (None, None, None, None),
    "administer": (None, None, None, None),
    "counter": (None, None, None, None),
    "develop": (None, None, None, None),
    "visit": (None, None, None, None),
    "benefit": (None, None, None, None),
    "exhibit": (None, None, None, None),
    "edit": (None, None, None, None),
    "credit": (None, None, None, None),
    "limit": (None, None, None, None),
    "audit": (None, None, None, None),
    "deposit": (None, None, None, None),
    "inhibit": (None, None, None, None),
    "label": (None, None, None, None),
    "travel": (None, None, None, None),
    "cancel": (None, None, None, None),
    "model": (None, None, None, None),
    "channel": (None, None, None, None),
    "signal": (None, None, None, None),
    "total": (None, None, None, None),
    "pilot": (None, None, None, None),
    "budget": (None, None, None, None),
    "differ": (None, None, None, None),
    "suffer": (None, None, None, None),
    "answer": (None, None, None, None),
    "co-chair": (None, None, None, None),
    "chair": (None, None, None, None),
    "cover": (None, None, None, None),
    "recover": (None, None, None, None),
    "discover": (None, None, None, None),
    "monitor": (None, None, None, None),
    "honour": (None, None, None, None),
    "honor": (None, None, None, None),
    "endeavour": (None, None, None, None),
    "endeavor": (None, None, None, None),
    "favour": (None, None, None, None),
    "labour": (None, None, None, None),
    "harbour": (None, None, None, None),
    "reiterate": (None, None, None, None),
    "see through": (None, None, None, None),
}
# Verbs that double their last consonant (plan -> planned, commit -> committed).
_DOUBLING = {"plan", "commit", "submit", "admit", "omit", "permit", "transmit", "emit",
             "regret", "refer", "defer", "confer", "prefer", "transfer", "control", "patrol",
             "compel", "propel", "expel", "equip", "ship", "step", "map", "stop", "drop",
             "scrap", "pin", "tap", "wrap", "stem", "spur", "bar", "star", "occur", "recur",
             "incur", "deter", "outstrip", "kidnap", "format", "net", "rebut", "abet",
             "upgrade", "dip", "slip", "trim", "chip"}

# Verbs of noting: what a meeting observed. They make a note unless their object commits.
OBSERVE = frozenset(["note", "acknowledge", "recognise", "recognize", "observe", "welcome",
                     "emphasise", "emphasize", "stress", "underline", "underscore", "highlight",
                     "recall", "reiterate", "affirm", "reaffirm", "condemn", "deplore", "regret",
                     "express", "appreciate", "thank", "congratulate", "applaud", "praise", "laud",
                     "value", "believe", "concur", "reflect", "lament", "mourn", "salute",
                     "honour", "honor", "convey", "wish", "hope", "trust", "view", "understand",
                     "accept", "see", "find", "await", "emphasise", "recognise", "denounce",
                     "reject", "oppose", "share", "deem", "regard", "consider", "agree", "confirm",
                     "remain", "look", "cite", "mention", "point", "stress", "urge", "caution",
                     "warn", "notice", "say", "state", "add", "tell", "reckon", "welcome"])
# Verbs whose "to …" or object is a commitment of the subject.
COMMIT = frozenset(["agree", "commit", "pledge", "undertake", "resolve", "decide", "intend",
                    "plan", "aim", "seek", "strive", "endeavour", "endeavor", "vow", "promise",
                    "propose", "offer", "volunteer", "expect", "prepare", "continue", "determine",
                    "attempt", "try", "work"])
# Verbs that give someone else a task: "tasked SOMTC to …", "asked the OECD to …".
DIRECT = frozenset(["task", "ask", "request", "call", "urge", "invite", "encourage", "direct",
                    "instruct", "mandate", "charge", "appeal", "entrust", "empower", "authorise",
                    "authorize", "recommend", "require", "commission"])
# Verbs that keep something going: their commitments are ongoing, not deliverables.
CONTINUING = frozenset(["continue", "maintain", "keep", "remain", "sustain", "uphold", "support",
                        "coordinate", "encourage", "promote", "prioritize", "prioritise", "shield",
                        "stand", "contribute", "persist", "persevere", "preserve", "safeguard",
                        "protect", "respect", "follow", "cooperate", "champion", "defend", "stay",
                        "honour", "honor", "abide", "observe", "reinforce"])
# Verbs of telling: what follows "that" is someone's report, not the meeting's commitment.
REPORT = frozenset(["say", "state", "announce", "advise", "inform", "indicate", "report", "tell",
                    "explain", "mention", "brief", "update", "outline", "present", "describe",
                    "suggest", "assert", "claim", "declare", "signal", "reveal", "share",
                    "acknowledge"])

# Every verb the reader knows, to tell a sentence's verb from its nouns. Observation,
# commitment and continuing verbs are added to these.
_OTHER = """
hold conduct convene host co-host launch complete adopt endorse sign approve publish release
present report deliver organise organize participate attend establish develop brief table submit
exchange review discuss finalise finalize meet visit receive achieve demonstrate identify provide
update facilitate increase decrease reduce separate take make mark celebrate outline introduce
open close chair co-chair lead address respond focus examine explore carry implement run pilot
train fund allocate announce inform ratify conclude create set form appoint elect nominate
become join give raise circulate distribute analyse analyze assess evaluate study consult engage
begin start produce draft compile translate disseminate extend expand strengthen enhance improve
build design renew revise amend pass enact debate deliberate progress advance collaborate serve
act play help assist sponsor co-sponsor moderate arise occur happen emerge enter bring grow
invest mobilise mobilize modernise modernize connect tackle combat counter address reach halt
reverse accelerate deepen broaden unlock leverage harness ensure enable empower secure restore
repair defend deter prevent detect protect prosecute disrupt dismantle investigate share test
pursue redouble intensify step scale roll set put issue sanction condemn integrate align
harmonise harmonize streamline simplify finance underpin complement bolster upgrade replace
transform shape drive guide inform equip prepare plan schedule organise lodge file seize
phase cease withdraw end stop halt deploy dispatch send despatch resettle accommodate admit
return reintegrate repatriate relocate evacuate rescue save assist refer recognise designate
task direct instruct mandate mobilise galvanise galvanize convene incorporate adapt adjust
change shift move transfer hand handle manage operate administer govern regulate oversee
supervise chair co-chair moderate lead head represent relate link combine merge rationalise
rationalize consolidate include involve cover contain comprise reflect respect recognise
examine inspect survey map measure track trace record document capture collect gather compile
complement continue provide offer supply donate contribute grant award lend spend pay cost
require need demand lack miss fail succeed manage afford tend seem appear look feel sound
mean intend matter count depend rely insist persist exist live die suffer face confront
encounter experience undergo witness await expect anticipate foresee predict forecast estimate
calculate compute determine decide choose select pick elect vote pass adopt approve reject
veto oppose favour prefer like love hate want wish desire hope dream plan aim target
celebrate commemorate mark honour recall remember forget ignore neglect overlook miss
discuss debate negotiate consult talk speak converse chat communicate correspond write
read learn teach train educate inform advise warn alert notify remind caution
strive struggle fight battle compete cooperate collaborate partner unite join ally
accept receive welcome greet host entertain invite attend visit tour travel fly arrive depart
assure reassure remind notify commence attain realise exceed surpass await regret
recommit reinvigorate revitalise revitalize recommend accompany welcome co-operate
co-ordinate coordinate vaccinate treat cure heal diagnose detect screen test trial pilot launch
"""


def _regular(lemma: str) -> tuple[str, str, str, str]:
    last = lemma.split()[-1]
    stem = lemma[: len(lemma) - len(last)]
    if last.endswith(("s", "x", "z", "ch", "sh")):
        third = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        third = last[:-1] + "ies"
    else:
        third = last + "s"
    if last in _DOUBLING:
        past = last + last[-1] + "ed"
        ing = last + last[-1] + "ing"
    elif last.endswith("e"):
        past = last + "d"
        ing = last[:-1] + "ing" if not last.endswith(("ee", "ye", "oe")) else last + "ing"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        past = last[:-1] + "ied"
        ing = last + "ing"
    else:
        past = last + "ed"
        ing = last + "ing"
    return stem + third, stem + past, stem + past, stem + ing


@functools.cache
def verbs() -> dict[str, tuple[str, str]]:
    """surface form -> (lemma, form): form is base, third, past, participle or ing."""
    lemmas = set(_OTHER.split()) | OBSERVE | COMMIT | DIRECT | CONTINUING | REPORT | set(
        _IRREGULAR)
    table: dict[str, tuple[str, str]] = {}
    for lemma in sorted(lemmas):
        third, past, participle, ing = _regular(lemma)
        given = _IRREGULAR.get(lemma, (None, None, None, None))
        third = given[0] or third
        past = given[1] or past
        participle = given[2] or participle
        ing = given[3] or ing
        for form, word in (("ing", ing), ("participle", participle), ("past", past),
                           ("third", third), ("base", lemma)):
            table[word] = (lemma, form)
        if lemma.endswith("ise"):  # British and American spellings alike
            z = lemma[:-3] + "ize"
            for form, word in zip(("base", "third", "past", "participle", "ing"),
                                  _regular(z)[:1] + _regular(z), strict=False):
                table.setdefault(z if form == "base" else word, (lemma, form))
    for extra, lemma, form in (("are", "be", "base"), ("am", "be", "base"),
                               ("were", "be", "past"), ("be", "be", "base"),
                               ("focussed", "focus", "past"), ("focussing", "focus", "ing"),
                               ("targetted", "target", "past"), ("'s", "be", "third")):
        table[extra] = (lemma, form)
    return table


def verb(word: str) -> tuple[str, str] | None:
    """(lemma, form) of a word that can be a verb, else None."""
    return verbs().get(word.lower())


# Participles spelt like the base form: "has become", "have come", "has set up".
SAME_PARTICIPLE = frozenset(lemma for lemma, forms in _IRREGULAR.items()
                            if forms[2] == lemma)


MODALS = frozenset({"will", "shall", "would", "should", "must", "can", "could", "may",
                    "might", "'ll", "wo"})
# Adverbs that stand between a subject and its verb, or a modal and its verb.
ADVERBS = frozenset(["also", "further", "jointly", "therefore", "then", "thereby", "thus",
                     "hereby", "each", "both", "all", "collectively", "unanimously", "firmly",
                     "strongly", "fully", "again", "together", "hence", "accordingly", "still",
                     "now", "already", "actively", "closely", "continually", "continuously",
                     "duly", "equally", "especially", "expressly", "formally", "increasingly",
                     "particularly", "primarily", "specifically", "subsequently", "swiftly",
                     "urgently", "warmly", "deeply", "greatly", "highly", "sincerely", "truly",
                     "very", "steadfastly", "resolutely", "unreservedly", "wholeheartedly",
                     "readily", "simply", "really", "always", "never", "not", "generally",
                     "broadly", "individually", "separately", "consistently", "constructively",
                     "jointly", "mutually", "regularly", "annually", "periodically", "soon",
                     "shortly", "immediately", "promptly", "quickly", "rapidly", "gradually",
                     "progressively", "ultimately", "eventually", "finally", "first", "initially",
                     "similarly", "likewise", "meanwhile", "additionally", "moreover",
                     "furthermore", "absolutely", "essentially", "substantially", "significantly",
                     "considerably", "notably", "importantly", "critically", "officially", "just",
                     "recently", "earlier", "previously", "publicly", "openly", "once", "often",
                     "frequently", "directly", "constantly", "closely"])
DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those", "its", "their", "our",
                         "his", "her", "my", "your", "any", "some", "every", "each", "no", "such",
                         "another", "other", "all", "both", "either", "neither", "several", "many",
                         "few", "more", "most", "much", "whose", "which", "what"])
PRONOUNS = frozenset({"we", "they", "it", "he", "she", "i", "you", "who"})
# Subjects that are people acting, whatever else the sentence says of them.
PEOPLE = re.compile(
    r"\b(?:ministers?|leaders?|heads?(?: of (?:state|government|delegations?))?|members?|"
    r"participants?|delegat(?:es?|ions?)|officials?|governments?|countries|nations|states|"
    r"parties|partners|co-?chairs?|chairs?|presidents?|prime ministers?|premiers?|"
    r"secretar(?:y|ies)|ambassadors?|representatives?|agencies|authorities|experts?|"
    r"commissioners?|directors?|envoys?|sides|colleagues|we|they|group|groups|forum|office|"
    r"task ?force|committee|council|secretariat|network|centre|center|panel|mechanism|"
    r"commission|organi[sz]ations?|institutions?|bank|fund|programme|program|body|bodies|"
    r"union|alliance|consortium|coalition|community|meeting|conference|summit|region|"
    r"companies|businesses|industry|sector)\b", re.IGNORECASE)
