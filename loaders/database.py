"""Opening the DuckDB file and keeping its schema current.

Migrations are registered here in order and recorded in ``schema_migrations``; opening a
database applies the missing ones in one transaction each.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from . import settings

CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}

CASE_DDL = """
    commune VARCHAR NOT NULL,
    ma_ho_so VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    import_id INTEGER NOT NULL,
    ten_tthc VARCHAR,
    linh_vuc VARCHAR,
    kenh VARCHAR,
    muc_do VARCHAR,
    ngay_tiep_nhan TIMESTAMP,
    ngay_hen_tra TIMESTAMP,
    ngay_ket_thuc TIMESTAMP,
    trang_thai VARCHAR,
    so_hoa_tphs BOOLEAN,
    ket_qua_dien_tu BOOLEAN,
    tai_su_dung BOOLEAN,
    phi BIGINT,
    thanh_toan_truc_tuyen BOOLEAN,
    xac_thuc_vneid BOOLEAN,
    danh_gia VARCHAR,
    can_bo VARCHAR
"""

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
]

# Migrations registered by other packages (indicators) run after these, in version order.
_EXTRA: list[tuple[int, str, str]] = []


def register_migration(version: int, name: str, sql: str) -> None:
    if any(v == version for v, _, _ in MIGRATIONS + _EXTRA):
        return
    _EXTRA.append((version, name, sql))


class DatabaseBusy(RuntimeError):
    """The file is held by another program (DuckDB allows one writer process)."""


def db_path(path: str | Path | None = None) -> Path:
    return Path(path or str(settings.get("db_path")))


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    target = db_path(path)
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), config=CONFIG)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(
                f"Cơ sở dữ liệu «{target}» đang được một chương trình khác mở "
                "(ví dụ bảng điều khiển đang chạy). Hãy tải tệp lên qua trang «Tải dữ liệu», "
                "hoặc tắt chương trình kia rồi chạy lại lệnh.") from exc
        raise
    migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)""")
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in sorted(MIGRATIONS + _EXTRA):
        if version in done:
            continue
        with transaction(con):
            for statement in _statements(sql):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [version, name, dt.datetime.now()])
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


class transaction:  # noqa: N801 - used as a context manager like a function
    """BEGIN ... COMMIT, or ROLLBACK on any error so a rejected file changes nothing."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        self.con.execute("BEGIN TRANSACTION")
        return self.con

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")


def bump_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    return int(one(con, "SELECT version FROM data_version WHERE id = 1")[0])




def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, with the result consumed (DuckDB 2.0 refuses new work on
    a connection whose previous result was not read to the end)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
