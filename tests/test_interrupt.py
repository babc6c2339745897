"""Ctrl-C anywhere: exit 130, one line on stderr, no traceback, and the file being written
never left behind half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_e2e import console_script
from test_hostile import interruptible

ROOT = Path(__file__).resolve().parents[1]


def test_ctrl_c_during_an_xlsx_write_leaves_no_file_and_no_traceback(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "150000", str(db)],
                   check=True, capture_output=True, timeout=300)
    (tmp_path / "home").mkdir(exist_ok=True)
    scratch = tmp_path / "scratch"  # the temporary files of the process
    scratch.mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "BPTRACK_DB": str(db),
           "TMPDIR": str(scratch)}
    writing = subprocess.Popen([console_script(), "list", "--all", "--format", "xlsx",
                                "--output", "actions.xlsx"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=interruptible)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".actions.xlsx.*.part")):  # the workbook is being written
        assert writing.poll() is None and time.monotonic() < deadline, writing.communicate()
        time.sleep(0.02)
    time.sleep(0.2)  # well into its rows (150,000 take seconds)
    writing.send_signal(signal.SIGINT)
    _, err = writing.communicate(timeout=60)
    assert writing.returncode == 130, err
    assert err.strip().splitlines() == ["Error: interrupted"], err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.db", "home", "scratch"]
    assert list(scratch.iterdir()) == []  # nor any of its rows waiting in a temporary file


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _in_group(group: int) -> list[int]:
    """The processes of this process group (the fifth field of /proc/PID/stat)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended as we looked
            continue
        if int(fields[2]) == group:
            found.append(int(stat.parent.name))
    return found


def test_ctrl_c_while_a_pdf_is_read_stops_its_readers_too(tmp_path: Path) -> None:
    """A long PDF is read by a child in a session of its own and a reader that child forks:
    Ctrl-C stops bptrack with one line, and neither of them is left running."""
    statement = tmp_path / "long.pdf"
    subprocess.run([sys.executable, str(ROOT / "bench" / "big_files.py"), "statement",
                    str(statement), "150"], check=True, capture_output=True, timeout=300)
    (tmp_path / "home").mkdir(exist_ok=True)  # HOME is made for each test (conftest)
    env = {**os.environ, "HOME": str(tmp_path / "home"), "BPTRACK_DB": str(tmp_path / "t.db")}
    subprocess.run([console_script(), "db", "init"], env=env, check=True, capture_output=True)
    reading = subprocess.Popen([console_script(), "meeting", "import", str(statement),
                                "--dry-run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    deadline = time.monotonic() + 60
    child = None
    while child is None or not _children(child):  # the child, and the reader it forked
        assert reading.poll() is None and time.monotonic() < deadline, reading.communicate()
        child = next(iter(_children(reading.pid)), None)
        time.sleep(0.01)
    reading.send_signal(signal.SIGINT)
    _, err = reading.communicate(timeout=60)
    assert reading.returncode == 130, err
    assert err.strip().splitlines() == ["Error: interrupted"], err
    while _in_group(child) and time.monotonic() < deadline:  # SIGKILL takes a moment
        time.sleep(0.01)
    assert _in_group(child) == []
