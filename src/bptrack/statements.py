"""Outcome statements → a meeting and its items. Pure functions: text in, data out.

The reading follows design.md ("The seed"): future commitments are actions, standing
priorities and continuing commitments are ongoing (one item per priority), what happened is a
record, observations are notes. A bullet that names a body and ends with a colon opens that
body's section. Only actions and ongoing items get deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bptrack.dates import end_of_month, end_of_quarter
from bptrack.errors import InvalidValue

KIND_RANK = {"note": 0, "record": 1, "ongoing": 2, "action": 3}

_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                  "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40}
_TENS_PREFIX = {"twenty": 20, "thirty": 30, "forty": 40}


def _ordinals() -> dict[str, int]:
    table = {word: n for n, word in enumerate(_ORDINAL_WORDS, 1)}
    table.update(_TENS)
    for prefix, base in _TENS_PREFIX.items():
        for n, word in enumerate(_ORDINAL_WORDS[:9], 1):
            table[f"{prefix}-{word}"] = base + n
            table[f"{prefix} {word}"] = base + n
    return table


ORDINALS = _ordinals()
MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], 1)}
_MONTH = "(" + "|".join(MONTHS) + ")"

# One character for another, so that positions in the folded text match the original.
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"',
                       "„": '"', "–": "-", "—": "-", "‑": "-", "−": "-", "‐": "-"})
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": "    ",
                         "\u2009": " ", "\u200b": ""})


def fold(text: str) -> str:
    """Lower case with straight quotes and hyphens: for matching, never for output."""
    return text.translate(_FOLD).lower()


# --- results ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BodyRef:
    code: str
    name: str
    kind: str


@dataclass
class ParsedItem:
    kind: str
    title: str
    owner: str
    owner_name: str
    partners: list[str]
    due: dt.date | None
    source: str


@dataclass
class ParsedMeeting:
    ref: str
    title: str
    ordinal: int | None
    date: dt.date | None
    location: str | None
    attendees: list[str]


@dataclass
class ParsedStatement:
    meeting: ParsedMeeting
    items: list[ParsedItem]
    bodies: list[BodyRef] = field(default_factory=list)  # every body the items name


class StatementError(InvalidValue):
    """Text that cannot be read as an outcome statement."""


# --- the parts of a statement -------------------------------------------------------------

# "Outcomes:", "Key Outcomes", "OUTCOMES", "Outcomes of the meeting:" (not "Outcome Statement",
# which is a title).
_OUTCOMES = re.compile(r"^\s*(?:#+\s*)?(?:key\s+|main\s+|meeting\s+)?outcomes?"
                       r"(?:\s+of\s+the\s+(?:meeting|discussions?))?\s*:?\s*$", re.IGNORECASE)
_OUTCOMES_LEAD = re.compile(r"^[^.:]{0,100}\b(?:outcomes|conclusions|decisions)\b[^.:]{0,60}:\s*$",
                            re.IGNORECASE)
# Bullets as typed, and as word processors paste them ("o" and U+F0B7 for Word's levels).
_BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*•‣◦▪●–—·▫►➢→\uf0b7]|o(?=\s)|\d{1,2}[.)]|"
                     r"\(\d{1,2}\)|"
                     r"\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+(?P<text>\S.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z\"'‘“(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Mr.", "Ms.", "Dr.", "No.", "St.", "U.S.", "U.N.")


@dataclass
class _Block:
    indent: int
    text: str
    marked: bool


def _blocks(lines: Sequence[str]) -> list[_Block]:
    """Bullets and paragraphs; a line without a marker continues an unfinished sentence."""
    blocks: list[_Block] = []
    joinable = False
    for raw in lines:
        if not raw.strip():
            joinable = False
            continue
        m = _BULLET.match(raw)
        if m:
            blocks.append(_Block(len(m.group("indent")), m.group("text").strip(), True))
        else:
            text = raw.strip()
            starts_lower = text[:1].islower()
            prev_open = bool(blocks) and not blocks[-1].text.rstrip().endswith(
                (".", ":", ";", "!", "?"))
            if blocks and (joinable or starts_lower) and (prev_open or starts_lower):
                blocks[-1].text = f"{blocks[-1].text} {text}"
                continue
            blocks.append(_Block(len(raw) - len(raw.lstrip()), text, False))
        joinable = True
    return blocks


def split_sentences(text: str) -> list[str]:
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENTENCE_END.split(protected)
    out = []
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        if part.strip():
            out.append(part.strip())
    return out


# --- bodies -------------------------------------------------------------------------------

_BODY_WORDS = re.compile(
    r"\b(working group|task force|forum|office|experts? group|steering group|committee|"
    r"secretariat|co-?chairs?|chairmanship|chair|network|taskforce|consultation|"
    r"ministerial|centre|center|council|panel|group)\b")
_SMALL_WORDS = {"the", "of", "on", "and", "in", "for", "to", "&", "a", "an", "with", "bali",
                "process"}


def _body_kind(name: str) -> str:
    low = fold(name)
    for needle, kind in (("task force", "task force"), ("taskforce", "task force"),
                         ("forum", "forum"), ("office", "office"), ("secretariat", "office"),
                         ("co-chair", "co-chairs"), ("cochair", "co-chairs"),
                         ("group", "working group"), ("committee", "working group"),
                         ("members", "members")):
        if needle in low:
            return kind
    return "external"


def _core(name: str) -> str:
    """A body's name for matching: no 'The', no 'Bali Process', no '(ABBR)', folded."""
    low = fold(name)
    low = re.sub(r"\([^)]*\)", " ", low)
    low = re.sub(r"[:.,]", " ", low)
    low = re.sub(r"^\s*the\s+", "", low)
    low = re.sub(r"\bbali process\b", " ", low)
    return " ".join(low.split())


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", name)
    letters = [w[0].upper() for w in words if w.lower() not in _SMALL_WORDS]
    return "".join(letters)[:12] or "BODY"


class Bodies:
    """The bodies a statement can name: those already known, and those its headers add."""

    def __init__(self, known: Iterable[BodyRef]) -> None:
        self.by_code: dict[str, BodyRef] = {}
        self.by_core: dict[str, BodyRef] = {}
        for body in known:
            self._add(body)
        self.used: dict[str, BodyRef] = {}

    def _add(self, body: BodyRef) -> None:
        self.by_code.setdefault(body.code.upper(), body)
        self.by_core.setdefault(_core(body.name), body)

    def use(self, body: BodyRef) -> BodyRef:
        self.used.setdefault(body.code, body)
        return body

    def from_header(self, text: str) -> BodyRef:
        name = text.strip().rstrip(":").strip()
        abbr = re.search(r"\(([A-Z][A-Za-z0-9&-]{1,15})\)", name)
        core = _core(name)
        if core in self.by_core:
            return self.use(self.by_core[core])
        if abbr and abbr.group(1).upper() in self.by_code:
            return self.use(self.by_code[abbr.group(1).upper()])
        lead = self._known_subject(name + " held")
        if lead is not None and lead.code in self.by_code and (
                lead.kind in ("co-chairs", "members") or _core(lead.name) in core):
            return lead
        clean = re.sub(r"\s*\([^)]*\)", "", name)
        clean = re.sub(r"^(?:The|the)\s+", "", clean).strip()
        code = abbr.group(1).upper() if abbr else _initials(clean)
        while code in self.by_code:
            code += "X"
        body = BodyRef(code, clean, _body_kind(clean))
        self._add(body)
        return self.use(body)

    def subject(self, clause: str) -> BodyRef | None:
        """The body a clause starts with ("Members …", "The Co-Chairs …", "The RSO …")."""
        known = self._known_subject(clause)
        if known is None:
            known = self._new_subject(clause)
        return self.use(known) if known else None

    def _known_subject(self, clause: str) -> BodyRef | None:
        low = fold(clause).lstrip()
        low = re.sub(r"^(?:at the same time|in addition|further(?:more)?|also|finally),?\s+",
                     "", low)
        if re.match(r"(?:the\s+)?co-?chairs?\b", low):
            return self.co_chairs()
        if re.match(r"(?:the\s+)?(?:bali process\s+)?(?:members|member states|senior "
                     r"officials|participants|delegates|the meeting|meeting participants)\b",
                     low):
            return self.members()
        low = re.sub(r"^the\s+", "", low)
        best: BodyRef | None = None
        for core, body in self.by_core.items():
            if core and low.startswith(core) and (best is None or len(core) > len(
                    _core(best.name))):
                best = body
        if best is None:
            m = re.match(r"([A-Z][A-Za-z0-9&-]{1,15})\b", re.sub(r"^(?:The|the)\s+", "",
                                                                clause.lstrip()))
            if m and m.group(1).upper() in self.by_code:
                best = self.by_code[m.group(1).upper()]
        return best

    def _new_subject(self, clause: str) -> BodyRef | None:
        """"The Steering Group welcomed …": a body not seen before, named as a subject."""
        m = re.match(r"\s*(?:The\s+)?((?:[A-Z][\w'’-]*|on|of|and|the|for|in)"
                     r"(?:\s+(?:[A-Z][\w'’-]*|on|of|and|the|for|in)){0,10})\s+(?:has\s+|have\s+)?"
                     r"(?:[a-z]+ed|will|plans|continues|held|met|shared)\b", clause)
        if not m or not _BODY_WORDS.search(fold(m.group(1))):
            return None
        name = m.group(1).strip()
        return self.from_header(name)

    def members(self) -> BodyRef:
        """The members as a whole: the owner when a statement names no one else."""
        return self._role("MEMBERS", "Bali Process Members", "members")

    def co_chairs(self) -> BodyRef:
        return self._role("CC", "Bali Process Co-Chairs", "co-chairs")

    def _role(self, code: str, name: str, kind: str) -> BodyRef:
        body = self.by_code.get(code)
        if body is None:
            body = BodyRef(code, name, kind)
            self._add(body)
        return self.use(body)

    def named_in(self, text: str) -> list[BodyRef]:
        """Bodies a sentence names, by name or by code, in order of first mention."""
        low = " " + " ".join(_core(text).split()) + " "
        raw = text.translate(_FOLD)
        found: list[tuple[int, BodyRef]] = []
        for core, body in self.by_core.items():
            if len(core) > 3:
                pos = low.find(f" {core} ")
                if pos >= 0:
                    found.append((pos, body))
        for code, body in self.by_code.items():
            if len(code) >= 3 and code.isupper():
                m = re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", raw)
                if m:
                    found.append((m.start(), body))
        seen: list[BodyRef] = []
        for _, body in sorted(found, key=lambda pair: pair[0]):
            if body not in seen:
                seen.append(body)
        # A name inside a longer name ("… Trafficking in Persons" in "… Persons Networks")
        # is not a mention of its own.
        cores = {b.code: _core(b.name) for b in seen}
        return [b for b in seen if not any(
            o is not b and cores[b.code] in cores[o.code] and cores[b.code] != cores[o.code]
            for o in seen)]


def _is_header(block: _Block, bodies: Bodies, next_block: _Block | None) -> bool:
    text = block.text.strip()
    low = fold(text)
    words = len(text.split())
    has_cue = _kind_of(low) is not None
    names_body = bool(_BODY_WORDS.search(low)) or _core(text) in bodies.by_core or bool(
        re.search(r"\([A-Z][A-Za-z0-9&-]{1,15}\)\s*:?$", text))
    if text.endswith(":"):
        return words <= 16 and not has_cue and names_body
    if not text.endswith((".", ";", "!", "?")) and words <= 16 and not has_cue:
        indented_children = next_block is not None and next_block.indent > block.indent
        return names_body or indented_children
    return False


# --- kinds --------------------------------------------------------------------------------

_ONGOING_FIRST = re.compile(
    r"\b(will continue|continues? to|continued to|continues? (?:making|its|their|working|"
    r"progress)|continuing to|affirmed the value of continuing|value of continuing|"
    r"remains? committed|ongoing commitment|on an ongoing basis)\b")
_ACTION = re.compile(
    r"\b(will(?! be briefed)|shall|plans? to|planning to|agreed to|committed to|commits to|"
    r"intends? to|undertook to|undertakes to|resolved to|decided to|noted the need to|"
    r"need to|needs to|raised the issue of|tasked|(?:requested|encouraged|invited|urged|asked) "
    r".{1,80}? to|called (?:on|for)|(?:is|are) planning|(?:is|are) preparing to|"
    r"is to|are to|to be (?:held|convened|developed|finali[sz]ed|launched|prepared|"
    r"circulated|completed|updated)|proposed to|aims? to|expects? to|seeks? to|"
    r"looks? forward to|next steps?)\b")
_ONGOING = re.compile(
    r"\b(key priorities|priorities (?:were|are|include|of)|(?:its|their) commitment to|"
    r"highlighted (?:its|their) commitment|(?<!the )continu(?:e|es|ed|ing)\s+(?:to|its|their|"
    r"with|working|making|support)\b|ongoing|standing "
    r"priority|remains? a priority)")
_RECORD = re.compile(
    r"\b(held|hosted|co-hosted|conducted|convened|(?:was|were) briefed|briefed|commended|"
    r"welcomed|shared|launched|completed|adopted|endorsed|delivered|reviewed|discussed|"
    r"presented|participated|organi[sz]ed|released|published|"
    r"finali[sz]ed|signed|approved|thanked|congratulated|reported|provided|attended|"
    r"took note|marked|marks|celebrated|met|considered|received|supported|facilitated|"
    r"undertook (?:a|an|the)|carried out|hosted|established|developed|trained|exchanged)\b")
_NOTE = re.compile(
    r"\b(acknowledged|observed|recogni[sz]ed|expressed (?:concern|appreciation)|noted that|"
    r"underlined|emphasi[sz]ed|stressed|highlighted|trends?|notable|noted)\b")


_REPORTED = re.compile(r"\b(?:noted|observed|acknowledged|recogni[sz]ed|stressed|emphasi[sz]ed|"
                       r"underlined|expressed concern)\s+that\b")


_RELATIVE = re.compile(r"(?:,\s*|\s)(?:which|who|whose)\s[^,;]*")


def _kind_of(low: str) -> str | None:
    """The strongest kind a folded clause signals, or None."""
    # "…welcomed the report, which will be published…": a relative clause describes, it does
    # not commit anyone to anything.
    low = _RELATIVE.sub(" ", low)
    reported = _REPORTED.search(low)
    if reported:
        # "Members noted that scams will continue to grow": what follows "that" is what was
        # observed, not what anyone committed to.
        before = low[:reported.start()]
        return _kind_of(before) if _kind_of(before) in ("action", "ongoing") else "note"
    if _ONGOING_FIRST.search(low):
        return "ongoing"
    if _ACTION.search(low):
        return "action"
    if _ONGOING.search(low):
        return "ongoing"
    if _RECORD.search(low):
        return "record"
    if _NOTE.search(low):
        return "note"
    return None


# --- deadlines ----------------------------------------------------------------------------

_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4}
_DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:by|before|on or before) (\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? "
                rf"(\d{{4}})\b"), "day"),
    (re.compile(rf"\b(?:by|before) the end of {_MONTH},? (\d{{4}})\b"), "month"),
    (re.compile(r"\bby the end of (\d{4})\b"), "year"),
    (re.compile(r"\b(?:by|in) (?:mid|the middle of)[- ](\d{4})\b"), "mid"),
    (re.compile(r"\b(?:in|during|by the end of) the first half of (\d{4})\b"), "mid"),
    (re.compile(r"\b(?:in|during|by the end of) the second half of (\d{4})\b"), "year"),
    (re.compile(r"\b(?:in|by|during|by the end of) q([1-4])[ ,]+(\d{4})\b"), "quarter"),
    (re.compile(r"\b(?:in|by|during|by the end of) the (first|second|third|fourth|1st|2nd|3rd|"
                r"4th) quarter of (\d{4})\b"), "quarter-word"),
    (re.compile(rf"\b(?:by|in|before|during) {_MONTH},? (\d{{4}})\b"), "month"),
    (re.compile(r"\b(?:in|by|during|before the end of|within) (\d{4})\b(?![-/])"), "year"),
    (re.compile(r"\bby (?:the )?end[- ](?:of )?(\d{4})\b"), "year"),
    (re.compile(rf"\bby (?:the )?end[- ](?:of )?{_MONTH},? (\d{{4}})\b"), "month"),
    # Relative to the meeting's own year, when the statement gives one.
    (re.compile(r"\b(?:by|before) (?:the )?(?:end of (?:the|this) year|year[- ]end)\b|"
                r"\blater (?:this|in the) year\b"), "this-year"),
    (re.compile(r"\b(?:(?:in|during|by the end of) (?:the )?)?(?:next|coming) year\b"),
     "next-year"),
]


def find_deadline(text: str, year: int | None = None) -> dt.date | None:
    """The earliest-mentioned deadline phrase in a sentence, as its period's last day.

    `year` is the meeting's, for "by the end of the year" and "next year"."""
    low = fold(text)
    hits: list[tuple[int, dt.date]] = []
    for pattern, shape in _DEADLINES:
        for m in pattern.finditer(low):
            try:
                if shape in ("this-year", "next-year"):
                    if year is None:
                        continue
                    day = dt.date(year + (shape == "next-year"), 12, 31)
                elif shape == "day":
                    day = dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
                elif shape == "month":
                    day = end_of_month(int(m.group(2)), MONTHS[m.group(1)])
                elif shape == "year":
                    day = dt.date(int(m.group(1)), 12, 31)
                elif shape == "mid":
                    day = dt.date(int(m.group(1)), 6, 30)
                elif shape == "quarter":
                    day = end_of_quarter(int(m.group(2)), int(m.group(1)))
                else:
                    day = end_of_quarter(int(m.group(2)), _QUARTERS[m.group(1)])
            except ValueError:
                continue
            if 1900 < day.year < 2200:
                hits.append((m.start(), day))
    return min(hits, key=lambda hit: hit[0])[1] if hits else None


# --- titles -------------------------------------------------------------------------------

_TITLE_CUTS = [
    r"affirmed the value of (?=continuing)", r"highlighted (?:its|their) commitment to ",
    r"(?:its|their) commitment to ", r"will further ", r"will also ", r"will ", r"shall ",
    r"plans to ", r"planning to ", r"agreed to ", r"committed to ", r"commits to ",
    r"intends? to ", r"undertook to ", r"resolved to ", r"decided to ", r"noted the need to ",
    r"needs? to ", r"raised the issue of ", r"aims? to ", r"seeks? to ", r"expects? to ",
    r"proposed to ",
]
_TITLE_CUT = re.compile("|".join(f"(?:{c})" for c in _TITLE_CUTS), re.IGNORECASE)
MAX_TITLE = 200


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _shorten(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .;:,")
    if len(text) <= MAX_TITLE:
        return text
    cut = text[:MAX_TITLE].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def make_title(clause: str, kind: str, owner: BodyRef | None, bodies: Bodies) -> str:
    """A short summary: the commitment itself for actions, the event for records."""
    text = clause.strip()
    if kind in ("action", "ongoing"):
        m = _TITLE_CUT.search(text)
        if m:
            rest = text[m.end():]
            cue = fold(m.group(0))
            if cue.startswith("will further"):
                rest = "further " + rest
            elif cue.startswith("raised the issue of"):
                rest = "pursue " + rest  # "the issue of increased collaboration" → pursue it
            elif cue.endswith("commitment to ") and re.match(r"(?:the|a|an|its|their)\s",
                                                               rest, re.IGNORECASE):
                rest = "uphold " + rest  # "commitment to the Declaration" → uphold it
            if fold(rest).startswith("continuing "):
                rest = "continue " + rest[len("continuing "):]
            return _capitalise(_shorten(rest))
        continuing = re.match(r"^(?:[^,;]{0,120}?\s)?continues\s+(?=to\s|with\s|its\s|their\s)",
                              text, re.IGNORECASE)
        if continuing:  # "Continues to support members…" → "Continue to support members…"
            return _capitalise(_shorten("continue " + text[continuing.end():]))
    subject = bodies.subject(text)
    if subject is not None and owner is not None and subject.code == owner.code:
        stripped = re.sub(r"^\s*(?:The\s+)?\S+(?:\s+\S+){0,12}?\s+(?=(?:[a-z]+ed|held|met|"
                          r"shared|will|plans|continues)\b)", "", text, count=1)
        if stripped != text and stripped:
            text = stripped
    return _capitalise(_shorten(text))


_PRIORITY_LEAD = re.compile(
    r"priorities\b(?:[^:;.]{0,80}?:|\s+(?:of|include|including|are|were)\s+)", re.IGNORECASE)
_PRIORITY_TRIM = re.compile(r"^(?:and |the need for |the need to |the value of |the benefit of "
                            r"|the importance of |moving towards |continuing to |to )",
                            re.IGNORECASE)


def priority_list(sentence: str) -> list[str]:
    """The priorities a sentence lists after "priorities …:" / "priorities of …", if any."""
    m = _PRIORITY_LEAD.search(sentence.translate(_FOLD))
    if not m:
        return []
    rest = sentence[m.end():].strip().rstrip(".")
    parts = [p.strip() for p in re.split(r";\s*|,\s+(?=and\s)|,\s+", rest) if p.strip()]
    cleaned = []
    for part in parts:
        part = _PRIORITY_TRIM.sub("", part).strip()
        part = _PRIORITY_TRIM.sub("", part).strip()
        if part:
            cleaned.append(part)
    return cleaned if len(cleaned) >= 2 else []


# --- the meeting --------------------------------------------------------------------------

_ORDINAL_RE = "(" + "|".join(sorted((re.escape(w) for w in ORDINALS), key=len, reverse=True)) \
    + r"|\d{1,2}(?:st|nd|rd|th))"
_MEETING_OF = re.compile(rf"\b{_ORDINAL_RE}\s+meeting of the\s+(.+?)(?=\s+(?:in|on|at|held|"
                         rf"hosted|was|were|via|took|convened|met|opened)\b|[,.;(]|$)",
                         re.IGNORECASE)
_MEETING_NAMED = re.compile(rf"\b(?i:{_ORDINAL_RE})\s+((?:[A-Z][\w'’-]*\s+){{0,8}}?)"
                            r"(?:Senior Officials'?’?\s+)?Meeting\b")
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b",
                       re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LOCATION = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'-]*\s?){1,3},\s*(?:[A-Z][\w'-]*\s?){1,3})")
_ATTENDANCE = re.compile(
    r"(?:in attendance were(?: representatives)?(?: from| of)?|attended by(?: representatives"
    r")?(?: from| of)?\s*:?|(?:participants|representatives|delegations) (?:came )?from|"
    r"attendees?\s*(?:were|:)|participants\s*:|present\s*:)\s*(?P<list>[^.]+)", re.IGNORECASE)


def _ordinal_value(token: str) -> int | None:
    low = token.lower()
    if low in ORDINALS:
        return ORDINALS[low]
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)$", low)
    return int(m.group(1)) if m else None


def _meeting_date(text: str) -> dt.date | None:
    for pattern, order in ((_DATE_DMY, "dmy"), (_DATE_MDY, "mdy"), (_DATE_ISO, "iso")):
        m = pattern.search(text)
        if not m:
            continue
        try:
            if order == "dmy":
                return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            if order == "mdy":
                return dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def _meeting_ref(name: str, ordinal: int | None, day: dt.date | None) -> str:
    low = fold(name)
    if "ad hoc group" in low:
        prefix = "AHG"
    elif "steering group" in low:
        prefix = "SOSG"
    elif "ministerial" in low:
        prefix = "BPMC"
    else:
        prefix = _initials(name)[:8] or "MTG"
    if ordinal is not None:
        return f"{prefix}{ordinal}"
    if day is not None:
        return f"{prefix}-{day:%Y%m%d}"
    return prefix


_PARTICIPATED = re.compile(r"representatives (?:of|from)\s+(?P<list>[^.]+?)\s+(?:participated|"
                           r"attended|took part|joined)", re.IGNORECASE)


def _attendees(preamble: str) -> list[str]:
    m = _ATTENDANCE.search(preamble) or _PARTICIPATED.search(preamble)
    if not m:
        return []
    names = []
    listed = re.sub(r"\s+(?:attended|participated|took part|joined)(?:\s.*)?$", "",
                    m.group("list").strip(), flags=re.IGNORECASE)
    for part in re.split(r",\s*|;\s*|\s+and\s+", listed):
        part = re.sub(r"^(?:and|the)\s+", "", part.strip(), flags=re.IGNORECASE).strip()
        if part and len(part) <= 80:
            names.append(part)
    return names


def _meeting_name(lines: list[str]) -> tuple[int | None, str, str]:
    """(ordinal, name, title) from the first line that names the meeting."""
    for index, line in enumerate(lines):
        part = re.split(r"\s+[–—-]\s+", line)[0]
        m = _MEETING_OF.search(part)
        if m:
            name = m.group(2).strip()
            return (_ordinal_value(m.group(1)), name,
                    f"{_capitalise(m.group(1).lower())} Meeting of the {name}")
        n = _MEETING_NAMED.search(part)
        if n:
            name = (n.group(2) or "").strip()
            ordinal = _ordinal_value(n.group(1))
            word = _capitalise(n.group(1).lower())
            if name:
                return ordinal, name, f"{word} {name} Meeting"
            # "Nineteenth Meeting – Co-Chairs' Summary" under a line naming the body.
            above = next((lines[j] for j in range(index - 1, -1, -1)
                          if _BODY_WORDS.search(fold(lines[j]))), "")
            above = re.split(r"\s+[–—-]\s+", above)[0].strip()
            if above:
                return ordinal, above, f"{word} Meeting of the {above}"
            return ordinal, "", f"{word} Meeting"
    return None, "", ""


def parse_meeting(preamble: str) -> ParsedMeeting:
    lines = [" ".join(line.split()) for line in preamble.split("\n") if line.strip()]
    flat = " ".join(lines)
    ordinal, name, title = _meeting_name(lines)
    day = _meeting_date(flat)
    if not title:
        first = split_sentences(flat)[0] if flat else "Meeting"
        title = _shorten(first)[:120]
        name = title
    location_match = _LOCATION.search(flat)
    location = location_match.group(1).strip().rstrip(",") if location_match else None
    if location:
        location = re.sub(r"\s+(?:and|or)$", "", location)
        if "hybrid" in fold(flat):
            location += " (hybrid)"
    elif "virtual" in fold(flat):
        location = "virtual"
    return ParsedMeeting(_meeting_ref(name, ordinal, day), title, ordinal, day, location,
                         _attendees(flat))


# --- the whole statement ------------------------------------------------------------------

def normalise(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_SPACES)


def parse_statement(text: str, known: Iterable[BodyRef] = ()) -> ParsedStatement:
    """Read an outcome statement: its meeting, and one item per bullet (or per priority)."""
    lines = normalise(text).split("\n")
    start = next((i for i, line in enumerate(lines) if _OUTCOMES.match(line)), None)
    if start is None:  # "The meeting agreed the following outcomes:" and the like
        start = next((i for i, line in enumerate(lines) if _OUTCOMES_LEAD.match(line)), None)
    if start is None:
        raise StatementError("no outcomes section: an outcome statement has a line "
                             "'Outcomes:' followed by its items")
    meeting = parse_meeting("\n".join(lines[:start]))
    bodies = Bodies(known)
    blocks = _blocks(lines[start + 1:])
    items: list[ParsedItem] = []
    section: BodyRef | None = None
    section_indent: int | None = None  # set when the section's items are indented under it
    section_marked: bool | None = None  # whether the section's items are bullets
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if section_indent is not None and block.indent <= section_indent:
            section, section_indent = None, None
        if _is_header(block, bodies, following):
            section = bodies.from_header(block.text)
            section_indent = block.indent if (following and following.indent > block.indent) \
                else None
            section_marked = None
            continue
        if section is not None:
            # A plain paragraph after a section of bullets (or the other way round) is back
            # in the statement's own voice.
            if section_marked is None:
                section_marked = block.marked
            elif block.marked != section_marked:
                section, section_indent = None, None
        items.extend(_items_of(block.text, section, bodies, meeting))
    if not items:
        raise StatementError("the outcomes section has no items: write one bullet per outcome")
    return ParsedStatement(meeting, items, list(bodies.used.values()))


_CLAUSE_VERBS = (
    "noted|agreed|affirmed|welcomed|reviewed|commended|acknowledged|encouraged|recogni[sz]ed|"
    "highlighted|will|plans?|committed|emphasi[sz]ed|called|requested|shared|discussed|held|"
    "conducted|endorsed|adopted|decided|resolved|expressed|supported|underlined|stressed|"
    "tasked|launched|completed|thanked|observed|undertook|intends?|aims?|continues?|"
    "reaffirmed|considered|approved|presented|reported|hosted|convened|delivered")
_CLAUSE_SPLIT = re.compile(rf",?\s+and\s+(?=(?:also\s+)?(?:{_CLAUSE_VERBS})\b)")


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses: "Members reviewed … and noted the need to …" is two."""
    parts = _CLAUSE_SPLIT.split(sentence)
    return [p for p in parts if p.strip()]


_DELEGATED = re.compile(r"\b(?:(?:agreed|decided|requested|recommended|proposed|resolved)\s+"
                        r"that|encouraged|invited|urged|asked|requested|tasked|called on)\s+",
                        re.IGNORECASE)


def _items_of(text: str, section: BodyRef | None, bodies: Bodies,
              meeting: ParsedMeeting) -> list[ParsedItem]:
    source = " ".join(text.split()) if "\n" in text else text.strip()
    best: tuple[int, str, str, str, BodyRef | None] | None = None  # rank, kind, clause, ...
    sentence_subject: BodyRef | None = None
    for sentence in split_sentences(source):
        sentence_subject = bodies.subject(sentence) or sentence_subject
        for clause in _clauses(sentence):
            kind = _kind_of(fold(clause))
            if kind is None:
                continue
            subject = bodies.subject(clause) or sentence_subject
            delegated = _DELEGATED.search(clause)
            if delegated:
                # "Members agreed that the Co-Chairs will …": the Co-Chairs do it.
                subject = bodies.subject(clause[delegated.end():]) or subject
            rank = KIND_RANK[kind]
            if best is None or rank > best[0]:
                best = (rank, kind, clause, sentence, subject)
    if best is None:
        kind, clause, sentence, subject = "note", source, source, bodies.subject(source)
    else:
        _, kind, clause, sentence, subject = best
    owner = section or subject or bodies.members()
    bodies.use(owner)
    partners = [b for b in bodies.named_in(source)
                if b.code != owner.code and b.kind not in ("members", "co-chairs")]
    for partner in partners:
        bodies.use(partner)
    partner_codes = [b.code for b in partners]
    year = meeting.date.year if meeting.date else None
    due = find_deadline(clause, year) or find_deadline(source, year) \
        if kind in ("action", "ongoing") \
        else None

    def item(kind: str, title: str, due: dt.date | None) -> ParsedItem:
        return ParsedItem(kind, title, owner.code, owner.name, partner_codes, due, source)

    if kind == "ongoing":
        priorities = priority_list(sentence)
        if priorities:
            return [item("ongoing", _capitalise(_shorten(p)), find_deadline(p, year) or due)
                    for p in priorities]
    return [item(kind, make_title(clause, kind, owner, bodies), due)]


def to_document(parsed: ParsedStatement) -> dict[str, Any]:
    """The contract's JSON shape of an import (the dry run prints it)."""
    meeting = parsed.meeting
    return {
        "meeting": {"ref": meeting.ref, "title": meeting.title,
                    "date": meeting.date.isoformat() if meeting.date else None,
                    "location": meeting.location, "attendees": meeting.attendees},
        "items": [{"kind": i.kind, "title": i.title, "owner": i.owner,
                   "owner_name": i.owner_name, "partners": i.partners,
                   "due": i.due.isoformat() if i.due else None, "source": i.source}
                  for i in parsed.items],
    }


def load_document(parsed: ParsedStatement) -> dict[str, Any]:
    """What seeding.load_meeting adds: the meeting, the bodies named, and numbered items."""
    document = to_document(parsed)
    ref = parsed.meeting.ref
    document["meeting"]["ordinal"] = parsed.meeting.ordinal
    document["bodies"] = [{"code": b.code, "name": b.name, "kind": b.kind}
                          for b in parsed.bodies]
    document["items"] = [{**item, "ref": f"{ref}-{n:02d}"}
                         for n, item in enumerate(document["items"], 1)]
    return document
