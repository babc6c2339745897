"""Words every stage of the reader shares: folding for matching, months, ordinals, titles."""

from __future__ import annotations

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
MONTH_RE = "(" + "|".join(MONTHS) + ")"

# One character for another, so that positions in the folded text match the original.
_FOLD = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
         "–": "-", "—": "-", "‑": "-", "−": "-", "‐": "-"}


def replace_each(text: str, table: dict[str, str]) -> str:
    """`text` with each of the table's characters replaced (no replacement may be one of
    them). str.translate looks every character up in its table, 18 µs for a sentence; a
    replace for each of the few characters that occur costs a tenth of that."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


def fold(text: str) -> str:
    """Lower case with straight quotes and hyphens: for matching, never for output."""
    return (text if text.isascii() else replace_each(text, _FOLD)).lower()


def straighten(text: str) -> str:
    """Straight quotes and hyphens, case kept: for matching, never for output. (None of
    them is ASCII, and whether a text is ASCII is a flag, not a search.)"""
    return text if text.isascii() else replace_each(text, _FOLD)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


MAX_TITLE = 200


def shorten(text: str, limit: int = MAX_TITLE) -> str:
    text = " ".join(text[:limit * 4].split()).rstrip(" .;:,")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
