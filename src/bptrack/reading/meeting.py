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

from bptrack.reading.attendance import attendees
from bptrack.reading.bodies import initials
from bptrack.reading.known import BodyRef, Forum, countries_in, find_entities
from bptrack.reading.sentences import split_sentences
from bptrack.reading.words import MONTHS, ORDINALS, capitalise, fold, shorten


@dataclass
class ParsedMeeting:
    ref: str
    title: str
    ordinal: int | None
    date: dt.date | None
    location: str | None
    attendees: list[str]
    name: str = ""  # the body that meets ("Ad Hoc Group Senior Officials"), if known
    forum: Forum | None = None  # the forum whose meeting it is, when the statement says

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
_MON = (r"(january|february|march|april|may|june|july|august|september|october|november|"
        r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_TO = r"\s*(?:-|–|—|to|and|&)\s*"
# "12 December 2022", "12–13 December 2022", "from 28 to 30 October 2011", "30 November – 2
# December 2022", "12th December, 2022"
_DATE_DMY = re.compile(rf"\b(?:{_DAY}(?:\s+{_MON})?{_TO})?{_DAY}\s+{_MON},?\s+(\d{{4}})\b",
                       re.IGNORECASE)
# "December 12, 2022", "December 12-13, 2022", "July 14, 2022"
_DATE_MDY = re.compile(rf"\b{_MON}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?{_TO})?{_DAY},?\s+(\d{{4}})\b",
                       re.IGNORECASE)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A day without a year: "met on 12 December", "on 26 February"
_DATE_DM = re.compile(rf"\b(?:on|of)\s+(?:{_DAY}{_TO})?{_DAY}\s+{_MON}\b(?!,?\s+\d{{4}})",
                      re.IGNORECASE)
_SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                 "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}


def _month(word: str) -> int:
    low = word.lower().rstrip(".")
    return MONTHS.get(low) or _SHORT_MONTHS[low]


def dates_in(text: str) -> list[tuple[int, dt.date]]:
    """(offset, date) of every full date a text gives; a span gives its last day."""
    hits: list[tuple[int, dt.date]] = []
    for m in _DATE_DMY.finditer(text):
        try:
            hits.append((m.start(), dt.date(int(m.group(5)), _month(m.group(4)),
                                            int(m.group(3)))))
        except ValueError:
            continue
    for m in _DATE_MDY.finditer(text):
        try:
            hits.append((m.start(), dt.date(int(m.group(3)), _month(m.group(1)),
                                            int(m.group(2)))))
        except ValueError:
            continue
    for m in _DATE_ISO.finditer(text):
        try:
            hits.append((m.start(), dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
        except ValueError:
            continue
    return sorted(hits)


def meeting_date(text: str) -> dt.date | None:
    """The first date a text gives (the last day of a span)."""
    hits = dates_in(text)
    return hits[0][1] if hits else None


def date_without_year(text: str, year_from: str) -> dt.date | None:
    """"met on 12 December", with the year of the dates the rest of the text gives."""
    m = _DATE_DM.search(text)
    if not m:
        return None
    years = [day.year for _, day in dates_in(year_from)]
    if not years:
        return None
    # A statement dates more of what is to come than of what was: its earliest year
    year = min(years)
    try:
        return dt.date(year, _month(m.group(3)), int(m.group(2)))
    except ValueError:
        return None


_LOCATION = re.compile(r"\b(?:in|at)\s+((?:[A-Z][\w'-]*\s?){1,3},\s*(?:[A-Z][\w'-]*\s?){1,3})")
def ordinal_value(token: str) -> int | None:
    low = token.lower()
    if low in ORDINALS:
        return ORDINALS[low]
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)$", low)
    return int(m.group(1)) if m else None


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


def is_meeting_sentence(sentence: str) -> bool:
    """Does the sentence describe the meeting itself (its convening, chair, attendance)? Its
    first 2,000 characters tell: the patterns below are bounded, so a run-on text costs no
    more than its opening."""
    low = fold(sentence[:2000])
    if re.match(r"(?:\w+\s+){0,3}?(?:recalled|noted|welcomed|acknowledged|agreed|commended|"
                r"reaffirmed|decided|highlighted|emphasi[sz]ed)\b", low):
        return False  # "Members recalled that the first meeting … was convened …"
    low = re.sub(r"^(?:on|between)\s+[^,]{3,40}?\d{4},\s+", "", low)
    if re.search(r"\b(?:in attendance were|was attended by|were attended by|attended as "
                 r"observers?|participated as observers?|(?:representatives|delegations|"
                 r"delegates|participants|senior officials|officials|ministers) (?:from|of) "
                 r"[^.]{3,300}?(?:participated|attended|took part|joined|met in|gathered in)|"
                 r"also participated in the meeting|participated in the meeting|also attended"
                 r" the meeting|\b(?:led|chaired|moderated) the (?:discussions?|meeting|"
                 r"session)s?)", low):
        return True
    if re.match(r"(?:on \d{1,2} \w+ \d{4},? )?(?:the )?[^.]{0,400}?\b(?:hosted|convened|"
                r"co-chaired|chaired)\s+(?:the|an?)\s+[^.]{0,120}?\b(?:meeting|conference|"
                r"consultation|mechanism|summit|session|dialogue)\b", low) and not re.search(
                    r"\b(?:recalled|noted|welcomed)\b", low):
        return True
    if re.match(r"(?:the |this )?[^.]{0,160}?\b(?:meeting|conference|summit|amm\w*|som\w*|"
                r"ahg\w*|forum|session)\b[^.]{0,120}? (?:was|were) (?:held|convened|"
                r"co-chaired|chaired|opened|attended|hosted|organi[sz]ed|co-hosted)\b", low) \
            and not re.search(r"\b(?:recalled|noted|welcomed)\b", low):
        return True
    if re.search(r"\b(?:meeting|conference|summit|session|dialogue|consultation|retreat)\b"
                 r"[^.]{0,60}?\btook place\b", low):
        return True
    if re.match(r"(?:the )?meeting took place\b|the purpose of the meeting\b|"
                r"(?:the )?(?:meeting|conference|summit) (?:was |is )?(?:focused|focussed) on\b|"
                r"we, (?:the )?[^.]{3,160}?\b(?:gathered|met|convened)\b|"
                r"(?:the )?participants (?:came|were) from\b", low):
        return True
    if re.match(r"[^.]{0,300}?\b(?:met|gathered|convened) (?:in|at|on|for|virtually|by "
                r"video)\b", low) and not re.search(r"\b(?:agreed|urged|noted|welcomed|"
                                                    r"decided)\b", low):
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


def parse_meeting(preamble: str, ref: str | None = None, *, text: str = "",
                  forum: Forum | None = None) -> ParsedMeeting:
    """The meeting's details from the statement's opening; `text` is the whole statement,
    for a date the opening leaves out (a dateline at the end, a year given later)."""
    # The opening's lines, each read by its first words: a run-on line is no title
    lines = [" ".join(line[:4000].split())[:1000] for line in preamble.split("\n")
             if line.strip()][:60]
    flat = " ".join(lines)
    ordinal, name, title = _meeting_name(lines)
    sentences = [s for line in lines for s in split_sentences(line)]
    day = _date(sentences, flat, text)
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
    # The statement's own short form wins: "(27th SOMTC)", "(21st AMMTC)".
    own = re.search(r"\((\d{1,2})(?:st|nd|rd|th)\s+([A-Z]{2,10})\)", flat)
    if ref is None and own and ordinal == int(own.group(1)):
        ref = f"{own.group(2)}{ordinal}"
    if ref is None and ordinal is None and forum is not None and not name and day is not None:
        ref = f"{forum.code}-{day:%Y%m%d}"
    co_chairs = [c.name for c in countries_in(next(
        (s for s in sentences if re.search(r"\bco-?chair", s, re.IGNORECASE)), ""))]
    name = name.rstrip("'’ ")  # "Senior Officials’ (AHG SOM)"
    return ParsedMeeting(ref or meeting_ref(name or title, ordinal, day), title, ordinal, day,
                         location, attendees(sentences, co_chairs), name, forum)


_CONVENED = re.compile(
    r"\b(?:hosted|co-hosted|convened|met|gathered|assembled|took place|was held|were held|"
    r"co-chaired|chaired|opened|is held|held (?:its|their|the)|in a meeting)\b", re.IGNORECASE)
_NOT_THIS_MEETING = re.compile(r"\b(?:the purpose|since the|following the|preceded by|"
                               r"recalled|previous|last)\b", re.IGNORECASE)


def _date(sentences: list[str], flat: str, text: str) -> dt.date | None:
    """The meeting's date: the one its convening sentence gives, else a title line's or the
    opening's first, else a dateline ("Brisbane: 25 June 1993"), else the first date of the
    first paragraphs, else a day without a year with the year the rest of the text gives
    ("met on 12 December")."""
    for sentence in sentences:
        if _CONVENED.search(sentence) and not _NOT_THIS_MEETING.search(sentence):
            found = dates_in(sentence)
            if found:
                return found[0][1]
    titles = [s for s in sentences if not s.rstrip().endswith((".", ";", "!", "?"))]
    for line in titles:
        found = dates_in(line)
        if found:
            return found[0][1]
    for sentence in sentences:
        if not _NOT_THIS_MEETING.search(sentence):
            found = dates_in(sentence)
            if found:
                return found[0][1]
    whole = (text or flat)[:200_000]
    dateline = re.search(r"(?:^|\n)\s*[A-Z][\w .'’-]{1,40}[:,]\s+(.{6,30}?\d{4})\s*$",
                         (text or flat).strip()[-400:])  # "Brisbane: 25 June 1993" at the end
    if dateline:
        found = dates_in(dateline.group(1))
        if found:
            return found[0][1]
    without_year = date_without_year(flat, whole)
    if without_year is not None:
        return without_year
    found = dates_in(whole[:1500])
    if found:
        return found[0][1]
    return date_without_year(whole[:1500], whole)
