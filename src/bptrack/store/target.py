"""Where the data lives: a SQLite file or a PostgreSQL URL, read without SQLAlchemy."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, quote, unquote, urlsplit

from bptrack.errors import DatabaseError, mask_secrets


class Target(NamedTuple):
    """A database target resolved from a path or URL."""

    url: str  # a SQLAlchemy URL, for the schema tools (db init, migrations, export, load)
    sqlite_path: Path | None  # None for PostgreSQL
    read_only: bool = False  # `sqlite:///file.db?mode=ro`: reads work, every write is refused
    # PostgreSQL's password when it comes from the config's db_password_file: never in the URL,
    # so never shown. (libpq reads PGPASSFILE, ~/.pgpass and a passfile= in the URL itself.)
    password: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.sqlite_path is not None

    @property
    def display(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return mask_secrets(self.url)

    @property
    def conninfo(self) -> str:
        """The PostgreSQL URL as libpq (psycopg) reads it."""
        scheme, rest = self.url.split("://", 1)
        return f"postgresql://{rest}" if scheme.startswith("postgres") else self.url


def resolve_target(target: str) -> Target:
    if "://" not in target:
        path = Path(target).expanduser().absolute()
        return Target(f"sqlite:///{path}", path)
    scheme, _, rest = target.partition("://")
    driver = scheme.lower()
    if driver in ("postgresql", "postgres", "postgresql+psycopg"):
        if rest in ("", "/"):
            raise DatabaseError(f"cannot read database URL {target!r}: no host or database")
        return Target(f"postgresql+psycopg://{rest}", None)
    if driver in ("sqlite", "sqlite+pysqlite"):
        parts = urlsplit(f"sqlite://{rest}")
        database = unquote(parts.path[1:]) if parts.path.startswith("/") else ""
        if database in ("", ":memory:"):
            raise DatabaseError("an in-memory SQLite database would be lost at exit: give a file")
        path = Path(database).expanduser().absolute()
        if parse_qs(parts.query).get("mode") == ["ro"]:
            return Target(f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true", path,
                          read_only=True)
        return Target(f"sqlite:///{path}", path)
    raise DatabaseError(f"unsupported database {scheme!r}: use a SQLite file or "
                        "postgresql+psycopg://user@host/db")
