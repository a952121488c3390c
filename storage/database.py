"""Opening the DuckDB file and keeping its schema current; transactions and the writer lock.

Migrations are named sets, applied in order and recorded in ``schema_migrations``; opening
a database applies the missing ones in one transaction each, then adds any case column
declared in ``core.schema`` that the file does not have yet. Files and folders the app
creates are readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import threading
from pathlib import Path
from typing import Any

import duckdb

from core import settings
from core.errors import DatabaseBusy, StorageFault
from core.schema import CASE_FIELDS, case_ddl

# no extension is ever downloaded or loaded behind our back
CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}

CASE_DDL = case_ddl()
log = logging.getLogger("kpi_xa.storage")

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "imports, case versions, current cases, aggregate reports", f"""
        CREATE SEQUENCE import_id_seq START 1;
        CREATE TABLE imports (
            import_id INTEGER PRIMARY KEY,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            fmt VARCHAR,
            sheet VARCHAR,
            commune VARCHAR NOT NULL,
            as_of DATE NOT NULL,
            as_of_source VARCHAR,
            period_start DATE,
            period_end DATE,
            rows_inserted INTEGER NOT NULL DEFAULT 0,
            rows_updated INTEGER NOT NULL DEFAULT 0,
            rows_unchanged INTEGER NOT NULL DEFAULT 0,
            rows_rejected INTEGER NOT NULL DEFAULT 0,
            imported_at TIMESTAMP NOT NULL,
            imported_by VARCHAR,
            undone_at TIMESTAMP,
            undone_by VARCHAR
        );
        CREATE TABLE import_problems (
            import_id INTEGER NOT NULL,
            sheet VARCHAR,
            row_number INTEGER,
            column_name VARCHAR,
            value VARCHAR,
            reason VARCHAR
        );
        -- every snapshot's rows, so that the latest as-of wins whatever the import order
        -- and an import can be undone
        CREATE TABLE ho_so_versions ({CASE_DDL});
        -- the current state of each case, rebuilt from the versions
        CREATE TABLE ho_so ({CASE_DDL});
        CREATE TABLE bao_cao_tong_hop (
            import_id INTEGER NOT NULL,
            commune VARCHAR NOT NULL,
            thang DATE NOT NULL,
            kind VARCHAR NOT NULL,
            as_of DATE NOT NULL,
            linh_vuc VARCHAR NOT NULL,
            chi_so VARCHAR NOT NULL,
            gia_tri DOUBLE
        );
        CREATE TABLE data_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
        INSERT INTO data_version VALUES (1, 0);
    """),
    (2, "hand-entered figures with versions", """
    CREATE SEQUENCE so_lieu_id_seq START 1;
    CREATE TABLE so_lieu_nhap_tay (
        id INTEGER PRIMARY KEY,
        indicator_id VARCHAR NOT NULL,
        commune VARCHAR NOT NULL,
        thang DATE NOT NULL,
        gia_tri DOUBLE,
        tu_so DOUBLE,
        mau_so DOUBLE,
        nguon VARCHAR NOT NULL,
        nguoi_nhap VARCHAR NOT NULL,
        thoi_diem TIMESTAMP NOT NULL,
        ghi_chu VARCHAR,
        phien_ban INTEGER NOT NULL
    );
"""),
    (3, "hand-entered figures remember the import they came from (for undo)", """
    ALTER TABLE so_lieu_nhap_tay ADD COLUMN import_id INTEGER;
"""),
    (4, "the programme's tasks with the 6 rõ", """
    CREATE TABLE nhiem_vu (
        tt VARCHAR PRIMARY KEY,
        nhom VARCHAR,
        noi_dung VARCHAR NOT NULL,
        chu_tri VARCHAR,
        phoi_hop VARCHAR,
        san_pham VARCHAR,
        tham_quyen VARCHAR,
        thoi_han VARCHAR,
        han DATE,
        trang_thai VARCHAR NOT NULL DEFAULT 'chua_thuc_hien',
        ngay_hoan_thanh DATE,
        ghi_chu VARCHAR,
        cap_nhat_luc TIMESTAMP,
        cap_nhat_boi VARCHAR
    );
"""),
    (5, "locked months and the audit trail", """
    CREATE TABLE khoa_thang (
        commune VARCHAR NOT NULL,
        thang DATE NOT NULL,
        khoa_luc TIMESTAMP NOT NULL,
        khoa_boi VARCHAR NOT NULL,
        ghi_chu VARCHAR,
        PRIMARY KEY (commune, thang)
    );
    CREATE SEQUENCE nhat_ky_id_seq START 1;
    CREATE TABLE nhat_ky (
        id INTEGER PRIMARY KEY,
        thoi_diem TIMESTAMP NOT NULL,
        nguoi VARCHAR NOT NULL,
        hanh_dong VARCHAR NOT NULL,
        doi_tuong VARCHAR,
        chi_tiet VARCHAR
    );
"""),
    (6, "accounts with hashed passwords and roles; installation secrets", """
    CREATE TABLE tai_khoan (
        ten_dang_nhap VARCHAR PRIMARY KEY,
        ho_ten VARCHAR NOT NULL,
        vai_tro VARCHAR NOT NULL,
        mat_khau_bam VARCHAR,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL,
        hoat_dong BOOLEAN NOT NULL DEFAULT TRUE
    );
    CREATE TABLE cau_hinh (khoa VARCHAR PRIMARY KEY, gia_tri VARCHAR NOT NULL);
"""),
    (7, "targets set by an admin, overriding the programme's for a year (and a commune)", """
    CREATE TABLE chi_tieu_dieu_chinh (
        indicator_id VARCHAR NOT NULL,
        nam INTEGER NOT NULL,
        commune VARCHAR NOT NULL,  -- '' for every commune
        kind VARCHAR NOT NULL,
        gia_tri DOUBLE,
        thap DOUBLE,
        cao DOUBLE,
        can_cu VARCHAR NOT NULL,
        nguoi_sua VARCHAR NOT NULL,
        sua_luc TIMESTAMP NOT NULL,
        PRIMARY KEY (indicator_id, nam, commune)
    );
"""),
    (8, "sign-in hardening: failed attempts, lockout, forced password change, sessions", """
    ALTER TABLE tai_khoan ADD COLUMN so_lan_sai INTEGER DEFAULT 0;
    ALTER TABLE tai_khoan ADD COLUMN khoa_den TIMESTAMP;
    ALTER TABLE tai_khoan ADD COLUMN phai_doi_mat_khau BOOLEAN DEFAULT FALSE;
    -- a sign-in: only the SHA-256 of its random token is kept, so neither the database nor
    -- a backup of it can be turned into a working cookie
    CREATE TABLE phien_dang_nhap (
        token_bam VARCHAR PRIMARY KEY,
        ten_dang_nhap VARCHAR NOT NULL,
        tao_luc TIMESTAMP NOT NULL,
        het_han TIMESTAMP NOT NULL,
        thu_hoi_luc TIMESTAMP
    );
    -- the old cookie-signing key is not needed any more
    DELETE FROM cau_hinh WHERE khoa = 'cookie_key';
"""),
    (9, "the whole programme: baselines, growth targets, task sources, unit reports, report "
        "texts", """
    ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN nam_goc INTEGER;
    ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN cach_tang VARCHAR;
    ALTER TABLE chi_tieu_dieu_chinh ADD COLUMN han DATE;
    ALTER TABLE nhiem_vu ADD COLUMN nguon VARCHAR;
    ALTER TABLE nhiem_vu ADD COLUMN thuong_xuyen BOOLEAN DEFAULT FALSE;
    -- the value of a baseline year (2025) that a growth target is measured against
    CREATE TABLE so_lieu_goc (
        indicator_id VARCHAR NOT NULL,
        commune VARCHAR NOT NULL,
        nam INTEGER NOT NULL,
        gia_tri DOUBLE NOT NULL,
        can_cu VARCHAR NOT NULL,
        nguoi_nhap VARCHAR NOT NULL,
        thoi_diem TIMESTAMP NOT NULL,
        PRIMARY KEY (indicator_id, commune, nam)
    );
    -- which unit reported for which month, and when (Công văn 001 §7: before the 18th)
    CREATE TABLE bao_cao_don_vi (
        commune VARCHAR NOT NULL,
        thang DATE NOT NULL,
        don_vi VARCHAR NOT NULL,
        ngay_nhan DATE NOT NULL,
        ghi_chu VARCHAR,
        ten_tep VARCHAR,
        tep BLOB,
        nguoi_nhap VARCHAR NOT NULL,
        thoi_diem TIMESTAMP NOT NULL,
        PRIMARY KEY (commune, thang, don_vi)
    );
    -- the monthly report's written parts, every saved version kept
    CREATE SEQUENCE noi_dung_bao_cao_seq START 1;
    CREATE TABLE noi_dung_bao_cao (
        id INTEGER PRIMARY KEY,
        commune VARCHAR NOT NULL,
        thang DATE NOT NULL,
        muc VARCHAR NOT NULL,
        noi_dung VARCHAR NOT NULL,
        phien_ban INTEGER NOT NULL,
        nguoi_viet VARCHAR NOT NULL,
        thoi_diem TIMESTAMP NOT NULL
    );
"""),
    (10, "a province on one server: communes grouped as data, accounts tied to a commune", """
    -- NULL: the account sees every commune (the province); else only this one
    ALTER TABLE tai_khoan ADD COLUMN xa VARCHAR;
    -- which province and cluster (former district) a commune belongs to
    CREATE TABLE dia_ban (
        xa VARCHAR PRIMARY KEY,
        tinh VARCHAR NOT NULL,
        cum VARCHAR
    );
"""),
    # --- issue 18 item 6: tasks belong to a commune (self-contained: move to its own file) --
    (12, "tasks belong to a commune: nhiem_vu keyed by (commune, tt)", """
    -- the same TT («1.1») is a different task in each commune's own programme
    CREATE TABLE nhiem_vu_theo_xa (
        commune VARCHAR NOT NULL,
        tt VARCHAR NOT NULL,
        nhom VARCHAR,
        noi_dung VARCHAR NOT NULL,
        chu_tri VARCHAR,
        phoi_hop VARCHAR,
        san_pham VARCHAR,
        tham_quyen VARCHAR,
        thoi_han VARCHAR,
        han DATE,
        trang_thai VARCHAR NOT NULL DEFAULT 'chua_thuc_hien',
        ngay_hoan_thanh DATE,
        ghi_chu VARCHAR,
        cap_nhat_luc TIMESTAMP,
        cap_nhat_boi VARCHAR,
        nguon VARCHAR,
        thuong_xuyen BOOLEAN DEFAULT FALSE,
        PRIMARY KEY (commune, tt)
    );
    -- the tasks kept so far were the installation's: its commune (set by an admin), else
    -- the one real commune with data, else the commune whose programme they came from;
    -- the text "nan" an unchanged save used to write is no text at all
    INSERT INTO nhiem_vu_theo_xa
    SELECT COALESCE(
               (SELECT gia_tri FROM cau_hinh WHERE khoa = 'xa_cai_dat' AND gia_tri <> ''),
               (SELECT min(c) FROM (
                    SELECT commune AS c FROM imports WHERE undone_at IS NULL
                    UNION SELECT commune FROM so_lieu_nhap_tay) AS real_communes
                WHERE c <> 'Xã Mẫu' HAVING count(DISTINCT c) = 1),
               'Xã Diễn Châu'),
           tt, nhom, noi_dung, chu_tri,
           CASE WHEN lower(trim(phoi_hop)) IN ('nan', 'none', '') THEN NULL ELSE phoi_hop END,
           CASE WHEN lower(trim(san_pham)) IN ('nan', 'none', '') THEN NULL ELSE san_pham END,
           CASE WHEN lower(trim(tham_quyen)) IN ('nan', 'none', '') THEN NULL
                ELSE tham_quyen END,
           thoi_han, han, trang_thai, ngay_hoan_thanh,
           CASE WHEN lower(trim(ghi_chu)) IN ('nan', 'none', '') THEN NULL ELSE ghi_chu END,
           cap_nhat_luc, cap_nhat_boi, nguon, thuong_xuyen
    FROM nhiem_vu;
    DROP TABLE nhiem_vu;
    ALTER TABLE nhiem_vu_theo_xa RENAME TO nhiem_vu;
"""),
    # --- issue 20: the committee's meetings (self-contained: move to its own file) ---------
    (13, "meetings, their conclusions, assignments as tasks, notices of conclusions", """
    CREATE SEQUENCE cuoc_hop_id_seq START 1;
    CREATE TABLE cuoc_hop (
        id INTEGER PRIMARY KEY,
        commune VARCHAR NOT NULL,
        ngay DATE NOT NULL,
        loai VARCHAR NOT NULL,
        chu_tri VARCHAR NOT NULL,
        thanh_phan VARCHAR,
        ky_xem_xet VARCHAR,
        dia_diem VARCHAR,
        khoa_luc TIMESTAMP,
        khoa_boi VARCHAR,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
    CREATE SEQUENCE ket_luan_id_seq START 1;
    CREATE TABLE ket_luan (
        id INTEGER PRIMARY KEY,
        cuoc_hop_id INTEGER NOT NULL,
        stt INTEGER NOT NULL,
        noi_dung VARCHAR NOT NULL,
        chi_so VARCHAR,
        nhiem_vu_tt VARCHAR,
        don_vi VARCHAR,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
    -- an assignment is a task of the commune whose source is the meeting
    ALTER TABLE nhiem_vu ADD COLUMN cuoc_hop_id INTEGER;
    ALTER TABLE nhiem_vu ADD COLUMN ket_luan_id INTEGER;
    ALTER TABLE nhiem_vu ADD COLUMN nguoi_chu_tri VARCHAR;
    -- every notice written is kept (its number, date, signer and the Word file)
    CREATE SEQUENCE thong_bao_id_seq START 1;
    CREATE TABLE thong_bao_ket_luan (
        id INTEGER PRIMARY KEY,
        cuoc_hop_id INTEGER NOT NULL,
        phien_ban INTEGER NOT NULL,
        so_ky_hieu VARCHAR,
        ngay_ban_hanh DATE NOT NULL,
        nguoi_ky VARCHAR,
        ten_tep VARCHAR NOT NULL,
        tep BLOB NOT NULL,
        tao_luc TIMESTAMP NOT NULL,
        tao_boi VARCHAR NOT NULL
    );
"""),
]

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
    try:
        folder.chmod(DIR_MODE)
    except OSError:  # a folder we do not own (e.g. /tmp): leave it
        pass
    return folder


def private_files(path: Path) -> None:
    """The database file, its write-ahead log and friends: owner only."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            if candidate.exists():
                candidate.chmod(FILE_MODE)
        except OSError:
            pass


def connect(path: str | Path | None = None, *, read_only: bool = False
            ) -> duckdb.DuckDBPyConnection:
    target = db_path(path)
    memory = str(target) == ":memory:"
    if not memory:
        try:
            private_dir(target.parent)
        except OSError as exc:
            raise fault(exc, target) from None
    old_umask = os.umask(0o077)  # DuckDB creates the file and its .wal with our umask
    try:
        con = duckdb.connect(str(target), read_only=read_only, config=CONFIG)
    except duckdb.Error as exc:
        raise fault(exc, target) from None
    finally:
        os.umask(old_umask)
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


def known_fault(exc: BaseException, target: Path | str | None = None
                ) -> StorageFault | DatabaseBusy | None:
    """A full disk, a read-only place, a held or broken file (not a bug in kpi-xa), or None."""
    text = str(exc).lower()
    where = f"«{target}»" if target else "cơ sở dữ liệu"
    if "lock" in text and ("conflicting" in text or "could not set lock" in text):
        return DatabaseBusy(
            f"Cơ sở dữ liệu {where} đang được một chương trình khác mở để ghi (bảng điều "
            "khiển, hoặc một lệnh kpi-xa đang chạy): chưa có gì được lưu. Khi bảng điều "
            "khiển đang chạy, hãy tải tệp lên ở trang «Tải dữ liệu» thay cho dòng lệnh; nếu "
            "đang có một lệnh chạy, đợi lệnh đó xong rồi làm lại.")
    code = exc.errno if isinstance(exc, OSError) else None
    if code == errno.ENOSPC or "no space left" in text or "disk is full" in text \
            or "enospc" in text:
        return StorageFault(
            f"Ổ đĩa chứa {where} đã đầy: thay đổi này chưa được lưu (dữ liệu trước đó vẫn "
            "nguyên vẹn). Giải phóng dung lượng ổ đĩa rồi làm lại.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "read-only" in text \
            or "read only" in text or "permission denied" in text \
            or "operation not permitted" in text:
        return StorageFault(
            f"Không ghi được vào {where} (thư mục chỉ đọc hoặc không có quyền): chưa có gì "
            "được lưu. Đặt KPI_DB sang một thư mục ghi được, hoặc mở ở chế độ chỉ xem "
            "(KPI_READ_ONLY=1).")
    # only the storage's own complaints: an "Invalid Input" from a query is a bug, not a file
    broken_file = isinstance(exc, (duckdb.IOException, duckdb.SerializationException)) and (
        "not a valid duckdb" in text or "corrupt" in text or "checksum" in text
        or "could not read enough bytes" in text or "serializ" in text)
    if broken_file:
        return StorageFault(
            f"Tệp cơ sở dữ liệu {where} bị hỏng hoặc không phải tệp DuckDB. Khôi phục từ "
            "bản sao lưu: tắt bảng điều khiển rồi chạy «kpi-xa restore TỆP_SAO_LƯU».")
    return None


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)""")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in sorted(MIGRATIONS):
        if version in done:
            continue
        with transaction(con):
            for statement in _statements(sql):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [version, name, dt.datetime.now()])
        applied.append(version)
    _sync_case_columns(con)
    return applied


def _sync_case_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns declared in core.schema after a database was created are added to it."""
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'ho_so'"
    ).fetchall()}
    missing = [f for f in CASE_FIELDS if f.name not in have]
    if not missing:
        return
    with transaction(con):
        for f in missing:
            for table in ("ho_so_versions", "ho_so"):
                con.execute(f"ALTER TABLE {table} ADD COLUMN {f.name} {f.sql}")


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


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
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:  # already rolled back by DuckDB after a failed statement
        pass


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
