"""The service layer: one function for each thing a command does, in a module per subject:
actions (reading them), changes and undo (changing them; each change and its history event
share one transaction), database (opening it), meetings, reports, reminders, calendar, sheets.

The actions' functions are named here too, and each loads its module on first use: shell
completion, run on every <TAB>, and `remind` load none of the others. (`undo` is its module's:
a name here that is also a module's would be the module once that is loaded.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

_HOME = {
    **dict.fromkeys(["Listing", "Page", "count_history", "expand_kinds", "expand_statuses",
                     "history", "list_actions", "list_bodies", "list_members", "listing",
                     "show_action"], "bptrack.service.actions"),
    **dict.fromkeys(["Batch", "Change", "Edit", "NewAction", "add_action", "add_note", "assign",
                     "edit_action", "set_status"], "bptrack.service.changes"),
    **dict.fromkeys(["connect", "describe_target", "open_schema_tools"],
                    "bptrack.service.database"),
    **dict.fromkeys(["parse_id", "resolve"], "bptrack.service.naming"),
    "ActionQuery": "bptrack.store.queries",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value
