"""Help a user reads: every command's --help, through the installed console script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_e2e import run_in

OPTION = re.compile(r"^\s+(-[A-Za-z]), (--[a-z][a-z-]*)")


GROUPS = ("meeting", "db", "config", "body", "member")


def commands(tmp_path: Path) -> list[list[str]]:
    """Every command and subcommand, read from the help itself."""
    found: list[list[str]] = []
    for group in ([], *([g] for g in GROUPS)):
        result = run_in(tmp_path, *group, "--help", env={"COLUMNS": "80"})
        assert result.returncode == 0, result.stderr
        listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
        names = [line.split()[0] for line in listed if line.strip()]
        found += [[*group, name] for name in names if group or name not in GROUPS]
    return found


@pytest.mark.parametrize("group", [[], ["meeting"], ["db"], ["config"]])
def test_summaries_fit_80_columns(tmp_path: Path, group: list[str]) -> None:
    result = run_in(tmp_path, *group, "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    for line in result.stdout.split("Commands:\n", 1)[1].splitlines():
        assert not line.endswith("..."), f"summary cut short: {line!r}"
        assert len(line) <= 80, line


def test_short_options_mean_one_thing_everywhere(tmp_path: Path) -> None:
    meaning: dict[str, set[str]] = {}
    where: dict[str, list[str]] = {}
    every = commands(tmp_path)
    assert ["list"] in every and ["meeting", "import"] in every and len(every) > 25
    for command in every:
        result = run_in(tmp_path, *command, "--help", env={"COLUMNS": "200"})
        assert result.returncode == 0, (command, result.stderr)
        for line in result.stdout.splitlines():
            match = OPTION.match(line)
            if match:
                meaning.setdefault(match[1], set()).add(match[2])
                where.setdefault(match[1], []).append(" ".join(command))
    clashes = {short: (longs, where[short]) for short, longs in meaning.items()
               if len(longs) > 1}
    assert not clashes
    assert meaning["-n"] == {"--note"} and meaning["-L"] == {"--limit"}
    assert meaning["-o"] == {"--owner"}


@pytest.mark.parametrize("command", [["assign"], ["close"], ["show"], ["history"],
                                     ["note"], ["add"], ["meeting", "import"],
                                     ["config", "set"]])
def test_help_shows_metavars_not_python_types(tmp_path: Path, command: list[str]) -> None:
    result = run_in(tmp_path, *command, "--help", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "<str>" not in text and "<list[" not in text and "<int>" not in text, text
    assert "{" not in text.splitlines()[0], text.splitlines()[0]
    assert "[[" not in text


def test_assign_usage_reads_as_ids_then_who(tmp_path: Path) -> None:
    result = run_in(tmp_path, "assign", "--help", env={"COLUMNS": "100"})
    assert result.stdout.splitlines()[0] == "Usage: bptrack assign [OPTIONS] ID... WHO"
    result = run_in(tmp_path, "history", "--help", env={"COLUMNS": "100"})
    assert result.stdout.splitlines()[0] == "Usage: bptrack history [OPTIONS] [ID]"


def test_limit_is_L_and_note_is_n(tmp_path: Path) -> None:
    listed = run_in(tmp_path, "list", "-L", "2", "--format", "ids")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.split()) == 2
    closed = run_in(tmp_path, "close", "9", "-n", "Held in March")
    assert closed.returncode == 0, closed.stderr
    shown = run_in(tmp_path, "show", "9", "--format", "json")
    import json

    assert json.loads(shown.stdout)["resolution"] == "Held in March"
    old = run_in(tmp_path, "list", "-n", "2")  # the old spelling fails loudly, not silently
    assert old.returncode == 2 and "-n" in old.stderr
