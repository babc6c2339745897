"""Settings: the database target, the actor and reminder defaults, from flags, env and TOML."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bptrack.errors import InvalidValue

APP_NAME = "bptrack"
DEFAULT_REMIND_WITHIN = 14
DEFAULT_BUSY_TIMEOUT = 10.0


@dataclass(frozen=True)
class Settings:
    db: str | None = None
    actor: str | None = None
    remind_within: int = DEFAULT_REMIND_WITHIN
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    smtp: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def config_path() -> Path:
    env = os.environ.get("BPTRACK_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def default_db_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / "bptrack.db"


def load_settings() -> Settings:
    """Read the config file if there is one; a missing file means the defaults."""
    path = config_path()
    if not path.exists():
        return Settings(path=path)
    import tomllib  # only when there is a file to read

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return Settings(path=path)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidValue(f"cannot read config {path}: {exc}; fix or remove the file") from exc
    try:
        return Settings(
            db=_optional_str(data, "db"),
            actor=_optional_str(data, "actor"),
            remind_within=int(data.get("remind_within", DEFAULT_REMIND_WITHIN)),
            busy_timeout=float(data.get("busy_timeout", DEFAULT_BUSY_TIMEOUT)),
            smtp=dict(data.get("smtp", {})),
            path=path,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"invalid value in config {path}: {exc}") from exc


def _optional_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"config key {key!r} must be a string")
    return value


def db_target(flag: str | None, settings: Settings) -> str:
    """--db, else BPTRACK_DB, else the config's db, else the per-user data dir."""
    return flag or os.environ.get("BPTRACK_DB") or settings.db or str(default_db_path())


def actor(flag: str | None, settings: Settings) -> str:
    """--actor, else BPTRACK_ACTOR, else the config's actor, else the login name."""
    name = flag or os.environ.get("BPTRACK_ACTOR") or settings.actor
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "unknown"
    name = name.strip()
    if not name:
        raise InvalidValue("the actor name is empty: pass --actor NAME")
    return name
