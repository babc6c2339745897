"""The shipped AHG16 seed: every bullet an item of the right kind, stable refs, idempotent."""

from __future__ import annotations

import json
from typing import Any

from bptrack import service
from bptrack.config import Settings
from bptrack.service import seeding
from bptrack.store.queries import ActionQuery


def all_items(store: Any) -> list[dict[str, Any]]:
    return service.list_actions(store, ActionQuery(everything=True, sort="id")).actions


def test_every_outcome_bullet_is_an_item(store: Any) -> None:
    _doc, statement = seeding.read_seed()
    bullets = [line[2:] for line in statement.splitlines() if line.startswith("- ")]
    headers = [b for b in bullets if b.endswith(":") or "Chairmanship" in b]
    sources = {item["source"] for item in all_items(store)}
    assert len(headers) == 7
    assert set(bullets) - set(headers) == sources


def test_kinds_follow_the_design(store: Any) -> None:
    items = all_items(store)
    by_kind: dict[str, list[str]] = {}
    for item in items:
        by_kind.setdefault(item["kind"], []).append(item["ref"])
    assert {k: len(v) for k, v in by_kind.items()} == {
        "ongoing": 8, "note": 1, "action": 8, "record": 7}
    actions = {(i["owner"], i["title"].split()[0]) for i in items if i["kind"] == "action"}
    assert ("MEMBERS", "Incorporate") in actions
    assert ("WGDPS", "Initiate") in actions
    assert sum(1 for i in items if i["kind"] == "action" and i["owner"] == "WGTIP") == 4
    assert sum(1 for i in items if i["kind"] == "action" and i["owner"] == "TEGRR") == 2
    records = [i for i in items if i["kind"] in ("record", "note")]
    assert all(i["status"] == "done" and i["closed_at"].startswith("2022-12-06")
               for i in records)
    assert any(i["title"].startswith("Conducted its Annual Meeting") for i in records)


def test_joint_period_of_action(store: Any) -> None:
    jpa = service.show_action(store, "AHG16-09")
    assert jpa["id"] == 9
    assert jpa["owner"] == "WGDPS"
    assert jpa["due"] == "2023-12-31"
    assert jpa["overdue"] is True
    assert jpa["source"].startswith("Will initiate another Joint Period of Action in 2023")
    assert [e["type"] for e in jpa["history"]] == ["create"]


def test_only_actions_and_ongoing_items_have_deadlines(store: Any) -> None:
    dated = [i["ref"] for i in all_items(store) if i["due"]]
    assert dated == ["AHG16-09"]


def test_partners_are_recorded(store: Any) -> None:
    partners = {i["ref"]: i["partners"] for i in all_items(store) if i["partners"]}
    assert partners["AHG16-07"] == ["RSO"]
    assert partners["AHG16-12"] == ["WGTIP"]


def test_meeting_bodies_and_attendees(store: Any) -> None:
    members = service.list_members(store)
    assert len(members) == 16
    assert {"Indonesia", "Viet Nam", "UNODC"} <= {m["name"] for m in members}
    codes = {b["code"] for b in service.list_bodies(store)}
    assert {"WGTIP", "WGDPS", "TEGRR", "TFPP", "GABF", "RSO", "MEMBERS"} <= codes


def test_seeding_again_adds_nothing(store: Any, target: str) -> None:
    before = all_items(store)
    opened = service.connect(target, Settings(), init=True)
    assert opened.seeded == 0 and not opened.created
    assert all_items(opened.store) == before
    opened.store.close()


def test_reviewed_items_file_is_consistent() -> None:
    doc, _ = seeding.read_seed()
    refs = [item["ref"] for item in doc["items"]]
    assert refs == [f"AHG16-{n:02d}" for n in range(1, len(refs) + 1)]
    codes = {b["code"] for b in doc["bodies"]}
    for item in doc["items"]:
        assert item["owner"] in codes
        assert set(item["partners"]) <= codes
        assert item["kind"] in ("action", "ongoing", "record", "note")
    json.dumps(doc)
