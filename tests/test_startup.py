"""--help and --version must stay fast: they never import the storage stack or Rich tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "rich.table", "rich.console", "psycopg")
PROBE = """
import sys
sys.argv = ["bptrack", *{args!r}]
from bptrack.cli import run
try:
    run()
except SystemExit:
    pass
print("LOADED", *sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


def loaded_by(args: list[str], modules: tuple[str, ...] = HEAVY) -> str:
    """Which of `modules` running bptrack with `args` imported."""
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=modules)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]])
def test_help_and_version_import_nothing_heavy(args: list[str]) -> None:
    assert loaded_by(args) == "LOADED"


@pytest.mark.parametrize("args", [["list", "--help"], ["db", "--help"]])
def test_command_help_skips_the_storage_stack(args: list[str]) -> None:
    # Typer 0.29 coerces the group's options through pydantic before a subcommand's --help
    # runs, so only pydantic may appear here; never SQLAlchemy or Rich tables.
    assert loaded_by(args) in ("LOADED", "LOADED pydantic")


def test_python_dash_m() -> None:
    proc = subprocess.run([sys.executable, "-m", "bptrack", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("bptrack ")


# Only `meeting import`, `import`, `meeting reconcile` and the xlsx formats need these.
DOCUMENT_PARSERS = ("pypdf", "docx", "lxml", "tomlkit", "openpyxl", "rapidfuzz")
@pytest.mark.parametrize("args", [["--help"], ["list"], ["show", "9"], ["report"],
                                  ["meeting", "list"], ["meeting", "import", "--help"]])
def test_only_meeting_import_loads_the_document_parsers(args: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setenv("BPTRACK_DB", str(tmp_path / "tracker.db"))
    assert loaded_by(args, DOCUMENT_PARSERS) == "LOADED"
