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

# A number of days bptrack looks ahead or back (--within, --due-within, remind_within): a
# century; larger counts would overflow dates.
MAX_DAYS = 36_500
# The most actions or changes a --limit can ask for: larger would overflow SQL integers.
MAX_COUNT = 10**9
