"""Every database an earlier kpi-xa made opens in this one with its data intact.

For each earlier release (its schema kept in tests/data/releases/, written by
scripts/release_schema.py from the release's own code) and for the database after each
earlier migration (storage/migrations/, so a new migration file is covered without touching
this test): a database at that schema is filled with rows in every table and column, opened
with the current code (which upgrades it) and compared with a fresh database holding the same
rows: the same tables, columns, types, defaults, constraints and sequences, the same rows.

A migration that changes data as well as the schema (a backfill) says here what it changes,
in ``expected_changes``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from storage import migrations
from storage.database import connect
from tests.conftest import SAMPLES

RELEASES = sorted((SAMPLES / "releases").glob("v*.sql"))
LATEST = len(migrations.available())
SEEDED_BY = "Chương trình 002"  # storage.tasks.seed's cap_nhat_boi


def schema(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What a database is made of, independent of column order (an added column comes last
    in an upgraded table and in its declared place in a fresh one)."""
    columns: dict[str, dict[str, tuple[object, ...]]] = {}
    for table, column, kind, nullable, default in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM duckdb_columns() WHERE NOT internal"
    ).fetchall():
        columns.setdefault(table, {})[column] = (kind, nullable, default)
    constraints = sorted(
        con.execute(
            "SELECT table_name, constraint_type, list_sort(constraint_column_names) "
            "FROM duckdb_constraints() WHERE constraint_type <> 'NOT NULL'"
        ).fetchall()
    )
    sequences = sorted(
        con.execute(
            "SELECT sequence_name, start_value, increment_by, min_value, max_value, cycle "
            "FROM duckdb_sequences()"
        ).fetchall()
    )
    indexes = sorted(con.execute("SELECT table_name, index_name FROM duckdb_indexes()").fetchall())
    return {
        "columns": columns,
        "constraints": constraints,
        "sequences": sequences,
        "indexes": indexes,
    }


def value(kind: str, table: str, column: str, i: int) -> object:
    """Row i's value for a column of this type: distinct per row (primary keys), with
    Vietnamese text and characters SQL would trip on."""
    if kind in ("INTEGER", "BIGINT", "SMALLINT", "HUGEINT"):
        return 1000 + i
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
        return 0.5 + i
    if kind == "BOOLEAN":
        return i % 2 == 0
    if kind == "DATE":
        return dt.date(2026, 1 + i, 15)
    if kind.startswith("TIMESTAMP"):
        return dt.datetime(2026, 1 + i, 18, 9, 30, 15)
    if kind == "BLOB":
        return bytes([0, 255, i]) + "tệp".encode()
    return f"Xã Diễn Châu «{table}.{column}» ';-- {i}"


def fill(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Two rows in every table (but the migration records), every column given a value."""
    rows: dict[str, tuple[list[str], list[list[object]]]] = {}
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name <> ? ORDER BY 1",
            [migrations.TABLE],
        ).fetchall()
    ]
    for table in tables:
        cols = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
        names = [c for c, _ in cols]
        data = [[value(kind, table, c, i) for c, kind in cols] for i in (1, 2)]
        insert(con, table, names, data)
        rows[table] = (names, data)
    return rows


def insert(
    con: duckdb.DuckDBPyConnection, table: str, names: list[str], data: list[list[object]]
) -> None:
    quoted = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    con.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', data)


def contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
        names = sorted(
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
            ).fetchall()
        )
        if table == migrations.TABLE:
            names.remove("applied_at")  # when, not what
        cols = ", ".join(f'"{n}"' for n in names)
        if table == "nhiem_vu":  # the programme's tasks, seeded at each open: when, not what
            cols = cols.replace(
                '"cap_nhat_luc"',
                f"CASE WHEN cap_nhat_boi = '{SEEDED_BY}' THEN NULL ELSE \"cap_nhat_luc\" END",
            )
        out[table] = con.execute(f'SELECT {cols} FROM "{table}" ORDER BY ALL').fetchall()
    return out


def expected_changes(
    rows: dict[str, tuple[list[str], list[list[object]]]], since: int
) -> dict[str, tuple[list[str], list[list[object]]]]:
    """What the migrations after ``since`` do to existing rows beyond the schema: the rows
    as the fresh side is given them (0008 deletes an old key the generated rows do not hold).

    0011 gives the tasks kept so far (one list for the installation) to a commune: the
    installation's (``cau_hinh.xa_cai_dat``; the generated keys are other text), else the one
    real commune with data (the generated imports are all undone and the hand-entered figures
    name two communes, «…so_lieu_nhap_tay.commune» ';-- 1» and «…-- 2»), else Diễn Châu,
    whose programme they came from. So both generated tasks become Diễn Châu's."""
    out = dict(rows)
    if since < 11 and "nhiem_vu" in rows:
        names, data = rows["nhiem_vu"]
        out["nhiem_vu"] = (["commune", *names], [["Xã Diễn Châu", *row] for row in data])
    return out


def upgraded_equals_fresh(old_path: Path, fresh_path: Path, since: int) -> None:
    old = duckdb.connect(str(old_path))
    rows = fill(old)
    old.close()
    upgraded = connect(old_path)  # the current code: applies what the file lacks
    assert migrations.pending(upgraded) == []
    fresh = connect(fresh_path)
    for table, (names, data) in expected_changes(rows, since).items():
        insert(fresh, table, names, data)
    assert schema(upgraded) == schema(fresh)
    assert contents(upgraded) == contents(fresh)
    assert contents(upgraded)["ho_so"]  # the data is there, not two empty databases
    upgraded.close()
    fresh.close()


@pytest.mark.parametrize("release", RELEASES, ids=[p.stem for p in RELEASES])
def test_a_database_of_an_earlier_release_upgrades_with_its_data(release, tmp_path):
    old_path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(old_path))
    old.execute(release.read_text(encoding="utf-8"))
    since = max(migrations.applied(old))
    old.close()
    assert since <= LATEST  # a release may have the current schema already
    upgraded_equals_fresh(old_path, tmp_path / "fresh.duckdb", since)


@pytest.mark.parametrize("since", range(1, LATEST))
def test_a_database_after_each_earlier_migration_upgrades_with_its_data(since, tmp_path):
    old_path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(old_path))
    assert migrations.apply(old, upto=since) == list(range(1, since + 1))
    old.close()
    upgraded_equals_fresh(old_path, tmp_path / "fresh.duckdb", since)


def test_the_releases_are_kept():
    assert [p.stem for p in RELEASES][:2] == ["v0.1.0", "v0.2.0"]


def test_the_records_keep_the_names_existing_databases_have():
    # databases made before migrations were files hold these names in schema_migrations
    names = {m.version: m.name for m in migrations.available()}
    assert names[1] == "imports, case versions, current cases, aggregate reports"
    assert names[10] == (
        "a province on one server: communes grouped as data, accounts tied to a commune"
    )
    for release in RELEASES:
        con = duckdb.connect()
        con.execute(release.read_text(encoding="utf-8"))
        for version, name in con.execute("SELECT version, name FROM schema_migrations").fetchall():
            assert names[version] == name, (release.stem, version)


def test_a_new_migration_is_one_numbered_file(tmp_path, monkeypatch):
    """The runner reads the folder: files sorted by number, the first line as the name."""
    found = migrations.available()
    assert [m.version for m in found] == list(range(1, LATEST + 1))
    assert all(m.file_name.startswith(f"{m.version:04d}_") for m in found)
    assert "{{" not in found[0].sql and "ma_ho_so VARCHAR NOT NULL" in found[0].sql


def test_applying_twice_changes_nothing(db_path):
    con = connect(db_path)
    before = schema(con)
    assert migrations.apply(con) == [] and migrations.pending(con) == []
    assert schema(con) == before
    con.close()
