"""The case schema, declared once. The DuckDB tables, the reader's field lists, the filter
check of indicator definitions and the pages' labels are all derived from ``CASE_FIELDS``:
a new case column is one line here plus its words in ``loaders/synonyms.yaml``.

No personal data has a column: names, ID numbers, phones and addresses are dropped by the
reader and can never be stored.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    sql: str  # DuckDB type
    kind: str  # how the reader parses it: text, words, date, bool, amount, level
    label: str  # the column's Vietnamese name on pages and in Excel


CASE_FIELDS: tuple[Field, ...] = (
    Field("ma_ho_so", "VARCHAR", "text", "Mã hồ sơ"),
    Field("ten_tthc", "VARCHAR", "text", "Thủ tục"),
    Field("linh_vuc", "VARCHAR", "text", "Lĩnh vực"),
    Field("kenh", "VARCHAR", "words", "Kênh nộp"),
    Field("muc_do", "VARCHAR", "level", "Mức độ"),
    Field("ngay_tiep_nhan", "TIMESTAMP", "date", "Ngày tiếp nhận"),
    Field("ngay_hen_tra", "TIMESTAMP", "date", "Ngày hẹn trả"),
    Field("ngay_ket_thuc", "TIMESTAMP", "date", "Ngày có kết quả"),
    Field("trang_thai", "VARCHAR", "words", "Trạng thái"),
    Field("so_hoa_tphs", "BOOLEAN", "bool", "Số hóa thành phần hồ sơ"),
    Field("ket_qua_dien_tu", "BOOLEAN", "bool", "Kết quả điện tử"),
    Field("tai_su_dung", "BOOLEAN", "bool", "Tái sử dụng dữ liệu"),
    Field("phi", "BIGINT", "amount", "Phí, lệ phí"),
    Field("thanh_toan_truc_tuyen", "BOOLEAN", "bool", "Thanh toán trực tuyến"),
    Field("xac_thuc_vneid", "BOOLEAN", "bool", "Xác thực VNeID"),
    Field("danh_gia", "VARCHAR", "words", "Đánh giá"),
    Field("can_bo", "VARCHAR", "text", "Cán bộ xử lý"),
)
# Columns the store adds to each row: which commune, which snapshot, which import.
STORE_FIELDS: tuple[Field, ...] = (
    Field("commune", "VARCHAR NOT NULL", "text", "Xã"),
    Field("ma_ho_so", "VARCHAR NOT NULL", "text", "Mã hồ sơ"),
    Field("as_of", "DATE NOT NULL", "date", "Số liệu đến ngày"),
    Field("import_id", "INTEGER NOT NULL", "text", "Lần nhập"),
)

CASE_COLUMNS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS)
KEY = "ma_ho_so"
BOOL_FIELDS = tuple(f.name for f in CASE_FIELDS if f.kind == "bool")
DATE_FIELDS = tuple(f.name for f in CASE_FIELDS if f.kind == "date")
TEXT_FIELDS = tuple(f.name for f in CASE_FIELDS if f.kind == "text")
LABELS: dict[str, str] = {f.name: f.label for f in STORE_FIELDS + CASE_FIELDS}


def case_ddl() -> str:
    """Columns of ``ho_so`` and ``ho_so_versions``: the store's fields, then the case's."""
    body = [f"{f.name} {f.sql}" for f in STORE_FIELDS]
    body += [f"{f.name} {f.sql}" for f in CASE_FIELDS if f.name != KEY]
    return ",\n    ".join(body)


def case_table_sql(name: str = "ho_so") -> str:
    return f"CREATE TABLE {name} (\n    {case_ddl()}\n)"
