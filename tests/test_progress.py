"""Long work shows its progress on stderr to a person at a terminal, and nothing to a pipe
(cron, scripts): a real pseudo-terminal for `db load` of 20,000 actions and an xlsx export
of 80,000."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from test_terminal_words import BPTRACK, in_terminal

ROOT = Path(__file__).resolve().parents[1]


def generated(folder: Path, actions: int) -> Path:
    db = folder / "big.db"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(actions), str(db)],
                   check=True, capture_output=True, timeout=300)
    return db


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory.mktemp("big"), 20_000)


@pytest.fixture(scope="module")
def bigger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough actions for an xlsx list to take over a second (20,000 take half of one)."""
    return generated(tmp_path_factory.mktemp("bigger"), 80_000)


def piped(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}
    for name in ("BPTRACK_DB", "TTY_COMPATIBLE", "FORCE_COLOR"):
        env.pop(name, None)
    done = subprocess.run([BPTRACK, *args], capture_output=True, text=True, env=env,
                          cwd=home, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_an_xlsx_export_shows_progress_on_a_terminal_only(bigger: Path, tmp_path: Path) -> None:
    shown = in_terminal(tmp_path, 100, "--db", str(bigger), "list", "--all", "--format", "xlsx",
                        "--output", "actions.xlsx")
    assert "Writing actions.xlsx" in shown and "80024/80024" in shown, shown  # and the seed
    assert shown.rstrip().endswith("Wrote the xlsx list to actions.xlsx.")
    quiet = piped(tmp_path, "--db", str(bigger), "list", "--all", "--format", "xlsx",
                  "--output", "again.xlsx")
    assert quiet.stderr == "Wrote the xlsx list to again.xlsx.\n"


def test_db_load_shows_progress_on_a_terminal_only(big: Path, tmp_path: Path) -> None:
    dump = tmp_path / "dump.json"
    piped(tmp_path, "--db", str(big), "db", "export", "--output", str(dump))
    shown = in_terminal(tmp_path, 100, "--db", str(tmp_path / "a.db"), "db", "load", str(dump))
    assert f"Loading {dump}" in shown, shown
    assert "Loaded 20024 actions" in shown, shown
    quiet = piped(tmp_path, "--db", str(tmp_path / "b.db"), "db", "load", str(dump))
    assert "Loading" not in quiet.stderr and "\x1b" not in quiet.stderr
    hushed = in_terminal(tmp_path, 100, "--db", str(tmp_path / "c.db"), "db", "load",
                         str(dump), "--quiet")
    assert "Loading" not in hushed, hushed


def test_a_long_import_is_summarised_on_a_terminal_and_whole_when_piped(tmp_path: Path
                                                                       ) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text("Action,Lead,Deadline,Status\n" + "".join(
        f"Commitment {n} on regional cooperation,RSO,2031-06-30,"
        f"{'Done' if n % 3 == 0 else 'Open'}\n" for n in range(60)), encoding="utf-8")
    dry = in_terminal(tmp_path, 120, "import", str(sheet), "--dry-run")
    assert "60 rows" in dry and "Status: 40 open, 20 done" in dry, dry
    shown = [line for line in dry.splitlines() if "Commitment " in line]
    assert len(shown) == 20, dry
    assert "and 40 more: --format json for all" in dry
    everything = piped(tmp_path, "import", str(sheet), "--dry-run")
    assert len([line for line in everything.stdout.splitlines() if "Commitment " in line]) == 60
