"""`--output` never destroys what it writes over: the database, devices, FIFOs, symlinks.

Through the installed console script. No test points --output at a real device under /dev:
the stand-ins (a FIFO, twins of /dev/null and /dev/full) live in the test's own directory, and
each test checks afterwards that its node is still what it was.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import PG_URL, pg_schema
from test_e2e import console_script, run_in

# (major, minor) of /dev/null and /dev/full on Linux.
DEV_NULL = os.makedev(1, 3)
DEV_FULL = os.makedev(1, 7)
# The commands that write a whole document to --output.
DOCUMENTS = [["report", "--format", "md"], ["calendar"], ["db", "export"]]


def run(tmp_path: Path, target: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in(tmp_path, *args, db=target)


def count_actions(tmp_path: Path, target: str) -> int:
    listed = run(tmp_path, target, "list", "--all", "--format", "ids")
    assert listed.returncode == 0, listed.stderr
    return len(listed.stdout.split())


def twin_device(tmp_path: Path, name: str, device: int) -> Path:
    node = tmp_path / name
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, device)
    except PermissionError:
        pytest.skip("mknod is not allowed here (the tests need root for device twins)")
    return node


@pytest.fixture
def sqlite_target(tmp_path: Path) -> str:
    db = tmp_path / "tracker.db"
    created = run(tmp_path, str(db), "db", "init")
    assert created.returncode == 0, created.stderr
    return str(db)


@pytest.mark.parametrize("spelling", ["tracker.db", "./sub/../tracker.db", "link.db",
                                      "hard.db", "tracker.db-wal", "tracker.db-shm"])
def test_never_over_the_open_database(tmp_path: Path, sqlite_target: str,
                                      spelling: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.db").symlink_to("tracker.db")
    os.link(sqlite_target, tmp_path / "hard.db")
    before = Path(sqlite_target).read_bytes()
    for args in (["report", "--format", "md"], ["calendar"], ["db", "export"]):
        result = run(tmp_path, sqlite_target, *args, "--output", spelling, "--force")
        assert result.returncode == 1, result.stderr
        assert "open database" in result.stderr and spelling in result.stderr
    assert Path(sqlite_target).read_bytes() == before
    assert (tmp_path / "link.db").is_symlink()
    assert count_actions(tmp_path, sqlite_target) == 24


def test_another_sqlite_file_needs_force(tmp_path: Path, sqlite_target: str) -> None:
    other = tmp_path / "other.db"
    made = run(tmp_path, str(other), "db", "init")
    assert made.returncode == 0, made.stderr
    before = other.read_bytes()
    refused = run(tmp_path, sqlite_target, "report", "--format", "md", "--output", "other.db")
    assert refused.returncode == 1, refused.stderr
    assert "other.db is a SQLite database" in refused.stderr and "--force" in refused.stderr
    assert other.read_bytes() == before
    forced = run(tmp_path, sqlite_target, "report", "--format", "md", "--output", "other.db",
                 "--force")
    assert forced.returncode == 0, forced.stderr
    assert other.read_text().startswith("#")


def test_other_sqlite_file_refused_from_postgresql(tmp_path: Path) -> None:

    if not PG_URL:
        pytest.skip("PostgreSQL tests need BPTRACK_TEST_PG_URL")
    other = tmp_path / "laptop.db"
    assert run(tmp_path, str(other), "db", "init").returncode == 0
    before = other.read_bytes()
    with pg_schema() as url:
        assert run(tmp_path, url, "db", "init").returncode == 0
        for args in (["report", "--format", "json"], ["calendar"], ["db", "export"]):
            refused = run(tmp_path, url, *args, "--output", str(other))
            assert refused.returncode == 1, refused.stderr
            assert "is a SQLite database" in refused.stderr
        written = run(tmp_path, url, "report", "--format", "json", "--output", "r.json")
        assert written.returncode == 0, written.stderr
    assert other.read_bytes() == before


def test_symlink_is_kept_and_its_target_updated(tmp_path: Path, sqlite_target: str) -> None:
    public = tmp_path / "public"
    public.mkdir()
    served = public / "bptrack.ics"
    served.write_text("old")
    os.chmod(served, 0o644)
    link = tmp_path / "feed.ics"
    link.symlink_to(served)
    for _ in range(2):  # the hourly cron job, twice
        result = run(tmp_path, sqlite_target, "calendar", "--output", str(link))
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and link.resolve() == served
        assert served.read_text().startswith("BEGIN:VCALENDAR")
    assert stat.S_IMODE(served.stat().st_mode) == 0o644  # the replaced file keeps its mode
    assert sorted(p.name for p in public.iterdir()) == ["bptrack.ics"]  # no temporary left


def umask_run(tmp_path: Path, target: str, umask: int, *args: str
              ) -> subprocess.CompletedProcess[str]:
    """The console script under a given umask (a shell sets it, as a login or cron would)."""
    script = " ".join(["umask", f"{umask:03o}", ";", "exec", console_script(),
                       *(f"'{a}'" for a in args)])
    (tmp_path / "home").mkdir(exist_ok=True)
    env = {"HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LANG": "C.UTF-8", "BPTRACK_DB": target}
    return subprocess.run(["sh", "-c", script], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120, env=env, stdin=subprocess.DEVNULL)


def test_shared_files_follow_the_umask_private_ones_stay_0600(tmp_path: Path,
                                                              sqlite_target: str) -> None:
    shared = {"r.md": ["report", "--output", "r.md"],
              "r.xlsx": ["report", "--output", "r.xlsx"],
              "feed.ics": ["calendar", "--output", "feed.ics"],
              "list.csv": ["list", "--format", "csv", "--output", "list.csv"]}
    for name, args in shared.items():
        result = umask_run(tmp_path, sqlite_target, 0o022, *args)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    result = umask_run(tmp_path, sqlite_target, 0o027, "report", "--output", "team.md")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "team.md").stat().st_mode) == 0o640
    # Exports and backups hold the whole tracker: private whatever the umask, even replacing.
    (tmp_path / "dump.json").write_text("old")
    os.chmod(tmp_path / "dump.json", 0o644)
    for args in (["db", "export", "--output", "dump.json"], ["db", "export", "--output",
                                                             "new.json"]):
        result = umask_run(tmp_path, sqlite_target, 0o022, *args)
        assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "dump.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600
    result = umask_run(tmp_path, sqlite_target, 0o022, "db", "backup", "copy.db")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(sqlite_target).stat().st_mode) == 0o600


def test_replaced_report_keeps_its_mode(tmp_path: Path, sqlite_target: str) -> None:
    result = run(tmp_path, sqlite_target, "report", "--output", "r.md")
    assert result.returncode == 0, result.stderr
    os.chmod(tmp_path / "r.md", 0o604)
    result = run(tmp_path, sqlite_target, "report", "--output", "r.md")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "r.md").stat().st_mode) == 0o604


@pytest.mark.parametrize("args", DOCUMENTS)
def test_character_device_is_written_into_not_replaced(tmp_path: Path, sqlite_target: str,
                                                       args: list[str]) -> None:
    null = twin_device(tmp_path, "null", DEV_NULL)
    result = run(tmp_path, sqlite_target, *args, "--output", str(null))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == DEV_NULL


def test_full_device_fails_with_exit_1(tmp_path: Path, sqlite_target: str) -> None:
    full = twin_device(tmp_path, "full", DEV_FULL)
    result = run(tmp_path, sqlite_target, "db", "export", "--output", str(full))
    assert result.returncode == 1, result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISCHR(full.lstat().st_mode) and full.lstat().st_rdev == DEV_FULL


def test_fifo_is_written_into(tmp_path: Path, sqlite_target: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(tmp_path, sqlite_target, "report", "--format", "json", "--output", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert received and received[0].startswith(b"{")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("args", [["report", "--format", "json"], ["calendar"],
                                  ["db", "export"]])
def test_dash_is_stdout(tmp_path: Path, sqlite_target: str, args: list[str]) -> None:
    result = run(tmp_path, sqlite_target, *args, "--output", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(("{", "BEGIN:VCALENDAR"))
    assert not (tmp_path / "-").exists()


def test_backup_keeps_symlinks_and_the_database(tmp_path: Path, sqlite_target: str) -> None:
    refused = run(tmp_path, sqlite_target, "db", "backup", "tracker.db")
    assert refused.returncode == 1, refused.stderr
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    refused = run(tmp_path, sqlite_target, "db", "backup", str(dangling))
    assert refused.returncode == 1, refused.stderr
    assert dangling.is_symlink() and not (tmp_path / "nowhere.db").exists()
    made = run(tmp_path, sqlite_target, "db", "backup", "copy.db")
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600
    assert count_actions(tmp_path, str(tmp_path / "copy.db")) == 24


def test_config_file_behind_a_symlink_stays_a_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "config.toml"
    real.write_text("# mine\n")
    config_dir = tmp_path / "home" / ".config" / "bptrack"
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").symlink_to(real)
    env = {"HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", ""),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config")}
    result = subprocess.run([console_script(), "config", "set", "remind_within", "7"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (config_dir / "config.toml").is_symlink()
    assert "remind_within = 7" in real.read_text() and "# mine" in real.read_text()
