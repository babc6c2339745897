"""What a driver error means, said in the user's words: a disk fault, a lock held elsewhere
("busy … try again"), a permission a login's role lacks, a damaged file. Every error of the
database reaches the user through `message` (and `translate_errors`, which raises it as a
DatabaseError, exit 3)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bptrack.errors import DatabaseError
from bptrack.store.target import Target


@contextmanager
def translate_errors(target: Target) -> Iterator[None]:
    """Driver errors → one DatabaseError that says what happened and what to do."""
    try:
        yield
    except sqlite3.Error as exc:
        raise DatabaseError(message(target, exc)) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg") and _is_psycopg_error(exc):
            raise DatabaseError(message(target, exc)) from exc
        raise


def _is_psycopg_error(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, psycopg.Error)


def fault(target: Target, exc: BaseException) -> str | None:
    """A fault of the disk or the file, said as what it is: the database was not changed."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    sqlstate = str(getattr(exc, "sqlstate", "") or "")
    text = first_line(exc)
    if (name == "SQLITE_FULL" or sqlstate == "53100" or "No space left" in text
            or (name.startswith("SQLITE_IOERR") and _no_space(target))):
        return (f"disk full: {target.display} could not be written, so the database was not "
                "changed; free some space and try again")
    if name.startswith("SQLITE_IOERR") or sqlstate == "58030":
        return (f"I/O error on {target.display} ({text}): the database was not changed; "
                "check the disk (is it full or read-only?) and try again")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return (f"{target.display} is damaged ({text}): run `bptrack db check` to see what, "
                "and restore a backup")
    return None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _no_space(target: Target) -> bool:
    """SQLite says "disk I/O error" when a full disk stops it making its -shm file."""
    if target.sqlite_path is None:
        return False
    try:
        return os.statvfs(target.sqlite_path.parent).f_bavail == 0
    except OSError:
        return False


# --- roles: what a login may do (store/roles.py sets them) -----------------------------------

WHAT = {"viewer": "a viewer reads; editors change actions; admins import, load, upgrade and "
                  "grant",
        "editor": "an editor changes actions; admins import, load, upgrade and grant",
        "none": "ask an admin for a role: bptrack db grant LOGIN viewer|editor|admin"}


def admin_role(database: str, schema: str) -> str:
    """The PostgreSQL role that owns one bptrack database's tables (its admins are members)."""
    return f"bptrack_admin_{database}_{schema}"[:63]


def level_of(conn: Any) -> tuple[str, str]:
    """(login, viewer | editor | admin | none): who is connected and what they may do here,
    on a DB-API connection."""
    cursor = conn.cursor()
    cursor.execute("SELECT session_user, current_database(), current_schema()")
    login, database, schema = cursor.fetchone()
    cursor.execute("SELECT pg_has_role(%s, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                   (login, admin_role(database, schema)))
    admin = cursor.fetchone()
    if admin and admin[0]:
        return login, "admin"
    cursor.execute("SELECT has_table_privilege(%s, 'action', 'UPDATE'), "
                   "has_table_privilege(%s, 'action', 'SELECT')", (login, login))
    editor, viewer = cursor.fetchone()
    return login, "editor" if editor else "viewer" if viewer else "none"


def denied(login: str, level: str, where: str) -> str:
    """The permission-denied message: who the login is here, and who may do more."""
    if level == "none":
        return f"permission denied: {login} has no role on {where}; {WHAT['none']}"
    article = "an" if level in ("editor", "admin") else "a"
    return f"permission denied: {login} is {article} {level} ({WHAT[level]})"


def _permission_denied(target: Target, text: str) -> str:
    """Say which role the login has (asked on a connection of its own: the failed one is
    aborted), or the driver's words when it cannot be asked."""
    if not target.is_sqlite:
        try:
            import psycopg

            # A connection of its own: the one that failed is aborted
            password: dict[str, Any] = {"password": target.password} if target.password else {}
            raw = psycopg.connect(target.conninfo, connect_timeout=5, **password)
            try:
                login, level = level_of(raw)
            finally:
                raw.close()
            return denied(login, level, target.display)
        except Exception:  # the driver's own words below are enough
            pass
    return f"permission denied on {target.display}: {text}"


def message(target: Target, exc: BaseException) -> str:
    found = fault(target, exc)
    if found is not None:
        return found
    text = first_line(exc)
    sqlstate = str(getattr(exc, "sqlstate", "") or "")
    if "locked" in text or "busy" in text or "lock timeout" in text or sqlstate == "55P03":
        return (f"busy: database {target.display} is locked by another bptrack; nothing was "
                "changed (try again in a moment)")
    if sqlstate == "42501" or "permission denied" in text:
        return _permission_denied(target, text)
    if "readonly" in text or "read-only" in text:
        return (f"database {target.display} is read-only, so nothing was changed: "
                "point --db at a writable copy")
    return f"cannot use database {target.display}: {text}"
