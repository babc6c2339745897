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


def test_version_loads_no_output_module_nor_query() -> None:
    """`--version` builds no command and asks the output door for nothing."""
    behind = ("bptrack.output.views", "bptrack.output.formats", "bptrack.output.cells",
              "bptrack.store.db", "bptrack.store.queries.core")
    assert loaded_by(["--version"], behind) == "LOADED"


@pytest.mark.parametrize("args", [["list", "--help"], ["db", "--help"]])
def test_command_help_skips_the_storage_stack(args: list[str]) -> None:
    assert loaded_by(args) == "LOADED"


ORM = ("sqlalchemy", "sqlmodel", "pydantic")
EVERYDAY = (["list"], ["list", "--format", "json"], ["show", "9"], ["history"],
            ["history", "9"], ["add", "A commitment", "--owner", "RSO", "--due", "2030-01-01"],
            ["assign", "9", "Indonesia"], ["unassign", "9"], ["start", "3"],
            ["block", "3", "--note", "waiting"], ["close", "5", "--note", "done"],
            ["reopen", "5"], ["edit", "6", "--due", "2031-01-01"], ["note", "6", "a note"],
            ["undo"], ["remind"], ["remind", "--format", "json"], ["report"],
            ["report", "--format", "json"], ["report", "--format", "md", "--since", "2020-01-01"],
            ["calendar"], ["body", "list"])


def test_everyday_commands_never_import_the_orm(target: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """On an existing database the everyday commands run on DB-API alone (sqlite3, psycopg):
    neither SQLAlchemy, SQLModel nor pydantic is imported, on either backend."""
    monkeypatch.setenv("HOME", str(tmp_path))
    loaded_by(["--db", target, "db", "init"], ORM)  # creating it is the schema tools' work
    for args in EVERYDAY:  # one database for them all: creating it is the slow part
        assert loaded_by(["--db", target, *args], ORM) == "LOADED", args


def test_backup_and_export_run_on_db_api_alone(target: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """An export reads the tables as the database describes them, and SQLite's backup API
    needs no schema tools either (a PostgreSQL backup is an export)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    loaded_by(["--db", target, "db", "init"], ORM)
    dump = tmp_path / "dump.json"
    assert loaded_by(["--db", target, "db", "export", "--output", str(dump)], ORM) == "LOADED"
    assert '"action": [' in dump.read_text()
    if "://" not in target:
        copy = tmp_path / "copy.db"
        assert loaded_by(["--db", target, "db", "backup", str(copy)], ORM) == "LOADED"
        assert copy.stat().st_size > 0


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


def test_the_console_script_runs_the_command_with_the_collector_on() -> None:
    """bptrack.console loads the command line with the cyclic collector paused and frozen,
    then runs the command with it working (a long import or load still frees its cycles)."""
    probe = """
import gc, sys
import bptrack.cli
seen = []
bptrack.cli.run = lambda: seen.append((gc.isenabled(), gc.get_freeze_count() > 1000))
from bptrack.console import run
gc.enable()
run()
print(seen, gc.isenabled())
"""
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[(True,", "True)]", "True"]
