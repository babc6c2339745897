"""Stage 3c: where a predicate ends: the next coordinated verb ("… and agreed to …"), a
modal that starts another commitment ("…, will continue …"), or an infinitive of purpose that
continues it ("mobilise capital to modernise …, advance …").
"""

from __future__ import annotations

from bptrack.reading.lexicon import (
    ADVERBS,
    DETERMINERS,
    MODALS,
    PRONOUNS,
    verb,
)
from bptrack.reading.lexicon import (
    DIRECT as DIRECT_VERBS,
)
from bptrack.reading.tokens import (
    AFTER_PARTICIPLE,
    BE,
    HAVE,
    PREPOSITIONS,
    Token,
    VerbGroup,
    subject_and_verb,
    verb_at,
)


def coordinated_end(tokens: list[Token], group: VerbGroup,
                     limit: int) -> tuple[int | None, VerbGroup | None, str]:
    """Where the predicate of `group` ends and what comes next: (token index, the next
    verb group, "clause" | "modal" | "verb"), or (None, None, "") when it runs to the end."""
    # The verb that a coordinated verb continues: the head, or a later infinitive of
    # purpose ("… capital to modernise A, advance B" continues "modernise", not "mobilise").
    last_verb_is_head = True
    purpose_list = False  # a list of verbs continuing an infinitive of purpose has begun
    i = group.end
    lemma_head = group.lemma
    infinitive = infinitive_at(tokens, group, limit)
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
            if word and word[1] == "base" and tokens[m].low not in PREPOSITIONS:
                last_verb_is_head = False
        if low == "in" and i + 2 < limit and tokens[i + 1].low == "order" and \
                tokens[i + 2].low == "to":
            last_verb_is_head = False
        if tok.text == ";":
            j = i + 1
            if j < limit and tokens[j].low in ("and", "but"):
                j += 1
            nxt = subject_and_verb(tokens, j, limit, max_subject=8)
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
                found = verb_at(tokens, j)
                if found is not None:
                    return (i, found, "modal")
            # "…, and are committed to …"
            if nxt_tok.low in BE and group.modal is None and conj_word == "and":
                found = verb_at(tokens, j)
                if found is not None and (found.adjective or found.passive):
                    return (i, found, "modal")
            # "…, and New Zealand will set …": a clause with a subject of its own
            if nxt_tok.low not in ("to", "that") and (nxt_tok.capital or nxt_tok.low in (
                    "we", "they", "it", "both", "all", "each", "the", "our", "their",
                    "officials", "members", "ministers", "leaders", "any", "relevant",
                    "australian", "this", "these")):
                found = subject_and_verb(tokens, j, limit, max_subject=12,
                                          prefer_auxiliary=True, no_comma=True)
                if found is not None and not found.modal and found.start == found.head and \
                        found.head + 1 < limit and (
                            tokens[found.head + 1].low in AFTER_PARTICIPLE or (
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
                        tokens[found.start].low in BE | HAVE or
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
            if tokens[k].low in BE | HAVE | MODALS:
                i += 1
                continue  # "…, were forced to …": not a verb of the head's
            if low == "and" and i >= 2 and tokens[i - 1].text.isalpha() and (
                    tokens[i - 2].low in PREPOSITIONS or tokens[i - 2].low in DETERMINERS) and \
                    k + 1 < limit and ((tokens[k + 1].low in PREPOSITIONS and tokens[
                        k + 1].low not in ("to", "with", "on", "in")) or
                                       not tokens[k + 1].word):
                i += 1
                continue  # "cooperation on search and rescue at sea": nouns, not two verbs
            found = verb_at(tokens, k, loose=True)
            if found is not None and found.form == "past" and conj_word is None and \
                    found.end < limit and tokens[found.end].low in AFTER_PARTICIPLE | {"on"}:
                found = None  # "…, commissioned at their 2012 meeting": a participle
            if found is not None and found.form == "past" and tokens[k].low in _ADJECTIVAL and \
                    found.end < limit and tokens[found.end].word and not tokens[
                        found.end].capital and tokens[found.end].low not in DETERMINERS | \
                    PRONOUNS | PREPOSITIONS | {"that"}:
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


def infinitive_at(tokens: list[Token], group: VerbGroup, limit: int) -> int | None:
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


def gerund_head(tokens: list[Token], group: VerbGroup) -> bool:
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
        return tokens is not None and gerund_head(tokens, group)
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
