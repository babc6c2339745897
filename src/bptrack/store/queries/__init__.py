"""Every query of the everyday commands, written once, over DB-API (see db.py).

Filters, counting, sorting and paging happen in SQL. Rows are tuples; an action leaves here as
the contract's JSON object (`row_to_action`). What differs between SQLite and PostgreSQL is
asked of the connection's dialect (dialect.py), never written twice. One module a subject:
core (what they share), actions (listing, changes, history), reports, reminders, completion.

tests/test_queries.py builds a database from the declared schema (schema.py) and runs each
registered query against it on both backends, so the SQL and the models cannot drift apart.

Each module loads on first use of one of its names here: `remind` reads none of the report's
or the meetings' queries, and completion, run on every <TAB>, reads only its own. Every query
is registered (QUERIES) as its module loads; `every_query()` loads them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bptrack.lazy import loader

if TYPE_CHECKING:
    from bptrack.store.queries.actions import (
        ACTION_COLUMNS,
        INSERT_BATCH,
        UNDOABLE,
        Event,
        Found,
        action_values,
        batch_changes,
        bodies,
        body_codes,
        count_events,
        count_matching,
        events,
        find_actions,
        insert_actions,
        insert_event,
        insert_events,
        iter_actions,
        iter_matching,
        last_undoable,
        meeting_by_ref,
        members,
        refs_starting,
        resolve_body_id,
        restore_updated_at,
        set_event_batch,
        update_action,
        who_conditions,
    )
    from bptrack.store.queries.chains import (
        Linked,
        all_linked,
        linked_actions,
    )
    from bptrack.store.queries.completion import (
        candidate_actions,
        candidate_assignees,
        candidate_bodies,
        candidate_meetings,
        candidate_members,
    )
    from bptrack.store.queries.core import (
        ACTION_FROM,
        QUERIES,
        SOONEST_DUE,
        STATUS_RANK,
        ActionQuery,
        Where,
        action_fields,
        action_json_sql,
        action_select,
        block_reason,
        last_block,
        like,
        marks,
        query,
        row_to_action,
    )
    from bptrack.store.queries.meetings import (
        Meeting,
        Tracked,
        attendee_names,
        changes_of,
        earlier_active,
        findings,
        item_counts,
        known_bodies,
        list_meetings,
        meeting_items,
        meeting_named,
        meeting_of_statement,
        meetings_on,
        refs_of_meeting,
        set_statement,
        statement_actions,
        statement_text,
    )
    from bptrack.store.queries.reminders import (
        DIGEST_KEY,
        DigestLine,
        dated_active,
        due_actions,
        due_digest,
        record_reminders,
        reminded,
        unassigned_names,
    )
    from bptrack.store.queries.reports import (
        GROUP_BY,
        LISTED_DUE_SOON,
        LISTED_OVERDUE,
        NO_ASSIGNEE,
        NO_MEETING,
        PAGE_DUE,
        PAGE_ID,
        PAGE_KEY,
        PAGE_LISTED,
        PAGE_OWNER,
        Happened,
        PageRow,
        Scope,
        blocked_actions,
        came_due,
        changes_between,
        due_soon_actions,
        latest_notes,
        meeting_commitments,
        meeting_heading,
        overdue_actions,
        owner_codes,
        page_rows,
        report_actions,
        report_actions_json,
        report_groups,
    )
    from bptrack.vocabulary import (
        ACTIVE,
        CLOSED,
        DEFAULT_KINDS,
        FIELDS,
        KINDS,
        SORTS,
        STATUSES,
    )

# Where each name lives: its module, loaded when the name is first asked for.
_NAMES: dict[str, tuple[str, ...]] = {
    "bptrack.store.queries.actions": (
        "ACTION_COLUMNS", "INSERT_BATCH", "UNDOABLE", "Event", "Found", "action_values",
        "batch_changes", "bodies", "body_codes", "count_events", "count_matching", "events",
        "find_actions", "insert_actions", "insert_event", "insert_events", "iter_actions",
        "iter_matching", "last_undoable", "meeting_by_ref", "members", "refs_starting",
        "resolve_body_id", "restore_updated_at", "set_event_batch", "update_action",
        "who_conditions",
    ),
    "bptrack.store.queries.chains": (
        "Linked", "all_linked", "linked_actions",
    ),
    "bptrack.store.queries.completion": (
        "candidate_actions", "candidate_assignees", "candidate_bodies",
        "candidate_meetings", "candidate_members",
    ),
    "bptrack.store.queries.core": (
        "ACTION_FROM", "QUERIES", "SOONEST_DUE", "STATUS_RANK", "ActionQuery", "Where",
        "action_fields", "action_json_sql", "action_select", "block_reason", "last_block",
        "like", "marks", "query", "row_to_action",
    ),
    "bptrack.store.queries.meetings": (
        "Meeting", "Tracked", "attendee_names", "changes_of", "earlier_active", "findings",
        "item_counts", "known_bodies", "list_meetings", "meeting_items", "meeting_named",
        "meeting_of_statement", "meetings_on", "refs_of_meeting", "set_statement",
        "statement_actions", "statement_text",
    ),
    "bptrack.store.queries.reminders": (
        "DIGEST_KEY", "DigestLine", "dated_active", "due_actions", "due_digest",
        "record_reminders", "reminded", "unassigned_names",
    ),
    "bptrack.store.queries.reports": (
        "GROUP_BY", "LISTED_DUE_SOON", "LISTED_OVERDUE", "NO_ASSIGNEE", "NO_MEETING", "PAGE_DUE",
        "PAGE_ID", "PAGE_KEY", "PAGE_LISTED", "PAGE_OWNER", "Happened", "PageRow", "Scope",
        "blocked_actions", "owner_codes", "page_rows",
        "came_due", "changes_between", "due_soon_actions", "latest_notes",
        "meeting_commitments", "meeting_heading", "overdue_actions", "report_actions",
        "report_actions_json", "report_groups",
    ),
    "bptrack.vocabulary": (
        "ACTIVE", "CLOSED", "DEFAULT_KINDS", "FIELDS", "KINDS", "SORTS", "STATUSES",
    ),
}
MODULES = tuple(module for module in _NAMES if module.startswith(f"{__name__}."))
__getattr__ = loader(__name__, _NAMES)


def every_query() -> dict[str, Any]:
    """Every function that runs SQL, by name: each module loaded, each registering its own."""
    for module in MODULES:
        importlib.import_module(module)
    from bptrack.store.queries.core import QUERIES

    return QUERIES


__all__ = [
    "ACTION_COLUMNS",
    "ACTION_FROM",
    "ACTIVE",
    "CLOSED",
    "DEFAULT_KINDS",
    "DIGEST_KEY",
    "FIELDS",
    "GROUP_BY",
    "INSERT_BATCH",
    "KINDS",
    "LISTED_DUE_SOON",
    "LISTED_OVERDUE",
    "NO_ASSIGNEE",
    "NO_MEETING",
    "PAGE_DUE",
    "PAGE_ID",
    "PAGE_KEY",
    "PAGE_LISTED",
    "PAGE_OWNER",
    "QUERIES",
    "SOONEST_DUE",
    "SORTS",
    "STATUSES",
    "STATUS_RANK",
    "UNDOABLE",
    "ActionQuery",
    "DigestLine",
    "Event",
    "Found",
    "Happened",
    "Linked",
    "Meeting",
    "PageRow",
    "Scope",
    "Tracked",
    "Where",
    "action_fields",
    "action_json_sql",
    "action_select",
    "action_values",
    "all_linked",
    "attendee_names",
    "batch_changes",
    "block_reason",
    "blocked_actions",
    "bodies",
    "body_codes",
    "came_due",
    "candidate_actions",
    "candidate_assignees",
    "candidate_bodies",
    "candidate_meetings",
    "candidate_members",
    "changes_between",
    "changes_of",
    "count_events",
    "count_matching",
    "dated_active",
    "due_actions",
    "due_digest",
    "due_soon_actions",
    "earlier_active",
    "events",
    "find_actions",
    "findings",
    "insert_actions",
    "insert_event",
    "insert_events",
    "item_counts",
    "iter_actions",
    "iter_matching",
    "known_bodies",
    "last_block",
    "last_undoable",
    "latest_notes",
    "like",
    "linked_actions",
    "list_meetings",
    "marks",
    "meeting_by_ref",
    "meeting_commitments",
    "meeting_heading",
    "meeting_items",
    "meeting_named",
    "meeting_of_statement",
    "meetings_on",
    "members",
    "overdue_actions",
    "owner_codes",
    "page_rows",
    "query",
    "record_reminders",
    "refs_of_meeting",
    "refs_starting",
    "reminded",
    "report_actions",
    "report_actions_json",
    "report_groups",
    "resolve_body_id",
    "restore_updated_at",
    "row_to_action",
    "set_event_batch",
    "set_statement",
    "statement_actions",
    "statement_text",
    "unassigned_names",
    "update_action",
    "who_conditions",
]
