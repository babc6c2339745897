"""Completion in real bash, zsh and fish processes, with the scripts `--show-completion SHELL`
prints: every candidate is a whole id or option, never a fragment of help text. The shells
come from the distribution (`.ci/run` installs zsh and fish); a missing one is skipped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from test_e2e import console_script, run_in


def shell(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (apt-get install {name})")
    return found


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    assert run_in(tmp_path, "db", "init").returncode == 0
    assert run_in(tmp_path, "close", "AHG16-12").returncode == 0  # not offered by close
    return {"HOME": str(tmp_path / "home"), "BPTRACK_DB": str(tmp_path / "tracker.db"),
            "PATH": f"{Path(console_script()).parent}:{os.environ.get('PATH', '')}",
            "LANG": "C.UTF-8"}


ACTIVE_IDS = ["1", "3", "5", "6", "7", "8", "9", "11", "15", "16", "17", "18", "19", "20", "23"]


def test_show_completion_honours_the_shell_named(env: dict[str, str]) -> None:
    for name, marker in (("bash", "complete_bash"), ("zsh", "#compdef bptrack"),
                         ("fish", "complete_fish")):
        done = subprocess.run([console_script(), "--show-completion", name], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and marker in done.stdout, (name, done.stderr)
    bad = subprocess.run([console_script(), "--show-completion", "tcsh"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "bash, zsh, fish" in bad.stderr


def test_fish_offers_whole_ids_with_their_titles(env: dict[str, str]) -> None:
    fish = shell("fish")
    done = subprocess.run([fish, "-c", "bptrack --show-completion fish | source; "
                           "complete -C 'bptrack close '"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ACTIVE_IDS
    assert "AHG16-01 Continue virtual and hybrid meetings" in lines[0]
    options = subprocess.run([fish, "-c", "bptrack --show-completion fish | source; "
                              "complete -C 'bptrack list --st'"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert [line.split("\t")[0] for line in options.stdout.splitlines()] == ["--status"]


def test_zsh_offers_whole_ids_with_their_titles(env: dict[str, str]) -> None:
    zsh = shell("zsh")
    # The script's own function, run by zsh: its _arguments spec is printed, not shown.
    script = ("source <(bptrack --show-completion zsh 2>/dev/null | grep -v '^compdef'); "
              "_arguments() { print -r -- \"$@\"; }; words=(bptrack close ''); CURRENT=3; "
              "_bptrack_completion")
    done = subprocess.run([zsh, "-f", "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    spec = done.stdout.strip()
    assert spec.startswith("*: :((") and spec.endswith("))")
    entries = re.findall(r'"((?:[^"]|"")*)":"((?:[^"]|"")*)"', spec[len("*: :(("):-2])
    assert [value for value, _ in entries] == ACTIVE_IDS  # "id":"ref title", each whole
    assert entries[0][1].startswith("AHG16-01 Continue virtual and hybrid meetings")


def test_bash_offers_whole_ids(env: dict[str, str]) -> None:
    bash = shell("bash")
    script = ("source <(bptrack --show-completion bash); COMP_WORDS=(bptrack close ''); "
              "COMP_CWORD=2; _bptrack_completion bptrack; printf '%s\\n' \"${COMPREPLY[@]}\"")
    done = subprocess.run([bash, "-c", script], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == ACTIVE_IDS


def bash_candidates(env: dict[str, str], *words: str) -> list[str]:
    """What bash offers for the last of `words`, each without its title."""
    script = (f"source <(bptrack --show-completion bash); COMP_WORDS=({' '.join(words)}); "
              f"COMP_CWORD={len(words) - 1}; _bptrack_completion bptrack; "
              "printf '%s\\n' \"${COMPREPLY[@]}\"; complete -p bptrack >&2")
    done = subprocess.run([shell("bash"), "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "-o nosort" in done.stderr  # bash shows them in the order given
    return [line.split("  (")[0].strip() for line in done.stdout.splitlines()]


def test_bash_keeps_numeric_order_and_completes_assignees(env: dict[str, str]) -> None:
    assert subprocess.run([console_script(), "assign", "3", "Jane Doe"], env=env,
                          capture_output=True, timeout=60).returncode == 0

    def candidates(*words: str) -> list[str]:
        return bash_candidates(env, *words)

    who = candidates("bptrack", "assign", "9", "''")
    assert who[0] == "Jane Doe" and "Indonesia" in who and not any(w.isdigit() for w in who)
    assert candidates("bptrack", "assign", "9", "Indo") == ["Indonesia"]
    assert candidates("bptrack", "assign", "''")[:3] == ["1", "3", "5"]  # ids first
    assert candidates("bptrack", "assign", "9", "1") == ["1", "11", "15", "16", "17", "18",
                                                         "19"]


def test_bash_completes_commands_subcommands_and_options(env: dict[str, str]) -> None:
    """Once a command is typed, only it is built for completion (it is quicker): commands,
    a group's subcommands and options after --db are still all offered."""
    assert bash_candidates(env, "bptrack", "cl") == ["close"]
    assert {"import", "list", "reconcile"} <= set(bash_candidates(env, "bptrack", "meeting",
                                                                  "''"))
    assert bash_candidates(env, "bptrack", "--db", env["BPTRACK_DB"], "close", "--qu") == [
        "--quiet"]
    assert bash_candidates(env, "bptrack", "--debug", "close", "''") == ACTIVE_IDS


def test_zsh_and_fish_keep_the_program_order(env: dict[str, str]) -> None:
    zsh = shell("zsh")
    script = ("compdef() { :; }; source <(bptrack --show-completion zsh); "
              "zstyle -L ':completion:*:*:bptrack:*'")
    done = subprocess.run([zsh, "-f", "-c", script], env=env, capture_output=True, text=True,
                          timeout=60)
    assert "sort false" in done.stdout, (done.stdout, done.stderr)
    fish = shell("fish")
    done = subprocess.run([fish, "-c", "bptrack --show-completion fish | source; "
                           "complete -c bptrack"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert "complete -k " in done.stdout, (done.stdout, done.stderr)  # --keep-order
