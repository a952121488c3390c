"""Baseline-year values (2025) that growth targets are measured against, entered by staff
when neither the cases nor the hand-entered figures of that year are in the database."""

from __future__ import annotations

import datetime as dt
import math

import duckdb

from core.errors import BadInput
from storage import audit, scope
from storage.database import bump_version, transaction


class BaselineError(BadInput):
    pass


def set_baseline(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    unit: str,
    commune: str,
    year: int,
    value: float,
    basis: str,
    user: str,
) -> None:
    """``value`` as stored: a share 0..1 for a rate, a count otherwise."""
    if not commune:
        raise BaselineError("cần chọn xã cho số liệu năm gốc")
    scope.check(commune)
    if value is None or math.isnan(value) or value < 0 or (unit == "percent" and value > 1):
        shown = "0% đến 100%" if unit == "percent" else "một số không âm"
        raise BaselineError(f"số liệu năm {year} cần là {shown}")
    if not basis.strip():
        raise BaselineError(f"cần ghi nguồn của số liệu năm {year} (báo cáo, văn bản)")
    with transaction(con):
        con.execute(
            "DELETE FROM so_lieu_goc WHERE indicator_id = ? AND commune = ? AND nam = ?",
            [indicator_id, commune, year],
        )
        con.execute(
            "INSERT INTO so_lieu_goc VALUES (?, ?, ?, ?, ?, ?, ?)",
            [indicator_id, commune, year, value, basis.strip(), user, dt.datetime.now()],
        )
        audit.record(
            con,
            user,
            "so_lieu_goc",
            f"{indicator_id} {commune} {year}",
            {"gia_tri": value, "can_cu": basis.strip()},
        )
        bump_version(con)


def baselines(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, int], float]:
    rows = con.execute("SELECT indicator_id, commune, nam, gia_tri FROM so_lieu_goc").fetchall()
    return {(i, c, int(y)): float(v) for i, c, y, v in rows}
