"""The service layer: one function for each thing a command does, in a module per subject:
actions (reading them), changes and undo (changing them; each change and its history event
share one transaction), database (opening it), meetings, reports, reminders, calendar, sheets.

The actions' functions are named here too, and each loads its module on first use: shell
completion, run on every <TAB>, and `remind` load none of the others. (`undo` is its module's:
a name here that is also a module's would be the module once that is loaded.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bptrack.lazy import loader

if TYPE_CHECKING:
    from bptrack.service.actions import (
        Listing,
        Page,
        count_history,
        expand_kinds,
        expand_statuses,
        history,
        list_actions,
        list_bodies,
        list_members,
        listing,
        show_action,
    )
    from bptrack.service.changes import (
        Batch,
        Change,
        Edit,
        NewAction,
        add_action,
        add_note,
        assign,
        edit_action,
        set_status,
    )
    from bptrack.service.database import connect, describe_target, open_schema_tools
    from bptrack.service.naming import parse_id, resolve
    from bptrack.store.queries import ActionQuery

__all__ = ["ActionQuery", "Batch", "Change", "Edit", "Listing", "NewAction", "Page", "add_action",
           "add_note", "assign", "connect", "count_history", "describe_target", "edit_action",
           "expand_kinds", "expand_statuses", "history", "list_actions", "list_bodies",
           "list_members", "listing", "open_schema_tools", "parse_id", "resolve", "set_status",
           "show_action"]

_HOME: dict[str, tuple[str, ...]] = {
    "bptrack.service.actions": ("Listing", "Page", "count_history", "expand_kinds",
                                "expand_statuses", "history", "list_actions", "list_bodies",
                                "list_members", "listing", "show_action"),
    "bptrack.service.changes": ("Batch", "Change", "Edit", "NewAction", "add_action", "add_note",
                                "assign", "edit_action", "set_status"),
    "bptrack.service.database": ("connect", "describe_target", "open_schema_tools"),
    "bptrack.service.naming": ("parse_id", "resolve"),
    "bptrack.store.queries": ("ActionQuery",),
}
__getattr__ = loader(__name__, _HOME)
