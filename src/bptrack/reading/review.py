"""Review before saving: the proposed items as a TOML file to edit, and back.

`--review` writes the dry run's document as TOML (one `[[item]]` table per item, with the
reader's confidence and reasons as comments), a person edits it, and what they save is read
back and checked. `--items FILE` takes the same document as JSON. Either way the check is the
same: every kind, owner, partner and date must be valid, or nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bptrack.errors import InvalidValue
from bptrack.vocabulary import KINDS

_HEADER = """\
# Review the items bptrack read from {source}.
# Each [[item]] table is one item: delete a table to drop that item; edit kind (action,
# ongoing, record or note), title, owner (a body's code), partners (codes) and due
# (YYYY-MM-DD, or "" for none). Save and quit to import what is here; empty the file, or quit
# your editor with an error, to import nothing.
"""


class ReviewError(InvalidValue):
    """A reviewed file that cannot be imported as it is; nothing was saved."""


def to_toml(document: dict[str, Any], source: str) -> str:
    """The document as a readable TOML file, reasons as comments."""
    import tomlkit

    doc = tomlkit.document()
    for line in _HEADER.format(source=source).splitlines():
        doc.add(tomlkit.comment(line.lstrip("# ")))
    low = [(n, item) for n, item in enumerate(document["items"], 1)
           if item.get("confidence") == "low"]
    if low:  # the items to check, first: the reader is unsure of them, and says why
        doc.add(tomlkit.comment(f"Check these {len(low)} first (low confidence):"))
        for n, item in low:
            doc.add(tomlkit.comment(f"  item {n}: {str(item.get('title', ''))[:60]} "
                                    f"({item.get('why', '')})"))
    meeting = tomlkit.table()
    for key in ("ref", "title", "date", "location", "attendees"):
        value = document["meeting"].get(key)
        meeting[key] = "" if value is None else value
    doc["meeting"] = meeting
    items = tomlkit.aot()
    for n, item in enumerate(document["items"], 1):
        table = tomlkit.table()
        why = item.get("why")
        table.add(tomlkit.comment(f"item {n}, {item.get('confidence', 'high')} confidence"
                                  + (f": {why}" if why else "")))
        for key in ("kind", "title", "owner", "partners", "due", "source"):
            value = item.get(key)
            table[key] = "" if value is None else value
        items.append(table)
    doc["item"] = items
    return tomlkit.dumps(doc)


def from_toml(text: str) -> dict[str, Any]:
    """The edited file back as a document; an emptied file is a ReviewError."""
    import tomllib

    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip()
                               for line in text.splitlines()):
        raise ReviewError("the review file was emptied: nothing was imported")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReviewError(f"the review file is not valid TOML ({exc}): nothing was "
                          "imported") from exc
    items = raw.get("item", [])
    if not isinstance(items, list) or not items:
        raise ReviewError("the review file has no [[item]] left: nothing was imported")
    return {"meeting": raw.get("meeting", {}), "items": items}


def from_json(text: str, path: str) -> dict[str, Any]:
    """A reviewed JSON file in the dry run's format."""
    from bptrack.inputs import load_json

    try:
        raw = load_json(text, path)
    except InvalidValue as exc:
        raise ReviewError(f"{exc}; nothing was imported") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list) or not isinstance(
            raw.get("meeting"), dict):
        raise ReviewError(f"{path} is not a dry run's document: it needs 'meeting' and "
                          "'items' (bptrack meeting import FILE --dry-run --format json)")
    if not raw["items"]:
        raise ReviewError(f"{path} has no items: nothing was imported")
    return raw


def _date(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str | dt.date):
        raise ReviewError(f"{where}: {value!r} is not a date; write YYYY-MM-DD or \"\"")
    try:
        return (value if isinstance(value, dt.date) else dt.date.fromisoformat(
            value.strip())).isoformat()
    except ValueError as exc:
        raise ReviewError(f"{where}: {value!r} is not a date ({exc}); write YYYY-MM-DD or "
                          "\"\"") from exc


def checked(document: dict[str, Any], bodies: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The reviewed document, checked against the bodies it may name (code → body), with
    every problem in one error."""
    from bptrack.inputs import check_text

    problems: list[str] = []
    meeting = dict(document.get("meeting") or {})
    ref = str(meeting.get("ref") or "").strip()
    if not ref or len(ref) > 32 or any(c.isspace() for c in ref):
        problems.append(f"meeting: ref {ref!r} must be a short code without spaces, e.g. AHG17")
    title = str(meeting.get("title") or "").strip()
    try:
        check_text(title, "the meeting's title")
    except InvalidValue as exc:
        problems.append(str(exc))
    try:
        meeting_date = _date(meeting.get("date"), "meeting")
    except ReviewError as exc:
        problems.append(str(exc))
        meeting_date = None
    attendees = meeting.get("attendees") or []
    if not isinstance(attendees, list) or not all(isinstance(a, str) for a in attendees):
        problems.append("meeting: attendees must be a list of names")
        attendees = []
    by_code = {code.upper(): code for code in bodies}
    items = []
    for n, raw in enumerate(document.get("items") or [], 1):
        where = f"item {n}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: not a table of fields")
            continue
        kind = str(raw.get("kind") or "").strip().lower()
        if kind not in KINDS:
            problems.append(f"{where}: kind {raw.get('kind')!r} is not one of "
                            f"{', '.join(KINDS)}")
        item_title = " ".join(str(raw.get("title") or "").split())
        if not item_title or len(item_title) > 500:
            problems.append(f"{where}: the title is empty or too long")
        for name in ("title", "source"):
            try:
                check_text(str(raw.get(name) or ""), f"{where}'s {name}")
            except InvalidValue as exc:
                problems.append(str(exc))
        owner = by_code.get(str(raw.get("owner") or "").strip().upper())
        if owner is None:
            problems.append(f"{where}: unknown owner {raw.get('owner')!r}; known bodies: "
                            f"{', '.join(sorted(bodies))}")
        partners = raw.get("partners") or []
        if isinstance(partners, str):
            partners = [p for p in partners.replace(",", " ").split() if p]
        codes = []
        for partner in partners if isinstance(partners, list) else []:
            code = by_code.get(str(partner).strip().upper())
            if code is None:
                problems.append(f"{where}: unknown partner {partner!r}")
            elif code != owner:
                codes.append(code)
        try:
            due = _date(raw.get("due"), where)
        except ReviewError as exc:
            problems.append(str(exc))
            due = None
        if due is not None and kind in ("record", "note"):
            problems.append(f"{where}: a {kind} has no due date (it reports what happened)")
        source = raw.get("source")
        items.append({"kind": kind, "title": item_title, "owner": owner,
                      "owner_name": bodies[owner]["name"] if owner else None,
                      "partners": codes, "due": due,
                      "source": str(source) if source not in (None, "") else None})
    if problems:
        raise ReviewError("nothing was imported: " + "; ".join(problems))
    return {"meeting": {"ref": ref, "title": title or ref, "date": meeting_date,
                        "location": str(meeting.get("location") or "") or None,
                        "attendees": attendees},
            "items": items}
