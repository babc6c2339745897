"""The phrases an item's kind is read from, beside the verbs of lexicon.py: what a commitment
delivers, what recurs, what is a plan, an offer or a prediction (kinds.py reads them)."""

import re

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
RECURRING = re.compile(r"\b(?:regularly|annually|each year|every year|at least once a year|"
                        r"once a year|on a regular basis|as a standing|periodically|"
                        r"on an ongoing basis|from time to time|biennially|twice a year)\b")
PREDICTION = re.compile(r"^(?:be |serve as |represent |constitute |mark |set |establish "
                         r"|provide |offer |prove |become )?(?:a|an|the)\s+(?:(?!as\b)\w+\s+)"
                         r"{0,2}?"
                         r"(?:precedent|milestone|step forward|turning point|example|model|"
                         r"benchmark|basis|foundation|centrepiece|centerpiece|cornerstone)\b")
PLAN_WORDS = (r"plans?|planned (?:activities|work|programme|program|events?)|offers?|"
               r"proposals?|initiatives?|intentions?|undertakings?|decisions?|pledges?|"
               r"commitments?|readiness|willingness|announcement|preparations?")
PLAN_OBJECT = re.compile(
    rf"^(?:the |a |an |its |their |his |her |our )?(?:[\w'’-]+ ){{0,5}}?(?:{PLAN_WORDS})\b"
    rf"(?:\s+(?:of|by|from)\s+(?P<by>[^,;]{{1,150}}?))?\s+(?:to|that)\s", re.IGNORECASE)
PLANNED_ACTIVITIES = re.compile(r"\b(?:its|their|the) planned (?:activities|work|events)\b")
POSSESSIVE_COMMITMENT = re.compile(
    r"^(?:our|their|its|his|her|the|both countries'|both countries’|[\w-]+(?:'s|’s|s'|s’)(?: and "
    r"[\w -]+?(?:'s|’s))?)\s+(?:(?:strong|steadfast|unwavering|firm|full|continued|continuing|"
    r"ongoing|shared|collective|joint|long-standing|longstanding|unequivocal|deep|enduring|"
    r"total|absolute|complete|renewed|strongest|utmost|clear|solemn|sincere|resolute|"
    r"unshakeable|unshakable|political|high-level|mutual|broad|consistent|active)\s+(?:and\s+)?)*"
    r"(?P<noun>commitments?|support|determination|resolve|intentions?|agreement|ambitions?|"
    r"solidarity|pledges?|readiness|willingness|desire|dedication|engagement|efforts?)\b"
    r"(?P<tail>\s+(?:to|for|with|towards|toward|in|of)\b)?", re.IGNORECASE)
NOMINAL_THAT = re.compile(r"\b(?:decision|undertaking|assurance|agreement|commitment|pledge|"
                           r"understanding|determination)\s+that\s+", re.IGNORECASE)
DELIVERABLE_NOUN = re.compile(
    r"^(?:the |a |an )?(?:\w+ ){0,2}?(?:establishment|creation|development|holding|"
    r"convening|launch|setting up|preparation|formation|organi[sz]ation|adoption|"
    r"drafting|conduct|implementation|review)\s+of\b", re.IGNORECASE)
OBSERVE_ALWAYS = frozenset(["welcome", "note", "acknowledge", "recognise", "recognize", "thank",
                             "congratulate", "condemn", "deplore", "regret", "applaud", "praise",
                             "laud", "appreciate", "emphasise", "emphasize", "stress", "underline",
                             "underscore", "recall", "lament", "mourn", "salute", "observe",
                             "reiterate"])
EVENT_NOW = frozenset(["endorse", "adopt", "launch", "establish", "approve", "sign", "inaugurate",
                        "open", "convene", "declare", "release", "issue"])
