"""The installed console script, as a new user runs it: fresh HOME, no flags, real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def console_script() -> str:
    candidate = Path(sys.executable).parent / "bptrack"
    found = str(candidate) if candidate.exists() else shutil.which("bptrack")
    if not found:
        pytest.fail("the bptrack console script is not installed: pip install '.[test]'")
    return found


def run_in(tmp_path: Path, *args: str, db: str = "tracker.db", actor: str = "tester",
           env: dict[str, str] | None = None, timeout: int = 120
           ) -> subprocess.CompletedProcess[str]:
    """The installed bptrack in `tmp_path`: its own HOME, and `db` there (or a URL), no stdin."""
    (tmp_path / "home").mkdir(exist_ok=True)
    full = {"HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8", "BPTRACK_ACTOR": actor,
            "BPTRACK_DB": db if "://" in db or db.startswith("/") else str(tmp_path / db),
            **(env or {})}
    return subprocess.run([console_script(), *args], capture_output=True, text=True, env=full,
                          cwd=tmp_path, timeout=timeout, stdin=subprocess.DEVNULL)


def bptrack(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run([console_script(), *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=60, stdin=subprocess.DEVNULL)


def test_fresh_home_seeds_and_lists(tmp_path: Path) -> None:
    home = tmp_path / "fresh-home"
    home.mkdir()
    first = bptrack(home, "list", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    db = home / ".local" / "share" / "bptrack" / "bptrack.db"
    assert first.stderr.strip() == (
        f"Created {db} and seeded 24 actions from the AHG16 outcome statement.")
    assert first.stdout.splitlines()[0].split("\t")[:3] == ["9", "AHG16-09", "2023-12-31"]
    assert "\x1b" not in first.stdout
    assert oct(db.stat().st_mode & 0o777) == "0o600"

    close = bptrack(home, "close", "AHG16-09", "--note", "done", cwd=tmp_path)
    assert close.returncode == 0, close.stderr
    listed = bptrack(home, "list", "--all", "--format", "json", cwd=tmp_path)
    items = {i["ref"]: i for i in json.loads(listed.stdout)}
    assert len(items) == 24 and items["AHG16-09"]["status"] == "done"


def test_broken_pipe_is_quiet(tmp_path: Path) -> None:
    home = tmp_path / "fresh-home"
    home.mkdir()
    bptrack(home, "db", "init", cwd=tmp_path)
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "")}
    proc = subprocess.run(f"'{console_script()}' list --all --format json | head -1",
                          shell=True, capture_output=True, text=True, env=env, timeout=60)
    assert proc.stdout == "[\n"
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr
