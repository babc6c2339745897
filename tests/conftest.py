"""Every test gets its own HOME, config and database; nothing leaks between tests."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
    for name in ("BPTRACK_DB", "BPTRACK_CONFIG", "BPTRACK_ACTOR", "FORCE_COLOR", "NO_COLOR",
                 "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    return home


PG_URL = os.environ.get("BPTRACK_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs on SQLite, and on PostgreSQL when BPTRACK_TEST_PG_URL is set."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("PostgreSQL tests need BPTRACK_TEST_PG_URL "
                    "(e.g. postgresql+psycopg://postgres@127.0.0.1/bptrack_test)")
    return str(request.param)


def pg_schema_url(schema: str) -> str:
    assert PG_URL
    joiner = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{joiner}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema() -> Iterator[str]:
    """A throwaway schema in the test database: a fresh, empty bptrack database per test."""
    import psycopg
    from sqlalchemy.engine import make_url

    assert PG_URL
    url = make_url(PG_URL)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield pg_schema_url(name)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def target(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test's own database: a new SQLite file, or a new seeded PostgreSQL schema."""
    monkeypatch.setenv("BPTRACK_ACTOR", "tester")
    if backend == "sqlite":
        path = str(tmp_path / "tracker.db")
        monkeypatch.setenv("BPTRACK_DB", path)
        yield path
        return
    from bptrack import service
    from bptrack.config import Settings

    with pg_schema() as url:
        service.connect(url, Settings(), init=True).store.close()
        monkeypatch.setenv("BPTRACK_DB", url)
        yield url


@pytest.fixture
def db_path(target: str, backend: str) -> Path:
    if backend != "sqlite":
        pytest.skip("this test is about the SQLite file itself")
    return Path(target)


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

    def ok(self, *args: str, input: str | None = None) -> Run:
        run = self(*args, input=input)
        assert run.exit_code == 0, run.output
        return run

    def json(self, *args: str) -> Any:
        return self.ok(*args, "--format", "json").json()


@pytest.fixture
def cli(target: str) -> Iterator[Cli]:
    yield Cli()


@pytest.fixture
def store(target: str) -> Iterator[Any]:
    from bptrack import service
    from bptrack.config import Settings

    opened = service.connect(target, Settings())
    yield opened.store
    opened.store.close()


def assert_reviewed_within(read: list[tuple[object, ...]], reviewed: list[tuple[object, ...]]
                           ) -> None:
    """The reviewed items, in order, among the items read; the reader gives one item per
    sentence, so the others are records and notes of the reviewed bullets' other sentences."""
    rest = list(read)
    for item in reviewed:
        while rest and rest[0] != item:
            assert rest.pop(0)[0] in ("record", "note")
        assert rest, f"{item} not read"
        rest.pop(0)
    assert all(kind in ("record", "note") for kind, *_ in rest)
