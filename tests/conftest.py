"""Every test gets its own HOME, config and database; nothing leaks between tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bptrack.cli import app


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in ("BPTRACK_DB", "BPTRACK_CONFIG", "BPTRACK_ACTOR", "FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("BPTRACK_DB", str(path))
    monkeypatch.setenv("BPTRACK_ACTOR", "tester")
    return path


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return f"exit {self.exit_code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """Runs the Typer app in-process, with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Run:
        result = self.runner.invoke(app, list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str) -> Run:
        run = self(*args)
        assert run.exit_code == 0, run.output
        return run

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--format", "json").json()


@pytest.fixture
def cli(db_path: Path) -> Iterator[Cli]:
    yield Cli()


@pytest.fixture
def store(db_path: Path) -> Iterator[Any]:
    from bptrack import service
    from bptrack.config import Settings

    opened = service.connect(str(db_path), Settings())
    yield opened.store
    opened.store.close()
