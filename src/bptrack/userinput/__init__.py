"""Text people type: cleaned and limited before it is stored, names with addresses, and (in
dates.py, imported only when a date is given) dates.

Nothing heavy is imported here: the renderers and reminders use these too.
"""

import enum
import re

from bptrack.errors import InvalidValue

MAX_TITLE = 500
MAX_NOTE = 10_000
_PERSON = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>$")
_EMAIL = re.compile(r"^[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+$")
# An action's ref: a meeting's (or BP) code and a number, e.g. AHG16-09.
REF = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*-\d+$")


class Cleared(enum.Enum):
    """A value given as "none" on purpose: the field is to be emptied (`edit --due none`)."""

    CLEARED = "none"


CLEARED = Cleared.CLEARED


def clean_text(value: str, what: str, limit: int) -> str:
    """User text as stored: trimmed of surrounding white space, otherwise exactly as given."""
    text = value.strip()
    if not text:
        raise InvalidValue(f"the {what} is empty: give some text")
    if "\x00" in text:
        raise InvalidValue(f"the {what} contains a NUL character; remove it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidValue(f"the {what} is not valid UTF-8 text (check the terminal's "
                           "encoding)") from exc
    if len(text) > limit:
        raise InvalidValue(f"the {what} is {len(text)} characters long; the limit is {limit}")
    return text


def parse_assignee(who: str) -> tuple[str, str | None]:
    """`Indonesia`, `jane@example.org` or `Jane Doe <jane@example.org>` → (name, email)."""
    text = clean_text(who, "assignee", 200)
    if m := _PERSON.match(text):
        name = m.group("name").strip().strip('"') or m.group("email")
        return name, m.group("email")
    if _EMAIL.match(text):
        return text, text
    if "<" in text or ">" in text:
        raise InvalidValue(f"cannot read assignee {who!r}: write Name <email@example.org>")
    return text, None


def format_person(name: str | None, email: str | None) -> str | None:
    """`Jane Doe <jane@example.org>`, or the name alone when there is no separate address."""
    if name is None:
        return None
    return f"{name} <{email}>" if email and email != name else name
