"""Bounded input: each hostile file of tests/hostile_files.py, given to the installed bptrack,
ends in exit 1 with one `Error:` line that names the limit, within 30 s and under 1 GB."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_files import CASES, prose, run_bounded

SECONDS = 30
MEGABYTES = 1024


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_is_refused_quickly(name: str, tmp_path: Path) -> None:
    case = CASES[name](tmp_path)
    code, stderr, seconds, peak = run_bounded(case.args, tmp_path, case.env)
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert code == 1, stderr
    assert len(errors) == 1 and lines[-1] == errors[0], stderr
    assert "unexpected" not in stderr.lower(), stderr
    assert case.says in errors[0].lower(), errors[0]
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < MEGABYTES, f"{name}: {peak:.0f} MB"


def test_the_reader_is_linear_in_a_one_line_text(tmp_path: Path) -> None:
    """Running prose with no full stop, read to its end: twice the text, about twice the time
    (a quadratic reader took 45.6 s for 1 MB and 167.6 s for 2 MB)."""
    times = {}
    for megabytes in (1, 2):
        path = prose(tmp_path, megabytes)
        code, stderr, seconds, _ = run_bounded(
            ["meeting", "import", str(path), "--dry-run", "--format", "json"], tmp_path, {})
        assert code == 0, stderr
        times[megabytes] = seconds
    assert times[2] < 10, times
    assert times[2] / times[1] < 3, times  # quadratic would be 4
