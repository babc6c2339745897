"""Stage 2: clean lines → blocks: bullets, numbered paragraphs, headings and prose paragraphs.

A line without a marker continues the block above when it starts in lower case, or when the
block's sentence is unfinished and the line above filled the width: that is how hard-wrapped
text (typed or from a PDF) reads, while short title lines stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Bullets as typed, and as word processors paste them ("o" and U+F0B7 for Word's levels);
# numbers, letters and Roman numerals in any of the usual dresses.
BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*•‣◦▪●–—·▫►➢→\uf0b7]|o(?=\s)|\d{1,2}[.)]|"
                    r"\(\d{1,2}\)|\(?[a-z][.)]|\(?[ivxIVX]{1,5}[.)])\s+(?P<text>\S.*)$")
_UNFINISHED = re.compile(r"(?:,|\b(?:the|of|and|in|on|for|to|a|an|with|by|at|from))\s*$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>\S.*)$")
_ENDS_SENTENCE = (".", ":", ";", "!", "?")


@dataclass
class Block:
    indent: int
    text: str
    marked: bool
    marker: str = ""

    @property
    def numbered(self) -> bool:
        return self.marker[:1].isdigit() or self.marker[:1] == "("

    @property
    def roman(self) -> bool:
        return bool(re.fullmatch(r"\(?[IVX]{1,5}[.)]", self.marker))


def blocks(lines: Sequence[str]) -> list[Block]:
    """Bullets and paragraphs; a line without a marker continues an unfinished sentence."""
    out: list[Block] = []
    joinable = False
    # A wrapped line fills the page's width; a title line or a paragraph's last line does not.
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    width = lengths[int(len(lengths) * 0.75)] if lengths else 0
    previous_short = False
    for raw in lines:
        if not raw.strip():
            joinable = False
            continue
        # A line that ends on a comma or a small word ("… in Bangkok,", "… of the") goes on
        # whatever its length; otherwise a short line, or an unmarked title-case one, ends.
        was_short, previous_short = previous_short, not _UNFINISHED.search(raw) and (
            len(raw.rstrip()) < 0.6 * width or (title_case(raw) and not BULLET.match(raw)))
        heading = _MARKDOWN_HEADING.match(raw)
        if heading:
            out.append(Block(0, heading.group("text").strip().strip("*_"), True, "#"))
            joinable = False
            continue
        m = BULLET.match(raw)
        if m:
            # "- Joint action ….  - Further investments ….": bullets run together on a line
            parts = re.split(r"(?<=[.;])\s+[-–•]\s+(?=[A-Z])", m.group("text").strip()) \
                if m.group("marker") in ("-", "–", "•", "*") else [m.group("text").strip()]
            for part in parts:
                out.append(Block(len(m.group("indent")), part, True, m.group("marker")))
        else:
            text = raw.strip().strip("*") if raw.strip().startswith("**") else raw.strip()
            starts_lower = text[:1].islower()
            prev_open = bool(out) and not out[-1].text.rstrip().endswith(_ENDS_SENTENCE)
            # A list item's wrapped lines are indented under its text ("1.  We …\n    on …")
            hanging = bool(out) and out[-1].marked and out[-1].marker != "#" and joinable and \
                len(raw) - len(raw.lstrip()) > out[-1].indent and prev_open
            if out and out[-1].marker != "#" and (starts_lower or hanging or (
                    joinable and prev_open and not was_short)):
                out[-1].text = f"{out[-1].text} {text}"
                continue
            out.append(Block(len(raw) - len(raw.lstrip()), text, False))
        joinable = True
    return out


_FUNCTION_WORDS = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "with", "by", "at",
                   "&", "–", "—", "-"}


def title_case(line: str) -> bool:
    """"Bali Process on People Smuggling": a title line, however long, not wrapped prose
    ("We ask the Organisation for Economic Co-operation and Development" is prose)."""
    words = [w.strip("\"'“”‘’(),:") for w in line.split()]
    words = [w for w in words if w and w.lower() not in _FUNCTION_WORDS]
    if len(words) < 2 or line.split()[-1].lower() in _FUNCTION_WORDS or not (
            line.lstrip("#*-–•·\t (\"“'‘")[:1].isupper() or line.lstrip()[:1].isdigit()):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() for w in words)
