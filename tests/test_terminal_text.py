"""Text that is not plain ASCII on a terminal: names of people and places from member states
line up in tables (their widths are Rich's, grapheme by grapheme), and Rich is imported only
for what a person looks at, never for piped output or completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_terminal_words import in_terminal, run

# Assignees whose width on a terminal is not their length in code points, with the width a
# terminal gives them (counted here by hand, grapheme by grapheme).
NAMES = {
    "Jose\u0301 Ramos": 10,  # e + a combining acute accent: one column
    "\U0001f469\u200d\U0001f4bb Ana": 6,  # woman technologist, one emoji sequence: two
    "山田 太郎": 9,  # CJK: two columns each
    "क्षितिज": 4,  # Devanagari: क्षि is one conjunct, two columns; ति and ज one each
    "Zero\u200bWidth": 9,  # a zero-width space takes none
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    run(tmp_path, "list", "--format", "ids")
    for n, name in enumerate(NAMES):
        run(tmp_path, "add", f"Commitment for focal point {n}", "--owner", "RSO",
            "--due", "2031-01-31")
        run(tmp_path, "assign", f"BP-{25 + n}", name)
    return tmp_path


@pytest.mark.parametrize("columns", [80, 120])
def test_non_ascii_names_line_up_in_a_terminal_table(home: Path, columns: int) -> None:
    shown = in_terminal(home, columns, "list", "--assignee", "", "--due-before", "2031-12-31")
    lines = [line for line in shown.splitlines() if "Commitment for focal point" in line]
    assert len(lines) == len(NAMES), shown
    starts = set()
    for line in lines:
        name = next(n for n in NAMES if n in line)
        as_columns = line.replace(name, "x" * NAMES[name])  # each column a character
        starts.add(as_columns.index("Commitment"))
        assert len(as_columns) <= columns
    assert len(starts) == 1, shown  # the title column starts at one place on every line


def imported(home: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """The bptrack modules and Rich's that a run of the command imported."""
    full = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"), **(env or {})}
    full.pop("BPTRACK_DB", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bptrack", *args],
                          capture_output=True, text=True, env=full, cwd=home, timeout=60)
    assert done.returncode == 0, done.stderr
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_rich_for_a_terminal_table_only(home: Path) -> None:
    assert "rich.cells" in imported(home, "list", env={"TTY_COMPATIBLE": "1"})
    piped = imported(home, "list")
    assert not any(m == "rich" or m.startswith("rich.") for m in piped)
    as_json = imported(home, "list", "--format", "json", env={"TTY_COMPATIBLE": "1"})
    assert not any(m == "rich" or m.startswith("rich.") for m in as_json)
    completing = imported(home, env={"_BPTRACK_COMPLETE": "complete_bash",
                                     "COMP_WORDS": "bptrack close ", "COMP_CWORD": "2"})
    assert not any(m == "rich" or m.startswith("rich.") for m in completing)
    # Completion (every <TAB>) prints through Typer: the output modules are never loaded.
    assert not {"bptrack.output.views", "bptrack.output.formats"} & set(completing)
