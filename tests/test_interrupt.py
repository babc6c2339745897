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
