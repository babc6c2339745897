"""Which actions a command names: numbers (`9`, `#9`) and refs (`AHG16-09`, `AHG16-9`),
all found or nothing done, with the nearest ref suggested for one that is not."""

from __future__ import annotations

from collections.abc import Sequence

from bptrack.errors import InvalidValue, NotFound
from bptrack.store import queries
from bptrack.store.db import Conn
from bptrack.store.queries import Found
from bptrack.userinput import REF

MAX_ID = 2**62  # beyond any id a database hands out, and inside SQL's integers


def parse_id(text: str) -> int | str:
    """An action's number (`9`, `#9`) or its ref (`AHG16-09`)."""
    value = text.strip().lstrip("#")
    if value.isdigit() and value.isascii():
        number = int(value)
        if number > MAX_ID:
            raise NotFound(f"no action {text}: see `bptrack list --all`")
        if number > 0:
            return number
    elif REF.match(value) and len(value) <= 64:
        return value.upper()
    raise InvalidValue(f"{text!r} is not an action id: use a number such as 9 "
                       "or a ref such as AHG16-09")


def resolve(conn: Conn, texts: Sequence[str], *, lock: bool = False,
            changing: bool = True) -> list[Found]:
    """The actions named, in the order named (each once); every one must exist, or nothing
    happens. With `lock`, their rows stay locked for this transaction's change."""
    if not texts:
        raise InvalidValue("no action given: name one or more ids")
    wanted = [parse_id(t) for t in texts]
    numbers = [w for w in wanted if isinstance(w, int)]
    refs = [w for w in wanted if isinstance(w, str)]
    refs += [_padded(r) for r in refs if _padded(r) != r]  # AHG16-9 is AHG16-09
    found = queries.find_actions(conn, numbers, refs, lock=lock)
    by_id = {r.id: r for r in found}
    by_ref = {r.ref.upper(): r for r in found}
    rows: list[Found] = []
    missing: list[str] = []
    for text, w in zip(texts, wanted, strict=True):
        row = by_id.get(w) if isinstance(w, int) else (by_ref.get(w) or by_ref.get(_padded(w)))
        if row is None:
            missing.append(text)
        elif row not in rows:
            rows.append(row)
    if missing:
        hint = _nearest(conn, missing[0])
        raise NotFound(f"no action {', '.join(missing)}"
                       + (f" (did you mean {hint}?)" if hint else "")
                       + ": see `bptrack list --all`" + ("; nothing was changed" if changing
                                                         else ""))
    return rows


def _padded(ref: str) -> str:
    """AHG16-9 → AHG16-09: refs number their items with at least two digits."""
    head, _, number = ref.rpartition("-")
    return f"{head}-{int(number):02d}" if head and number.isdigit() else ref


def _nearest(conn: Conn, text: str) -> str | None:
    """The ref most like an unknown one, to suggest."""
    import difflib

    value = text.strip().lstrip("#").upper()
    if value.isdigit():
        return None
    head = value.rpartition("-")[0]
    refs = queries.refs_starting(conn, head[:3])
    found = difflib.get_close_matches(value, [r.upper() for r in refs], n=1, cutoff=0.6)
    return next((r for r in refs if found and r.upper() == found[0]), None)
