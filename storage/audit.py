"""The audit trail: who imported, undid, entered, corrected, locked or unlocked, when, and
what changed. Written inside the same transaction as the change it records, so a change
without its line (or a line without its change) cannot happen."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd

ACTIONS = {
    "nhap_tep": "Nhập tệp",
    "hoan_tac": "Hoàn tác lần nhập",
    "nhap_so_lieu": "Nhập số liệu",
    "sua_nhiem_vu": "Sửa nhiệm vụ",
    "nhap_nhiem_vu": "Nhập danh mục nhiệm vụ",
    "khoa_thang": "Khóa tháng",
    "mo_khoa_thang": "Mở khóa tháng",
    "sao_luu": "Sao lưu",
    "tai_khoan": "Tài khoản",
    "chi_tieu": "Sửa chỉ tiêu",
    "so_lieu_goc": "Nhập số liệu năm gốc",
    "bao_cao_don_vi": "Ghi nhận báo cáo đơn vị",
    "noi_dung_bao_cao": "Viết nội dung báo cáo",
    "dia_ban": "Ghi địa bàn của xã",
}


def record(con: duckdb.DuckDBPyConnection, user: str, action: str, target: str,
           detail: dict | str | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = detail if isinstance(detail, str) or detail is None else json.dumps(
        detail, ensure_ascii=False, default=str)
    con.execute("INSERT INTO nhat_ky VALUES (nextval('nhat_ky_id_seq'), ?, ?, ?, ?, ?)",
                [dt.datetime.now(), user or "khong_ro", action, target, text])


def trail(con: duckdb.DuckDBPyConnection, limit: int = 1000) -> pd.DataFrame:
    df = con.execute("""SELECT id, thoi_diem, nguoi, hanh_dong, doi_tuong, chi_tiet
                        FROM nhat_ky ORDER BY id DESC LIMIT ?""", [limit]).df()
    df["hanh_dong"] = df["hanh_dong"].map(lambda a: ACTIONS.get(a, a))
    return df
