"""The case schema, declared once. The DuckDB tables, the reader's field lists, the filter
check of indicator definitions and the pages' labels are all derived from ``CASE_FIELDS``:
a new case column is one line here plus its words in ``loaders/synonyms.yaml`` (and
``python scripts/docs.py`` to write it into the data contract).

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
    meaning: str = ""  # for the data contract (docs/indicators.md §1, generated)
    values: str = ""


CASE_FIELDS: tuple[Field, ...] = (
    Field("ma_ho_so", "VARCHAR", "text", "Mã hồ sơ", "case code", "text, unique per commune"),
    Field("ten_tthc", "VARCHAR", "text", "Thủ tục", "procedure name", "text"),
    Field(
        "linh_vuc",
        "VARCHAR",
        "text",
        "Lĩnh vực",
        "field (Hộ tịch, Chứng thực, Đất đai, ...)",
        "text",
    ),
    Field(
        "kenh",
        "VARCHAR",
        "words",
        "Kênh nộp",
        "filing channel",
        "`truc_tuyen` (online), `truc_tiep` (in person), `buu_chinh` (public postal service, "
        "BCCI). Blank means `truc_tiep`",
    ),
    Field(
        "muc_do",
        "VARCHAR",
        "level",
        "Mức độ",
        "service level of the procedure",
        "`toan_trinh` (full online), `mot_phan` (partial), blank",
    ),
    Field("ngay_tiep_nhan", "TIMESTAMP", "date", "Ngày tiếp nhận", "received", "date-time"),
    Field("ngay_hen_tra", "TIMESTAMP", "date", "Ngày hẹn trả", "due", "date-time"),
    Field(
        "ngay_ket_thuc",
        "TIMESTAMP",
        "date",
        "Ngày có kết quả",
        'completed ("có kết quả", "trả kết quả", "kết thúc xử lý")',
        "date-time, blank while open",
    ),
    Field("trang_thai", "VARCHAR", "words", "Trạng thái", "status", "see below"),
    Field(
        "so_hoa_tphs",
        "BOOLEAN",
        "bool",
        "Số hóa thành phần hồ sơ",
        "dossier components digitised",
        "bool",
    ),
    Field(
        "ket_qua_dien_tu", "BOOLEAN", "bool", "Kết quả điện tử", "electronic result issued", "bool"
    ),
    Field(
        "tai_su_dung",
        "BOOLEAN",
        "bool",
        "Tái sử dụng dữ liệu",
        "reused already-digitised data",
        "bool",
    ),
    Field("phi", "BIGINT", "amount", "Phí, lệ phí", "fee in VND", "integer, 0 = no fee"),
    Field(
        "thanh_toan_truc_tuyen",
        "BOOLEAN",
        "bool",
        "Thanh toán trực tuyến",
        "fee paid online",
        "bool, blank when no fee",
    ),
    Field(
        "xac_thuc_vneid",
        "BOOLEAN",
        "bool",
        "Xác thực VNeID",
        "filed with a VNeID-authenticated account",
        "bool, online cases only",
    ),
    Field(
        "danh_gia",
        "VARCHAR",
        "words",
        "Đánh giá",
        "citizen rating",
        "`hai_long`, `khong_hai_long`, blank = not rated",
    ),
    Field(
        "can_bo",
        "VARCHAR",
        "text",
        "Cán bộ xử lý",
        "officer handling it (a public servant, kept for accountability)",
        "text",
    ),
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
LABELS: dict[str, str] = {f.name: f.label for f in STORE_FIELDS + CASE_FIELDS}


def case_ddl() -> str:
    """Columns of ``ho_so`` and ``ho_so_versions``: the store's fields, then the case's."""
    body = [f"{f.name} {f.sql}" for f in STORE_FIELDS]
    body += [f"{f.name} {f.sql}" for f in CASE_FIELDS if f.name != KEY]
    return ",\n    ".join(body)


def case_table_sql(name: str = "ho_so") -> str:
    return f"CREATE TABLE {name} (\n    {case_ddl()}\n)"


def contract_table() -> str:
    """The case columns as docs/indicators.md §1 shows them (written there by
    scripts/docs.py; tests/test_docs.py checks the file says the same)."""
    lines = ["| canonical field | meaning | values | column title on pages |", "|---|---|---|---|"]
    lines += [f"| {f.name} | {f.meaning} | {f.values} | {f.label} |" for f in CASE_FIELDS]
    return "\n".join(lines)
