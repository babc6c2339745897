"""A statement of a meeting that is in the tracker already: the same statement in another
format adds nothing; a corrected one is shown item by item and applied to untouched items."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli
from test_documents import BULLETS, make_docx, make_pdf
from test_e2e import run_in

CORRECTED = (BULLETS
             .replace("by mid-2031", "by the end of 2031")  # AHG27-02: its due date
             .replace(" and develop an online module on the same subject by the end of 2031",
                      "")  # AHG27-04 withdrawn
             .replace("- Will publish practical guidance",
                      "- Will hold a regional workshop on victim identification in 2031.\n"
                      "- Will publish practical guidance")  # one added
             .replace("document fraud for border officials",
                      "document fraud for border and immigration officials"))  # AHG27-03


def meeting_actions(cli: Cli, ref: str = "AHG27") -> dict[str, dict[str, object]]:
    return {a["ref"]: a for a in cli.json("list", "--all", "--meeting", ref)}


def test_the_same_statement_as_text_word_and_pdf_is_one_meeting(cli: Cli,
                                                                tmp_path: Path) -> None:
    text = tmp_path / "ahg27.txt"
    text.write_text(BULLETS, encoding="utf-8")
    make_docx(BULLETS, tmp_path / "ahg27.docx")
    make_pdf(BULLETS, tmp_path / "ahg27.pdf")
    first = cli.ok("meeting", "import", str(text))
    assert "Imported AHG27: 5 items added" in first.stderr
    before = meeting_actions(cli)
    for name, extra in (("ahg27.docx", ()), ("ahg27.pdf", ()),
                        ("ahg27.pdf", ("--ref", "AHG27-PDF"))):  # another ref: the same
        again = cli.ok("meeting", "import", str(tmp_path / name), *extra)
        assert ("AHG27: already imported from ahg27.txt (same statement); nothing added."
                in again.stderr), again.output
        assert "--ref" not in again.stderr
    assert [m["ref"] for m in cli.json("meeting", "list")] == ["AHG16", "AHG27"]
    assert meeting_actions(cli) == before
    dry = cli.json("meeting", "import", str(tmp_path / "ahg27.pdf"), "--dry-run")
    assert dry["meeting"]["ref"] == "AHG27" and dry["changes"] == []


def test_a_corrected_statement_is_a_diff_and_update_spares_changed_items(
        cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ahg27.txt").write_text(BULLETS, encoding="utf-8")
    corrected = tmp_path / "ahg27-corrected.txt"
    corrected.write_text(CORRECTED, encoding="utf-8")
    cli.ok("meeting", "import", str(tmp_path / "ahg27.txt"))
    cli.ok("edit", "AHG27-03", "--due", "2031-09-30")  # somebody's own change

    dry = cli.json("meeting", "import", str(corrected), "--dry-run")
    changes = {(c["change"], c["ref"]): c for c in dry["changes"]}
    assert set(changes) == {("changed", "AHG27-02"), ("changed", "AHG27-03"),
                            ("withdrawn", "AHG27-04"), ("added", None)}
    assert changes[("changed", "AHG27-02")]["fields"]["due"] == {
        "now": "2031-06-30", "statement": "2031-12-31"}
    assert changes[("changed", "AHG27-02")]["kept"] is False
    assert changes[("changed", "AHG27-03")]["kept"] is True  # its due was edited by hand
    assert changes[("added", None)]["title"].startswith("Hold a regional workshop")
    assert meeting_actions(cli)["AHG27-02"]["due"] == "2031-06-30"  # a dry run writes nothing

    refused = cli("meeting", "import", str(corrected))
    assert refused.exit_code == 1, refused.output
    assert "differs from it in 4 items" in refused.stderr and "--update" in refused.stderr
    assert "--ref" not in refused.stderr

    done = cli.ok("meeting", "import", str(corrected), "--update")
    assert "1 changed, 1 added, 1 withdrawn" in done.stderr, done.output
    assert "AHG27-03 (changed)" in done.stderr  # listed, and left as it is
    after = meeting_actions(cli)
    assert after["AHG27-02"]["due"] == "2031-12-31"
    assert after["AHG27-02"]["title"].endswith("by the end of 2031")
    assert after["AHG27-03"]["title"] == ("Deliver a training course on document fraud for "
                                          "border officials in 2031")
    assert after["AHG27-03"]["due"] == "2031-09-30"
    assert after["AHG27-04"]["status"] == "cancelled"
    assert after["AHG27-06"]["title"].startswith("Hold a regional workshop")
    assert [m["ref"] for m in cli.json("meeting", "list")] == ["AHG16", "AHG27"]
    again = cli.ok("meeting", "import", str(corrected))  # now the statement imported
    assert "already imported from ahg27-corrected.txt (same statement)" in again.stderr

    cli.ok("undo")  # the whole update, added item included
    undone = meeting_actions(cli)
    assert undone["AHG27-02"]["due"] == "2031-06-30"
    assert undone["AHG27-04"]["status"] == "open"
    assert undone["AHG27-06"]["status"] == "cancelled"


def test_a_statement_of_another_meeting_under_a_known_ref_is_refused(
        cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ahg27.txt").write_text(BULLETS, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(BULLETS.replace("2 May 2030", "9 June 2031"), encoding="utf-8")
    cli.ok("meeting", "import", str(tmp_path / "ahg27.txt"))
    refused = cli("meeting", "import", str(other))
    assert refused.exit_code == 1, refused.output
    assert "AHG27 in the tracker is another meeting" in refused.stderr
    assert len(meeting_actions(cli)) == 5


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_installed_command_says_so_for_another_format(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "ahg27.txt").write_text(BULLETS, encoding="utf-8")
    {"docx": make_docx, "pdf": make_pdf}[fmt](BULLETS, tmp_path / f"ahg27.{fmt}")
    assert run_in(tmp_path, "meeting", "import", "ahg27.txt").returncode == 0
    again = run_in(tmp_path, "meeting", "import", f"ahg27.{fmt}")
    assert again.returncode == 0, again.stderr
    assert "already imported from ahg27.txt (same statement); nothing added" in again.stderr


def test_a_reviewed_statement_is_compared_as_it_reads_not_as_reviewed(
        cli: Cli, tmp_path: Path) -> None:
    """The seed's items were reviewed by hand: its statement in Word is the same statement,
    and a correction of one year in it changes the one action that came from that sentence."""
    from bptrack.service import seeding

    _, text = seeding.read_seed()
    make_docx(text, tmp_path / "ahg16.docx")
    same = cli.ok("meeting", "import", str(tmp_path / "ahg16.docx"))
    assert "already imported from ahg-som-16-outcomes.txt (same statement)" in same.stderr
    corrected = tmp_path / "ahg16-corrected.txt"
    corrected.write_text(text.replace("Joint Period of Action in 2023",
                                      "Joint Period of Action in 2024"), encoding="utf-8")
    dry = cli.json("meeting", "import", str(corrected), "--dry-run")
    assert [(c["change"], c["ref"], sorted(c["fields"])) for c in dry["changes"]] == [
        ("changed", "AHG16-09", ["due", "title"])]
