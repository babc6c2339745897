"""Meeting details: title, ordinal, ref, date, location and attendance.

They come from the statement's opening: a title line ("Sixth Bali Process Senior Officials
Meeting"), a sentence saying who hosted or convened the meeting, where and when, and one or two
sentences saying who attended (observers apart). The ref is the meeting's own short name and
ordinal: AHG10, SOM6, SOSG20, BPMC7, AMMTC18.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bptrack.reading.bodies import BodyRef, find_entities, initials
from bptrack.reading.sentences import split_sentences
from bptrack.reading.words import MONTH_RE, MONTHS, ORDINALS, capitalise, fold, shorten


@dataclass
class ParsedMeeting:
    ref: str
    title: str
    ordinal: int | None
    date: dt.date | None
    location: str | None
    attendees: list[str]
    name: str = ""  # the body that meets ("Ad Hoc Group Senior Officials"), if known

    def body(self) -> BodyRef | None:
        """The meeting as a body: who "We" are in a joint statement."""
        if not self.name:
            return None
        prefix = re.sub(r"-?\d+$", "", self.ref) if self.ordinal is not None else \
            self.ref.split("-")[0]
        return BodyRef(prefix or "MEETING", self.name, "meeting")


_ORDINAL_RE = "(" + "|".join(sorted((re.escape(w) for w in ORDINALS), key=len, reverse=True)) \
    + r"|\d{1,2}(?:st|nd|rd|th))"
_NAME_WORD = r"(?:[A-Z][\w'’-]*|on|of|and|for|in|the)"
_MEETING_OF = re.compile(rf"\b{_ORDINAL_RE}\s+(?:meeting|conference|session)\s+(?:of\s+the\s+)?"
                         rf"((?-i:[A-Z]).+?)(?=\s+(?:in|on|at|held|hosted|was|were|via|took|"
                         rf"convened|met|opened|under)\b|[,.;(]|$)", re.IGNORECASE)
_MEETING_NAMED = re.compile(
    rf"\b(?i:{_ORDINAL_RE})\s+((?:[A-Z][\w'’-]*\s+){{0,8}}?)"
    rf"(?:Senior Officials'?’?\s+)?(Meeting|Conference)\b((?:\s+(?:on|of)\s+"
    rf"(?:[A-Z][\w'’-]*|and|the)(?:\s+(?:[A-Z][\w'’-]*|and))*)?)")
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_RE},?\s+(\d{{4}})\b",
                       re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b{MONTH_RE}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LOCATION = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'-]*\s?){1,3},\s*(?:[A-Z][\w'-]*\s?){1,3})")
_ATTENDANCE = re.compile(
    r"\bin attendance were|\battended by|\b(?:attendees|participants|present)\s*:|"
    r"\b(?:representatives|delegations|delegates|participants|senior officials) (?:came )?"
    r"(?:from|of)\b|\b(?:attended|participated|took part|joined)\b", re.IGNORECASE)
_OBSERVERS = re.compile(r"\bobservers?\b", re.IGNORECASE)
_LIST_LEAD = re.compile(
    r"(?:in attendance were|attended by|participants?|representatives|delegations|delegates|"
    r"senior officials|officials|attendees|present)(?:\s+(?:came|were))?(?:\s+(?:from|of))?"
    r"\s*:?\s*", re.IGNORECASE)
_SKIP_WORDS = re.compile(r"^(?:senior officials|the co-chairs|co-chairs|members|the meeting|"
                         r"representatives|officials|ministers|the rso.*|rso.*)$", re.IGNORECASE)


def ordinal_value(token: str) -> int | None:
    low = token.lower()
    if low in ORDINALS:
        return ORDINALS[low]
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)$", low)
    return int(m.group(1)) if m else None


def meeting_date(text: str) -> dt.date | None:
    hits = []
    for pattern, order in ((_DATE_DMY, "dmy"), (_DATE_MDY, "mdy"), (_DATE_ISO, "iso")):
        for m in pattern.finditer(text):
            try:
                if order == "dmy":
                    day = dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
                elif order == "mdy":
                    day = dt.date(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
                else:
                    day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            hits.append((m.start(), day))
            break
    return min(hits)[1] if hits else None


def meeting_ref(name: str, ordinal: int | None, day: dt.date | None) -> str:
    low = fold(name)
    if "ad hoc group" in low:
        prefix = "AHG"
    elif "steering group" in low:
        prefix = "SOSG"
    elif "ministerial conference" in low or ("ministerial" in low and "bali process" in low):
        prefix = "BPMC"
    elif ("senior officials" in low and "bali process" in low) or low.strip() in (
            "senior officials", "bali process senior officials"):
        prefix = "SOM"
    else:
        prefix = re.sub(r"[^A-Z0-9]", "", initials(name))[:10] or "MTG"
    if ordinal is not None:
        return f"{prefix}{ordinal}"
    if day is not None:
        return f"{prefix}-{day:%Y%m%d}"
    return prefix


def _named(part: str) -> tuple[int | None, str, str] | None:
    """(ordinal, name, title) when a part of a line names a meeting; name may be ""."""
    n = _MEETING_NAMED.search(part)
    m = _MEETING_OF.search(part)
    if m and (n is None or m.start() <= n.start()):
        name = m.group(2).strip()
        of_the = re.search(r"\bof\s+the\s*$", part[:m.start(2)], re.IGNORECASE)
        if of_the or BODY_NAME.search(fold(name)):
            name = re.sub(r"^(?:Bali Process\s+)?(?=Ad Hoc Group)", "", name)
            word = capitalise(m.group(1).lower())
            noun = fold(part[m.start():m.end()]).split()[1].capitalize()
            return ordinal_value(m.group(1)), name, f"{word} {noun} of the {name}"
    if n:
        name = (n.group(2) or "").strip()
        tail = (n.group(4) or "").strip()
        word = capitalise(n.group(1).lower())
        senior = "Senior Officials " if "senior officials" in fold(n.group(0)) and \
            "senior officials" not in fold(name) else ""
        if not name:
            return ordinal_value(n.group(1)), "", ""
        full = f"{name} {senior}{n.group(3)} {tail}" if tail else f"{name} {senior}".strip()
        title = f"{word} {full}" if tail else f"{word} {name} {senior}{n.group(3)}"
        return ordinal_value(n.group(1)), " ".join(full.split()), " ".join(title.split())
    return None


BODY_NAME = re.compile(r"\b(?:group|forum|task ?force|process|conference|officials|committee|"
                       r"council|network|consultation|ministers?)\b")


def _meeting_name(lines: list[str]) -> tuple[int | None, str, str]:
    """(ordinal, name, title) from the first line that names the meeting, completed by a
    later mention where a wrapped title line cut the name short."""
    first = _first_meeting_name(lines)
    ordinal, name, _ = first
    if not name:
        return first
    longer = [found for line in lines for part in re.split(r"\s+[–—-]\s+", line)
              if (found := _named(part)) and found[0] == ordinal and found[1] != name
              and found[1].startswith(name)]
    return max(longer, key=lambda found: len(found[1])) if longer else first


def _first_meeting_name(lines: list[str]) -> tuple[int | None, str, str]:
    for index, line in enumerate(lines):
        parts = re.split(r"\s+[–—-]\s+", line)
        for part in parts:
            found = _named(part)
            if found is None:
                continue
            ordinal, name, title = found
            if name:
                return found
            # "Sixth Meeting – Co-Chairs' Summary" beside or under a line naming the body.
            word = title or capitalise(part.split()[0].lower())
            beside = [p.strip().lstrip("#").strip() for p in parts if p is not part]
            above = [re.split(r"\s+[–—-]\s+", lines[j])[0].lstrip("#").strip()
                     for j in range(index - 1, -1, -1)]
            body = next((c for c in beside + above if BODY_NAME.search(fold(c))), "")
            if body:
                return ordinal, body, f"{word} Meeting of the {body}"
            return ordinal, "", f"{word} Meeting"
    return None, "", ""


def attendees(sentences: list[str]) -> list[str]:
    """Who attended, in order, without observers: known countries and organisations, and the
    other names the attendance list gives."""
    names: list[str] = []
    for sentence in sentences:
        if not _ATTENDANCE.search(sentence) or (_OBSERVERS.search(sentence) and not re.search(
                r"in attendance were|attended by|participants? (?:from|of)", sentence,
                re.IGNORECASE)):
            continue
        listed = sentence
        lead = _LIST_LEAD.search(listed)
        if lead:
            listed = listed[lead.end():]
        # The list ends where the meeting's place starts ("… met in Adelaide, Australia").
        listed = re.split(r"\b(?:met|gathered|convened|held)\b", listed)[0]
        listed = re.split(r"[.;]\s|\battended as observers?\b|\bas observers?\b", listed)[0]
        parts = re.split(r",\s*|\s+as well as\s+|\s+and\s+", listed)
        for part in parts:
            part = re.sub(r"^(?:and|the|representatives (?:from|of)|senior officials from)\s+",
                          "", part.strip(), flags=re.IGNORECASE).strip().rstrip(".")
            part = re.sub(r"^(?:and|the)\s+", "", part, flags=re.IGNORECASE)
            if not part or len(part) > 60 or _SKIP_WORDS.match(part):
                continue
            entities = find_entities(part)
            if entities:
                for start, end, _ in entities:
                    shown = part[start:end]
                    if shown not in names:
                        names.append(shown)
            elif re.match(r"^[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,5}$", part) and \
                    part.split()[0].lower() not in ("in", "on", "at", "the", "a", "an") and \
                    part not in names:
                names.append(part)
    return names


def is_meeting_sentence(sentence: str) -> bool:
    """Does the sentence describe the meeting itself (its convening, chair, attendance)?"""
    low = fold(sentence)
    if re.search(r"\b(?:in attendance were|was attended by|were attended by|attended as "
                 r"observers?|participated as observers?|(?:representatives|delegations|"
                 r"delegates|participants|senior officials|officials|ministers) (?:from|of) "
                 r"[^.]{3,}?(?:participated|attended|took part|joined|met in|gathered in)|"
                 r"also participated in the meeting|participated in the meeting|"
                 r"\b(?:led|chaired|moderated) the (?:discussions?|meeting|session)s?)", low):
        return True
    if re.match(r"(?:on \d{1,2} \w+ \d{4},? )?(?:the )?[^.]{0,400}?\b(?:hosted|convened|"
                r"co-chaired|chaired|opened)\s+the\s+[^.]{0,120}?\b(?:meeting|conference)\b", low):
        return True
    if re.match(r"(?:the |this )?[^.]{0,160}?\b(?:meeting|conference|amm\w*|som\w*|ahg\w*)"
                r"\b[^.]{0,120}? (?:was|were) (?:held|convened|co-chaired|chaired|opened|"
                r"preceded|attended|hosted|organi[sz]ed)\b", low):
        return True
    if re.match(r"(?:the )?meeting took place\b|the purpose of the meeting\b|"
                r"we, (?:the )?[^.]{3,120}?\b(?:gathered|met|convened)\b|"
                r"(?:the )?participants (?:came|were) from\b", low):
        return True
    return bool(re.match(r"(?:participants|attendees|present)\s*:", low))


def _place(lines: list[str], flat: str) -> str | None:
    """Where: "in City, Country", a "City, Country, date" line, or "held in City"."""
    found = _LOCATION.search(flat)
    if found:
        return re.sub(r"\s+(?:and|or|on|in)$", "", found.group(1).strip().rstrip(","))
    for line in lines:
        for start, end, entity in find_entities(line):
            if entity.kind != "country":
                continue
            city = re.search(r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)?),\s*$", line[:start])
            if city and city.group(1).lower() not in MONTHS and not find_entities(
                    city.group(1)) and not re.search(r"statement|summary|meeting",
                                                     city.group(1), re.IGNORECASE):
                return f"{city.group(1)}, {line[start:end]}"
    place = re.search(r"\b(?:held|convened|met|gathered|hosted[^.]{0,80}?)\s+in\s+"
                      r"([A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)", flat)
    if place and place.group(1).lower() not in MONTHS:
        return place.group(1)
    return None


def parse_meeting(preamble: str, ref: str | None = None) -> ParsedMeeting:
    lines = [" ".join(line.split()) for line in preamble.split("\n") if line.strip()]
    flat = " ".join(lines)
    ordinal, name, title = _meeting_name(lines)
    day = meeting_date(flat)
    if not title:
        first = split_sentences(flat)[0] if flat else "Meeting"
        title = shorten(first)[:120]
        name = ""
    location = _place(lines, flat)
    if location and "hybrid" in fold(flat):
        location += " (hybrid)"
    elif location is None and re.search(r"\bvirtual(?:ly)?\b|\bvideo ?conference\b",
                                        fold(flat)):
        location = "virtual"
    sentences = [s for line in lines for s in split_sentences(line)]
    # The statement's own short form wins: "(27th SOMTC)", "(21st AMMTC)".
    own = re.search(r"\((\d{1,2})(?:st|nd|rd|th)\s+([A-Z]{2,10})\)", flat)
    if ref is None and own and ordinal == int(own.group(1)):
        ref = f"{own.group(2)}{ordinal}"
    return ParsedMeeting(ref or meeting_ref(name or title, ordinal, day), title, ordinal, day,
                         location, attendees(sentences), name)
