"""Hand-entered figures (docs/indicators.md §5), with history: a correction adds a version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import duckdb
import pandas as pd

from core.errors import BadInput, LockedMonth
from core.validation import check_figure
from loaders.figures import ManualSpec
from loaders.titles import commune_name
from storage import audit, locks, scope
from storage.database import bump_version, transaction


class ManualEntryError(BadInput):
    pass


def add_figure(
    con,
    indicator_id: str,
    commune: str,
    month: dt.date,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    source: str,
    user: str,
    note: str,
    import_id: int | None = None,
    unit: str | None = None,
) -> int | None:
    """Add a version of a figure; None when it equals the current one (nothing is added,
    so re-importing a filled template does not pile up copies). ``unit``: the indicator's,
    for the last check before anything is written (every write path comes through here)."""
    if unit is not None and (findings := check_figure(unit, value, numerator, denominator)):
        raise ManualEntryError("; ".join(f.reason for f in findings))
    current = con.execute(
        """SELECT gia_tri, tu_so, mau_so, phien_ban FROM so_lieu_nhap_tay
           WHERE indicator_id = ? AND commune = ? AND thang = ?
           ORDER BY phien_ban DESC LIMIT 1""",
        [indicator_id, commune, month],
    ).fetchall()
    if current:
        old = current[0]
        same = all(
            (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
            for a, b in zip(old[:3], (value, numerator, denominator), strict=True)
        )
        if same:
            return None
    version = (current[0][3] if current else 0) + 1
    con.execute(
        """INSERT INTO so_lieu_nhap_tay (id, indicator_id, commune, thang, gia_tri, tu_so,
               mau_so, nguon, nguoi_nhap, thoi_diem, ghi_chu, phien_ban, import_id)
           VALUES (nextval('so_lieu_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            indicator_id,
            commune,
            month,
            value,
            numerator,
            denominator,
            source,
            user,
            dt.datetime.now(),
            note,
            version,
            import_id,
        ],
    )
    return version


def enter(
    con: duckdb.DuckDBPyConnection,
    manual: Mapping[str, ManualSpec],
    indicator_id: str,
    commune: str,
    month: dt.date,
    *,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    source: str,
    user: str,
    note: str = "",
) -> int:
    """Record a figure; returns its version number for that indicator, commune and month.
    ``manual`` is the catalogue's hand-entered indicators (the caller's, from indicators)."""
    indicator = manual.get(indicator_id)
    if indicator is None:
        raise ManualEntryError(f"«{indicator_id}» không phải chỉ số nhập tay.")
    if not source.strip():
        raise ManualEntryError("Cần ghi nguồn số liệu (ví dụ: Công an xã, báo cáo số ...).")
    if value is None and (numerator is None or denominator is None):
        raise ManualEntryError("Cần nhập giá trị, hoặc tử số và mẫu số (mẫu số khác 0).")
    if findings := check_figure(indicator.unit, value, numerator, denominator):
        raise ManualEntryError("Chưa lưu: " + "; ".join(f.reason for f in findings) + ".")
    if value is None:
        value = numerator / denominator  # type: ignore[operator]  # both checked above
    commune = commune_name(commune)
    scope.check(commune)
    month = month.replace(day=1)
    with transaction(con):
        try:
            locks.check(con, [(commune, month)])
        except LockedMonth as exc:
            raise ManualEntryError(f"Không lưu được: {exc}") from None
        version = add_figure(
            con,
            indicator_id,
            commune,
            month,
            value,
            numerator,
            denominator,
            source,
            user,
            note,
            unit=indicator.unit,
        )
        if version is None:
            raise ManualEntryError("Số liệu này trùng với số đang có; không cần lưu lại.")
        audit.record(
            con,
            user,
            "nhap_so_lieu",
            f"{indicator_id} {commune} {month:%m/%Y}",
            {
                "phien_ban": version,
                "gia_tri": value,
                "tu_so": numerator,
                "mau_so": denominator,
                "nguon": source,
                "ghi_chu": note,
            },
        )
        bump_version(con)
    return version


def current_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The latest version of every figure."""
    return con.execute(
        """SELECT indicator_id, commune, thang, gia_tri, tu_so, mau_so, nguon, nguoi_nhap,
                  thoi_diem, ghi_chu, phien_ban
           FROM so_lieu_nhap_tay
           QUALIFY row_number() OVER (PARTITION BY indicator_id, commune, thang
                                      ORDER BY phien_ban DESC) = 1"""
    ).df()


def history(
    con: duckdb.DuckDBPyConnection, indicator_id: str, commune: str | None = None
) -> pd.DataFrame:
    sql = (
        "SELECT thang, gia_tri, tu_so, mau_so, nguon, nguoi_nhap, thoi_diem, ghi_chu, "
        "phien_ban, commune FROM so_lieu_nhap_tay WHERE indicator_id = ?"
    )
    params: list = [indicator_id]
    if commune:
        scope.check(commune)
        sql += " AND commune = ?"
        params.append(commune)
    return scope.only_rows(con.execute(sql + " ORDER BY thang DESC, phien_ban DESC", params).df())
