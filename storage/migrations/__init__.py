"""Named schema migrations: one numbered SQL file each, applied in order and recorded.

A change to the schema is a new file ``NNNN_short_name.sql`` in this folder, never an edit of
an applied one: the next free number, a first line ``-- what it does`` (recorded as its name
in ``schema_migrations``), then DuckDB SQL (several statements, comments allowed). Each
migration runs in one transaction with its record, so a database is never half-migrated.
``{{case_columns}}`` stands for the case table's columns as declared in ``core.schema``
(0001 creates the case tables from them; a column declared later is added by
``storage.database`` when a database opens). ``tests/test_migrations.py`` upgrades a
database of every earlier release and every earlier migration to the current one and
compares it, data included, with a fresh database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from core.schema import case_ddl

FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
TABLE = "schema_migrations"
PLACEHOLDERS = {"{{case_columns}}": case_ddl}


@dataclass(frozen=True)
class Migration:
    version: int
    slug: str  # from the file name
    name: str  # from its first line; what schema_migrations records
    sql: str

    @property
    def file_name(self) -> str:
        return f"{self.version:04d}_{self.slug}.sql"


def available() -> list[Migration]:
    """Every migration file of this package, in order; a badly named file, a number used
    twice or a gap in the numbers is a developer's mistake and stops here."""
    found: list[Migration] = []
    for entry in resources.files(__package__).iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = FILE_NAME.match(entry.name)
        if not match:
            raise ValueError(f"migration file {entry.name!r}: expected NNNN_short_name.sql")
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        if not first.startswith("-- ") or not first[3:].strip():
            raise ValueError(f"migration {entry.name}: the first line must be «-- what it does»")
        for placeholder, fill in PLACEHOLDERS.items():
            text = text.replace(placeholder, fill())
        found.append(Migration(int(match[1]), match[2], first[3:].strip(), text))
    found.sort(key=lambda m: m.version)
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise ValueError(
            f"migration numbers must run 1, 2, 3... without a gap or a repeat: {numbers}"
        )
    return found


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)""")


def applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    ensure_table(con)
    return {int(r[0]) for r in con.execute(f"SELECT version FROM {TABLE}").fetchall()}


def pending(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[Migration]:
    """The migrations this database has not had yet (up to ``upto`` when given)."""
    done = applied(con)
    return [m for m in available() if m.version not in done and (upto is None or m.version <= upto)]


def apply(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply the pending migrations in order, each in its own transaction with its record;
    returns the versions applied. ``upto`` stops at a version (tests build a database as an
    earlier release had it)."""
    from storage.database import transaction  # storage.database opens through this module

    done: list[int] = []
    for migration in pending(con, upto):
        with transaction(con):
            con.execute(migration.sql)
            con.execute(
                f"INSERT INTO {TABLE} VALUES (?, ?, ?)",
                [migration.version, migration.name, dt.datetime.now()],
            )
        done.append(migration.version)
    return done
