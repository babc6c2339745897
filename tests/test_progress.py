"""Long work shows its progress on stderr to a person at a terminal, and nothing to a pipe
(cron, scripts): a real pseudo-terminal for `db load` of 20,000 actions, an xlsx export of
80,000 and a sheet import of 10,000 rows; and the phases and ticks that drive the bars of
`db backup`, `meeting import` and `meeting reconcile`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bptrack.service.progress import Tick
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


@pytest.fixture(scope="module")
def tracker_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tracker") / "tracker.xlsx"
    subprocess.run([sys.executable, str(ROOT / "bench" / "big_files.py"), "tracker", str(path),
                    "10000"], check=True, capture_output=True, timeout=300)
    return path


def test_a_long_sheet_import_shows_progress_on_a_terminal_only(tracker_file: Path,
                                                               tmp_path: Path) -> None:
    shown = in_terminal(tmp_path, 100, "--db", str(tmp_path / "a.db"), "import",
                        str(tracker_file), "--create-bodies")
    assert "Reading tracker.xlsx" in shown or "Importing tracker.xlsx" in shown, shown
    assert "Imported 10000 actions" in shown, shown
    quiet = piped(tmp_path, "--db", str(tmp_path / "b.db"), "import", str(tracker_file),
                  "--create-bodies")
    assert "Reading" not in quiet.stderr and "\x1b" not in quiet.stderr
    hushed = in_terminal(tmp_path, 100, "--db", str(tmp_path / "c.db"), "import",
                         str(tracker_file), "--create-bodies", "--quiet")
    assert "Reading" not in hushed and "Imported 10000 actions" in hushed, hushed


class Watching:
    """A Progress (service/progress.py) that writes down each phase, its total and ticks."""

    def __init__(self) -> None:
        self.phases: dict[str, list[int | None]] = {}

    @contextmanager
    def __call__(self, what: str, total: Callable[[], int | None]) -> Iterator[Tick]:
        self.phases[what] = [None, 0]

        def tick(n: int) -> None:
            done = self.phases[what][1]
            assert done is not None
            self.phases[what][1] = done + n

        yield tick
        self.phases[what][0] = total()


def no_schema_tools() -> Any:
    raise AssertionError("an SQLite backup needs no schema tools (SQLAlchemy)")


def test_backup_reconcile_and_statement_reading_tick_through_their_work(
        big: Path, tmp_path: Path) -> None:
    """What drives their bars on a terminal: each phase's ticks add up to its total."""
    from bptrack import service
    from bptrack.config import Settings
    from bptrack.service import database, meetings, statements

    tracker = tmp_path / "tracker.db"  # a copy: the module's other tests read `big` as made
    shutil.copy(big, tracker)
    opened = service.connect(str(tracker), Settings())
    store = opened.store
    try:
        watching = Watching()
        database.backup(store, str(tmp_path / "copy.db"), tools=no_schema_tools,
                        progress=watching)
        total, ticked = watching.phases[f"Backing up to {tmp_path / 'copy.db'}"]
        assert total and ticked == total  # every page, and the total counted pages
        meeting = ROOT / "bench" / "reconcile" / "ahg17.txt"
        opened_tools = service.open_schema_tools(str(tracker), Settings())
        statements.import_statement(store, lambda: opened_tools.store, "rso", str(meeting),
                                    progress=watching)
        opened_tools.store.close()
        assert "Reading ahg17.txt" in watching.phases
        meetings.reconcile_meeting(store, "AHG17", progress=watching)
        total, ticked = watching.phases["Reconciling AHG17"]
        assert total and total >= 10_000 and ticked == total // 1000 * 1000
    finally:
        store.close()


def test_a_long_report_document_shows_progress_on_a_terminal_only(big: Path,
                                                                  tmp_path: Path) -> None:
    """A Word report of 20,000 actions takes seconds (python-docx builds every cell); one of
    5,000 now takes about as long as the half second before a bar is drawn."""
    db = big
    shown = in_terminal(tmp_path, 100, "--db", str(db), "report", "--output", "report.docx")
    assert "Writing report.docx" in shown, shown
    assert shown.rstrip().endswith("Wrote the docx report to report.docx.")
    quiet = piped(tmp_path, "--db", str(db), "report", "--output", "again.docx")
    assert quiet.stderr == "Wrote the docx report to again.docx.\n"
    hushed = in_terminal(tmp_path, 100, "--db", str(db), "report", "--output", "third.docx",
                         "--quiet")
    assert "Writing" not in hushed, hushed


def test_an_export_shows_progress_and_then_says_where_it_went(bigger: Path,
                                                              tmp_path: Path) -> None:
    """The bar counts the rows in the export's own transaction (asking on its own opened a
    second one inside it), and goes before the message that the export was written."""
    dump = tmp_path / "dump.json"
    shown = in_terminal(tmp_path, 100, "--db", str(bigger), "db", "export", "--output",
                        str(dump))
    assert f"Exporting to {dump}" in shown, shown
    assert " ".join(shown.split()).endswith(f"Wrote the export to {dump}."), shown
    assert '"format": "bptrack-export"' in dump.read_text()[:200]
