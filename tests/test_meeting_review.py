"""Review before saving: `meeting import --review`, `--items` and `--ref`, through the
installed console script with a real editor process (a script that edits the file)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import assert_reviewed_within
from test_e2e import run_in

STATEMENT = """\
Co-Chairs' Statement
Twenty-sixth Meeting of the Ad Hoc Group Senior Officials
Suva, Fiji, 3 May 2029

On 3 May 2029, the Co-Chairs hosted the Twenty-sixth Meeting of the Ad Hoc Group Senior \
Officials in Suva, Fiji. In attendance were representatives from Australia, Fiji, Indonesia, \
Samoa and Tonga as well as representatives from IOM and UNHCR.

The Working Group on Trafficking in Persons will map shelters for victims in the Pacific by \
mid-2030 and develop referral guidelines in 2030.

The Co-Chairs will write to members on the next Ministerial Conference before the end of \
2029.
"""


def run(tmp_path: Path, *args: str, editor: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_in(tmp_path, *args, actor="reviewer",
                  env={"EDITOR": editor} if editor is not None else None)


def editor_script(tmp_path: Path, body: str) -> str:
    """An editor: a Python script that changes the file it is given, as a person would."""
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n"
                      "text = path.read_text(encoding='utf-8')\n" + body)
    return f"{sys.executable} {script}"


@pytest.fixture
def statement(tmp_path: Path) -> Path:
    path = tmp_path / "ahg26.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    init = run(tmp_path, "db", "init")
    assert init.returncode == 0, init.stderr
    return path


def items_of(tmp_path: Path, meeting: str) -> list[dict[str, object]]:
    listed = run(tmp_path, "list", "--all", "--meeting", meeting, "--sort", "id", "--format",
                 "json")
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


def meetings(tmp_path: Path) -> list[str]:
    listed = run(tmp_path, "meeting", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return [m["ref"] for m in json.loads(listed.stdout)]


def test_dry_run_items_say_how_sure_and_why(tmp_path: Path, statement: Path) -> None:
    dry = run(tmp_path, "meeting", "import", str(statement), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    document = json.loads(dry.stdout)
    assert document["meeting"]["ref"] == "AHG26"
    assert [(i["kind"], i["owner"], i["due"]) for i in document["items"]] == [
        ("action", "WGTIP", "2030-06-30"), ("action", "WGTIP", "2030-12-31"),
        ("action", "CC", "2029-12-31")]
    for item in document["items"]:
        assert item["confidence"] in ("high", "low") and "kind:" in item["why"]


def test_review_imports_what_the_editor_saved(tmp_path: Path, statement: Path) -> None:
    # The reviewer drops the second item and moves the first one's deadline.
    editor = editor_script(tmp_path, (
        "parts = text.split('\\n[[item]]')\n"
        "parts[1] = parts[1].replace('due = \"2030-06-30\"', 'due = \"2030-09-30\"')\n"
        "del parts[2]\n"
        "path.write_text('\\n[[item]]'.join(parts), encoding='utf-8')\n"))
    done = run(tmp_path, "meeting", "import", str(statement), "--review", "--format", "json",
               editor=editor)
    assert done.returncode == 0, done.stderr
    items = items_of(tmp_path, "AHG26")
    assert [(i["ref"], i["owner"], i["due"]) for i in items] == [
        ("AHG26-01", "WGTIP", "2030-09-30"), ("AHG26-02", "CC", "2029-12-31")]
    shown = run(tmp_path, "history", items[0]["ref"], "--format", "json")
    assert json.loads(shown.stdout)[0]["actor"] == "reviewer"


@pytest.mark.parametrize(("body", "message"), [
    ("sys.exit(3)\n", "editor exited with status 3"),
    ("path.write_text('', encoding='utf-8')\n", "emptied"),
    ("path.write_text(text.replace('owner = \"CC\"', 'owner = \"NOBODY\"'), "
     "encoding='utf-8')\n", "unknown owner 'NOBODY'"),
    ("path.write_text(text.replace('2029-12-31', '2029-02-30'), encoding='utf-8')\n",
     "'2029-02-30' is not a date"),
    ("path.write_text(text.replace('kind = \"action\"', 'kind = \"wish\"', 1), "
     "encoding='utf-8')\n", "kind 'wish'"),
])
def test_a_failed_or_bad_review_imports_nothing(tmp_path: Path, statement: Path, body: str,
                                                message: str) -> None:
    before = meetings(tmp_path)
    done = run(tmp_path, "meeting", "import", str(statement), "--review",
               editor=editor_script(tmp_path, body))
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr
    assert "nothing was imported" in done.stderr
    assert meetings(tmp_path) == before


def test_items_file_imports_exactly_the_reviewed_items(tmp_path: Path,
                                                       statement: Path) -> None:
    dry = run(tmp_path, "meeting", "import", str(statement), "--dry-run", "--format", "json")
    document = json.loads(dry.stdout)
    document["items"] = document["items"][1:]
    document["items"][0]["kind"] = "ongoing"
    document["items"][1]["partners"] = ["RSO"]
    reviewed = tmp_path / "reviewed.json"
    reviewed.write_text(json.dumps(document), encoding="utf-8")
    done = run(tmp_path, "meeting", "import", str(statement), "--items", str(reviewed))
    assert done.returncode == 0, done.stderr
    items = items_of(tmp_path, "AHG26")
    assert [(i["kind"], i["owner"], i["partners"]) for i in items] == [
        ("ongoing", "WGTIP", []), ("action", "CC", ["RSO"])]
    again = run(tmp_path, "meeting", "import", str(statement), "--items", str(reviewed))
    assert again.returncode == 0
    assert "already imported from ahg26.txt (same statement)" in again.stderr


def test_items_file_with_bad_values_names_every_one(tmp_path: Path, statement: Path) -> None:
    dry = run(tmp_path, "meeting", "import", str(statement), "--dry-run", "--format", "json")
    document = json.loads(dry.stdout)
    document["items"][0]["due"] = "soon"
    document["items"][2]["owner"] = "XYZ"
    reviewed = tmp_path / "reviewed.json"
    reviewed.write_text(json.dumps(document), encoding="utf-8")
    done = run(tmp_path, "meeting", "import", str(statement), "--items", str(reviewed))
    assert done.returncode == 1
    assert "item 1: 'soon' is not a date" in done.stderr
    assert "item 3: unknown owner 'XYZ'" in done.stderr
    assert meetings(tmp_path) == ["AHG16"]


def test_ref_overrides_the_meetings_own(tmp_path: Path, statement: Path) -> None:
    done = run(tmp_path, "meeting", "import", str(statement), "--ref", "AHG26B")
    assert done.returncode == 0, done.stderr
    assert [i["ref"] for i in items_of(tmp_path, "AHG26B")] == [
        "AHG26B-01", "AHG26B-02", "AHG26B-03"]


def test_the_seed_without_its_outcomes_line_reads_the_same(tmp_path: Path,
                                                          statement: Path) -> None:
    from bptrack.service import seeding

    doc, text = seeding.read_seed()
    plain = tmp_path / "ahg16-as-published.txt"
    plain.write_text(text.replace("Outcomes:\n", ""), encoding="utf-8")
    dry = run(tmp_path, "meeting", "import", str(plain), "--dry-run", "--format", "json")
    assert dry.returncode == 0, dry.stderr
    read = [(i["kind"], i["owner"], i["due"]) for i in json.loads(dry.stdout)["items"]]
    assert_reviewed_within(read, [(i["kind"], i["owner"], i["due"]) for i in doc["items"]])



def test_review_lists_the_unsure_items_first(tmp_path: Path) -> None:
    path = tmp_path / "ahg33.txt"
    path.write_text("On 2 June 2031 the Co-Chairs hosted the Thirty-third Meeting of the Ad Hoc "
                    "Group Senior Officials in Apia, Samoa.\n\n"
                    "- The Co-Chairs will circulate a draft agenda by mid-2032.\n"
                    "- Will meet again in 2033.\n", encoding="utf-8")
    assert run(tmp_path, "db", "init").returncode == 0
    seen = tmp_path / "seen.toml"
    editor = editor_script(tmp_path, f"pathlib.Path({str(seen)!r}).write_text(text)\n"
                                     "sys.exit(1)\n")
    done = run(tmp_path, "meeting", "import", str(path), "--review", editor=editor)
    assert done.returncode == 1  # the editor failed: nothing imported
    text = seen.read_text(encoding="utf-8")
    head = text[:text.index("\n[[item]]")]
    assert "Check these 1 first (low confidence):" in head
    assert "item 2: Meet again in 2033" in head and "none named" in head
