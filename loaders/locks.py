"""Locked months: after a meeting an admin locks a commune's month, and nothing that would
change it is accepted (imports, undo, hand-entered figures) until it is unlocked. Locking
and unlocking are audited. The rule plugs into store.GUARDS at import time."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from indicators.periods import months_between

from . import audit
from .database import bump_version, one, transaction
from .store import GUARDS, LockedPeriod


def is_locked(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date) -> tuple | None:
    return one(con, "SELECT khoa_luc, khoa_boi FROM khoa_thang WHERE commune = ? AND thang = ?",
               [commune, month.replace(day=1)])


def lock(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, user: str,
         note: str = "") -> None:
    month = month.replace(day=1)
    with transaction(con):
        if is_locked(con, commune, month):
            raise ValueError(f"Tháng {month:%m/%Y} của {commune} đã được khóa trước đó.")
        con.execute("INSERT INTO khoa_thang VALUES (?, ?, ?, ?, ?)",
                    [commune, month, dt.datetime.now(), user, note])
        audit.record(con, user, "khoa_thang", f"{commune} {month:%m/%Y}", note or None)
        bump_version(con)


def unlock(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, user: str,
           reason: str) -> None:
    month = month.replace(day=1)
    if not reason.strip():
        raise ValueError("Cần ghi lý do mở khóa (sẽ lưu vào nhật ký).")
    with transaction(con):
        if not is_locked(con, commune, month):
            raise ValueError(f"Tháng {month:%m/%Y} của {commune} chưa bị khóa.")
        con.execute("DELETE FROM khoa_thang WHERE commune = ? AND thang = ?", [commune, month])
        audit.record(con, user, "mo_khoa_thang", f"{commune} {month:%m/%Y}", reason)
        bump_version(con)


def locked_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT commune, thang, khoa_luc, khoa_boi, ghi_chu FROM khoa_thang "
                       "ORDER BY commune, thang").df()


def _months_touched(con: duckdb.DuckDBPyConnection, what) -> list[tuple[str, dt.date]]:
    """(commune, month) pairs a change would alter."""
    if isinstance(what, tuple) and what[0] == "manual":
        return [(what[1], what[2].replace(day=1))]
    if isinstance(what, tuple) and what[0] == "undo":
        row = one(con, "SELECT commune, kind, coalesce(period_start, as_of), as_of FROM imports "
                  "WHERE import_id = ?", [what[1]])
        if row is None:
            return []
        pairs = [(row[0], m) for m in months_between(min(row[2], row[3]), row[3])]
        pairs += [(c, m) for c, m in con.execute(
            "SELECT DISTINCT commune, thang FROM so_lieu_nhap_tay WHERE import_id = ?",
            [what[1]]).fetchall()]
        return pairs
    parsed = what
    if parsed.kind == "so_lieu_nhap_tay":
        return sorted({(r.commune, r.thang) for r in parsed.good_rows.itertuples()})
    start = parsed.period_start or parsed.as_of
    return [(parsed.commune, m) for m in months_between(min(start, parsed.as_of), parsed.as_of)]


def guard(con: duckdb.DuckDBPyConnection, what) -> None:
    for commune, month in _months_touched(con, what):
        locked = is_locked(con, commune, month)
        if locked:
            raise LockedPeriod(
                f"tháng {month:%m/%Y} của {commune} đã được khóa sau cuộc họp "
                f"(khóa lúc {locked[0]:%H:%M %d/%m/%Y} bởi {locked[1]}); số liệu của tháng "
                "này không thể thay đổi.")


if guard not in GUARDS:
    GUARDS.append(guard)
