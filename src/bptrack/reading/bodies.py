"""Bodies, members and organisations: who a statement names, as owners and partners.

Bodies are the forum's own (working groups, task forces, the Co-Chairs, the members as a
whole), known from the database or introduced by a statement's headers and subjects.
Countries and organisations come from `known.json`: data, not code.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bptrack.reading.words import fold, straighten


@dataclass(frozen=True)
class BodyRef:
    code: str
    name: str
    kind: str


BODY_WORDS = re.compile(
    r"\b(working group|task force|forum|office|experts? group|steering group|committee|"
    r"secretariat|co-?chairs?|chairmanship|chair|network|taskforce|consultation|"
    r"ministerial|centre|center|council|panel|group|lead shepherds?|mechanism)\b")
# Words that name a body only by its kind: "The Group will …" means a body already named.
GENERIC = {"working group", "group", "forum", "office", "task force", "taskforce",
           "steering group", "secretariat", "committee", "network", "experts group",
           "expert group", "consultation", "mechanism", "council", "panel", "centre"}
_SMALL_WORDS = {"the", "of", "on", "and", "in", "for", "to", "&", "a", "an", "with", "bali",
                "process"}


@dataclass(frozen=True)
class Entity:
    body: BodyRef
    pattern: re.Pattern[str]


@functools.cache
def entities() -> tuple[Entity, ...]:
    """The known countries and organisations, each with a pattern for all its spellings."""
    data = json.loads((Path(__file__).parent / "known.json").read_text(encoding="utf-8"))
    out = []
    for kind, rows in (("country", data["countries"]), ("organisation", data["organisations"])):
        for code, name, aliases in rows:
            spellings = sorted({name, *aliases, *([code] if kind == "organisation" else [])},
                               key=len, reverse=True)
            alternatives = "|".join(re.escape(straighten(s)) for s in spellings)
            out.append(Entity(BodyRef(code, name, kind),
                              re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")))
    return tuple(out)


def find_entities(text: str) -> list[tuple[int, int, BodyRef]]:
    """(start, end, entity) for each known country or organisation the text names."""
    plain = straighten(text)
    found = []
    for entity in entities():
        for m in entity.pattern.finditer(plain):
            found.append((m.start(), m.end(), entity.body))
    found.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
    out: list[tuple[int, int, BodyRef]] = []
    for hit in found:
        if out and hit[0] < out[-1][1]:
            continue  # "Hong Kong, China" is one, not China too
        out.append(hit)
    return out


def body_kind(name: str) -> str:
    low = fold(name)
    for needle, kind in (("task force", "task force"), ("taskforce", "task force"),
                         ("forum", "forum"), ("office", "office"), ("secretariat", "office"),
                         ("co-chair", "co-chairs"), ("cochair", "co-chairs"),
                         ("group", "working group"), ("committee", "working group"),
                         ("members", "members")):
        if needle in low:
            return kind
    return "external"


def core(name: str) -> str:
    """A body's name for matching: no 'The', no 'Bali Process', no '(ABBR)', folded."""
    low = fold(name)
    low = re.sub(r"\([^)]*\)", " ", low)
    low = re.sub(r"[:.,]", " ", low)
    low = re.sub(r"^\s*the\s+", "", low)
    low = re.sub(r"\bbali process\b", " ", low)
    return " ".join(low.split())


def initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", name)
    letters = [w[0].upper() for w in words if w.lower() not in _SMALL_WORDS]
    return "".join(letters)[:12] or "BODY"


_LEADING = re.compile(r"^(?:at the same time|in addition|further(?:more)?|also|finally|"
                      r"in this regard|to this end|moreover|separately),?\s+")
_MEMBERS = re.compile(r"(?:the\s+)?(?:bali process\s+)?(?:members|member states|member "
                      r"countries|senior officials|participants|delegates|the meeting|meeting "
                      r"participants|ministers|officials|all members)\b")


class Bodies:
    """The bodies a statement can name: those already known, and those it adds."""

    def __init__(self, known: Iterable[BodyRef]) -> None:
        self.by_code: dict[str, BodyRef] = {}
        self.by_core: dict[str, BodyRef] = {}
        for body in known:
            self._add(body)
        self.used: dict[str, BodyRef] = {}
        self.we: BodyRef | None = None  # who "We" are in a joint statement

    def _add(self, body: BodyRef) -> None:
        self.by_code.setdefault(body.code.upper(), body)
        self.by_core.setdefault(core(body.name), body)

    def use(self, body: BodyRef) -> BodyRef:
        self.used.setdefault(body.code, body)
        return body

    def register(self, body: BodyRef) -> BodyRef:
        """A body known from elsewhere (an entity, the meeting): the database's wins."""
        existing = self.by_code.get(body.code.upper()) or self.by_core.get(core(body.name))
        if existing is not None:
            return existing
        self._add(body)
        return body

    def from_header(self, text: str) -> BodyRef:
        name = text.strip().rstrip(":").strip()
        abbr = re.search(r"\(([A-Z][A-Za-z0-9&-]{1,15})\)", name)
        name_core = core(name)
        if name_core in self.by_core:
            return self.use(self.by_core[name_core])
        generic = self.generic(name)
        if generic is not None:
            return self.use(generic)
        if abbr and abbr.group(1).upper() in self.by_code:
            return self.use(self.by_code[abbr.group(1).upper()])
        lead = self._known_subject(name + " held")
        if lead is not None and lead.code in self.by_code and (
                lead.kind in ("co-chairs", "members") or core(lead.name) in name_core):
            return lead
        entity = find_entities(name)
        if entity and entity[0][0] == 0 and entity[0][1] >= len(straighten(name)) - 1:
            return self.use(self.register(entity[0][2]))
        clean = re.sub(r"\s*\([^)]*\)", "", name)
        clean = re.sub(r"^(?:The|the)\s+", "", clean).strip()
        code = abbr.group(1).upper() if abbr else initials(clean)
        while code in self.by_code:
            code += "X"
        body = BodyRef(code, clean, body_kind(clean))
        self._add(body)
        return self.use(body)

    def subject(self, clause: str) -> BodyRef | None:
        """The body a clause starts with ("Members …", "The Co-Chairs …", "Australia …")."""
        found = self.subjects(clause)
        return found[0] if found else None

    def subjects(self, clause: str) -> list[BodyRef]:
        """Every body of a clause's subject: "Australia and Indonesia will …" names two."""
        known = self._known_subject(clause)
        group = self._entity_subjects(clause)
        if known is not None and not (group and known.kind in ("country", "organisation")):
            return [self.use(known)]
        if group:
            return [self.use(self.register(b)) for b in group]
        new = self._new_subject(clause)
        return [self.use(new)] if new else []

    def _known_subject(self, clause: str) -> BodyRef | None:
        low = _LEADING.sub("", fold(clause).lstrip())
        if re.match(r"we\b", low) and self.we is not None:
            return self.we
        if re.match(r"(?:the\s+)?co-?chairs?\b", low):
            return self.co_chairs()
        if _MEMBERS.match(low):
            return self.members()
        low = re.sub(r"^the\s+", "", low)
        best: BodyRef | None = None
        for body_core, body in self.by_core.items():
            if body_core and low.startswith(body_core) and not low[len(body_core):
                                                                   len(body_core) + 1].isalnum() \
                    and (best is None or len(body_core) > len(core(best.name))):
                best = body
        if best is None:
            stripped = re.sub(r"^(?:The|the)\s+", "", _LEADING.sub("", clause.lstrip()))
            # "RSO will …" and "ASEAN Member States" are theirs; "SOMTC Working Group …" is
            # another body.
            m = re.match(r"([A-Z][A-Za-z0-9&-]{1,15})\b(?!\s+(?!Member\b)[A-Z])", stripped)
            if m and m.group(1).upper() in self.by_code and m.group(1).isupper():
                best = self.by_code[m.group(1).upper()]
        return best

    def _entity_subjects(self, clause: str) -> list[BodyRef]:
        """Countries and organisations that open a clause, joined by commas and "and"."""
        text = straighten(_LEADING.sub("", clause.lstrip(), count=1))
        text = re.sub(r"^(?:The\s+)?(?:Governments? of|Delegations? of|Representatives of)\s+",
                      "", text, flags=re.IGNORECASE)
        out: list[BodyRef] = []
        pos = 0
        for start, end, body in find_entities(text):
            between = text[pos:start]
            if out and not re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+as well as)\s+(?:the\s+)?",
                                        between):
                break
            if not out and not re.fullmatch(r"(?:the\s+)?", between, re.IGNORECASE):
                break
            out.append(body)
            pos = end
        if out and re.match(r"\s*(?:'s|’s|,\s+(?:which|as|in)\b)", text[pos:]):
            return []  # "Thailand's offer …", "Thailand, as Chair, …" are not the subject
        return out

    def generic(self, name: str) -> BodyRef | None:
        """"The Forum", "the Steering Group": the one known body whose name ends so."""
        name_core = core(name)
        if name_core not in GENERIC:
            return None
        found = {b.code: b for c, b in self.by_core.items()
                 if c == name_core or c.endswith(" " + name_core)}
        return next(iter(found.values())) if len(found) == 1 else None

    def _new_subject(self, clause: str) -> BodyRef | None:
        """"The Steering Group welcomed …": a body not seen before, named as a subject."""
        m = re.match(r"\s*(?:The\s+)?((?:[A-Z][\w'’-]*|on|of|and|the|for|in)"
                     r"(?:\s+(?:[A-Z][\w'’-]*|on|of|and|the|for|in)){0,10})\s+(?:has\s+|have\s+)?"
                     r"(?:[a-z]+ed|will|plans|continues|held|met|shared|to)\b", clause)
        if not m or not BODY_WORDS.search(fold(m.group(1))):
            return None
        if core(m.group(1)) in GENERIC:
            return self.generic(m.group(1))
        return self.from_header(m.group(1).strip())

    def members(self) -> BodyRef:
        """The members as a whole, when a statement says "members", "participants" …"""
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
        """Bodies and organisations a sentence names, in order of first mention."""
        low = " " + " ".join(core(text).split()) + " "
        raw = straighten(text)
        found: list[tuple[int, BodyRef]] = []
        for body_core, body in self.by_core.items():
            if len(body_core) > 3 and body.kind != "country":
                pos = low.find(f" {body_core} ")
                if pos >= 0:
                    found.append((pos, body))
        for code, body in self.by_code.items():
            if len(code) >= 3 and code.isupper() and body.kind != "country":
                m = re.search(rf"(?<![A-Za-z]){re.escape(code)}(?![A-Za-z])", raw)
                if m:
                    found.append((m.start(), body))
        for start, _, entity in find_entities(text):
            if entity.kind == "organisation":
                found.append((start, self.register(entity)))
        seen: list[BodyRef] = []
        for _, body in sorted(found, key=lambda pair: pair[0]):
            if body not in seen:
                seen.append(body)
        # A name inside a longer name ("… Trafficking in Persons" in "… Persons Networks")
        # is not a mention of its own.
        cores = {b.code: core(b.name) for b in seen}
        return [b for b in seen if not any(
            o is not b and cores[b.code] in cores[o.code] and cores[b.code] != cores[o.code]
            for o in seen)]
