"""A commitment's line through the meetings: made at one, repeated at the next ones (linked
by `meeting reconcile --apply`, never two unrelated open actions), shown by `show`, and
reported as carried forward when no meeting reports progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli

# Two follow-ups of the seed, written here. WGTIP makes AHG16-08 ("Further strengthen
# collaboration with ASEAN") again at each; at the first it also reports activity on an
# ongoing commitment of the GABF.
AHG17 = """\
On 29 November 2023, the Co-Chairs of the Bali Process hosted the seventeenth Meeting of the \
Ad Hoc Group Senior Officials in Bangkok, Thailand.
In attendance were representatives from Australia, Indonesia, Thailand and IOM.
- The Working Group on Trafficking in Persons:
- Will further strengthen its collaboration with ASEAN.
- The Bali Process Government and Business Forum:
- Published a guide for business on the transparency of supply chains.
"""
AHG18 = """\
On 4 December 2024, the Co-Chairs of the Bali Process hosted the eighteenth Meeting of the \
Ad Hoc Group Senior Officials in Jakarta, Indonesia.
In attendance were representatives from Australia, Indonesia, Fiji and UNHCR.
- The Working Group on Trafficking in Persons:
- Will continue to strengthen collaboration with ASEAN.
"""


def reconciled(cli: Cli, tmp_path: Path, name: str, text: str) -> list[dict[str, object]]:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    cli.ok("meeting", "import", str(path))
    proposals = list(cli.json("meeting", "reconcile", name.upper()))
    cli.ok("meeting", "reconcile", name.upper(), "--apply")
    return proposals


@pytest.fixture
def three_meetings(cli: Cli, tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    return {"AHG17": reconciled(cli, tmp_path, "ahg17", AHG17),
            "AHG18": reconciled(cli, tmp_path, "ahg18", AHG18)}


def test_a_repeated_commitment_is_carried_not_a_new_unrelated_action(
        cli: Cli, three_meetings: dict[str, list[dict[str, object]]]) -> None:
    first = {p["ref"]: p["proposed"] for p in three_meetings["AHG17"]}
    assert first["AHG16-08"] == "carried"
    assert first["AHG16-19"] == "progress"  # activity on an ongoing commitment: not done
    second = {p["ref"]: p["proposed"] for p in three_meetings["AHG18"]}
    assert second == {"AHG16-08": "carried", "AHG17-01": "carried"}
    assert cli.json("show", "AHG16-08")["status"] == "open"  # carried: it stays open


def test_show_lists_the_three_meetings_with_their_sentences(
        cli: Cli, three_meetings: dict[str, list[dict[str, object]]]) -> None:
    expected = [("AHG16", "AHG16-08", "made", "Will further strengthen collaboration with "
                 "ASEAN."),
                ("AHG17", "AHG17-01", "repeated", "Will further strengthen its collaboration "
                 "with ASEAN."),
                ("AHG18", "AHG18-01", "repeated", "Will continue to strengthen collaboration "
                 "with ASEAN.")]
    for ref in ("AHG16-08", "AHG17-01", "AHG18-01"):  # the same line from any of them
        chain = cli.json("show", ref)["chain"]
        assert [(c["meeting"], c["ref"], c["role"], c["source"]) for c in chain] == expected
    shown = cli.ok("show", "AHG16-08").stdout
    assert "Through the meetings:" in shown
    for meeting, ref, role, _ in expected:
        assert f"{meeting}  {role} ({ref})" in shown
    listed = {a["ref"]: a["chain"] for a in cli.json("list", "--all")}
    assert [c["ref"] for c in listed["AHG17-01"]] == ["AHG16-08", "AHG17-01", "AHG18-01"]
    assert [c["role"] for c in listed["AHG16-19"]] == ["made", "progress"]
    assert listed["AHG16-15"] == [{"meeting": "AHG16", "ref": "AHG16-15", "role": "made",
                                   "source": listed["AHG16-15"][0]["source"]}]


def test_the_report_lists_what_is_carried_without_progress(
        cli: Cli, three_meetings: dict[str, list[dict[str, object]]]) -> None:
    report = cli.json("report")
    by_ref = {c["ref"]: c for c in report["carried"]}
    asean = by_ref["AHG18-01"]
    assert (asean["first_made"], asean["times"], asean["meetings"], asean["stalled"]) == (
        "AHG16", 2, ["AHG16", "AHG17", "AHG18"], True)
    assert asean["refs"] == ["AHG16-08", "AHG17-01", "AHG18-01"]
    assert "AHG16-19" not in by_ref  # progress reported, and never carried
    for fmt in ("table", "md"):
        text = cli.ok("report", "--format", fmt).stdout
        assert "Carried forward without progress" in text
        assert "first made at AHG16; carried forward 2 times: AHG16, AHG17, AHG18" in text
    briefing = cli.json("report", "--since-meeting", "AHG16")
    carried = {c["ref"]: c for c in briefing["follow_up"]["carried_forward"]}
    assert carried["AHG16-08"]["times"] == 2
    assert [c["ref"] for c in briefing["carried"]] == ["AHG18-01"]


def test_carried_once_is_not_yet_raised(cli: Cli, tmp_path: Path) -> None:
    reconciled(cli, tmp_path, "ahg17", AHG17)
    report = cli.json("report")
    assert [(c["ref"], c["times"], c["stalled"]) for c in report["carried"]] == [
        ("AHG17-01", 1, False)]
    assert "Carried forward without progress" not in cli.ok("report", "--format", "md").stdout
