"""Everyday ergonomics: completion, pipelines, bulk confirmation, config, generated docs."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Cli

ROOT = Path(__file__).parents[1]


def bptrack() -> str:
    return str(Path(sys.executable).parent / "bptrack")


def complete(target: str, shell: str, line: str) -> str:
    """Ask the installed bptrack for completions exactly as the shell scripts do."""
    words = line.split(" ")
    env = {**os.environ, "BPTRACK_DB": target, "_BPTRACK_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    proc = subprocess.run([bptrack()], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_bash_close_offers_open_ids_with_titles(cli: Cli, target: str) -> None:
    cli.ok("close", "11")
    lines = complete(target, "bash", "bptrack close ").splitlines()
    ids = [line.split()[0] for line in lines]
    assert ids == ["1", "3", "5", "6", "7", "8", "9", "12", "15", "16", "17", "18", "19", "20",
                   "23"]  # the open actions and ongoing items; not 11, nor the records
    jpa = next(line for line in lines if line.startswith("9 "))
    assert "AHG16-09 Initiate another Joint Period of Action in 2023" in jpa
    # Once one candidate is left, bash gets the bare id to insert.
    assert complete(target, "bash", "bptrack close 23").split("\n")[0] == "23"
    # Closed actions, not the records (which are "done" from the start).
    assert complete(target, "bash", "bptrack reopen 1").split()[0] == "11"


def test_zsh_and_fish_get_titles_too(cli: Cli, target: str) -> None:
    cli.ok("list", "--format", "ids")
    zsh = complete(target, "zsh", "bptrack close ")
    assert '"9":"AHG16-09 Initiate another Joint Period' in zsh
    fish = complete(target, "fish", "bptrack show AHG16-0")
    assert "AHG16-09\tInitiate another Joint Period" in fish


@pytest.mark.parametrize(("line", "expected"), [
    ("bptrack list --owner WG", ["WGDPS", "WGTIP"]),
    ("bptrack list --status in", ["in_progress"]),
    ("bptrack list --format c", ["csv"]),
    ("bptrack list --sort ow", ["owner"]),
    ("bptrack list --meeting A", ["AHG16"]),
    ("bptrack cl", ["close"]),
])
def test_bash_completes_options_and_values(cli: Cli, target: str, line: str,
                                           expected: list[str]) -> None:
    cli.ok("list", "--format", "ids")
    assert [entry.split()[0] for entry in complete(target, "bash", line).splitlines()] == \
        expected


def test_assignee_completion(cli: Cli, target: str) -> None:
    cli.ok("assign", "9", "11", "Thailand")
    assert complete(target, "bash", "bptrack list --assignee Th").startswith("Thailand")


def test_completion_imports_nothing_heavy(cli: Cli, target: str) -> None:
    cli.ok("list", "--format", "ids")
    probe = ("import sys\nsys.argv=['bptrack']\nfrom bptrack.cli import run\ntry:\n    run()\n"
             "except SystemExit:\n    pass\nprint('LOADED', *sorted(m for m in ('sqlalchemy',"
             " 'sqlmodel', 'rich.table') if m in sys.modules), file=sys.stderr)")
    env = {**os.environ, "BPTRACK_DB": target, "_BPTRACK_COMPLETE": "complete_bash",
           "COMP_WORDS": "bptrack close ", "COMP_CWORD": "2"}
    proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=60)
    if "://" in target:  # PostgreSQL is read through the store
        assert "9" in proc.stdout
        return
    assert proc.stderr.strip().splitlines()[-1] == "LOADED"
    assert "9" in proc.stdout


def test_show_completion_script(cli: Cli) -> None:
    run = cli.ok("--show-completion", "bash")
    assert "_BPTRACK_COMPLETE=complete_bash" in run.stdout


def test_pipeline_assigns_each_piped_id_once(target: str, cli: Cli) -> None:
    cli.ok("list", "--format", "ids")
    env = {**os.environ, "BPTRACK_DB": target}
    proc = subprocess.run(f"'{bptrack()}' list --owner WGTIP --format ids | "
                          f"'{bptrack()}' assign - Thailand", shell=True, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("Assigned #") == 4
    for action_id in ("5", "6", "7", "8"):
        events = cli.json("history", action_id)
        assert [(e["type"], e["new"]) for e in events[1:]] == [("assign", "Thailand")]


def test_stdin_ids_all_or_nothing_and_quiet(cli: Cli) -> None:
    run = cli("close", "-", input="9\n11\n999\n")
    assert run.exit_code == 1 and "999" in run.stderr
    assert cli.json("show", "9")["status"] == "open"
    run = cli("close", "--from-stdin", "--quiet", input="9 11")
    assert run.exit_code == 0 and run.stderr == ""
    assert cli.json("show", "11")["status"] == "done"
    empty = cli("close", "-", input="")
    assert empty.exit_code == 1 and "no ids arrived on stdin" in empty.stderr


def test_bulk_change_needs_yes_without_a_terminal(cli: Cli) -> None:
    for n in range(25):
        cli.ok("add", f"Bulk {n}", "--owner", "RSO", "--quiet")
    ids = cli.ok("list", "--search", "Bulk", "--format", "ids").stdout
    run = cli("assign", "-", "Thailand", input=ids)
    assert run.exit_code == 1 and "needs --yes" in run.stderr
    assert all(a["assignee"] is None for a in cli.json("list", "--search", "Bulk"))
    cli.ok("assign", "-", "Thailand", "--yes", input=ids)
    assert all(a["assignee"] == "Thailand" for a in cli.json("list", "--search", "Bulk"))


def _on_a_terminal(args: list[str], answer: bytes, env: dict[str, str]) -> tuple[int, str]:
    """Run bptrack with a pseudo-terminal as stdin; answer its prompt."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([bptrack(), *args], stdin=slave, stdout=subprocess.PIPE,
                            stderr=slave, env=env)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in seen and time.monotonic() < deadline and proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            seen += os.read(master, 1024)
    os.write(master, answer)
    code = proc.wait(timeout=60)
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            break
        try:
            chunk = os.read(master, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return code, seen.decode(errors="replace")


def test_bulk_change_asks_on_a_terminal(cli: Cli, target: str) -> None:
    for n in range(22):
        cli.ok("add", f"Bulk {n}", "--owner", "RSO", "--quiet")
    ids = cli.ok("list", "--search", "Bulk", "--format", "ids").stdout.split()
    env = {**os.environ, "BPTRACK_DB": target, "BPTRACK_ACTOR": "tester"}
    code, screen = _on_a_terminal(["close", *ids], b"n\n", env)
    assert code == 1 and "Close 22 actions?" in screen and "not confirmed" in screen
    assert all(a["status"] == "open" for a in cli.json("list", "--search", "Bulk"))
    code, screen = _on_a_terminal(["close", *ids], b"y\n", env)
    assert code == 0, screen
    assert cli.json("list", "--search", "Bulk") == []


def test_config_path_show_set(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                              ) -> None:
    config = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("BPTRACK_CONFIG", str(config))
    assert cli.ok("config", "path").stdout.strip() == str(config)
    config.parent.mkdir()
    config.write_text("# team settings\nactor = \"rso\"  # the RSO desk\n")
    cli.ok("config", "set", "remind_within", "7")
    cli.ok("config", "set", "smtp.port", "465")
    cli.ok("config", "set", "smtp.ssl", "yes")
    text = config.read_text()
    assert "# team settings" in text and "# the RSO desk" in text
    assert config.stat().st_mode & 0o777 == 0o600
    for key, value, message in (("smtp.port", "99999", "port number"),
                                ("remind_within", "-3", "from 0 to 36500"),
                                ("colour", "red", "unknown setting"),
                                ("smtp.from", "nobody", "e-mail address")):
        run = cli("config", "set", "--", key, value)
        assert run.exit_code == 1 and message in run.stderr
    assert config.read_text() == text
    monkeypatch.setenv("BPTRACK_SMTP_PASSWORD", "hunter2")
    shown = {row["key"]: row for row in cli.json("config", "show")}
    assert shown["remind_within"] == {"key": "remind_within", "value": 7,
                                      "source": "config file"}
    assert shown["smtp.ssl"]["value"] is True and shown["actor"]["value"] == "tester"
    assert shown["smtp.password"]["value"] == "****"
    assert "hunter2" not in cli.ok("config", "show").stdout
    assert cli.json("remind", "--within", "1")["within"] == 1
    assert cli.json("remind")["within"] == 7


def test_cli_docs_are_current(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    proc = subprocess.run([sys.executable, "-m", "typer", "bptrack.cli", "utils", "docs",
                           "--name", "bptrack", "--output", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == (ROOT / "docs" / "cli.md").read_text(), (
        "docs/cli.md is stale: python -m typer bptrack.cli utils docs --name bptrack "
        "--output docs/cli.md")


@pytest.mark.parametrize("xdg", [{}, {"XDG_CONFIG_HOME": "/srv/conf", "XDG_DATA_HOME": "/srv/data"},
                                 {"XDG_CONFIG_HOME": "  ", "XDG_DATA_HOME": ""}])
def test_user_dirs_are_platformdirs_own(xdg: dict[str, str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux the config and data dirs are worked out without importing platformdirs (it
    costs more than a `bptrack show`); they must be the very paths platformdirs gives."""
    import platformdirs

    from bptrack import config

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("BPTRACK_CONFIG", raising=False)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in xdg.items():
        monkeypatch.setenv(name, value)
    assert config.config_path() == platformdirs.user_config_path("bptrack") / "config.toml"
    assert config.default_db_path() == platformdirs.user_data_path("bptrack") / "bptrack.db"


def test_a_relative_xdg_dir_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The XDG spec: a relative path in XDG_*_HOME is invalid and should be ignored, or the
    database would move with the current directory."""
    from bptrack import config

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("BPTRACK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", "conf")
    monkeypatch.setenv("XDG_DATA_HOME", "data")
    assert config.config_path() == tmp_path / ".config" / "bptrack" / "config.toml"
    assert config.default_db_path() == tmp_path / ".local" / "share" / "bptrack" / "bptrack.db"
    assert config.backups_dir() == tmp_path / ".local" / "share" / "bptrack" / "backups"
