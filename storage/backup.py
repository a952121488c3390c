"""A consistent copy of the database while the app runs, and its restore.

The copy is made by DuckDB inside one read transaction (``COPY FROM DATABASE``), so an
import running at the same moment is either wholly in the copy or wholly out of it.
Restoring replaces the database file and therefore needs the app stopped (DuckDB allows
one writer process); the command refuses while the file is held.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from core import settings
from core.errors import StorageFault
from storage import audit
from storage.database import connect, db_path, private_dir, private_files


def backup(
    con: duckdb.DuckDBPyConnection, folder: str | Path | None = None, user: str | None = None
) -> Path:
    folder = private_dir(Path(folder or db_path().parent / "backups"))
    target = folder / f"kpi_{dt.datetime.now():%Y%m%d_%H%M%S_%f}.duckdb"
    cur = con.cursor()  # its own transaction, whatever the caller is doing
    try:
        source = cur.execute("SELECT current_database()").fetchall()[0][0]
        cur.execute(f"ATTACH '{target}' AS sao_luu")
        try:
            cur.execute(f'COPY FROM DATABASE "{source}" TO sao_luu')
        finally:
            cur.execute("DETACH sao_luu")
        private_files(target)  # a backup holds everything the database holds
        audit.record(cur, user or settings.current_user(), "sao_luu", target.name)
    finally:
        cur.close()
    return target


def restore(source: str | Path, target: str | Path | None = None) -> Path:
    """Replace the database with a backup; the current file is kept beside it first."""
    source, target = Path(source), db_path(target)
    check = connect(source)  # a readable DuckDB file with our schema, or an error
    check.close()
    if target.exists():
        try:
            probe = connect(target)  # raises DatabaseBusy while the app holds the file
            probe.close()
        except StorageFault:  # a broken file is exactly when a restore is needed
            pass
        kept = f".truoc_khi_khoi_phuc_{dt.datetime.now():%Y%m%d_%H%M%S}.duckdb"
        shutil.move(target, target.with_suffix(kept))
    wal = target.with_suffix(target.suffix + ".wal")
    if wal.exists():
        wal.unlink()
    shutil.copy2(source, target)
    return target
