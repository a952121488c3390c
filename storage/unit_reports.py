"""The register of unit reports: each responsible unit reports to the commune «trước ngày 18
hằng tháng» (Công văn 001, mục 7). Staff record when a unit's report arrived, with its file if
they have one; the register says who reported on time, late, or not yet.

A report file is kept in the database with its month (so a backup holds it too), at most
``MAX_FILE`` bytes; a locked month's register cannot change."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from core.errors import BadInput
from storage import audit, locks, scope
from storage.database import bump_version, transaction

UNITS_FILE = Path(__file__).with_name("reporting_units.yaml")
DUE_DAY = 18
MAX_FILE = 20 * 1024 * 1024
STATES = {
    "dung_han": "Đã báo cáo đúng hạn",
    "muon": "Báo cáo muộn",
    "qua_han": "Chưa báo cáo — đã quá hạn",
    "chua_den_han": "Chưa báo cáo (chưa đến hạn)",
}


class UnitReportError(BadInput):
    pass


@cache
def _units() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    raw = yaml.safe_load(UNITS_FILE.read_text(encoding="utf-8"))
    return tuple(raw["mac_dinh"]), {c: tuple(u) for c, u in (raw.get("xa") or {}).items()}


def units(commune: str | None = None) -> list[str]:
    """A commune's own reporting units (another commune's letter never names them), read
    once per process; the default list for a commune without its own."""
    default, own = _units()
    return list(own.get(commune or "", default))


def due_date(month: dt.date) -> dt.date:
    """A month's report is due by the 18th of that month (the report of 004 runs 01-19/01)."""
    return month.replace(day=DUE_DAY)


def record(
    con: duckdb.DuckDBPyConnection,
    commune: str,
    month: dt.date,
    unit: str,
    received: dt.date,
    user: str,
    note: str = "",
    file_name: str | None = None,
    data: bytes | None = None,
) -> None:
    month = month.replace(day=1)
    if unit not in units(commune):
        raise UnitReportError(f"«{unit}» không có trong danh sách đơn vị báo cáo")
    if not commune:
        raise UnitReportError("cần chọn xã")
    scope.check(commune)
    if received < month - dt.timedelta(days=31) or received > dt.date.today():
        raise UnitReportError(
            f"ngày nhận {received:%d/%m/%Y} không hợp lý cho báo cáo tháng "
            f"{month:%m/%Y} (không được sau hôm nay)"
        )
    if data is not None and len(data) > MAX_FILE:
        raise UnitReportError(
            f"tệp «{file_name}» lớn hơn {MAX_FILE // 1024 // 1024} MB; "
            "nén lại hoặc chỉ ghi ngày nhận"
        )
    with transaction(con):
        locks.check(con, [(commune, month)])
        con.execute(
            "DELETE FROM bao_cao_don_vi WHERE commune = ? AND thang = ? AND don_vi = ?",
            [commune, month, unit],
        )
        con.execute(
            "INSERT INTO bao_cao_don_vi VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                commune,
                month,
                unit,
                received,
                note.strip() or None,
                file_name,
                data,
                user,
                dt.datetime.now(),
            ],
        )
        audit.record(
            con,
            user,
            "bao_cao_don_vi",
            f"{unit} {month:%m/%Y}",
            {"ngay_nhan": f"{received:%d/%m/%Y}", "tep": file_name},
        )
        bump_version(con)


def register(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, today: dt.date | None = None
) -> pd.DataFrame:
    """One row per unit for a month: when its report arrived and whether that was in time."""
    return registers(con, [commune], month, today).drop(columns="commune")


def registers(
    con: duckdb.DuckDBPyConnection,
    communes: list[str],
    month: dt.date,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The register of several communes for a month in one query (a province's ranking),
    each commune with its own units; every commune inside the acting account's wall."""
    for commune in communes:
        scope.check(commune)
    today = today or dt.date.today()
    month = month.replace(day=1)
    due = due_date(month)
    got = {
        (r[0], r[1]): r[2:]
        for r in con.execute(
            "SELECT commune, don_vi, ngay_nhan, ten_tep, ghi_chu, nguoi_nhap FROM bao_cao_don_vi "
            "WHERE list_contains(?, commune) AND thang = ?",
            [list(communes), month],
        ).fetchall()
    }
    rows = []
    for commune in communes:
        for unit in units(commune):
            if (commune, unit) in got:
                received, file_name, note, who = got[(commune, unit)]
                late = (received - due).days
                state = "muon" if late > 0 else "dung_han"
            else:
                received = file_name = note = who = None
                late = (today - due).days
                state = "qua_han" if late > 0 else "chua_den_han"
            rows.append(
                {
                    "commune": commune,
                    "don_vi": unit,
                    "han": due,
                    "ngay_nhan": received,
                    "trang_thai": state,
                    "so_ngay_muon": max(late, 0),
                    "ten_tep": file_name,
                    "ghi_chu": note,
                    "nguoi_nhap": who,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "commune",
            "don_vi",
            "han",
            "ngay_nhan",
            "trang_thai",
            "so_ngay_muon",
            "ten_tep",
            "ghi_chu",
            "nguoi_nhap",
        ],
    )


def file_of(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, unit: str
) -> tuple[str, bytes] | None:
    scope.check(commune)
    rows = con.execute(
        "SELECT ten_tep, tep FROM bao_cao_don_vi WHERE commune = ? AND thang = ? "
        "AND don_vi = ? AND tep IS NOT NULL",
        [commune, month.replace(day=1), unit],
    ).fetchall()
    return (rows[0][0], bytes(rows[0][1])) if rows else None
