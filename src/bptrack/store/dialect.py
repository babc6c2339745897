"""What differs between SQLite and PostgreSQL in bptrack's SQL, and only that.

The queries (the queries package) are written once, with `?` placeholders and these helpers for the
parts that differ: placeholders, dates and timestamps as text, JSON built by the database,
row locks, and planner hints.
"""

from __future__ import annotations

from typing import NamedTuple

from bptrack.vocabulary import ACTIVE, FIELDS

_ACTIVE_SQL = "(" + ", ".join(f"'{s}'" for s in ACTIVE) + ")"
# The fields the database computes directly, in the contract's order; `overdue` is derived.
JSON_KEYS = tuple(f for f in FIELDS if f != "overdue")


class Dialect(NamedTuple):
    name: str  # "sqlite" or "postgresql"

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    def sql(self, text: str) -> str:
        """The statement in the driver's placeholder style (psycopg: %s, so a literal % is
        doubled; bptrack's SQL has no literal `?`)."""
        if self.is_sqlite:
            return text
        return text.replace("%", "%%").replace("?", "%s")

    def utc_text(self, column: str) -> str:
        """A stored UTC timestamp as `YYYY-MM-DDTHH:MM:SSZ`, formatted by the database."""
        if self.is_sqlite:  # stored as `YYYY-MM-DD HH:MM:SS.ffffff`: cut, cheaper than parsed
            return (f"(substr({column}, 1, 10) || 'T' || substr({column}, 12, 8) || 'Z')")
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""

    def date_text(self, column: str) -> str:
        """A date as `YYYY-MM-DD` (SQLite keeps dates as that text already)."""
        return column if self.is_sqlite else f"to_char({column}, 'YYYY-MM-DD')"

    def broad(self, condition: str) -> str:
        """A filter most rows pass (status, kind): a hint so that SQLite's planner walks the
        index that gives the order instead of sorting every match."""
        return f"likelihood({condition}, 0.9)" if self.is_sqlite else f"({condition})"

    def whole_table(self, table: str) -> str:
        """`table` for a query that reads nearly all of it: on SQLite, read in stored order. An
        index on `kind` would otherwise win, and cost a lookup per row: 85,000 for a report,
        three times as long as the scan."""
        return f"{table} NOT INDEXED" if self.is_sqlite else table

    def indexed_by(self, table: str, index: str) -> str:
        """`table` read through `index` on SQLite, whose planner can prefer a worse plan
        when its statistics say the index is small; PostgreSQL's planner picks it itself."""
        return f"{table} INDEXED BY {index}" if self.is_sqlite else table

    def ilike(self, column: str) -> str:
        """`column` contains the (escaped) pattern given as a parameter, in any case."""
        if self.is_sqlite:  # LIKE is case-insensitive for ASCII; lower() for the rest
            return f"lower({column}) LIKE lower(?) ESCAPE '\\'"
        return f"{column} ILIKE ? ESCAPE '\\'"

    def for_update(self) -> str:
        """Lock the rows read for this transaction's change (SQLite's BEGIN IMMEDIATE
        already holds the whole database)."""
        return "" if self.is_sqlite else " FOR UPDATE"

    def json_list(self, column: str) -> str:
        """A JSON list kept as text, as JSON (the empty list, the usual case, unparsed)."""
        if self.is_sqlite:
            return f"CASE {column} WHEN '[]' THEN json_array() ELSE json({column}) END"
        return f"CAST({column} AS json)"

    def action_json(self, values: dict[str, str], today: str) -> str:
        """The whole action as the contract's JSON object, built by the database: for very
        long outputs. `values` maps each of JSON_KEYS to its SQL expression."""
        pairs = []
        for key in JSON_KEYS:
            value = values[key]
            if key in ("partners", "follows", "followed_by"):  # JSON lists kept as text
                value = self.json_list(value)
            pairs.append(f"'{key}', {value}")
            if key == "due":
                due, status = values["due"], values["status"]
                if self.is_sqlite:
                    flag = (f"json(CASE WHEN {due} < {today} AND {status} IN {_ACTIVE_SQL} "
                            "THEN 'true' ELSE 'false' END)")
                else:
                    flag = (f"({due} IS NOT NULL AND {due} < {today} AND {status} IN "
                            f"{_ACTIVE_SQL})")
                pairs.append(f"'overdue', {flag}")
        joined = ", ".join(pairs)
        if self.is_sqlite:
            return f"json_object({joined})"
        return f"CAST(json_build_object({joined}) AS text)"

    def lock(self, key: int) -> str | None:
        """A transaction-wide advisory lock (PostgreSQL); SQLite's writers queue anyway."""
        return None if self.is_sqlite else f"SELECT pg_advisory_xact_lock({int(key)})"


SQLITE = Dialect("sqlite")
POSTGRESQL = Dialect("postgresql")
