"""Every command that draws a table, run in a real pseudo-terminal at 80 and 120 columns: no
line is wider than the terminal (so the terminal never breaks one), and every word shown is a
whole word of the tracker's data or of bptrack's own text, never a piece of one."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

BPTRACK = str(Path(sys.executable).with_name("bptrack"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WORD = re.compile(r"[A-Za-z]{3,}")


def in_terminal(home: Path, columns: int, *args: str) -> str:
    """What a terminal of `columns` shows of the command's stdout and stderr."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR",
                                                              "NO_COLOR", "BPTRACK_DB")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), TERM="xterm", BPTRACK_ACTOR="rso")
    proc = subprocess.Popen([BPTRACK, *args], stdin=follower, stdout=follower,
                            stderr=follower, env=env, cwd=home, close_fds=True)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed its side
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, b"".join(chunks).decode()
    return ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")


def known_words(home: Path) -> set[str]:
    """Every word of the tracker's data and of bptrack's help: what a screen may show."""
    texts = [(ROOT / "seed" / "ahg-som-16-outcomes.txt").read_text()]
    for args in (["list", "--all", "--format", "json"], ["body", "list", "--format", "json"],
                 ["member", "list", "--format", "json"], ["history", "--format", "json"],
                 ["meeting", "show", "AHG16", "--format", "json"]):
        texts.append(run(home, *args).stdout)
    return {w.lower() for text in texts for w in WORD.findall(text)}


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "BPTRACK_ACTOR": "rso"}
    env.pop("BPTRACK_DB", None)
    done = subprocess.run([BPTRACK, *args], capture_output=True, text=True, env=env, cwd=home,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def own_words() -> set[str]:
    """bptrack's own words (headings, labels, messages): every word of its source."""
    return {w.lower() for path in (ROOT / "src" / "bptrack").rglob("*.py")
            for w in WORD.findall(path.read_text())}


@pytest.fixture(scope="module")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pty")
    statement = home / "ahg17.txt"
    statement.write_text(
        "Co-Chairs' Statement\nSeventeenth Meeting of the Ad Hoc Group Senior Officials\n"
        "Bangkok, Thailand, 4 December 2024\n\nThe Working Group on Trafficking in Persons "
        "will circulate a draft workplan for 2025-2026 to all members by March 2025.\n")
    run(home, "db", "init")
    run(home, "assign", "9", "Kingdom of Thailand Ministry of Social Development and Human "
        "Security <focal.point@example.org>")
    run(home, "block", "12", "--note", "Waiting for the co-chairs to agree the terms of "
        "reference for the supplementary research")
    run(home, "edit", "11", "--due", "+5d")
    run(home, "close", "8", "--note", "Memorandum with the ASEAN Secretariat signed")
    (home / "words.txt").write_text(" ".join(sorted(known_words(home))))
    return home


COMMANDS = [["list"], ["list", "--all"], ["show", "9"], ["show", "12"], ["history"],
            ["report"], ["report", "--since-meeting", "AHG16"], ["remind"],
            ["meeting", "list"], ["meeting", "show", "AHG16"], ["body", "list"],
            ["member", "list"], ["meeting", "import", "ahg17.txt", "--dry-run"]]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_word_is_split_across_lines(tracker: Path, columns: int, args: list[str]) -> None:
    screen = in_terminal(tracker, columns, *args)
    words = set((tracker / "words.txt").read_text().split()) | own_words()
    extra = {w.lower() for w in WORD.findall((tracker / "ahg17.txt").read_text())}
    for line in screen.splitlines():
        assert len(line) <= columns, f"wider than {columns} columns: {line!r}"
        # A word cut short to fit its column ends in "…"; any other must be whole
        for word in WORD.findall(re.sub(r"[A-Za-z]+…", "…", line)):
            assert word.lower() in words | extra, f"{word!r} is not a whole word: {line!r}"
