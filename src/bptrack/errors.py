"""The errors the domain raises; the CLI turns each into one `Error:` line and its exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3
EXIT_INTERRUPTED = 130


class BptrackError(Exception):
    """An operation that could not be done; the message says what to do instead."""

    exit_code = EXIT_FAILED


class NotFound(BptrackError):
    """An action, body, meeting or file that does not exist."""


class InvalidValue(BptrackError):
    """A value the user gave that bptrack cannot accept."""


class DocumentError(InvalidValue):
    """A file that cannot be read as a statement; nothing was saved."""


class Ambiguous(InvalidValue):
    """A name that matches several bodies (or actions): `codes` are what it matches."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


class UsageError(InvalidValue):
    """A value outside an option's choices: a usage error, like an unknown option (exit 2)."""

    exit_code = EXIT_USAGE


class Conflict(BptrackError):
    """A change that does not fit the action's current state."""


class DatabaseError(BptrackError):
    """The database cannot be opened, created, written, or is not a bptrack database."""

    exit_code = EXIT_DATABASE


# A password in a URL's user part (scheme://user:PASSWORD@host) or in a password= parameter
# (a URL query or a libpq conninfo), wherever it appears in a message.
_SECRET_IN_URL = r"(\b[a-zA-Z][\w+.-]*://[^:/?#@\s]*:)[^\s/?#]*(@)"
_SECRET_PARAMETER = (r"(\b(?:password|passwd|pwd|pass|sslpassword)=)[^&\s'\"]*?"
                     r"(?=[&\s'\"]|:(?:\s|$)|$)")


def mask_secrets(text: str) -> str:
    """`text` with every password it holds replaced by ****: for `config show`, `db path`,
    each error and each message."""
    if "://" not in text and "=" not in text:
        return text
    import re

    text = re.sub(_SECRET_IN_URL, r"\1****\2", text)
    return re.sub(_SECRET_PARAMETER, r"\1****", text, flags=re.IGNORECASE)
