"""An item's kind, from its clause's main verb: action, ongoing, record or note.

Future commitments are actions; standing priorities and continuing commitments are ongoing;
what happened is a record; observations are notes. The main clause decides: a relative clause
("…, which will be published") or an "including …" aside commits nobody, and a word such as
"ongoing" inside an object ("an issue of ongoing concern") is not a commitment.
"""

from __future__ import annotations

import re

KIND_RANK = {"note": 0, "record": 1, "ongoing": 2, "action": 3}

_ONGOING_FIRST = re.compile(
    r"\b(will continue|continues? to|continued to|continues? (?:making|its|their|working|"
    r"progress)|continuing to|affirmed the value of continuing|value of continuing|"
    r"remains? committed|remain(?:ed)? committed|on an ongoing basis|will remain|"
    r"continue [a-z]+ing)\b")
_ACTION = re.compile(
    r"\b(will(?! be briefed)|shall|plans? to|planning to|agreed to|committed to|commits to|"
    r"intends? to|undertook to|undertakes to|resolved to|decided to|noted the need to|"
    r"need to|needs to|raised the issue of|tasked|(?:requested|encouraged|invited|urged|asked) "
    r".{1,80}? to|called (?:on|for)|(?:is|are) planning|(?:is|are) preparing to|"
    r"is to|are to|to be (?:held|convened|developed|finali[sz]ed|launched|prepared|"
    r"circulated|completed|updated)|proposed to|aims? to|expects? to|seeks? to|"
    r"looks? forward to|next steps?|offered to|volunteered to|recommended (?:that|the|to)|"
    r"(?:supported|welcomed|endorsed|accepted|noted) (?:the |a |an )?(?:[\w-]+ ){0,3}"
    r"(?:initiative|proposal|plan|offer|intention)s? (?:(?:of|by|from) [^,;]{1,130}? )?to|"
    r"[\w-]+'s (?:offer|proposal|initiative|intention)s? to|"
    r"(?:agreed|decided) that [^,;]{1,100}? (?:would|should|will)|"
    r"agreed on the need to)\b")
_ONGOING = re.compile(
    r"\b(key priorities|priorities (?:were|are|include|of)|(?:its|their|our) "
    r"(?:continued |continuing |ongoing |strong |firm )?commitment to|"
    r"highlighted (?:its|their) commitment|(?<!the )continu(?:e|es|ed|ing)\s+(?:to|its|their|"
    r"with|working|making|support)\b|standing priority|remains? a priority|ongoing commitment)")
_RECORD = re.compile(
    r"\b(held|hosted|co-hosted|conducted|convened|(?:was|were) briefed|briefed|commended|"
    r"welcomed|shared|launched|completed|adopted|endorsed|delivered|reviewed|discussed|"
    r"presented|participated|organi[sz]ed|released|published|"
    r"finali[sz]ed|signed|approved|thanked|congratulated|reported|provided|attended|"
    r"took note|marked|marks|celebrated|met|considered|received|supported|facilitated|"
    r"undertook (?:a|an|the)|carried out|established|developed|trained|exchanged|"
    r"lauded|recalled|exchanged views|concluded|rolled out|ran|piloted|implemented)\b")
_NOTE = re.compile(
    r"\b(acknowledged|observed|recogni[sz]ed|noted that|"
    r"expressed (?:our |its |their |deep |sincere )?(?:concern|appreciation|gratitude|thanks)|"
    r"underlined|emphasi[sz]ed|stressed|highlighted|trends?|notable|noted|concerned|"
    r"remains? (?:a|an) (?:concern|challenge|issue))\b")
_REPORTED = re.compile(r"\b(?:noted|observed|acknowledged|recogni[sz]ed|stressed|emphasi[sz]ed|"
                       r"underlined|expressed concern|concerned)\s+that\b")
_RELATIVE = re.compile(r"(?:,\s*|\s)(?:which|who|whose)\s[^,;]*")
_ASIDE = re.compile(r"\([^)]*\)|,?\s+including\s[^,;]*|,?\s+such as\s[^,;]*")


def main_clause(low: str) -> str:
    """A folded clause without its relative clauses, parentheses and "including …" asides."""
    return _ASIDE.sub(" ", _RELATIVE.sub(" ", low))


def kind_of(low: str) -> str | None:
    """The strongest kind a folded clause signals, or None."""
    found = classify(low)
    return found[0] if found else None


def classify(low: str) -> tuple[str, str] | None:
    """(kind, the words that decided it) for a folded clause, or None."""
    low = main_clause(low)
    reported = _REPORTED.search(low)
    if reported:
        # "Members noted that scams will continue to grow": what follows "that" is what was
        # observed, not what anyone committed to.
        before = classify(low[:reported.start()])
        if before and before[0] in ("action", "ongoing"):
            return before
        return "note", reported.group(0)
    for kind, pattern in (("ongoing", _ONGOING_FIRST), ("action", _ACTION),
                          ("ongoing", _ONGOING), ("record", _RECORD), ("note", _NOTE)):
        m = pattern.search(low)
        if m:
            return kind, " ".join(m.group(0).split())
    return None
