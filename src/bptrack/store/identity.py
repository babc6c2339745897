"""What makes a database a bptrack one, and of which schema version: needed before anything
is opened, so it imports nothing."""

SCHEMA_VERSION = 8  # the last step in migrations/
# PRAGMA application_id of a bptrack SQLite file ("bptr"), so a foreign file is recognised.
SQLITE_APPLICATION_ID = 0x62707472
# The actions linked across meetings (`meeting reconcile --apply`): the condition of their
# partial index, which the query that reads them all repeats word for word to use it.
LINKED = "follows <> '[]' OR followed_by <> '[]'"
# The history events that blocked an action: the condition of their partial index, through
# which why an action is blocked (its last such event's note) is found.
BLOCKING = "type = 'status' AND new = 'blocked'"
# The actions a reminder is about: active, with a due date. SQLite reads them through a
# partial index that holds all a reminder line shows (an index-only read, in due order); the
# query repeats the condition word for word so that SQLite knows the index covers it.
DATED_ACTIVE = "status IN ('open', 'in_progress', 'blocked') AND due IS NOT NULL"
DATED_ACTIVE_COLUMNS = ("due", "id", "status", "owner_id", "assignee", "assignee_email", "ref",
                        "title")
# A report's commitments (actions and ongoing ones: vocabulary.DEFAULT_KINDS), and what its
# page shows of each, in the page's order: by owner, soonest due first, undated last. SQLite
# reads a whole report's page from this index alone, in order (a sort of 100,000 rows took as
# long as the rest of the read); the query repeats the condition and the order word for word.
PAGE_KINDS = "kind IN ('action', 'ongoing')"
PAGE_ORDER = ("owner_id", "(due IS NULL)", "due", "id")
PAGE_COLUMNS = ("ref", "title", "status", "assignee", "resolution", "kind")
# The notes in the history: the Notes column of a report shows each action's latest.
NOTES = "type = 'note'"
# The events that undo others: every history and report read leaves out what they undid.
UNDOING = "undoes IS NOT NULL"
