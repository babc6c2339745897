"""Between meetings: a new statement reconciled with the actions still open from earlier ones.
On both backends; the import message and the briefing through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bptrack.service.reconcile import Earlier, Evidence, content_words, propose, stem
from conftest import Cli
from test_e2e import console_script

# A follow-up to the seed, in its style: two actions reported done, one carried forward, and
# unrelated work in similar words.
FOLLOW_UP = """\
On 29 November 2023, the Co-Chairs of the Bali Process hosted the seventeenth Meeting of the \
Ad Hoc Group Senior Officials in Bangkok, Thailand.
In attendance were representatives from Australia, Indonesia, Thailand and IOM.
- The Working Group on the Disruption of People Smuggling and Trafficking in Persons Networks:
- Completed the 2023 Joint Period of Action, with operations in eight member countries.
- Will hold its Annual Meeting in Kuala Lumpur in 2024.
- The Working Group on Trafficking in Persons:
- Completed its research on legislative approaches to forced marriage and trafficking in \
persons.
- Will continue working with the RSO on public information campaigns on social media.
- Will hold a workshop on trafficking in persons in the fishing sector in 2024.
"""


@pytest.fixture
def follow_up(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "ahg17.txt"
    path.write_text(FOLLOW_UP, encoding="utf-8")
    cli.ok("meeting", "import", str(path))
    return path


def proposals(cli: Cli, *args: str) -> list[dict[str, Any]]:
    return list(cli.json("meeting", "reconcile", "AHG17", *args))


def test_proposals_with_evidence_best_first(cli: Cli, follow_up: Path) -> None:
    found = proposals(cli)
    by_ref = {p["ref"]: p for p in found}
    assert (by_ref["AHG16-09"]["proposed"], by_ref["AHG16-09"]["evidence"]["ref"]) == (
        "done", "AHG17-01")
    assert (by_ref["AHG16-06"]["proposed"], by_ref["AHG16-06"]["evidence"]["ref"]) == (
        "done", "AHG17-03")
    assert (by_ref["AHG16-07"]["proposed"], by_ref["AHG16-07"]["evidence"]["ref"]) == (
        "carried", "AHG17-04")  # the same commitment made again
    assert set(by_ref) == {"AHG16-09", "AHG16-06", "AHG16-07"}  # the workshop matches nothing
    first = found[0]
    assert set(first) == {"id", "ref", "title", "owner", "proposed", "evidence", "score",
                          "runner_up", "successor"}
    assert first["evidence"]["meeting"] == "AHG17"
    assert first["evidence"]["source"].startswith(("Completed", "Will"))
    scores = [p["score"] for p in found]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert [p["ref"] for p in proposals(cli, "--min-score", "0.99")] == [
        p["ref"] for p in found if p["score"] >= 0.99]


def test_import_says_where_to_look_and_closes_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "ahg17.txt"
    path.write_text(FOLLOW_UP, encoding="utf-8")
    run = cli.ok("meeting", "import", str(path))
    assert "3 earlier actions look reported on: bptrack meeting reconcile AHG17" in run.stderr
    assert cli.json("show", "AHG16-09")["status"] == "open"


def test_only_earlier_active_actions(cli: Cli, follow_up: Path) -> None:
    cli.ok("close", "AHG16-09")
    assert "AHG16-09" not in {p["ref"] for p in proposals(cli)}
    assert cli.json("meeting", "reconcile", "AHG16") == []  # nothing came before it
    bad = cli("meeting", "reconcile", "AHG17", "--min-score", "1.5")
    assert bad.exit_code == 2 and "1.5 is not in the range 0.0<=x<=1.0" in bad.stderr
    missing = cli("meeting", "reconcile", "AHG99")
    assert missing.exit_code == 1 and "no meeting AHG99" in missing.stderr


def export_without_history(cli: Cli) -> str:
    text = cli.ok("db", "export").stdout
    return "\n".join(line for line in _drop_table(text, "event").splitlines())


def _drop_table(text: str, name: str) -> str:
    start = text.index(f'"{name}": [')
    end = text.index("\n]", start) + 2 if f'"{name}": []' not in text else start + len(
        f'"{name}": []')
    return text[:start] + text[end:]


def test_apply_then_undo_leaves_everything_as_before(cli: Cli, follow_up: Path) -> None:
    before = export_without_history(cli)
    applied = cli.ok("meeting", "reconcile", "AHG17", "--apply", "--actor", "secretariat",
                     "--format", "json")
    assert len(applied.json()) == 3 and "Reconciled 3" in applied.stderr
    jpa = cli.json("show", "AHG16-09")
    assert jpa["status"] == "done"
    assert jpa["resolution"].startswith("Reported at AHG17: Completed the 2023 Joint Period")
    campaigns = cli.json("show", "AHG16-07")
    assert campaigns["status"] == "open" and campaigns["followed_by"] == ["AHG17-04"]
    assert cli.json("show", "AHG17-04")["follows"] == ["AHG16-07"]
    assert "Carried forward at AHG17 by AHG17-04" in campaigns["history"][-2]["note"]
    assert {e["actor"] for e in campaigns["history"][-2:]} == {"secretariat"}
    shown = cli.ok("show", "AHG17-04").stdout
    assert "Follows:     AHG16-07" in shown

    undone = cli.ok("undo", "--actor", "secretariat")
    # the three earlier actions and the three items linked to them as their evidence
    assert undone.stderr.count("Undid") == 6
    assert export_without_history(cli) == before
    assert cli.json("show", "AHG16-09")["status"] == "open"


def test_briefing_says_what_was_reported_carried_and_not_mentioned(
        cli: Cli, follow_up: Path) -> None:
    cli.ok("meeting", "reconcile", "AHG17", "--apply")
    report = cli.json("report", "--since-meeting", "AHG16")
    follow = report["follow_up"]
    assert [f["ref"] for f in follow["reported_done"]] == ["AHG16-06", "AHG16-09"]
    assert [(f["ref"], f["by"]) for f in follow["carried_forward"]] == [
        ("AHG16-07", ["AHG17-04"])]
    chase = [f["ref"] for f in follow["not_mentioned"]]
    assert "AHG16-08" in chase and "AHG16-07" not in chase and "AHG16-09" not in chase
    md = cli.ok("report", "--since-meeting", "AHG16", "--format", "md").stdout
    assert "## Not mentioned since, to chase" in md and "AHG16-08" in md


def test_through_the_console_script(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8",
           "BPTRACK_DB": str(tmp_path / "t.db")}
    path = tmp_path / "ahg17.txt"
    path.write_text(FOLLOW_UP, encoding="utf-8")

    def bptrack(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([console_script(), *args], capture_output=True, text=True,
                              env=env, timeout=60, stdin=subprocess.DEVNULL)

    assert "look reported on" in bptrack("meeting", "import", str(path)).stderr
    table = bptrack("meeting", "reconcile", "AHG17")
    assert table.returncode == 0 and "AHG16-09\tdone" in table.stdout
    assert bptrack("meeting", "reconcile", "AHG17", "--apply").returncode == 0
    listed = json.loads(bptrack("list", "--all", "--format", "json").stdout)
    assert {a["ref"]: a["status"] for a in listed}["AHG16-09"] == "done"


# --- the matching, on its own ----------------------------------------------------------------

def test_stemming_and_content_words() -> None:
    assert stem("campaigns") == "campaign" and stem("updated") == "updat" == stem("updating")
    assert content_words("Will continue working with the RSO on campaigns") == {
        "rso", "campaign"}


def test_owner_gates_the_match() -> None:
    earlier = Earlier(1, "AHG16-09", "Initiate another Joint Period of Action in 2023", "action",
                      "WGDPS", ())
    same = Evidence(2, "AHG17-01", "Completed the 2023 Joint Period of Action", "record",
                    "WGDPS", (), "Completed the 2023 Joint Period of Action.")
    other = Evidence(3, "AHG17-02", "Completed the 2023 Joint Period of Action", "record",
                     "RSO", (), "Completed the 2023 Joint Period of Action.")
    partner = Evidence(4, "AHG17-03", "Completed the 2023 Joint Period of Action", "record",
                       "RSO", ("WGDPS",), "Completed the 2023 Joint Period of Action.")
    assert [(p.evidence.ref, p.proposed) for p in propose([earlier], [same])] == [
        ("AHG17-01", "done")]
    assert propose([earlier], [other]) == []
    (with_partner,) = propose([earlier], [partner])
    assert with_partner.score == pytest.approx(0.85, abs=0.01)


def test_an_ongoing_commitment_is_closed_only_by_completion_proper() -> None:
    earlier = Earlier(1, "AHG16-23", "Strengthen border management through frontline training",
                      "ongoing", "RSO", ())
    held = Evidence(2, "AHG17-09", "Delivered frontline training on border management",
                    "record", "RSO", (), "Delivered frontline training on border management.")
    (proposal,) = propose([earlier], [held])
    assert proposal.proposed == "progress"


def test_links_read_as_words_in_history_and_undo(cli: Cli, follow_up: Path) -> None:
    cli.ok("meeting", "reconcile", "AHG17", "--apply")
    history = cli.ok("history", "AHG16-07").stdout
    assert "followed by AHG17-04" in history and '["AHG17-04"]' not in history
    undone = cli.ok("undo")
    assert "no longer followed by AHG17-04" in undone.stderr or \
        "no longer follows AHG16-07" in undone.stderr, undone.stderr
    assert '["' not in undone.stderr


JPA_AND_NEXT = """\
On 5 December 2023, the Co-Chairs of the Bali Process hosted the seventeenth Meeting of the \
Ad Hoc Group Senior Officials in Bangkok, Thailand.
- The Working Group on the Disruption of People Smuggling and Trafficking in Persons Networks:
- Completed the 2023 Joint Period of Action, which led to the disruption of several networks.
- Will plan a third Joint Period of Action in 2025.
"""


def test_the_completed_jpa_is_done_and_the_next_one_its_successor(cli: Cli,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "ahg17.txt"
    path.write_text(JPA_AND_NEXT, encoding="utf-8")
    cli.ok("meeting", "import", str(path))
    [jpa] = [p for p in proposals(cli) if p["ref"] == "AHG16-09"]
    assert jpa["proposed"] == "done"
    assert jpa["evidence"]["source"].startswith("Completed the 2023 Joint Period of Action")
    assert jpa["successor"]["source"].startswith("Will plan a third Joint Period of Action")
    assert jpa["runner_up"] is None or jpa["runner_up"]["score"] <= jpa["score"]
    successor = jpa["successor"]["ref"]
    cli.ok("meeting", "reconcile", "AHG17", "--apply")
    shown = cli.json("show", "AHG16-09")
    evidence = jpa["evidence"]["ref"]
    assert shown["status"] == "done" and shown["followed_by"] == [evidence, successor]
    assert [(c["meeting"], c["ref"], c["role"]) for c in shown["chain"]] == [
        ("AHG16", "AHG16-09", "made"), ("AHG17", evidence, "done")]
    following = cli.json("show", successor)
    assert following["follows"] == ["AHG16-09"] and following["status"] == "open"
    # The third JPA is a line of its own: made at AHG17, not a repeat of the 2023 one
    assert [(c["ref"], c["role"]) for c in following["chain"]] == [(successor, "made")]


MADE = """\
On 2 December 2030, the Co-Chairs of the Bali Process hosted the twenty-fourth Meeting of the \
Ad Hoc Group Senior Officials in Suva, Fiji.
- The Working Group on Trafficking in Persons will hold a regional workshop on labour \
exploitation in fisheries in 2031.
- The Regional Support Office will conduct the second regional training on document \
examination for border officials.
- The Government and Business Forum will hold its annual dialogue on responsible recruitment \
in Singapore.
"""
# Each work reported done, beside its next occurrence: set apart by a year, an ordinal, a place.
FOLLOWED = {
    "year": ("The Working Group on Trafficking in Persons held the regional workshop on labour "
             "exploitation in fisheries in March 2031.",
             "The Working Group on Trafficking in Persons will hold a regional workshop on "
             "labour exploitation in fisheries in 2032.", "regional workshop"),
    "ordinal": ("The Regional Support Office conducted the second regional training on "
                "document examination for border officials.",
                "The Regional Support Office will conduct a third regional training on "
                "document examination for border officials.", "regional training"),
    "place": ("The Government and Business Forum held its annual dialogue on responsible "
              "recruitment in Singapore.",
              "The Government and Business Forum will hold its next annual dialogue on "
              "responsible recruitment in Jakarta.", "annual dialogue"),
}


@pytest.mark.parametrize("apart", sorted(FOLLOWED))
def test_done_and_its_successor_told_apart(cli: Cli, tmp_path: Path, apart: str) -> None:
    (tmp_path / "ahg24.txt").write_text(MADE, encoding="utf-8")
    cli.ok("meeting", "import", str(tmp_path / "ahg24.txt"))
    done, successor, topic = FOLLOWED[apart]
    later = ("On 8 December 2031, the Co-Chairs of the Bali Process hosted the twenty-fifth "
             "Meeting of the Ad Hoc Group Senior Officials in Dhaka, Bangladesh.\n"
             f"- {successor}\n- {done}\n")  # the successor first: order decides nothing
    (tmp_path / "ahg25.txt").write_text(later, encoding="utf-8")
    cli.ok("meeting", "import", str(tmp_path / "ahg25.txt"))
    found = cli.json("meeting", "reconcile", "AHG25")
    [p] = [p for p in found if topic in p["title"]]
    assert p["proposed"] == "done" and p["evidence"]["source"] == done
    assert p["successor"] is not None and p["successor"]["source"] == successor
    # Alone, the next occurrence is no evidence about the earlier one (AHG24's, still open
    # here since nothing was applied); it is a repeat of AHG25's, which it may carry forward
    only_next = later.replace(f"- {done}\n", "")
    (tmp_path / "ahg25b.txt").write_text(only_next.replace("twenty-fifth", "twenty-sixth")
                                         .replace("8 December 2031", "9 December 2032"),
                                         encoding="utf-8")
    cli.ok("meeting", "import", str(tmp_path / "ahg25b.txt"))
    assert not [p for p in cli.json("meeting", "reconcile", "AHG26")
                if p["ref"].startswith("AHG24") and topic in p["title"]]


def test_the_items_weighed_are_all_that_could_score(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large tracker weighs each earlier action only against the items of its own body and
    partners that share one of its words: the proposals are those of weighing every pair,
    at every threshold (below 0.3 a pair sharing no word can still score)."""
    import random

    from bptrack.service import reconcile

    rng = random.Random(28)
    words = ["campaign", "campaigners", "shelters", "shelter", "returns", "guide", "joint",
             "period", "research", "marriage", "training", "border", "officers", "data"]
    verbs = ["Completed", "Held", "Will develop", "Launched", "Will continue"]
    bodies = ["WGTIP", "RSO", "TFPP", "GABF"]

    def item(n: int, cls: type[Earlier]) -> Any:
        title = " ".join(rng.sample(words, 3)).capitalize()
        partners = tuple(rng.sample(bodies, rng.choice([0, 0, 1])))
        kind = rng.choice(["action", "ongoing", "record"])
        extra = {"source": f"{rng.choice(verbs)} {title.lower()} in {rng.choice([2023, 2024])}"}
        return cls(n, f"X-{n}", title, kind, rng.choice(bodies), partners, **extra)

    earlier = [item(n, Earlier) for n in range(1, 120)]
    evidence = [item(n, Evidence) for n in range(200, 260)]
    pruned = {m: propose(earlier, evidence, m) for m in (0.0, 0.2, 0.35, 0.5, 0.8)}
    weighed = reconcile._Candidates(evidence, 0.5)
    assert sum(len(weighed.of(old)) for old in earlier) < len(earlier) * len(evidence) / 3
    monkeypatch.setattr(reconcile._Candidates, "of", lambda self, old: self.evidence)
    for threshold, proposals in pruned.items():
        assert proposals == propose(earlier, evidence, threshold), threshold
    assert pruned[0.5] and pruned[0.0] != pruned[0.5]
