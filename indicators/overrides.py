"""Targets set by an admin in the app, over the programme's YAML targets: for a year and
every commune, or for one commune. Each change is audited with the old and new target."""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb

from loaders import audit
from loaders.database import bump_version, transaction

from .definitions import Catalog, Target

KINDS = {"min": "Tối thiểu", "max": "Tối đa", "range": "Trong khoảng"}


class TargetError(ValueError):
    pass


def set_target(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, year: int,
               kind: str, *, value: float | None = None, low: float | None = None,
               high: float | None = None, commune: str | None = None, basis: str,
               user: str) -> None:
    ind = catalog.indicators.get(indicator_id)
    if ind is None:
        raise TargetError(f"không có chỉ số «{indicator_id}»")
    if kind not in KINDS:
        raise TargetError(f"loại chỉ tiêu «{kind}» không có; chọn {', '.join(KINDS)}")
    if kind == "range":
        if low is None or high is None or low > high:
            raise TargetError("chỉ tiêu khoảng cần giá trị thấp ≤ giá trị cao")
    elif value is None:
        raise TargetError("cần nhập giá trị chỉ tiêu")
    if ind.unit == "percent" and any(v is not None and not 0 <= v <= 1.5
                                     for v in (value, low, high)):
        raise TargetError("tỷ lệ ghi dạng phân số 0..1 (ví dụ 0,98 cho 98%)")
    if not basis.strip():
        raise TargetError("cần ghi căn cứ (văn bản, cuộc họp) của chỉ tiêu mới")
    before = with_overrides(con, catalog).target_for(indicator_id, year, commune)
    with transaction(con):
        con.execute("DELETE FROM chi_tieu_dieu_chinh WHERE indicator_id = ? AND nam = ? "
                    "AND commune = ?", [indicator_id, year, commune or ""])
        con.execute("INSERT INTO chi_tieu_dieu_chinh VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [indicator_id, year, commune or "", kind, value, low, high, basis, user,
                     dt.datetime.now()])
        audit.record(con, user, "chi_tieu", f"{indicator_id} {year} {commune or 'mọi xã'}", {
            "truoc": None if before is None else {
                "loai": before.kind, "gia_tri": before.value, "thap": before.low,
                "cao": before.high, "can_cu": before.source},
            "sau": {"loai": kind, "gia_tri": value, "thap": low, "cao": high,
                    "can_cu": basis}})
        bump_version(con)


def overrides(con: duckdb.DuckDBPyConnection) -> list[Target]:
    rows = con.execute("SELECT indicator_id, nam, commune, kind, gia_tri, thap, cao, can_cu, "
                       "nguoi_sua, sua_luc FROM chi_tieu_dieu_chinh").fetchall()
    return [Target(indicator=i, year=y, kind=k, value=v, low=lo, high=hi,
                   source=f"{basis} (điều chỉnh bởi {who} ngày {at:%d/%m/%Y})",
                   document="Điều chỉnh trong kpi-xa", commune=c or None)
            for i, y, c, k, v, lo, hi, basis, who, at in rows]


def with_overrides(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> Catalog:
    """The catalogue with the database's targets first, so they win at equal scope (a
    commune's own target still beats one for every commune)."""
    extra = overrides(con)
    if not extra:
        return catalog
    return dataclasses.replace(catalog, targets=extra + list(catalog.targets))
