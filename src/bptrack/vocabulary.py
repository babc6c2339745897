"""The tracker's words, shared by the queries, the renderers and shell completion.

Nothing here imports anything: completion and `--help` can use these without the storage stack.
"""

STATUSES = ("open", "in_progress", "blocked", "done", "cancelled")
ACTIVE = ("open", "in_progress", "blocked")
CLOSED = ("done", "cancelled")
KINDS = ("action", "ongoing", "record", "note")
DEFAULT_KINDS = ("action", "ongoing")
SORTS = ("due", "id", "owner", "status", "updated")

# The order of every field of an action, as the contract lists them.
FIELDS = ("id", "ref", "title", "kind", "status", "owner", "owner_name", "partners",
          "assignee", "assignee_email", "due", "overdue", "meeting", "source", "resolution",
          "created_at", "updated_at", "closed_at", "follows", "followed_by")
# An action in JSON (list, show) also has its line through the meetings: a list, so not a
# column of the delimited and spreadsheet formats.
JSON_FIELDS = (*FIELDS, "chain")

# A number of days bptrack looks ahead or back (--within, --due-within, remind_within): a
# century; larger counts would overflow dates.
MAX_DAYS = 36_500
# The most actions or changes a --limit can ask for: larger would overflow SQL integers.
MAX_COUNT = 10**9

# The links between actions across meetings, as a person says them.
LINK_WORDS = {"follows": "follows", "followed_by": "followed by"}


def change_words(field: str, old: str | None, new: str | None) -> str:
    """A change of one field as words: "due: 2023-12-31 → 2024-06-30", and for the links
    between meetings "followed by AHG17-09" or "no longer follows AHG16-23" (not JSON)."""
    if field in LINK_WORDS:
        import json  # only for a link's lists

        before = json.loads(old) if old else []
        after = json.loads(new) if new else []
        added = [ref for ref in after if ref not in before]
        removed = [ref for ref in before if ref not in after]
        words = LINK_WORDS[field]
        parts = ([f"{words} {', '.join(added)}"] if added else []) + (
            [f"no longer {words} {', '.join(removed)}"] if removed else [])
        return "; ".join(parts) or f"{words}: unchanged"
    return f"{field}: {old if old is not None else '-'} → {new if new is not None else '-'}"
