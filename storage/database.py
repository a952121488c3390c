"""Opening the DuckDB file and keeping its schema current; transactions and the writer lock.

Migrations are numbered SQL files (``storage/migrations/``), applied in order and recorded in
``schema_migrations``; opening a database applies the missing ones in one transaction each,
then adds any case column declared in ``core.schema`` that the file does not have yet.
Files and folders the app creates are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
from pathlib import Path
from typing import Any

import duckdb

from core import settings
from core.errors import DatabaseBusy, StorageFault
from core.schema import CASE_FIELDS
from storage import migrations

# no extension is ever downloaded or loaded behind our back
CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
}

log = logging.getLogger("kpi_xa.storage")
FILE_MODE, DIR_MODE = 0o600, 0o700
# One writer at a time in this process: DuckDB's optimistic concurrency turns two sessions
# writing the same row into a "Conflict" error, so every write transaction takes this lock.
WRITE_LOCK = threading.RLock()
_depth: dict[int, int] = {}


def db_path(path: str | Path | None = None) -> Path:
    return Path(path or settings.text("db_path"))


def private_dir(folder: Path) -> Path:
    """A folder for data, backups or logs: created 0700, tightened if it already exists."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # a folder we do not own (e.g. /tmp): leave it
        folder.chmod(DIR_MODE)
    return folder


def private_files(path: Path) -> None:
    """The database file, its write-ahead log and friends: owner only."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            if candidate.exists():
                candidate.chmod(FILE_MODE)
        except OSError:
            pass


def owner_only() -> None:
    """Every file this process creates from now on is its owner's only (umask 077): the
    database, the .wal DuckDB creates at the first write after opening it, the logs, the
    backups, temporary files, reports. Set for the whole process, not around one call: the
    .wal appears later than the connect."""
    os.umask(0o077)


def connect(
    path: str | Path | None = None, *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    target = db_path(path)
    memory = str(target) == ":memory:"
    if not memory:
        try:
            private_dir(target.parent)
        except OSError as exc:
            raise fault(exc, target) from None
    owner_only()
    try:
        con = duckdb.connect(str(target), read_only=read_only, config=CONFIG)
    except duckdb.Error as exc:
        raise fault(exc, target) from None
    if not memory:
        private_files(target)
    if not read_only:
        try:
            migrate(con)
        except duckdb.Error as exc:
            con.close()
            raise fault(exc, target) from None
        _seed_programme(con)
    return con


def _seed_programme(con: duckdb.DuckDBPyConnection) -> None:
    """Every database has its commune's programme tasks, however it was made (first start,
    a command-line import on a new file, a restored backup). A full disk leaves the data
    as it was: the tasks come with the next start."""
    from storage import tasks  # storage.tasks writes through this module

    try:
        tasks.seed(con)
    except StorageFault as exc:
        log.warning("programme tasks not seeded: %s", exc)


def fault(exc: BaseException, target: Path | str | None = None) -> StorageFault | DatabaseBusy:
    """A database error as a message saying what happened and what to do."""
    known = known_fault(exc, target)
    if known is not None:
        return known
    where = f"«{target}»" if target else "cơ sở dữ liệu"
    return StorageFault(f"Lỗi khi đọc hoặc ghi {where}: {str(exc).splitlines()[0][:200]}")


def known_fault(
    exc: BaseException, target: Path | str | None = None
) -> StorageFault | DatabaseBusy | None:
    """A full disk, a read-only place, a held or broken file (not a bug in kpi-xa), or None."""
    text = str(exc).lower()
    where = f"«{target}»" if target else "cơ sở dữ liệu"
    if "lock" in text and ("conflicting" in text or "could not set lock" in text):
        return DatabaseBusy(
            f"Cơ sở dữ liệu {where} đang được một chương trình khác mở để ghi (bảng điều "
            "khiển, hoặc một lệnh kpi-xa đang chạy): chưa có gì được lưu. Khi bảng điều "
            "khiển đang chạy, hãy tải tệp lên ở trang «Tải dữ liệu» thay cho dòng lệnh; nếu "
            "đang có một lệnh chạy, đợi lệnh đó xong rồi làm lại."
        )
    code = exc.errno if isinstance(exc, OSError) else None
    if (
        code == errno.ENOSPC
        or "no space left" in text
        or "disk is full" in text
        or "enospc" in text
    ):
        return StorageFault(
            f"Ổ đĩa chứa {where} đã đầy: thay đổi này chưa được lưu (dữ liệu trước đó vẫn "
            "nguyên vẹn). Giải phóng dung lượng ổ đĩa rồi làm lại."
        )
    if (
        code in (errno.EROFS, errno.EACCES, errno.EPERM)
        or "read-only" in text
        or "read only" in text
        or "permission denied" in text
        or "operation not permitted" in text
    ):
        return StorageFault(
            f"Không ghi được vào {where} (thư mục chỉ đọc hoặc không có quyền): chưa có gì "
            "được lưu. Đặt KPI_DB sang một thư mục ghi được, hoặc mở ở chế độ chỉ xem "
            "(KPI_READ_ONLY=1)."
        )
    # only the storage's own complaints: an "Invalid Input" from a query is a bug, not a file
    broken_file = isinstance(exc, (duckdb.IOException, duckdb.SerializationException)) and (
        "not a valid duckdb" in text
        or "corrupt" in text
        or "checksum" in text
        or "could not read enough bytes" in text
        or "serializ" in text
    )
    if broken_file:
        return StorageFault(
            f"Tệp cơ sở dữ liệu {where} bị hỏng hoặc không phải tệp DuckDB. Khôi phục từ "
            "bản sao lưu: tắt bảng điều khiển rồi chạy «kpi-xa restore TỆP_SAO_LƯU»."
        )
    return None


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The numbered migrations this database lacks (storage/migrations/), then any case
    column declared in core.schema since it was made."""
    applied = migrations.apply(con)
    _sync_case_columns(con)
    return applied


def _sync_case_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns declared in core.schema after a database was created are added to it."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'ho_so'"
        ).fetchall()
    }
    missing = [f for f in CASE_FIELDS if f.name not in have]
    if not missing:
        return
    with transaction(con):
        for f in missing:
            for table in ("ho_so_versions", "ho_so"):
                con.execute(f"ALTER TABLE {table} ADD COLUMN {f.name} {f.sql}")


class transaction:  # noqa: N801 - used as a context manager like a function
    """BEGIN ... COMMIT, or ROLLBACK on any error so a rejected file changes nothing.

    Nestable: an inner ``transaction`` joins the outer one (a figure entered inside an
    import). The outermost one holds the process's writer lock."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        key = id(self.con)
        depth = _depth.get(key, 0)
        if depth == 0:
            WRITE_LOCK.acquire()
            try:
                self.con.execute("BEGIN TRANSACTION")
            except BaseException:
                WRITE_LOCK.release()
                raise
        _depth[key] = depth + 1
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        key = id(self.con)
        depth = _depth[key] - 1
        if depth:
            _depth[key] = depth
            return
        del _depth[key]
        try:
            if exc_type is None:
                try:
                    self.con.execute("COMMIT")
                except duckdb.Error as error:
                    _rollback(self.con)
                    raise fault(error) from error
            else:
                _rollback(self.con)
                known = known_fault(exc) if isinstance(exc, duckdb.Error) else None
                if known is not None:
                    raise known from exc
        finally:
            WRITE_LOCK.release()


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    # already rolled back by DuckDB after a failed statement
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def bump_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "SELECT version FROM data_version WHERE id = 1"))


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Any:
    """The first column of the first row of a query that always returns one."""
    row = one(con, sql, params)
    if row is None:
        raise LookupError(f"no row for {sql!r}")
    return row[0]


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, with the result consumed (DuckDB 2.0 refuses new work on
    a connection whose previous result was not read to the end)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
