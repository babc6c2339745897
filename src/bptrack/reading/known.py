"""Countries, organisations and forums a statement may name, known from `known.json` (data,
not code), and where a text names them: all their spellings in one pass over the text, word
by word (`Spellings`). The forum's own bodies, and who owns what, are bodies.py's."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bptrack.reading.words import straighten


@dataclass(frozen=True)
class BodyRef:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Forum:
    """A forum that meets: its code, its name, and the body its members make up."""

    code: str
    name: str
    members: BodyRef


@functools.cache
def _known() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (Path(__file__).parent / "known.json").read_text(encoding="utf-8"))
    return data


class Spellings:
    """Every spelling of a set of names, found in a text as one alternation of them would
    find them, longest first at each place, never inside a word: "Niger" is not in "Nigeria"
    nor in "Niger-Delta". A pattern of 400 spellings is tried at every character of a text;
    here a place is tried only where a word starts, and only the spellings that begin with
    that word (a third of the time, for the 400 spellings of countries and organisations)."""

    def __init__(self, spellings: Iterable[str]) -> None:
        self._by_word: dict[str, list[str]] = {}
        for spelling in sorted(spellings, key=len, reverse=True):
            first = _WORD.match(spelling)
            if first is None:
                raise ValueError(f"a spelling begins with a word: {spelling!r}")
            self._by_word.setdefault(first.group(0), []).append(spelling)
        # Only the words that begin as some spelling's first word does (most of them with a
        # capital letter) are looked at.
        initials = "".join(sorted({word[0] for word in self._by_word}))
        self._word_start = re.compile(rf"(?<![\w-])[{re.escape(initials)}]\w*")

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, spelling) of each, left to right, none overlapping."""
        found: list[tuple[int, int, str]] = []
        after = 0
        for word in self._word_start.finditer(text):
            start = word.start()
            if start < after:
                continue
            for spelling in self._by_word.get(word.group(0), ()):
                end = start + len(spelling)
                if text.startswith(spelling, start) and not _WORD_OR_HYPHEN.match(text, end):
                    found.append((start, end, spelling))
                    after = end
                    break
        return found


# A spelling's first word is the run of word characters it starts with, so that a text names
# it only where that same run starts (a run not after a hyphen: "Ex-Yugoslavia").
_WORD = re.compile(r"\w+")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


@functools.cache
def _index() -> tuple[Spellings, dict[str, BodyRef]]:
    """Every spelling of every known country and organisation."""
    data = _known()
    table: dict[str, BodyRef] = {}
    for kind, rows in (("country", data["countries"]), ("organisation", data["organisations"])):
        for code, name, aliases in rows:
            body = BodyRef(code, name, kind)
            for spelling in {name, *aliases, *([code] if kind == "organisation" else [])}:
                table.setdefault(straighten(spelling), body)
    return Spellings(table), table


@functools.cache
def _demonyms() -> tuple[Spellings, dict[str, BodyRef]]:
    data = _known()
    countries = {code: BodyRef(code, name, "country") for code, name, _ in data["countries"]}
    table = {word: countries[code] for word, code in data["demonyms"].items()}
    return Spellings(table), table


@functools.cache
def forums() -> tuple[tuple[re.Pattern[str], Forum], ...]:
    out = []
    for code, name, aliases, members, members_code in _known()["forums"]:
        body = BodyRef(members_code or f"{code}-MEMBERS", members, "members")
        spellings = sorted({name, *aliases}, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(straighten(s)) for s in spellings) + r")(?![\w-])")
        out.append((pattern, Forum(code, name, body)))
    return tuple(out)


BALI = next(f for _, f in forums() if f.code == "BP")


def find_forum(text: str) -> Forum | None:
    """The forum a statement's opening names first."""
    plain = straighten(text)
    best: tuple[int, Forum] | None = None
    for pattern, forum in forums():
        m = pattern.search(plain)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), forum)
    return best[1] if best else None


def find_entities(text: str) -> list[tuple[int, int, BodyRef]]:
    """(start, end, entity) for each known country or organisation the text names."""
    spellings, table = _index()
    return [(start, end, table[spelling])
            for start, end, spelling in spellings.find(straighten(text))]


def find_demonyms(text: str) -> list[tuple[int, int, BodyRef]]:
    """Countries named by their people's adjective: "Australian Minister", "Indonesian"."""
    spellings, table = _demonyms()
    return [(start, end, table[spelling])
            for start, end, spelling in spellings.find(straighten(text))]


def countries_in(text: str) -> list[BodyRef]:
    """Every country a text names, by name or by adjective, in order, once each."""
    found = sorted([*((s, b) for s, _, b in find_entities(text) if b.kind == "country"),
                    *((s, b) for s, _, b in find_demonyms(text))], key=lambda hit: hit[0])
    out: list[BodyRef] = []
    for _, body in found:
        if body not in out:
            out.append(body)
    return out
