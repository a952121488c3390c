"""Where each commune sits: its province and cluster (a former district, or any grouping the
province uses), kept as data so a province view can group and roll communes up."""

from __future__ import annotations

import duckdb
import pandas as pd

from core import settings
from core.errors import BadInput
from loaders.titles import commune_name
from storage import audit
from storage.database import one, transaction


def areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """xa, tinh, cum for every commune that has one recorded."""
    return con.execute("SELECT xa, tinh, cum FROM dia_ban ORDER BY tinh, cum, xa").df()


def set_areas(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, by: str) -> int:
    """Replace the province and cluster of the communes listed (columns xa, tinh, cum).
    Returns how many communes changed."""
    clean = []
    for i, row in enumerate(rows.itertuples(index=False), start=1):
        xa = str(row.xa or "").strip()
        tinh = str(row.tinh or "").strip() if pd.notna(row.tinh) else ""
        cum = str(row.cum).strip() if pd.notna(row.cum) and str(row.cum).strip() else None
        if not xa or (not tinh and not cum):
            continue  # a commune not placed yet
        if not tinh:
            raise BadInput(f"Dòng {i} (xã «{xa}»): cần ghi tên tỉnh của cụm «{cum}».")
        clean.append((xa, tinh, cum))
    old = {r[0]: (r[1], r[2]) for r in con.execute("SELECT xa, tinh, cum FROM dia_ban").fetchall()}
    changed = [r for r in clean if old.get(r[0]) != (r[1], r[2])]
    if not changed:
        return 0
    with transaction(con):
        for xa, tinh, cum in changed:
            con.execute("INSERT OR REPLACE INTO dia_ban VALUES (?, ?, ?)", [xa, tinh, cum])
            audit.record(
                con, by, "dia_ban", xa, f"Thuộc tỉnh «{tinh}»" + (f", cụm «{cum}»" if cum else "")
            )
    return len(changed)


HOME_KEY = "xa_cai_dat"


def home_commune(con: duckdb.DuckDBPyConnection) -> str:
    """The installation's own commune: set by an admin, else KPI_COMMUNE, else ""."""
    row = one(con, "SELECT gia_tri FROM cau_hinh WHERE khoa = ?", [HOME_KEY])
    if row and row[0]:
        return str(row[0])
    raw = settings.text("default_commune")
    return commune_name(raw) if raw else ""


def set_home_commune(con: duckdb.DuckDBPyConnection, name: str, by: str) -> str:
    clean = commune_name(name) if name.strip() else ""
    if not clean:
        raise BadInput("Cần ghi tên xã, ví dụ «Xã Diễn Châu».")
    with transaction(con):
        con.execute("INSERT OR REPLACE INTO cau_hinh VALUES (?, ?)", [HOME_KEY, clean])
        audit.record(con, by, "dia_ban", clean, "Đặt làm xã của bảng điều khiển")
    return clean
