"""What makes a database a bptrack one, and of which schema version: needed before anything
is opened, so it imports nothing."""

SCHEMA_VERSION = 7  # the last step in migrations/
# PRAGMA application_id of a bptrack SQLite file ("bptr"), so a foreign file is recognised.
SQLITE_APPLICATION_ID = 0x62707472
# The actions linked across meetings (`meeting reconcile --apply`): the condition of their
# partial index, which the query that reads them all repeats word for word to use it.
LINKED = "follows <> '[]' OR followed_by <> '[]'"
# The history events that blocked an action: the condition of their partial index, through
# which why an action is blocked (its last such event's note) is found.
BLOCKING = "type = 'status' AND new = 'blocked'"
