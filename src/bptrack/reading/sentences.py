"""Stage 3: blocks → sentences → clauses, and a clause's coordinated commitments.

"Members reviewed … and noted the need to …" is two clauses. "Will deliver training … and
develop a compendium …" is two commitments: the second verb shares the first one's "will".
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]’”]?\s+(?=[A-Z\"'‘“(\x00])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Mr.", "Ms.", "Mrs.", "Dr.", "No.", "St.", "U.S.",
                  "U.N.", "U.K.", "H.E.", "Jr.", "Sr.", "approx.", "cf.", "viz.", "Vol.",
                  "para.", "paras.", "Hon.", "Sec.", "Gen.", "Sen.", "Rep.", "Prof.", "Amb.",
                  "Col.", "Lt.", "Maj.", "Capt.", "Gov.", "Pres.", "Rt.", "Nos.", "Art.",
                  "Arts.", "Sept.", "Inc.", "Ltd.", "Corp.", "Co.", "Dept.", "Ave.", "Fig.")
# An abbreviation ends a sentence only when a sentence could start after it: "… in the
# U.S. The Ministers …" splits; "H.E. Saqr Ghobash" and "U.S. Trade" do not (a name follows).
_NAME_AFTER = ("Mr.", "Ms.", "Mrs.", "Dr.", "H.E.", "Hon.", "Sec.", "Gen.", "Sen.", "Rep.",
               "Prof.", "Amb.", "Col.", "Lt.", "Maj.", "Capt.", "Gov.", "Pres.", "Rt.", "St.",
               "No.", "Nos.", "Art.", "Arts.", "Fig.", "Vol.", "para.", "paras.", "cf.", "viz.",
               "e.g.", "i.e.", "approx.")


# The longest sentence of a real statement is a few thousand characters. A longer run of text
# (a file with no full stops) is read in pieces of at most this, cut at a semicolon, a comma or
# a space: every later stage then works on pieces of bounded size, in time linear in the text.
MAX_SENTENCE = 6_000


def split_sentences(text: str) -> list[str]:
    if len(text) > MAX_SENTENCE:
        return [piece for sentence in _split(text) for piece in _pieces(sentence)]
    return _split(text)


def _pieces(sentence: str) -> list[str]:
    out = []
    while len(sentence) > MAX_SENTENCE:
        window = sentence[:MAX_SENTENCE]
        cut = max(window.rfind("; "), window.rfind(", "))
        if cut < MAX_SENTENCE // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        out.append(sentence[:cut].strip())
        sentence = sentence[cut:].lstrip()
    if sentence:
        out.append(sentence)
    return [piece for piece in out if piece]


def _split(text: str) -> list[str]:
    # Only the abbreviations the text holds are protected (most hold none): a long statement
    # has thousands of blocks, and 47 replacements each way on every one added up.
    present = [(i, abbr) for i, abbr in enumerate(_ABBREVIATIONS) if abbr in text]
    protected = text
    for i, abbr in present:
        protected = protected.replace(abbr, f"\x00{i}\x00")
    out = []
    for part in _SENTENCE_END.split(protected):
        if present and "\x00" in part:
            for i, abbr in present:
                part = part.replace(f"\x00{i}\x00", abbr)
        if part.strip():
            out.append(part.strip())
    return out


CLAUSE_VERBS = (
    "noted|agreed|affirmed|welcomed|reviewed|commended|acknowledged|encouraged|recogni[sz]ed|"
    "highlighted|will|plans?|committed|emphasi[sz]ed|called|requested|shared|discussed|held|"
    "conducted|endorsed|adopted|decided|resolved|expressed|supported|underlined|stressed|"
    "tasked|launched|completed|thanked|observed|undertook|intends?|aims?|continues?|"
    "reaffirmed|considered|approved|presented|reported|hosted|convened|delivered|recommended|"
    "finali[sz]ed|published|looked forward|offered|invited|urged|called")
_CLAUSE_SPLIT = re.compile(rf"(?:,|;)?\s+(?:and|while|whereas)\s+(?=(?:also\s+|further\s+)?"
                           rf"(?:{CLAUSE_VERBS})\b)|;\s+(?=(?:and\s+)?(?:it|they|the|members)"
                           rf"\s+(?:also\s+)?(?:{CLAUSE_VERBS})\b)", re.IGNORECASE)


def clauses(sentence: str) -> list[str]:
    """A sentence's clauses: "Members reviewed … and noted the need to …" is two."""
    return [p for p in _CLAUSE_SPLIT.split(sentence) if p.strip()]


# Verbs that start a second commitment after "and" ("… and develop a compendium"). Words that
# are as often nouns ("training and support", "research and report") are left out on purpose.
_SECOND_VERBS = (
    "develop|hold|conduct|deliver|publish|host|launch|organi[sz]e|prepare|update|establish|"
    "explore|provide|strengthen|convene|finali[sz]e|produce|pursue|undertake|engage|"
    "consider|submit|circulate|seek|identify|expand|enhance|build|implement|facilitate|"
    "collaborate|commission|draft|initiate|complete|create|encourage|invite|roll out|"
    "translate|disseminate|compile|assess|evaluate|co-host|coordinate|mobili[sz]e|present|"
    "continue|promote|design|revise|distribute|test|pilot|run|share|map|report back|"
    "write|brief|table|adopt|endorse|release|convene|scale up|extend")
_SECOND = re.compile(rf",?\s+and\s+(?:to\s+(?=[a-z]{{3,}}\s)|(?:will\s+)?(?:also\s+|further\s+|"
                     rf"then\s+)?(?=(?:{_SECOND_VERBS})\s+(?!and\b|or\b|to\b|of\b|for\b|with\b|"
                     rf"in\b)))", re.IGNORECASE)
# What a commitment's verb phrase starts after; the split only applies after one of these.
_COMMITMENT_HEAD = re.compile(
    r"\b(?:will(?:\s+(?:also|further|jointly|continue to))?|shall|plans? to|agreed to|"
    r"committed to|commits to|intends? to|undertook to|resolved to|decided to|aims? to|"
    r"tasked [^,;]{1,80}? to|(?:requested|encouraged|invited|urged|asked) [^,;]{1,80}? to|"
    r"need to|needs to|seeks? to|(?:is|are) to)\s+", re.IGNORECASE)


def coordinated(clause: str) -> list[str]:
    """The commitments of a clause: its head and each "and <verb> …" that shares the head.

    Each part after the first is returned with the head put back in front ("will develop
    …"), so that it reads, and is classified, as a sentence of its own."""
    head = _COMMITMENT_HEAD.search(clause)
    if not head:
        return [clause]
    start = head.end()
    # Only split outside parentheses and after the head's own verb phrase has begun.
    parts: list[str] = []
    last = start
    for m in _SECOND.finditer(clause, start):
        if clause.count("(", 0, m.start()) != clause.count(")", 0, m.start()):
            continue
        if m.start() - last < 12:  # "develop and deliver training": one commitment
            continue
        parts.append(clause[last:m.start()])
        last = m.end()
    if not parts:
        return [clause]
    parts.append(clause[last:])
    lead = clause[:start]
    first = lead + parts[0]
    prefix = re.sub(r"\bcontinue to\s+$", "", head.group(0), flags=re.IGNORECASE)
    return [first] + [prefix + p for p in parts[1:]]
