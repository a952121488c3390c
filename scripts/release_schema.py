"""Write the database schema of an earlier release as SQL, for tests/test_migrations.py.

    python scripts/release_schema.py v0.2.0 > tests/data/releases/v0.2.0.sql

Takes the release's files from git (``git archive``), lets that release's own code create an
empty database with the current interpreter, and prints what it made: every sequence and
table (DuckDB's own CREATE statements) and the rows it put there itself (its
``schema_migrations`` records, the data version). Run once per release, when it is tagged;
the file is kept in the repository so the upgrade test needs neither git history nor tags.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the release's own code, run in its own folder: 0.1 kept the database in loaders/, later
# releases in storage/
MAKE = """
import os, sys
# the release's modules only, never the current checkout's editable install
sys.meta_path = [f for f in sys.meta_path if "editable" not in type(f).__module__.lower()]
if os.path.exists("storage/database.py"):
    from storage.database import connect
else:
    from loaders.database import connect
connect(sys.argv[1]).close()
"""


def literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def dump(db: Path, release: str) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    out = [
        f"-- The schema kpi-xa {release} creates in an empty database, written by "
        f"scripts/release_schema.py {release}.",
        "-- Do not edit: regenerate it.",
    ]
    for (sql,) in con.execute(
        "SELECT sql FROM duckdb_sequences() ORDER BY sequence_name"
    ).fetchall():
        out.append(sql.rstrip(";") + ";")
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() ORDER BY table_name"
        ).fetchall()
    ]
    for table in tables:
        (sql,) = con.execute(
            "SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchone()
        out.append(sql.rstrip(";") + ";")
    for table in tables:
        for row in con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall():
            out.append(f'INSERT INTO "{table}" VALUES ({", ".join(map(literal, row))});')
    con.close()
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("release", help="a tag or commit, e.g. v0.2.0")
    args = parser.parse_args()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", args.release], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        code = Path(tmp) / "code"
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(code, filter="data")
        db = Path(tmp) / "release.duckdb"
        subprocess.run(
            [sys.executable, "-c", MAKE, str(db)],
            cwd=code,
            check=True,
            env={
                "PYTHONPATH": str(code),
                "PATH": "/usr/bin:/bin",
                "KPI_LOG_DIR": str(Path(tmp) / "logs"),
                "HOME": tmp,
            },
        )
        sys.stdout.write(dump(db, args.release))


if __name__ == "__main__":
    main()
