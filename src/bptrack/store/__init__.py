"""Storage: where the data lives and how it is read and written.

- target: a SQLite path or a PostgreSQL URL
- db: DB-API connections and transactions (sqlite3, psycopg) for the everyday commands
- dialect: what differs between SQLite and PostgreSQL in the SQL
- queries: every query of the everyday commands, written once
- schema: the declared schema (SQLModel), for db init, migrations, export and load
- engine: SQLAlchemy engines, creating, seeding and upgrading a database
- migrations: the numbered schema upgrades
- transfer: export, load, backup and check

Nothing here is imported by this package itself: importing `bptrack.store.db` must not pull
in SQLAlchemy.
"""
