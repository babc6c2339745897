"""Who may do what on a team's PostgreSQL database: real grants, set by `db grant`.

- viewer: reads everything (list, show, report, remind, export);
- editor: a viewer who also changes actions (add, assign, note, close, undo, remind --email):
  INSERT, UPDATE and DELETE on action, event and reminder_sent;
- admin: a member of the database's admin role, which owns bptrack's tables, so it can import
  statements and spreadsheets, load, upgrade, and grant roles to others.

The admin role (`bptrack_admin_<database>_<schema>`, one per bptrack database of the cluster)
is made, and given the tables, the first time `db grant` runs; whoever runs that first needs
PostgreSQL's CREATEROLE (a superuser, or the database's owner with it). SQLite has no logins:
its file's permissions say who may read or write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bptrack.errors import InvalidValue, NotFound
from bptrack.store.faults import admin_role

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from bptrack.store.engine import SchemaTools

LEVELS = ("viewer", "editor", "admin")
EDITOR_TABLES = ("action", "event", "reminder_sent")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant(store: SchemaTools, login: str, level: str) -> str:
    """Give `login` the role `level` (replacing what it had); returns the admin role's name."""
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from bptrack.store.engine import serialise

    if level not in LEVELS:
        raise InvalidValue(f"unknown role {level!r}: use viewer, editor or admin")
    if store.target.is_sqlite:
        raise InvalidValue("roles are PostgreSQL's: a SQLite file's own permissions say who "
                           "may read or change it (chmod)")
    with store.write() as conn:
        serialise(conn, "setup")
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"),
                        {"login": login}).first() is None:
            raise NotFound(f"no PostgreSQL login {login!r}: create it first, e.g. "
                           f"CREATE ROLE {_quoted(login)} LOGIN")
        database, current = conn.execute(text(
            "SELECT current_database(), current_schema()")).one()
        admins, schema = admin_role(database, current), _quoted(current)
        tables = [_quoted(t.name) for t in SQLModel.metadata.sorted_tables]
        _own_tables(conn, admins, schema, tables)
        who, group = _quoted(login), _quoted(admins)
        # What the login had goes first: a role replaces the one before, never adds to it
        conn.execute(text(f"REVOKE {group} FROM {who}"))
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who}"))
        conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {who}"))
        if level == "admin":  # with the admin option: an admin grants roles in turn
            conn.execute(text(f"GRANT {group} TO {who} WITH ADMIN OPTION"))
            return admins
        conn.execute(text(f"GRANT SELECT ON {', '.join(tables)} TO {who}"))
        if level == "editor":
            conn.execute(text(f"GRANT INSERT, UPDATE, DELETE ON "
                              f"{', '.join(_quoted(t) for t in EDITOR_TABLES)} TO {who}"))
            conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}"))
    return admins


def _own_tables(conn: Connection, admins: str, schema: str, tables: list[str]) -> None:
    """The admin role made, once, and given bptrack's tables and their sequences."""
    from sqlalchemy import text

    group = _quoted(admins)
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                    {"name": admins}).first() is None:
        conn.execute(text(f"CREATE ROLE {group} NOLOGIN"))
        conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA {schema} TO {group} WITH GRANT "
                          "OPTION"))
    # The one who grants keeps the tables' powers, now held by the admin role
    if not conn.execute(text("SELECT pg_has_role(session_user, :name, 'USAGE')"),
                        {"name": admins}).scalar():
        conn.execute(text(f"GRANT {group} TO session_user WITH ADMIN OPTION"))
    for table in tables:
        conn.execute(text(f"ALTER TABLE {schema}.{table} OWNER TO {group}"))
