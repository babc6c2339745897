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
