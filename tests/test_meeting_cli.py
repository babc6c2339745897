"""`meeting import`, `meeting list` and `meeting show` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli, assert_reviewed_within

SEED = Path(__file__).parents[1] / "seed" / "ahg-som-16-outcomes.txt"
FIXTURES = Path(__file__).parent / "fixtures"


def test_dry_run_of_the_seed_matches_the_reviewed_items(cli: Cli) -> None:
    doc = cli.json("meeting", "import", str(SEED), "--dry-run")
    reviewed = json.loads((SEED.parent / "ahg-som-16-items.json").read_text())
    assert_reviewed_within([(i["kind"], i["owner"], i["due"]) for i in doc["items"]],
                           [(i["kind"], i["owner"], i["due"]) for i in reviewed["items"]])
    assert set(doc["meeting"]) == {"ref", "title", "date", "location", "attendees", "source"}
    # The contract's fields, and (Additions) how sure the reader is and why.
    assert set(doc["items"][0]) == {"kind", "title", "owner", "owner_name", "partners", "due",
                                    "source", "confidence", "why"}


def test_import_adds_once_in_one_go(cli: Cli) -> None:
    fixture = str(FIXTURES / "ahg17-indented.txt")
    dry = cli.ok("meeting", "import", fixture, "--dry-run")
    assert "nothing was written" in dry.stderr
    assert cli.json("meeting", "list")[-1]["ref"] == "AHG16"
    run = cli.ok("meeting", "import", fixture)
    assert "Imported AHG17: 11 items added" in run.stderr
    again = cli.ok("meeting", "import", fixture)
    assert "nothing added" in again.stderr
    items = cli.json("list", "--meeting", "AHG17", "--all")
    assert len(items) == 11
    assert items[0]["ref"].startswith("AHG17-")
    jpa = [i for i in items if "Joint Period of Action in Q3 2024" in i["source"]]
    assert jpa[0]["owner"] == "WGDPS" and jpa[0]["due"] == "2024-09-30"
    assert all(i["status"] == "done" for i in items if i["kind"] in ("record", "note"))
    meeting = cli.json("meeting", "show", "ahg17")
    assert meeting["attendees"][:2] == ["Australia", "Indonesia"]
    assert meeting["items"]["action"]["total"] == 5
    assert {m["name"] for m in cli.json("member", "list")} >= {"Fiji", "Japan"}
    history = cli.json("history", str(items[0]["id"]))
    assert history[0]["type"] == "create" and history[0]["actor"] == "tester"


def test_seed_statement_is_already_imported(cli: Cli) -> None:
    run = cli.ok("meeting", "import", str(SEED))
    assert "already imported from ahg-som-16-outcomes.txt (same statement)" in run.stderr
    assert len(cli.json("list", "--all")) == 24


@pytest.mark.parametrize(("content", "message"), [
    (None, "no file"),
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("Résumé des résultats".encode("latin-1"), "not UTF-8"),
    (b"Minutes of a meeting.\nNothing else here.\n", "no outcomes found"),
])
def test_not_a_statement_is_refused_and_nothing_written(
        cli: Cli, tmp_path: Path, content: bytes | None, message: str) -> None:
    cli.ok("list", "--format", "ids")
    path = tmp_path / "statement.txt"
    if content is not None:
        path.write_bytes(content)
    run = cli("meeting", "import", str(path))
    assert run.exit_code == 1, run.output
    assert run.stderr.startswith("Error: ") and message in run.stderr
    assert len(cli.json("meeting", "list")) == 1


def test_oversized_statement(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Outcomes:\n" + b"- Will do it.\n" * 400_000)
    run = cli("meeting", "import", str(path))
    assert run.exit_code == 1 and "at most 5 MB" in run.stderr


def test_meeting_show_unknown(cli: Cli) -> None:
    run = cli("meeting", "show", "AHG99")
    assert run.exit_code == 1 and "no meeting" in run.stderr



UNSURE = """\
On 2 June 2031 the Co-Chairs hosted the Thirty-second Meeting of the Ad Hoc Group Senior \
Officials in Apia, Samoa. In attendance were representatives from Australia, Samoa and Tonga.

- The Pacific Labour Mobility Network will publish a guide to seasonal work by mid-2032.
- Will meet again in 2033.
"""


def test_dry_run_names_new_bodies_and_attendees_and_lists_the_unsure_first(
        cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ahg32.txt"
    path.write_text(UNSURE, encoding="utf-8")
    dry = cli.ok("meeting", "import", str(path), "--dry-run")
    assert "Attendees (3): Australia, Samoa, Tonga" in dry.stderr
    assert "PLMN (Pacific Labour Mobility Network)" in dry.stderr  # a body it would create
    rows = [line.split("\t") for line in dry.stdout.splitlines()[1:]]
    # "Will meet again in 2033" names nobody: low confidence, listed first, with its reason
    assert rows[0][0] == "2" and rows[0][5] == "low" and "none named" in rows[0][6]
    assert rows[1][0] == "1" and rows[1][5] == "high"
    assert "1 item of low confidence" in dry.stderr
