"""Secrets kept: passwords masked wherever bptrack prints a URL, a password taken from a file
as libpq users expect, and e-mail that neither leaks a password nor lets a name add headers.

The PostgreSQL password tests talk to a small server of their own that speaks the start of the
wire protocol: it asks for the password in clear, records it and refuses the login. (The
PostgreSQL of the test machine trusts every local login, so it would never ask.)
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Cli

SECRET = "s3cret-Pa55"


class PasswordCatcher:
    """Accepts PostgreSQL logins on 127.0.0.1, asks each for its password, refuses it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.passwords: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn, contextlib.suppress(ConnectionError, OSError):
                self._login(conn)

    def _login(self, conn: socket.socket) -> None:
        while True:  # SSL and GSS encryption requests are declined; then the startup message
            length, code = struct.unpack("!ii", self._read(conn, 8))
            rest = self._read(conn, length - 8)
            if code in (80877103, 80877104):
                conn.sendall(b"N")
                continue
            del rest
            break
        conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
        kind, length = struct.unpack("!ci", self._read(conn, 5))
        body = self._read(conn, length - 4)
        if kind == b"p":
            self.passwords.append(body.rstrip(b"\0").decode())
        fields = b"SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed\0\0"
        conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def catcher() -> Iterator[PasswordCatcher]:
    server = PasswordCatcher()
    yield server
    server.close()


def bptrack(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "bptrack"), *args],
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://alice:{secret}@127.0.0.1:{port}/tracker",
    "postgresql://alice@127.0.0.1:{port}/tracker?password={secret}&sslmode=disable",
])
def test_a_password_in_the_url_is_masked_everywhere(catcher: PasswordCatcher, url: str,
                                                     tmp_path: Path, isolated_home: Path
                                                     ) -> None:
    db = url.format(secret=SECRET, port=catcher.port)
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{db}"\n')
    env = {"BPTRACK_CONFIG": str(config), "HOME": str(isolated_home)}
    shown = bptrack("config", "show", "--format", "json", env=env)
    path = bptrack("db", "path", env=env)
    failed = bptrack("list", env=env)
    debug = bptrack("--debug", "list", env=env)
    assert catcher.passwords == [SECRET, SECRET]  # it was sent, and only to the server
    for run in (shown, path, failed, debug):
        assert SECRET not in run.stdout + run.stderr, run
    assert "****" in path.stdout and "****" in failed.stderr
    assert {row["key"]: row["value"] for row in __import__("json").loads(shown.stdout)}[
        "db"].count("****") == 1
    assert failed.returncode == 3 and failed.stderr.startswith("Error: ")


def test_the_password_comes_from_db_password_file(catcher: PasswordCatcher, tmp_path: Path,
                                                  isolated_home: Path) -> None:
    secret_file = tmp_path / "db-password"
    secret_file.write_text(SECRET + "\n")
    secret_file.chmod(0o600)
    config = tmp_path / "config.toml"
    config.write_text(f'db = "postgresql://alice@127.0.0.1:{catcher.port}/tracker"\n'
                      f'db_password_file = "{secret_file}"\n')
    run = bptrack("list", env={"BPTRACK_CONFIG": str(config), "HOME": str(isolated_home)})
    assert run.returncode == 3, run.stderr
    assert catcher.passwords == [SECRET]
    assert SECRET not in run.stderr


def test_the_password_comes_from_pgpassfile(catcher: PasswordCatcher, tmp_path: Path,
                                            isolated_home: Path) -> None:
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{catcher.port}:tracker:alice:{SECRET}\n")
    passfile.chmod(0o600)
    run = bptrack("list", env={
        "BPTRACK_DB": f"postgresql://alice@127.0.0.1:{catcher.port}/tracker",
        "PGPASSFILE": str(passfile), "HOME": str(isolated_home)})
    assert run.returncode == 3, run.stderr
    assert catcher.passwords == [SECRET]


def test_config_show_never_prints_the_smtp_password(cli: Cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPTRACK_SMTP_PASSWORD", SECRET)
    run = cli.ok("config", "show", "--format", "json")
    assert SECRET not in run.stdout + run.stderr
