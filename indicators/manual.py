"""Hand-entered figures (docs/indicators.md §5), with history: a correction adds a version."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from loaders import audit
from loaders.database import bump_version, transaction
from loaders.figures import add_figure


class ManualEntryError(ValueError):
    pass


def enter(con: duckdb.DuckDBPyConnection, indicator_id: str, commune: str, month: dt.date, *,
          value: float | None = None, numerator: float | None = None,
          denominator: float | None = None, source: str, user: str, note: str = "") -> int:
    """Record a figure; returns its version number for that indicator, commune and month."""
    from loaders.titles import commune_name

    from .definitions import load_catalog

    catalog = load_catalog()
    indicator = catalog.indicators.get(indicator_id)
    if indicator is None or not indicator.manual:
        raise ManualEntryError(f"«{indicator_id}» không phải chỉ số nhập tay.")
    if not source.strip():
        raise ManualEntryError("Cần ghi nguồn số liệu (ví dụ: Công an xã, báo cáo số ...).")
    if value is None:
        if numerator is None or not denominator:
            raise ManualEntryError("Cần nhập giá trị, hoặc tử số và mẫu số (mẫu số khác 0).")
        value = numerator / denominator
    if indicator.unit == "percent" and not 0 <= value <= 1.5:
        raise ManualEntryError(f"Tỷ lệ {value:.4f} không hợp lệ; nhập dạng phân số 0..1 "
                               "(ví dụ 0,976 cho 97,6%).")
    commune = commune_name(commune)
    month = month.replace(day=1)
    with transaction(con):
        from loaders.store import GUARDS, LockedPeriod

        for guard in GUARDS:
            try:
                guard(con, ("manual", commune, month))
            except LockedPeriod as exc:
                raise ManualEntryError(f"Không lưu được: {exc}") from None
        version = add_figure(con, indicator_id, commune, month, value, numerator, denominator,
                             source, user, note)
        if version is None:
            raise ManualEntryError("Số liệu này trùng với số đang có; không cần lưu lại.")
        audit.record(con, user, "nhap_so_lieu", f"{indicator_id} {commune} {month:%m/%Y}", {
            "phien_ban": version, "gia_tri": value, "tu_so": numerator, "mau_so": denominator,
            "nguon": source, "ghi_chu": note})
        bump_version(con)
    return version


def current_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The latest version of every figure."""
    return con.execute(
        """SELECT indicator_id, commune, thang, gia_tri, tu_so, mau_so, nguon, nguoi_nhap,
                  thoi_diem, ghi_chu, phien_ban
           FROM so_lieu_nhap_tay
           QUALIFY row_number() OVER (PARTITION BY indicator_id, commune, thang
                                      ORDER BY phien_ban DESC) = 1""").df()


def history(con: duckdb.DuckDBPyConnection, indicator_id: str, commune: str | None = None
            ) -> pd.DataFrame:
    sql = ("SELECT thang, gia_tri, tu_so, mau_so, nguon, nguoi_nhap, thoi_diem, ghi_chu, "
           "phien_ban, commune FROM so_lieu_nhap_tay WHERE indicator_id = ?")
    params: list = [indicator_id]
    if commune:
        sql += " AND commune = ?"
        params.append(commune)
    return con.execute(sql + " ORDER BY thang DESC, phien_ban DESC", params).df()
