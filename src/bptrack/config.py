"""Settings: the database target, the actor and reminder defaults, from flags, env and TOML."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from bptrack.errors import InvalidValue, mask_secrets

APP_NAME = "bptrack"
DEFAULT_REMIND_WITHIN = 14
DEFAULT_BUSY_TIMEOUT = 10.0
DEFAULT_FORUM = "Bali Process"


class Settings(NamedTuple):
    db: str | None = None
    actor: str | None = None
    remind_within: int = DEFAULT_REMIND_WITHIN
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    smtp: dict[str, Any] = {}  # noqa: RUF012  (never changed: settings are read-only)
    path: Path | None = None
    csv_bom: bool = False  # start CSV output with a byte-order mark, for Excel
    dayfirst: bool = True  # 3/4/2025 is 3 April
    db_password_file: str | None = None  # PostgreSQL's password, kept out of the URL
    forum: str = DEFAULT_FORUM  # whose meetings these are: named in briefings and e-mails
    remind: dict[str, Any] = {}  # noqa: RUF012  [remind]: signature, audience of the e-mails


def config_path() -> Path:
    env = os.environ.get("BPTRACK_CONFIG")
    if env:
        return Path(env).expanduser()
    return _user_dir("config", "XDG_CONFIG_HOME", ".config") / "config.toml"


def default_db_path() -> Path:
    return _user_dir("data", "XDG_DATA_HOME", ".local/share") / "bptrack.db"


def backups_dir() -> Path:
    """Where a PostgreSQL database's export is kept before an upgrade (a SQLite file's backup
    sits beside it)."""
    return _user_dir("data", "XDG_DATA_HOME", ".local/share") / "backups"


def _user_dir(kind: str, variable: str, fallback: str) -> Path:
    """platformdirs' user config or data dir: the one place that knows the user directories.
    On Linux that is the XDG rule, worked out here (importing platformdirs costs more than a
    whole `bptrack show`); a relative XDG path is ignored, as the spec says."""
    if sys.platform.startswith("linux"):
        base = os.environ.get(variable, "").strip()
        home = Path(base) if base and Path(base).is_absolute() else Path.home() / fallback
        return home / APP_NAME
    import platformdirs

    if kind == "config":
        return platformdirs.user_config_path(APP_NAME)
    return platformdirs.user_data_path(APP_NAME)


MAX_CONFIG_BYTES = 1024 * 1024


def _config_text(path: Path) -> str | None:
    """The config file's text; None when there is no file. Read like every input (a regular
    file, bounded, UTF-8), so that a FIFO or a binary file is a clear error, never a hang."""
    from bptrack.errors import NotFound
    from bptrack.inputs import decode, read_bytes

    try:
        return decode(read_bytes(str(path), MAX_CONFIG_BYTES, "config file"), str(path))
    except NotFound:
        return None
    except InvalidValue as exc:
        raise InvalidValue(f"cannot read config: {exc}; fix or remove the file") from exc


def _read_config(path: Path) -> dict[str, Any]:
    """The config file's contents; nothing when there is no file."""
    if not os.path.lexists(path):
        return {}
    text = _config_text(path)
    if text is None:
        return {}
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValue(f"cannot read config {path}: {exc}; fix or remove the file") from exc


def load_settings() -> Settings:
    """Read the config file if there is one; a missing file means the defaults. Each value is
    checked with the range `config set` uses, so that a hand-edited file fails here, naming
    the key, rather than in every command later."""
    path = config_path()
    data = _read_config(path)
    tables = {}
    for name in ("smtp", "remind"):
        tables[name] = data.get(name, {})
        if not isinstance(tables[name], dict):
            raise InvalidValue(f"invalid value in config {path}: {name} must be a table "
                               f"([{name}])")
    nested = [(f"{name}.{k}", v) for name, table in tables.items() for k, v in table.items()]
    for key, value in [*data.items(), *nested]:
        if key in KEYS and key not in tables:
            _checked_value(path, key, value)
    try:
        return Settings(
            db=_optional_str(data, "db"),
            actor=_optional_str(data, "actor"),
            remind_within=int(data.get("remind_within", DEFAULT_REMIND_WITHIN)),
            busy_timeout=float(data.get("busy_timeout", DEFAULT_BUSY_TIMEOUT)),
            smtp=dict(tables["smtp"]),
            remind=dict(tables["remind"]),
            path=path,
            csv_bom=bool(data.get("csv_bom", False)),
            dayfirst=bool(data.get("dayfirst", True)),
            db_password_file=_optional_str(data, "db_password_file"),
            forum=_optional_str(data, "forum") or DEFAULT_FORUM,
        )
    except (TypeError, ValueError) as exc:
        raise InvalidValue(f"invalid value in config {path}: {exc}") from exc


def _checked_value(path: Path, key: str, value: Any) -> None:
    if isinstance(value, dict | list):
        raise InvalidValue(f"invalid value in config {path}: {key} must be a single value")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    try:
        KEYS[key](text)
    except ValueError as exc:
        raise InvalidValue(f"invalid value in config {path}: {key} {exc}") from exc


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


MAX_PASSWORD_FILE = 4096


def db_password(settings: Settings) -> str | None:
    """The password in the config's db_password_file (its first line), or None."""
    if not settings.db_password_file:
        return None
    from bptrack.inputs import decode, read_bytes

    path = os.path.expanduser(settings.db_password_file)
    try:
        text = decode(read_bytes(path, MAX_PASSWORD_FILE, "password file"), path)
    except InvalidValue as exc:
        raise InvalidValue(f"cannot read db_password_file: {exc}") from exc
    password = text.splitlines()[0].strip() if text.strip() else ""
    if not password:
        raise InvalidValue(f"db_password_file {path} is empty")
    return password


def actor(flag: str | None, settings: Settings) -> str:
    """--actor, else BPTRACK_ACTOR, else the config's actor, else the login name."""
    name = flag or os.environ.get("BPTRACK_ACTOR") or settings.actor
    if not name:
        try:
            import getpass  # only when no actor is given

            name = getpass.getuser()
        except (OSError, KeyError):
            name = "unknown"
    name = name.strip()
    if not name:
        raise InvalidValue("the actor name is empty: pass --actor NAME")
    return name


# --- `bptrack config` -----------------------------------------------------------------------

def _days(text: str) -> int:
    from bptrack.vocabulary import MAX_DAYS

    value = int(text)
    if not 0 <= value <= MAX_DAYS:
        raise ValueError(f"must be a number of days from 0 to {MAX_DAYS}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise ValueError("must be a port number, 1 to 65535")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not 0 < value <= 3600:
        raise ValueError("must be a number of seconds, more than 0 and at most 3600")
    return value


def _flag(text: str) -> bool:
    low = text.strip().lower()
    if low in ("true", "yes", "on", "1"):
        return True
    if low in ("false", "no", "off", "0"):
        return False
    raise ValueError("must be true or false")


def _text(text: str) -> str:
    value = text.strip()
    if not value or any(ord(c) < 32 or ord(c) == 127 for c in value) or len(value) > 1000:
        raise ValueError("must be non-empty text on one line (at most 1,000 characters)")
    return value


def _address(text: str) -> str:
    value = _text(text)
    if "@" not in value:
        raise ValueError("must be an e-mail address, e.g. Name <rso@example.org>")
    return value


def _audience(text: str) -> str:
    value = text.strip().lower()
    if value not in AUDIENCES:
        raise ValueError(f"must be one of {', '.join(AUDIENCES)}")
    return value


# Who reads the reminder e-mails: focal points, who never run bptrack (the default), or users
# of bptrack, who are told the command that records progress.
AUDIENCES = ("focal_points", "users")


# Every key the config file may hold, with how its value is read from the command line.
KEYS: dict[str, Any] = {
    "db": _text, "db_password_file": _text, "actor": _text, "remind_within": _days,
    "busy_timeout": _seconds, "csv_bom": _flag, "dayfirst": _flag, "forum": _text,
    "smtp.host": _text, "smtp.port": _port, "smtp.starttls": _flag, "smtp.ssl": _flag,
    "smtp.username": _text, "smtp.from": _address, "smtp.password_file": _text,
    "smtp.timeout": _seconds, "smtp.allow_plaintext": _flag,
    "remind.signature": _text, "remind.audience": _audience,
}
SECRET_WORDS = ("password", "secret", "token")


def parse_setting(key: str, text: str) -> Any:
    reader = KEYS.get(key)
    if reader is None:
        raise InvalidValue(f"unknown setting {key!r}: known ones are {', '.join(KEYS)}")
    try:
        return reader(text)
    except ValueError as exc:
        raise InvalidValue(f"invalid value for {key}: {exc}") from exc


def set_setting(key: str, text: str) -> Path:
    """Write one setting into the config file, keeping its other lines and comments."""
    import tomlkit

    from bptrack.output.files import replacing  # only here: it keeps the file's comments and layout

    value = parse_setting(key, text)
    path = config_path()
    try:
        current = _config_text(path) if os.path.lexists(path) else None
        document = tomlkit.parse(current) if current is not None else tomlkit.document()
    except tomlkit.exceptions.ParseError as exc:
        raise InvalidValue(f"cannot read config {path}: {exc}; fix or remove the file") from exc
    table, _, name = key.rpartition(".")
    if table:
        if table not in document:
            document[table] = tomlkit.table()
        document[table][name] = value
    else:
        document[name] = value
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Private whatever it was: it may name the SMTP account and its password file.
    with replacing(path, private=True) as fh:
        fh.write(tomlkit.dumps(document))
    return path


def effective_settings() -> list[dict[str, Any]]:
    """Each setting, its value and where the value comes from; secrets masked."""
    raw = _read_config(config_path())
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    defaults = {"db": str(default_db_path()), "remind_within": DEFAULT_REMIND_WITHIN,
                "busy_timeout": DEFAULT_BUSY_TIMEOUT}
    env = {"db": "BPTRACK_DB", "actor": "BPTRACK_ACTOR"}
    rows = []
    for key in [*KEYS, *(k for k in flat if k not in KEYS)]:
        if key in env and os.environ.get(env[key]):
            value, source = os.environ[env[key]], f"env {env[key]}"
        elif key in flat:
            value, source = flat[key], "config file"
        elif key in defaults:
            value, source = defaults[key], "default"
        else:
            continue
        name = key.rsplit(".", 1)[-1]
        if any(word in name for word in SECRET_WORDS) and not name.endswith("_file"):
            value = "****"
        elif isinstance(value, str):
            value = mask_secrets(value)  # a database URL's password
        rows.append({"key": key, "value": value, "source": source})
    if os.environ.get("BPTRACK_SMTP_PASSWORD"):
        rows.append({"key": "smtp.password", "value": "****",
                     "source": "env BPTRACK_SMTP_PASSWORD"})
    return rows
