"""Stage 1: the document's text → clean lines.

Statements arrive typed, pasted from a word processor, or extracted from a PDF. This stage
undoes what extraction does to text: page numbers and running headers or footers repeated on
every page, words hyphenated at the end of a line, and a paragraph number left alone on its
line ("3." above its paragraph). Hard-wrapped lines stay separate here; the blocks stage joins
them, since only it knows where a paragraph ends.
"""

from __future__ import annotations

import re
from collections import Counter

from bptrack.reading.words import replace_each

_SPACES = {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": "    ", "\u2009": " ",
           "\u200b": "", "\u00ad": "", "\f": "\n"}
# "12", "- 3 -", "Page 2", "Page 2 of 7", "2 | Page", "2/7"
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"
                          r"(?:\s*\|\s*page)?(?:\s*[-–—])?\s*$", re.IGNORECASE)
_LONE_NUMBER = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[ivx]{1,5}[.)]|\(?[a-z][.)])\s*$")
_HYPHENATED = re.compile(r"([A-Za-z]{2,})-$")


def normalise(text: str) -> str:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return replace_each(text, _SPACES)


def _running_lines(lines: list[str]) -> set[str]:
    """Short lines repeated on (nearly) every page, and no more often: headers and footers,
    not content. (A long statement's wrapped lines can repeat word for word, hundreds of
    times in sixty pages: a running header is there once a page.)"""
    counts = Counter(" ".join(line.split()) for line in lines if line.strip())
    pages = text_pages(lines)
    return {line for line, n in counts.items()
            if max(2, pages - 1) <= n <= pages + 1 and pages >= 2 and len(line) <= 120
            and not line.endswith(":") and not re.match(r"^[-*•]\s", line)}


def text_pages(lines: list[str]) -> int:
    """How many pages the text seems to have: page-number lines, at least one."""
    return max(1, sum(1 for line in lines if _PAGE_NUMBER.match(line) and line.strip()))


def clean_lines(text: str) -> list[str]:
    """The statement's lines with page furniture dropped and PDF hyphenation undone."""
    lines = normalise(text).split("\n")
    running = _running_lines(lines)
    kept: list[str] = []
    for line in lines:
        flat = " ".join(line.split())
        if flat and (_PAGE_NUMBER.match(line) or flat in running):
            continue
        kept.append(line.rstrip())
    out: list[str] = []
    index = 0
    while index < len(kept):
        line = kept[index]
        following = _next_text(kept, index)
        if following is not None:
            nxt_index, nxt = following
            lone = _LONE_NUMBER.match(line)
            if lone:  # "3." alone, its paragraph below
                kept[nxt_index] = f"{line.strip()} {nxt.strip()}"
                index = nxt_index
                continue
            hyphen = _HYPHENATED.search(line)
            if hyphen and nxt_index == index + 1 and nxt.strip()[:1].islower():
                kept[nxt_index] = line[:hyphen.end() - 1] + nxt.strip()
                index += 1
                continue
        out.append(line)
        index += 1
    return out


def _next_text(lines: list[str], index: int) -> tuple[int, str] | None:
    for j in range(index + 1, min(index + 3, len(lines))):
        if lines[j].strip():
            return j, lines[j]
    return None
