"""Bodies, members and organisations: who a statement names, as owners and partners.

Bodies are the forum's own (working groups, task forces, the Co-Chairs, the members as a
whole), known from the database or introduced by a statement's headers and subjects; the
countries, organisations and forums every statement may name are known.py's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from bptrack.reading.known import BALI, BodyRef, countries_in, find_entities
from bptrack.reading.words import fold, straighten

BODY_WORDS = re.compile(
    r"\b(working group|task force|forum|office|experts? group|steering group|committee|"
    r"secretariat|co-?chairs?|chairmanship|chair|network|taskforce|consultation|"
    r"ministerial|centre|center|council|panel|group|lead shepherds?|mechanism|commission|"
    r"authority|agency|institute|alliance|coalition|partnership|platform|initiative)\b")
# Words that name a body only by its kind: "The Group will …" means a body already named.
GENERIC = {"working group", "group", "forum", "office", "task force", "taskforce",
           "steering group", "secretariat", "committee", "network", "experts group",
           "expert group", "consultation", "mechanism", "council", "panel", "centre",
           "commission", "platform", "agency", "authority"}
_SMALL_WORDS = {"the", "of", "on", "and", "in", "for", "to", "&", "a", "an", "with", "bali",
                "process"}


def body_kind(name: str) -> str:
    low = fold(name)
    for needle, kind in (("task force", "task force"), ("taskforce", "task force"),
                         ("forum", "forum"), ("office", "office"), ("secretariat", "office"),
                         ("co-chair", "co-chairs"), ("cochair", "co-chairs"),
                         ("group", "working group"), ("committee", "working group"),
                         ("members", "members"), ("ministers", "members")):
        if needle in low:
            return kind
    return "external"


@functools.lru_cache(maxsize=4096)  # each sentence's, and each body's name many times over
def core(name: str) -> str:
    """A body's name for matching: no 'The', no 'Bali Process', no '(ABBR)', folded."""
    low = _ASIDE_OR_STOP.sub(" ", fold(name))
    low = _LEADING_THE.sub("", low)
    low = _BALI_PROCESS.sub(" ", low)
    return " ".join(low.split())


_ASIDE_OR_STOP = re.compile(r"\([^)]*\)|[:.,]")
_LEADING_THE = re.compile(r"^\s*the\s+")
_BALI_PROCESS = re.compile(r"\bbali process\b")


def initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", name)
    letters = [w[0].upper() for w in words if w.lower() not in _SMALL_WORDS]
    return "".join(letters)[:12] or "BODY"


_LEADING = re.compile(r"^(?:at the same time|in addition|further(?:more)?|also|finally|"
                      r"in this regard|to this end|moreover|separately|together|today|"
                      r"in this context|in particular),?\s+")
# The forum's members, however a statement says so.
_MEMBERS = re.compile(
    r"(?:the\s+)?(?:bali process\s+)?(?:all\s+)?(?:(?:forum |asean |pacific )?members|member "
    r"states|member countries|member governments|senior officials|participants|delegates|"
    r"delegations|the meeting|meeting participants|(?:(?:the|participating|attending|g7|"
    r"quad|asean|pacific|commonwealth)\s+)*ministers(?!\s+(?:of|for)\b)|"
    r"minister's|officials|heads(?: of (?:state|government))?(?: and government)?|leaders|"
    r"(?:the )?(?:two |both |three )?(?:prime ministers|leaders|governments|countries|sides|"
    r"parties|foreign ministers|presidents)|both countries|both governments|our (?:countries|"
    r"governments|nations)|the conference|the summit|the ministers' conference|"
    r"co-chair ministers|the parties)\b")
_PEOPLE_BODY = re.compile(
    r"^(?:the\s+|our\s+|their\s+)?((?:[A-Z][\w'’&+-]*\s+){0,5}(?:[A-Z][\w'’&+-]*|"
    r"\+\s+[A-Z]\w*))$")


class Bodies:
    """The bodies a statement can name: those already known, and those it adds."""

    def __init__(self, known: Iterable[BodyRef], members: BodyRef | None = None) -> None:
        self.by_code: dict[str, BodyRef] = {}
        self.by_core: dict[str, BodyRef] = {}
        for body in known:
            self._add(body)
        self.used: dict[str, BodyRef] = {}
        self.we: BodyRef | None = None  # who "We" are in a joint statement
        self.members_body = members or BALI.members
        self.acronyms: dict[str, str] = {}  # "NAATI" -> its full name, as the text defines it
        self._owners: dict[str, list[BodyRef]] = {}  # subject -> its bodies, read once

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

    def learn_acronyms(self, text: str) -> None:
        """"the National Accreditation Authority for Translators and Interpreters (NAATI)"."""
        for m in re.finditer(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the|in|to)\s+)*){1,10}"
                             r"[A-Z][\w'’-]*)\s+\(([A-Z][A-Z0-9&-]{1,11})\)", text):
            self.acronyms.setdefault(m.group(2), " ".join(m.group(1).split()))

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
        clean = re.sub(r"^(?:The|the|Our|our|Their|their)\s+", "", clean).strip()
        if clean.upper() == clean and clean in self.acronyms:
            clean = self.acronyms[clean]
            abbr_code = name.strip().upper()
        else:
            abbr_code = None
        words = clean.split()
        code = abbr.group(1).upper() if abbr else abbr_code or (
            re.sub(r"[^A-Z0-9]", "", words[0].upper()) if len(words) == 1 else initials(clean))
        code = code[:24]
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

    def owners_of(self, subject: str) -> list[BodyRef]:
        """The bodies a subject noun phrase names: "Ministers" (the forum's members),
        "Australia and Indonesia", "The Working Group on …", "our Finance Ministers",
        "SOMTC Lead Shepherds", "the OECD, in tandem with the IEA"; [] when none."""
        cached = self._owners.get(subject)
        if cached is None:
            cached = self._owners[subject] = self._owners_of(subject)
        for body in cached:
            self.use(body)
        return list(cached)

    def _owners_of(self, subject: str) -> list[BodyRef]:
        text = " ".join(subject.split()).strip(" ,")
        text = re.sub(r"^(?:and|but|while|whereas|so)\s+", "", text, flags=re.IGNORECASE)
        text = _LEADING.sub("", text)
        if not text:
            return []
        low = fold(text)
        if re.search(r"(?:^|\s|,)(?:we|us)$", low) or low.startswith("we,") or low == "we":
            return [self.use(self.we or self.members_body)]
        known = self._known_subject(text + " will")
        entities = self._entity_subjects(text)
        if known is not None and not (entities and known.kind in ("country", "organisation")):
            return [self.use(known)]
        if entities:
            return [self.use(self.register(b)) for b in entities]
        new = self._new_subject(text + " will")
        if new is not None:
            return [self.use(new)]
        stripped = re.sub(r"^(?:the|our|their|its)\s+", "", text, flags=re.IGNORECASE)
        if stripped in self.acronyms or (stripped.isupper() and 2 <= len(stripped) <= 12 and
                                         stripped.isalpha()):
            return [self.from_header(stripped)]
        people = _PEOPLE_BODY.match(text)
        if people and re.search(r"\b(?:Ministers|Shepherds|Governments?|Officials|"
                                r"Authorities|Agencies|Heads|Chairs?|Consultation|Commission|"
                                r"Secretariat|Council|Committee|Commonwealth|Negotiators|"
                                r"Envoys|Representatives|Experts|Delegates|Coordinators|"
                                r"Sherpas|Deputies|Ambassadors|Directors|Commissioners)\b",
                                text):
            return [self.from_header(people.group(1))]
        named = [b for b in countries_in(text)]
        if named and re.match(r"(?:the\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:Government|Prime Minister|"
                              r"Minister|President|delegation)", text):
            return [self.use(self.register(named[0]))]
        return []

    def _known_subject(self, clause: str) -> BodyRef | None:
        low = _LEADING.sub("", fold(clause).lstrip())
        if re.match(r"we\b", low) and self.we is not None:
            return self.we
        if re.match(r"(?:the\s+)?co-?chairs?\b", low):
            return self.co_chairs()
        members_core = core(self.members_body.name)
        if members_core and re.sub(r"^(?:the|all|remaining|all the)\s+", "", low).startswith(
                members_core):
            return self.members()  # "ASEAN Member States", "G7 Members"
        if _MEMBERS.match(low) and not re.match(r"(?:the\s+)?ministers?\s+(?:for|of)\b", low):
            rest = _MEMBERS.match(low)
            after = low[rest.end():] if rest else ""
            # "officials from Australia" are the members' officials; "the Meeting of X" is not
            if not re.match(r"\s+of\s+the\b", after):
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
            if out and not re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+as well as|,\s+in tandem "
                                        r"with)\s+(?:the\s+)?", between):
                break
            if not out and not re.fullmatch(r"(?:the\s+)?", between, re.IGNORECASE):
                break
            out.append(body)
            pos = end
        if out and re.match(r"\s*(?:'s|’s|-based|,\s+(?:which|as|in)\b)", text[pos:]):
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
        m = re.match(r"\s*(?:The\s+)?((?:[A-Z][\w'’-]*|on|of|and|the|for|in|\+)"
                     r"(?:\s+(?:[A-Z][\w'’-]*|on|of|and|the|for|in|\+)){0,10})\s+(?:has\s+|have\s+)?"
                     r"(?:[a-z]+ed|will|plans|continues|held|met|shared|to)\b", clause)
        if not m or not BODY_WORDS.search(fold(m.group(1))):
            return None
        if core(m.group(1)) in GENERIC:
            return self.generic(m.group(1))
        return self.from_header(m.group(1).strip())

    def members(self) -> BodyRef:
        """The members as a whole, when a statement says "members", "participants" …"""
        body = self.members_body
        existing = self.by_code.get(body.code.upper())
        if existing is None:
            self._add(body)
            existing = body
        return self.use(existing)

    def co_chairs(self) -> BodyRef:
        name = "Bali Process Co-Chairs" if self.members_body.code == "MEMBERS" else (
            self.members_body.name.rsplit(" ", 1)[0] + " Co-Chairs")
        return self._role("CC" if self.members_body.code == "MEMBERS" else
                          self.members_body.code.split("-")[0] + "-CC", name, "co-chairs")

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
            if len(body_core) > 3 and body.kind not in ("country", "members"):
                pos = low.find(f" {body_core} ")
                if pos >= 0:
                    found.append((pos, body))
        for code, body in self.by_code.items():
            # `code in raw` first: a sentence names few of the codes, and a pattern a code
            # for each sentence of a long statement added up.
            if len(code) >= 3 and code in raw and code.isupper() and body.kind not in (
                    "country", "members"):
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
