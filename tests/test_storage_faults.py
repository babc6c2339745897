"""Storage faults are named for what they are: a full disk, an I/O error, a damaged file.

A full disk is a real one: a tiny tmpfs mounted for the test (skipped where mounting is not
allowed). A damaged database is a real bptrack file, cut short or overwritten in the middle.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_e2e import run_in


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    assert os.statvfs(disk).f_bavail == 0


def test_full_disk_is_called_a_full_disk_and_nothing_changes(tmp_path: Path,
                                                             small_disk: Path) -> None:
    db = str(small_disk / "tracker.db")
    assert run_in(tmp_path, "db", "init", db=db).returncode == 0
    for side in ("-wal", "-shm"):
        Path(db + side).unlink(missing_ok=True)
    fill(small_disk)
    for args in (["list"], ["show", "9"], ["close", "9"], ["note", "9", "x" * 3000],
                 ["add", "A new commitment", "--owner", "WGTIP"]):
        result = run_in(tmp_path, *args, db=db)
        assert result.returncode == 3, (args, result.stderr)
        assert result.stderr.startswith("Error: disk full:"), result.stderr
        assert "not a bptrack database" not in result.stderr
        assert "the database was not changed" in result.stderr
    (small_disk / "filler").unlink()
    listed = run_in(tmp_path, "list", "--all", "--format", "json", db=db)
    assert listed.returncode == 0, listed.stderr
    import json

    actions = json.loads(listed.stdout)
    assert len(actions) == 24
    assert next(a for a in actions if a["id"] == 9)["status"] == "open"


def damaged(tmp_path: Path, how: str) -> str:
    db = tmp_path / f"{how}.db"
    assert run_in(tmp_path, "db", "init", db=str(db)).returncode == 0
    assert run_in(tmp_path, "list", db=str(db)).returncode == 0  # checkpointed on close
    size = db.stat().st_size
    with sqlite3.connect(db) as conn:  # the action table's first page, which `list` reads
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'action'"
                               ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    with open(db, "r+b") as fh:
        if how == "truncated":
            fh.truncate(size // 2)
        else:
            fh.seek(page_size * (root - 1))
            fh.write(b"\xff" * 3000)
    return str(db)


@pytest.mark.parametrize("how", ["truncated", "overwritten"])
def test_db_check_on_a_damaged_file_exits_1_with_findings(tmp_path: Path, how: str) -> None:
    db = damaged(tmp_path, how)
    before = Path(db).read_bytes()
    checked = run_in(tmp_path, "db", "check", db=db)
    assert checked.returncode == 1, checked.stderr
    findings = checked.stdout.splitlines()
    assert findings and all(f.startswith("integrity: ") for f in findings), checked.stdout
    assert "problem" in checked.stderr and "not a bptrack database" not in checked.stderr
    listed = run_in(tmp_path, "list", db=db)
    assert listed.returncode == 3
    assert "is damaged" in listed.stderr and "db check" in listed.stderr
    assert "not a bptrack database" not in listed.stderr
    assert Path(db).read_bytes() == before  # neither command wrote to it


def test_only_a_foreign_file_is_called_not_a_bptrack_database(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("shopping list\n" * 20)
    result = run_in(tmp_path, "db", "check", db=str(tmp_path / "notes.db"))
    assert result.returncode == 3
    assert "is not a bptrack database (not an SQLite file)" in result.stderr
    assert (tmp_path / "notes.db").read_text() == "shopping list\n" * 20


def test_db_check_on_a_healthy_file_says_ok(tmp_path: Path) -> None:
    assert run_in(tmp_path, "db", "init").returncode == 0
    result = run_in(tmp_path, "db", "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "ok" and result.stdout == ""


def test_backup_onto_a_full_disk_fails_and_leaves_nothing(tmp_path: Path,
                                                          small_disk: Path) -> None:
    assert run_in(tmp_path, "db", "init").returncode == 0
    fill(small_disk)
    result = run_in(tmp_path, "db", "backup", str(small_disk / "copy.db"))
    assert result.returncode in (1, 3), result.stderr
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]  # no .part left
