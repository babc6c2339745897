"""Outcome statements → a meeting and its items. Pure functions: text in, data out.

One module per stage: `documents` (a file's text; `pdf_docx` and `webpage` for those
formats), `text` (clean lines), `blocks`,
`sentences`, `tokens` → `clauses` → `coordination` (each sentence's predicates), then `items`
(kinds from `kinds` with `cues` and `subjects`, titles from `titles`, owners from `bodies`
and the countries, organisations and forums of `known`, dues from `deadlines`), with `meeting`
and `attendance` for the meeting itself and `statement` putting them together. `lexicon` and
`words` are the word lists and word forms they share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bptrack.lazy import loader

if TYPE_CHECKING:
    from bptrack.reading.deadlines import find_deadline
    from bptrack.reading.items import ParsedItem
    from bptrack.reading.kinds import KIND_RANK
    from bptrack.reading.known import BodyRef
    from bptrack.reading.meeting import ParsedMeeting
    from bptrack.reading.sentences import split_sentences
    from bptrack.reading.statement import ParsedStatement, StatementError, parse_statement

__all__ = ["KIND_RANK", "BodyRef", "ParsedItem", "ParsedMeeting", "ParsedStatement",
           "StatementError", "find_deadline", "kind_of", "load_document", "parse_statement",
           "split_sentences", "to_document"]

# Each name and the stage it comes from, imported on first use: the child process that takes
# a PDF's or a Word file's text (pdf_docx) needs none of the reader, and starts 0.05 s sooner.
__getattr__ = loader(__name__, {
    "bptrack.reading.deadlines": ("find_deadline",),
    "bptrack.reading.items": ("ParsedItem",),
    "bptrack.reading.kinds": ("KIND_RANK",),
    "bptrack.reading.known": ("BodyRef",),
    "bptrack.reading.meeting": ("ParsedMeeting",),
    "bptrack.reading.sentences": ("split_sentences",),
    "bptrack.reading.statement": ("ParsedStatement", "StatementError", "parse_statement"),
})


def to_document(parsed: ParsedStatement, *, reasons: bool = False) -> dict[str, Any]:
    """The contract's JSON shape of an import; `reasons` adds each item's confidence and why
    (the dry run and the review show them)."""
    meeting = parsed.meeting
    items = []
    for i in parsed.items:
        item: dict[str, Any] = {"kind": i.kind, "title": i.title, "owner": i.owner,
                                "owner_name": i.owner_name, "partners": i.partners,
                                "due": i.due.isoformat() if i.due else None, "source": i.source}
        if reasons:
            item["confidence"] = i.confidence
            item["why"] = i.why
        items.append(item)
    return {
        "meeting": {"ref": meeting.ref, "title": meeting.title,
                    "date": meeting.date.isoformat() if meeting.date else None,
                    "location": meeting.location, "attendees": meeting.attendees},
        "items": items,
    }


def load_document(parsed: ParsedStatement) -> dict[str, Any]:
    """What seeding.load_meeting adds: the meeting, the bodies named, and numbered items."""
    document = to_document(parsed)
    ref = parsed.meeting.ref
    document["meeting"]["ordinal"] = parsed.meeting.ordinal
    document["bodies"] = [{"code": b.code, "name": b.name, "kind": b.kind}
                          for b in parsed.bodies]
    document["items"] = [{**item, "ref": f"{ref}-{n:02d}"}
                         for n, item in enumerate(document["items"], 1)]
    return document


def kind_of(text: str) -> str | None:
    """The strongest kind a clause or sentence signals, or None: each of its predicates read
    as the statement reader reads it."""
    from bptrack.reading.clauses import predicates
    from bptrack.reading.kinds import KIND_RANK, Reading, read

    best: Reading | None = None
    for p in predicates(text[:1].upper() + text[1:]):
        found = read(p)
        if found is not None and (best is None or KIND_RANK[found.kind] > KIND_RANK[best.kind]):
            best = found
    return best.kind if best else None
