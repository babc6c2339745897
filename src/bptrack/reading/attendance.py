"""Who attended a meeting: a list of countries and organisations ("In attendance were …"),
ministers or leaders with their countries, "the governments of …", the signatories of a joint
statement; observers and chairs are not attendees."""

from __future__ import annotations

import re

from bptrack.reading.known import countries_in, find_entities

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


_CONVENING = re.compile(
    r"\b(?:met|meet|gathered|convened|have convened|assembled|came together|held talks|"
    r"held a meeting|in a meeting)\b", re.IGNORECASE)
_CO_CHAIRS_TOO = re.compile(r"\bin addition to the co-?chairs\b", re.IGNORECASE)
_PERSON_TITLE = re.compile(r"\b(?:Minister|Ministers|Prime Minister|President|Secretary|"
                           r"Mr|Ms|Mrs|Dr|H\.E\.|His Excellency|Her Excellency|Senator|"
                           r"Ambassador|Chancellor|Premier|King|Queen|Sheikh)\b")


def _listed(sentence: str) -> list[str]:
    """The names an attendance list gives: known countries and organisations, and other
    names the list holds ("ADFM", "the FSC")."""
    names: list[str] = []
    listed = sentence
    lead = _LIST_LEAD.search(listed)
    if lead and lead.start() < 80:
        listed = listed[lead.end():]
        parts = re.split(r"\b(?:also\s+)?(?:attended|participated|took part|joined)\b",
                         listed, maxsplit=1)
        listed = parts[0]
        if len(parts) > 1:  # "…, participated, together with representatives of IOM …"
            tail = re.match(r"[^,]*?,?\s*(?:together with|alongside|as well as|along with)\s+"
                            r"(.*)", parts[1])
            if tail:
                listed += ", " + tail.group(1)
    else:
        # "ILO, IOM, UNHCR and the FSC also attended the meeting": the list is the subject
        listed = re.split(r"\b(?:also\s+)?(?:attended|participated|took part|joined)\b",
                          listed)[0]
    # The list ends where the meeting's place starts ("… met in Adelaide, Australia").
    listed = re.split(r"\b(?:met|gathered|convened|held)\b", listed)[0]
    listed = re.split(r"[.;]\s|\battended as observers?\b|\bas observers?\b|\bas the two\b",
                      listed)[0]
    listed = re.sub(r"\s[–—]\s", ", ", listed)
    parts = re.split(r",\s*|\s+as well as\s+|\s+and\s+", listed)
    for part in parts:
        part = re.sub(r"^(?:and|the|representatives (?:from|of)|senior officials from|"
                      r"(?:senior )?officials (?:from|of))\s+", "", part.strip(),
                      flags=re.IGNORECASE).strip().rstrip(".")
        part = re.sub(r"^(?:and|the)\s+", "", part, flags=re.IGNORECASE)
        if not part or len(part) > 60 or _SKIP_WORDS.match(part):
            continue
        entities = find_entities(part)
        if entities:
            for start, end, _ in entities:
                shown = part[start:end]
                if shown not in names:
                    names.append(shown)
        elif (re.fullmatch(r"[A-Z][A-Z0-9&-]{1,11}", part) or (re.match(
                r"^[A-Z][\w'’.-]*(?:\s+[A-Za-z][\w'’.-]*){0,5}$", part) and re.search(
                    r"\b(?:Organi[sz]ation|Office|Commission|Initiative|Forum|Centre|Center|"
                    r"Agency|Programme|Program|Fund|Bank|Council|Union|Institute|Network|"
                    r"Foundation|Secretariat|Dialogue|Association|Federation|Committee)\b",
                    part))) and part not in names and not re.search(
                        r"\b(?:Steering Group|Bali Process|Process|Group|Meeting)\b", part):
            names.append(part)
    return names


def _without_place(sentence: str) -> str:
    """The sentence without where the meeting was ("in Manado, Indonesia") and without
    countries named only as someone's ("under Germany's Presidency")."""
    text = re.sub(r"\b(?:in|at)\s+(?:[A-Z][\w'’-]*\s?){1,3},\s*(?:the\s+)?(?:Kingdom of\s+)?"
                  r"(?:[A-Z][\w'’-]*\s?){1,3}", " ", sentence)
    text = re.sub(r"\b[A-Z][\w-]*(?:\s[A-Z][\w-]*)?['’]s\b", " ", text)
    # Who chaired is no attendance: "Under the Chairmanship of Japan, with Mexico and the
    # Netherlands as Vice-Chairs"
    text = re.sub(r"\bunder the (?:co-?)?chair(?:man|person)?ship of [^,;]+", " ", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\bwith [^,;]{2,80}? as (?:vice-?|co-?)?chairs?\b", " ", text,
                  flags=re.IGNORECASE)
    return text


def _without_forums(text: str) -> str:
    """A group named as itself is no attendance list: "the Group of 77 and China"."""
    from bptrack.reading.known import forums

    for pattern, _ in forums():
        text = pattern.sub(" ", text)
    return text


def attendees(sentences: list[str], co_chairs: list[str] | None = None) -> list[str]:
    """Who attended, in order, without observers: known countries and organisations, and the
    other names the attendance list gives. Without a list, the countries of the ministers
    or leaders who met ("ministers from A, B and C met in …", "we, the Heads of Government
    of A and B, convened", "Mr X, Australian Minister …, Dr Y, Indonesian Minister …")."""
    names: list[str] = []
    strong = False
    for sentence in sentences:
        if not _ATTENDANCE.search(sentence) or (_OBSERVERS.search(sentence) and not re.search(
                r"in attendance were|attended by|participants? (?:from|of)", sentence,
                re.IGNORECASE)):
            continue
        if re.search(r"\b(?:in attendance were|attended by|also attended|also participated|"
                     r"(?:representatives|delegations|delegates|participants|senior officials)"
                     r" (?:came )?(?:from|of)\b[^.]{3,300}?(?:attended|participated|took part|"
                     r"were present))|\b(?:attendees|participants|present)\s*:", sentence,
                     re.IGNORECASE) or re.match(r"(?:[A-Z][\w&-]*,?\s+(?:and\s+)?){2,}",
                                                sentence):
            if re.search(r"\b(?:met|gathered|convened)\s+in\b", sentence) and not re.search(
                    r"in attendance were|attended by", sentence, re.IGNORECASE):
                continue
            found = _listed(sentence)
            if found:
                strong = True
                if _CO_CHAIRS_TOO.search(sentence):
                    found = [*(co_chairs or []), *found]
                for name in found:
                    _add_name(names, name)
    if strong:
        return names
    for sentence in sentences:
        # "We, the Ministers and Heads of Delegation for A, B and C, …"
        we = re.match(r"(?:[A-Z][\w .'’-]{0,40}\s[-–—]\s)?(?:on [^,]{4,30}, )?we,\s+the\s+"
                      r"[^,]{2,80}?\b(?:of|for|from)\s+(.{4,400}?)(?:,\s+(?:have|met|gathered|"
                      r"convened|had)\b|\s+(?:have|met|gathered|convened)\b)", sentence,
                      re.IGNORECASE)
        if we:
            for country in countries_in(_without_forums(we.group(1))):
                _add_name(names, country.name)
            if names:
                return names
    convening = [s for s in sentences if _CONVENING.search(s)]
    for sentence in convening + [s for s in sentences if s not in convening]:
        if not (_CONVENING.search(sentence) or _PERSON_TITLE.search(sentence[:200])):
            continue
        if re.search(r"\b(?:co-?chaired|chaired|had the honour to)\b", sentence) and not \
                _CONVENING.search(sentence):
            continue
        text = _without_forums(_without_place(sentence))
        if not _CONVENING.search(sentence):
            # "Mr X, Australian Minister for …, Dr Y, Indonesian Minister …, urged …": the
            # ministers' countries, before the verb
            text = text[:200]
            if len(_PERSON_TITLE.findall(text)) < 2:
                continue
        else:
            verb_at = _CONVENING.search(text)
            if verb_at and not re.search(r"\b(?:between|among|of|from)\s+[A-Z]", text[
                    verb_at.end():]) and not re.match(r"we\b", text.strip(), re.IGNORECASE):
                text = text[:verb_at.end() + 80]
        for country in countries_in(text):
            _add_name(names, country.name)
        if names:
            break
    return names


def _add_name(names: list[str], name: str) -> None:
    """Add an attendee once: "International Organization for Migration" and "IOM" are one."""
    codes = {b.code for n in names for _, _, b in find_entities(n)}
    own = {b.code for _, _, b in find_entities(name)}
    if name not in names and not (own and own <= codes):
        names.append(name)
