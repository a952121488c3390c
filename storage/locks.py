"""Locked months: after a meeting an admin locks a commune's month, and nothing that would
change it is accepted (imports, undo, hand-entered figures) until it is unlocked. Locking
and unlocking are audited. Every write path calls :func:`check` inside its transaction."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.errors import BadInput, LockedMonth
from core.periods import months_between
from loaders.reader import ParsedFile
from storage import audit
from storage.database import bump_version, one, transaction


def is_locked(con: duckdb.DuckDBPyConnection, commune: str, month: dt.date) -> tuple | None:
    return one(
        con,
        "SELECT khoa_luc, khoa_boi FROM khoa_thang WHERE commune = ? AND thang = ?",
        [commune, month.replace(day=1)],
    )


def lock(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, user: str, note: str = ""
) -> None:
    month = month.replace(day=1)
    with transaction(con):
        if is_locked(con, commune, month):
            raise BadInput(f"Tháng {month:%m/%Y} của {commune} đã được khóa trước đó.")
        con.execute(
            "INSERT INTO khoa_thang VALUES (?, ?, ?, ?, ?)",
            [commune, month, dt.datetime.now(), user, note],
        )
        audit.record(con, user, "khoa_thang", f"{commune} {month:%m/%Y}", note or None)
        bump_version(con)


def unlock(
    con: duckdb.DuckDBPyConnection, commune: str, month: dt.date, user: str, reason: str
) -> None:
    month = month.replace(day=1)
    if not reason.strip():
        raise BadInput("Cần ghi lý do mở khóa (sẽ lưu vào nhật ký).")
    with transaction(con):
        if not is_locked(con, commune, month):
            raise BadInput(f"Tháng {month:%m/%Y} của {commune} chưa bị khóa.")
        con.execute("DELETE FROM khoa_thang WHERE commune = ? AND thang = ?", [commune, month])
        audit.record(con, user, "mo_khoa_thang", f"{commune} {month:%m/%Y}", reason)
        bump_version(con)


def locked_months(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT commune, thang, khoa_luc, khoa_boi, ghi_chu FROM khoa_thang ORDER BY commune, thang"
    ).df()


def months_of_import(con: duckdb.DuckDBPyConnection, import_id: int) -> list[tuple[str, dt.date]]:
    """(commune, month) pairs an undo of this import would alter."""
    row = one(
        con,
        "SELECT commune, kind, coalesce(period_start, as_of), as_of FROM imports "
        "WHERE import_id = ?",
        [import_id],
    )
    if row is None:
        return []
    pairs = [(row[0], m) for m in months_between(min(row[2], row[3]), row[3])]
    pairs += [
        (c, m)
        for c, m in con.execute(
            "SELECT DISTINCT commune, thang FROM so_lieu_nhap_tay WHERE import_id = ?", [import_id]
        ).fetchall()
    ]
    return pairs


def months_of_file(parsed: ParsedFile) -> list[tuple[str, dt.date]]:
    """(commune, month) pairs storing this file would alter."""
    if parsed.kind == "so_lieu_nhap_tay":
        return sorted({(r.commune, r.thang) for r in parsed.good_rows.itertuples()})
    start = parsed.period_start or parsed.as_of
    return [(parsed.commune, m) for m in months_between(min(start, parsed.as_of), parsed.as_of)]


def check(con: duckdb.DuckDBPyConnection, months: list[tuple[str, dt.date]]) -> None:
    """Refuse a change that would alter a locked month (called inside its transaction)."""
    for commune, month in months:
        locked = is_locked(con, commune, month)
        if locked:
            raise LockedMonth(
                f"tháng {month:%m/%Y} của {commune} đã được khóa sau cuộc họp "
                f"(khóa lúc {locked[0]:%H:%M %d/%m/%Y} bởi {locked[1]}); số liệu của tháng "
                "này không thể thay đổi."
            )
