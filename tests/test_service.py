"""The operations without the CLI: each change writes its event; bad input changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bptrack import service
from bptrack.errors import Conflict, InvalidValue, NotFound
from bptrack.store.queries import ActionQuery
from bptrack.userinput import CLEARED


def events(store: Any, ref: str) -> list[dict[str, Any]]:
    return service.history(store, ref)


def test_assign_records_old_and_new(store: Any) -> None:
    change = service.assign(store, "alice", ["9", "AHG16-11"], "Jane Doe <jane@example.org>")
    assert [c["id"] for c in change.changed] == [9, 11]
    jpa = service.show_action(store, "9")
    assert (jpa["assignee"], jpa["assignee_email"]) == ("Jane Doe", "jane@example.org")
    last = jpa["history"][-1]
    assert (last["actor"], last["type"], last["field"], last["old"], last["new"]) == (
        "alice", "assign", "assignee", None, "Jane Doe <jane@example.org>")
    service.assign(store, "bob", ["9"], None)
    last = events(store, "9")[-1]
    assert (last["type"], last["old"], last["new"]) == ("unassign", "Jane Doe <jane@example.org>",
                                                        None)


def test_unknown_id_changes_nothing(store: Any) -> None:
    with pytest.raises(NotFound, match="999"):
        service.assign(store, "alice", ["9", "999"], "Indonesia")
    assert service.show_action(store, "9")["assignee"] is None
    assert len(events(store, "9")) == 1


def test_close_sets_resolution_and_closing_again_changes_nothing(store: Any) -> None:
    change = service.set_status(store, "alice", ["9"], "done", "Held in 2023")
    assert change.verb == "Closed" and len(change.changed) == 1
    jpa = service.show_action(store, "9")
    assert (jpa["status"], jpa["resolution"], jpa["overdue"]) == ("done", "Held in 2023", False)
    assert jpa["closed_at"] is not None
    again = service.set_status(store, "alice", ["9"], "done")
    assert again.changed == [] and "already done" in again.warnings[0]
    assert len(events(store, "9")) == 2


def test_reopen_clears_the_closure(store: Any) -> None:
    service.set_status(store, "alice", ["9"], "cancelled", "not needed")
    service.set_status(store, "alice", ["9"], "open", "needed after all")
    jpa = service.show_action(store, "9")
    assert (jpa["status"], jpa["resolution"], jpa["closed_at"]) == ("open", None, None)
    assert [(e["old"], e["new"]) for e in jpa["history"][1:]] == [
        ("open", "cancelled"), ("cancelled", "open")]


def test_start_on_a_closed_action_is_a_conflict_and_all_or_nothing(store: Any) -> None:
    service.set_status(store, "alice", ["9"], "done")
    with pytest.raises(Conflict, match="reopen"):
        service.set_status(store, "alice", ["11", "9"], "in_progress")
    assert service.show_action(store, "11")["status"] == "open"


def test_block_needs_a_reason(store: Any) -> None:
    with pytest.raises(InvalidValue, match="--note"):
        service.set_status(store, "alice", ["9"], "blocked")
    service.set_status(store, "alice", ["9"], "blocked", "waiting for funding")
    assert service.show_action(store, "9")["status"] == "blocked"


def test_add_and_edit(store: Any) -> None:
    new = service.add_action(store, "alice", service.NewAction(
        title="  Draft the JPA concept note ", owner="disruption", due=date(2027, 3, 31),
        partners=["rso", "WGTIP"], assignee="Thailand", meeting="ahg16", note="from the call"))
    assert new["ref"] == f"BP-{new['id']}"
    assert (new["title"], new["owner"], new["due"], new["partners"], new["meeting"]) == (
        "Draft the JPA concept note", "WGDPS", "2027-03-31", ["RSO", "WGTIP"], "AHG16")
    service.edit_action(store, "bob", str(new["id"]), service.Edit(
        title="Draft the concept note", due=CLEARED, owner="RSO", partners=[]))
    edited = service.show_action(store, str(new["id"]))
    assert (edited["title"], edited["due"], edited["owner"], edited["partners"]) == (
        "Draft the concept note", None, "RSO", [])
    fields = [(e["field"], e["old"], e["new"]) for e in edited["history"] if e["type"] == "edit"]
    assert ("owner", "WGDPS", "RSO") in fields
    assert ("due", "2027-03-31", None) in fields
    assert ("partners", '["RSO", "WGTIP"]', "[]") in fields


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"title": "   "}, "title is empty"),
    ({"title": "x" * 501}, "limit is 500"),
    ({"owner": "Working Group"}, "ambiguous"),
    ({"owner": "nobody"}, "no body matches"),
    ({"kind": "record"}, "unknown kind"),
    ({"meeting": "AHG99"}, "no meeting"),
])
def test_add_refuses_bad_input(store: Any, kwargs: dict[str, Any], error: str) -> None:
    fields = {"title": "Something", "owner": "RSO", **kwargs}
    before = service.list_actions(store, ActionQuery(everything=True)).total
    with pytest.raises((InvalidValue, NotFound), match=error):
        service.add_action(store, "alice", service.NewAction(**fields))
    assert service.list_actions(store, ActionQuery(everything=True)).total == before


def test_ids_are_never_reused(store: Any) -> None:
    first = service.add_action(store, "a", service.NewAction(title="One", owner="RSO"))
    with store.write() as conn:
        conn.execute("DELETE FROM event WHERE action_id = ?", [first["id"]])
        conn.execute("DELETE FROM action WHERE id = ?", [first["id"]])
    second = service.add_action(store, "a", service.NewAction(title="Two", owner="RSO"))
    assert second["id"] == first["id"] + 1


def test_note_is_in_history(store: Any) -> None:
    service.add_note(store, "alice", "AHG16-09", "Spoke to the co-chairs")
    last = events(store, "AHG16-09")[-1]
    assert (last["type"], last["note"], last["actor"]) == ("note", "Spoke to the co-chairs",
                                                           "alice")


@pytest.mark.parametrize("text", ["0", "-1", "abc", "9x", "AHG16", "", "٣"])
def test_malformed_ids_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="not an action id"):
        service.parse_id(text)


def test_history_since_and_limit(store: Any) -> None:
    service.add_note(store, "alice", "9", "one")
    service.add_note(store, "alice", "9", "two")
    assert [e["note"] for e in service.history(store, "9", limit=2)] == ["one", "two"]
    assert len(service.history(store)) == 26
    from datetime import date

    assert service.history(store, since=date(2100, 1, 1)) == []
