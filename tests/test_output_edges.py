"""What #19 asked of the output, each through the installed console script."""

from __future__ import annotations

import json
from pathlib import Path

from test_e2e import run_in


def test_history_shows_the_last_50_newest_last_with_a_footer(tmp_path: Path) -> None:
    for n in range(1, 31):
        assert run_in(tmp_path, "note", "9", f"note {n}", "--quiet").returncode == 0
    shown = run_in(tmp_path, "history", env={"FORCE_COLOR": ""})
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 50 and lines[-1].endswith("(note 30)")
    assert shown.stderr.strip() == "showing the last 50 of 54 changes (use --all for every one)"
    every = run_in(tmp_path, "history", "--all")
    assert len(every.stdout.splitlines()) == 54 and every.stderr == ""
    as_json = json.loads(run_in(tmp_path, "history", "--format", "json").stdout)
    assert len(as_json) == 54  # machine formats are never cut
    one = run_in(tmp_path, "history", "9")
    assert len(one.stdout.splitlines()) == 31 and one.stderr == ""


DATE_OPTIONS = (["report", "--as-of"], ["report", "--since"], ["list", "--due-before"],
                ["history", "--since"], ["add", "A new commitment", "--owner", "RSO", "--due"],
                ["edit", "11", "--due"])


def test_every_date_option_has_a_range_and_a_clear_error(tmp_path: Path) -> None:
    for option in DATE_OPTIONS:
        for extreme in ("0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31", "+99999999d",
                        "+999999999999w", "+400000m"):
            result = run_in(tmp_path, *option, extreme)
            assert result.returncode == 1, (option, extreme, result.stderr)
            assert "out of range: give a date from 1900 to 2999" in result.stderr, result.stderr
            assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
        for edge in ("1900-01-01", "2999-12-31"):
            result = run_in(tmp_path, *option, edge)
            assert result.returncode == 0, (option, edge, result.stderr)
        for nonsense in ("2024-02-30", "99999-01-01", "soon"):
            result = run_in(tmp_path, *option, nonsense)
            assert result.returncode == 1, (option, nonsense)
            assert result.stderr.startswith("Error: ") and "unexpected" not in result.stderr
    shown = json.loads(run_in(tmp_path, "show", "11", "--format", "json").stdout)
    assert shown["due"] == "2999-12-31"
    report = run_in(tmp_path, "report", "--as-of", "2999-12-31", "--since", "1900-01-01",
                    "--format", "json")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["totals"]["overdue"] > 0
