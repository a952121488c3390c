"""Targets set by an admin in the app, over the programme's YAML targets: for a year and
every commune, or for one commune. Each change is audited with the old and new target."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from core.errors import BadInput
from storage import audit
from storage.database import bump_version, one, transaction

KINDS = {
    "min": "Tối thiểu",
    "max": "Tối đa",
    "range": "Trong khoảng",
    "growth": "Tăng so với năm gốc",
    "deadline": "Đạt trước một ngày",
}
GROWTH = {"relative": "Tăng tương đối (%)", "points": "Tăng theo điểm phần trăm"}


class TargetError(BadInput):
    pass


def set_target(
    con: duckdb.DuckDBPyConnection,
    catalog: Any,
    indicator_id: str,
    year: int,
    kind: str,
    *,
    value: float | None = None,
    low: float | None = None,
    high: float | None = None,
    commune: str | None = None,
    basis: str,
    user: str,
    baseline_year: int | None = None,
    growth: str = "relative",
    due: dt.date | None = None,
) -> None:
    ind = catalog.indicators.get(indicator_id)
    if ind is None:
        raise TargetError(f"không có chỉ số «{indicator_id}»")
    if kind not in KINDS:
        raise TargetError(f"loại chỉ tiêu «{kind}» không có; chọn {', '.join(KINDS)}")
    if kind in ("range", "growth"):
        if low is None or high is None or low > high:
            raise TargetError("chỉ tiêu khoảng cần giá trị thấp ≤ giá trị cao")
    elif value is None:
        raise TargetError("cần nhập giá trị chỉ tiêu")
    if kind == "growth":
        if baseline_year is None or not 2000 <= baseline_year < year:
            raise TargetError("chỉ tiêu tăng trưởng cần năm gốc trước năm chỉ tiêu")
        if growth not in GROWTH:
            raise TargetError(
                f"cách tính mức tăng «{growth}» không có; chọn " + ", ".join(GROWTH.values())
            )
    if kind == "deadline" and (due is None or due.year != year):
        raise TargetError(f"chỉ tiêu có thời hạn cần ngày đến hạn trong năm {year}")
    if (ind.unit == "percent" or kind == "growth") and any(
        v is not None and not 0 <= v <= 1.5 for v in (value, low, high)
    ):
        raise TargetError("tỷ lệ ghi dạng phân số 0..1 (ví dụ 0,98 cho 98%)")
    if not basis.strip():
        raise TargetError("cần ghi căn cứ (văn bản, cuộc họp) của chỉ tiêu mới")
    before = _current(con, catalog, indicator_id, year, commune)
    with transaction(con):
        con.execute(
            "DELETE FROM chi_tieu_dieu_chinh WHERE indicator_id = ? AND nam = ? AND commune = ?",
            [indicator_id, year, commune or ""],
        )
        con.execute(
            """INSERT INTO chi_tieu_dieu_chinh (indicator_id, nam, commune, kind, gia_tri,
                           thap, cao, can_cu, nguoi_sua, sua_luc, nam_goc, cach_tang, han)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                indicator_id,
                year,
                commune or "",
                kind,
                value,
                low,
                high,
                basis,
                user,
                dt.datetime.now(),
                baseline_year if kind == "growth" else None,
                growth if kind == "growth" else None,
                due if kind == "deadline" else None,
            ],
        )
        audit.record(
            con,
            user,
            "chi_tieu",
            f"{indicator_id} {year} {commune or 'mọi xã'}",
            {
                "truoc": before,
                "sau": {
                    "loai": kind,
                    "gia_tri": value,
                    "thap": low,
                    "cao": high,
                    "nam_goc": baseline_year,
                    "cach_tang": growth if kind == "growth" else None,
                    "han": None if due is None else f"{due:%d/%m/%Y}",
                    "can_cu": basis,
                },
            },
        )
        bump_version(con)


def _current(
    con: duckdb.DuckDBPyConnection, catalog: Any, indicator_id: str, year: int, commune: str | None
) -> dict | None:
    """The target in force before a change: the commune's override, every commune's, or the
    programme's (``catalog.target_for``), in that order."""
    for scope in ([commune] if commune else []) + [""]:
        row = one(
            con,
            "SELECT kind, gia_tri, thap, cao, can_cu FROM chi_tieu_dieu_chinh "
            "WHERE indicator_id = ? AND nam = ? AND commune = ?",
            [indicator_id, year, scope],
        )
        if row:
            return dict(zip(("loai", "gia_tri", "thap", "cao", "can_cu"), row, strict=True))
    t = catalog.target_for(indicator_id, year, commune)
    return (
        None
        if t is None
        else {"loai": t.kind, "gia_tri": t.value, "thap": t.low, "cao": t.high, "can_cu": t.source}
    )


def overrides(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every admin-set target as a row (the indicators layer turns them into targets)."""
    cols = (
        "indicator",
        "year",
        "commune",
        "kind",
        "value",
        "low",
        "high",
        "basis",
        "who",
        "at",
        "baseline_year",
        "growth",
        "due",
    )
    rows = con.execute(
        "SELECT indicator_id, nam, commune, kind, gia_tri, thap, cao, can_cu, "
        "nguoi_sua, sua_luc, nam_goc, cach_tang, han "
        "FROM chi_tieu_dieu_chinh"
    ).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]
