"""Every file bptrack reads (statements, spreadsheets, exports, reviewed items, the config):
one bounded reader, so that no input can hang it or exhaust its memory.

- Only regular files are read, and `-` for stdin. A FIFO, device or socket is refused at once:
  it is opened without blocking and looked at before a byte is read.
- A byte limit per kind of file, checked on the size before reading, and again while reading
  (the file may grow): at most limit + 1 bytes are ever read.
- Text must be UTF-8 (the line and column of the first bad byte are named) and holds no NUL or
  other control character but tab and line ends (`check_text`, for any field read from a file).
- JSON is parsed with a nesting depth and an integer size bounded before the parser sees it.

Every refusal is an `InvalidValue` (exit 1) that names the file and the limit.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from typing import Any

from bptrack.errors import InvalidValue, NotFound

MAX_JSON_DEPTH = 64
MAX_JSON_DIGITS = 19  # an integer of a database column: at most 2**63
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _megabytes(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def open_regular(path: str) -> int:
    """A file descriptor on `path`, which must be a regular file: never blocks on a FIFO."""
    shown = path
    try:
        fd = os.open(os.path.expanduser(path), os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError as exc:
        raise NotFound(f"no file {shown}") from exc
    except IsADirectoryError as exc:
        raise InvalidValue(f"{shown} is a directory: give a file") from exc
    except OSError as exc:
        raise InvalidValue(f"cannot read {shown}: {exc.strerror}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)"
                if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device")
        raise InvalidValue(f"{shown} is {what}, not a regular file: give a file (or - for "
                           "standard input)")
    os.set_blocking(fd, True)
    return fd


def read_bytes(path: str, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file (or of stdin, for `-`), at most `limit` of them."""
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        fd = open_regular(path)
        try:
            size = os.fstat(fd).st_size
            if size > limit:
                raise InvalidValue(f"{path} is {size:,} bytes; a {what} is at most "
                                   f"{_megabytes(limit)}")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise InvalidValue(f"cannot read {path}: {exc.strerror}") from exc
        finally:
            os.close(fd)
    if len(data) > limit:
        raise InvalidValue(f"{'standard input' if path == '-' else path} holds more than "
                           f"{_megabytes(limit)}; a {what} is at most {_megabytes(limit)}")
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or an error naming the first bad byte's line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidValue(f"{name} is not UTF-8 text (line {line}, column {column}): save it "
                           "as UTF-8") from exc


def check_text(value: str, where: str, *, controls: bool = True) -> str:
    """`value`, unless it holds a NUL or (with `controls`) another control character (tab and
    line ends are text); `where` names the row or line for the error. Without `controls` only
    NUL is refused: neither backend can store it as given (an export carries what `add`
    stored, which may include other control characters, shown escaped)."""
    if bad := (_CONTROL.search(value) if controls else re.search("\x00", value)):
        char = bad.group()
        name = "a NUL character" if char == "\x00" else f"control character U+{ord(char):04X}"
        raise InvalidValue(f"{where} holds {name}; remove it (nothing was changed)")
    return value


def check_json_depth(data: bytes | str, name: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse JSON nested deeper than `limit`, in one pass that skips strings, before the
    parser (which recurses) sees it."""
    raw = data.encode() if isinstance(data, str) else data
    depth = 0
    for token in _JSON_TOKEN.finditer(raw):
        char = token.group()
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                raise InvalidValue(f"{name} is nested more than {limit} levels deep: it is "
                                   "not a file bptrack wrote")
        elif char in (b"]", b"}"):
            depth -= 1


def bounded_int(text: str) -> int:
    """A JSON integer, refused past MAX_JSON_DIGITS digits (int() of a huge one is slow)."""
    if len(text.lstrip("-")) > MAX_JSON_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits (at most {MAX_JSON_DIGITS})")
    return int(text)


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a number JSON allows")


def load_json(data: bytes | str, name: str, *, depth: int = MAX_JSON_DEPTH) -> Any:
    """Parsed JSON with its nesting depth and integer size bounded; an error names `name`."""
    check_json_depth(data, name, depth)
    try:
        return json.loads(data, parse_int=bounded_int, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidValue(f"{name} is not valid JSON: {exc}") from exc
