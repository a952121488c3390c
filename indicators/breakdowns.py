"""An indicator split by lĩnh vực, thủ tục, kênh or cán bộ, for one period.

One grouped query generated from the indicator's terms: each term counts the cases of its
set whose date falls in the period (flows) or that are open at its end (the stock). Only
case data can be split; an indicator read from aggregate reports or entered by hand has no
breakdown beyond the 06a/766 field rows.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from core.errors import BadInput
from indicators.definitions import Indicator, Term

# the fields a breakdown may use, with their Vietnamese labels (a whitelist: the name is
# pasted into SQL)
DIMENSIONS: dict[str, str] = {
    "linh_vuc": "Lĩnh vực",
    "ten_tthc": "Thủ tục",
    "kenh": "Kênh nộp",
    "can_bo": "Cán bộ xử lý",
}
CHANNEL_LABELS = {
    "truc_tuyen": "Trực tuyến",
    "truc_tiep": "Trực tiếp",
    "buu_chinh": "Bưu chính công ích",
}
UNKNOWN = "(không ghi)"


def _in_period(term: Term) -> str:
    if term.family == "received":
        return "CAST(ngay_tiep_nhan AS DATE) BETWEEN $start AND $end"
    if term.family == "ended":
        return "CAST(ngay_ket_thuc AS DATE) BETWEEN $start AND $end"
    return (
        "CAST(ngay_tiep_nhan AS DATE) <= $end AND "
        "(ngay_ket_thuc IS NULL OR CAST(ngay_ket_thuc AS DATE) > $end)"
    )


def _sum_sql(terms: tuple[Term, ...]) -> str:
    if not terms:
        return "NULL"
    parts = [
        f"count(*) FILTER (WHERE ({_in_period(t)}) AND {t.condition().replace(':end', '$end')})"
        for t in terms
    ]
    return " + ".join(parts)


# the count of an indicator's terms over a period, for queries that group otherwise (the
# officers' ranking of a whole province in one pass)
sum_sql = _sum_sql


def breakdown(
    con: duckdb.DuckDBPyConnection,
    ind: Indicator,
    by: str,
    communes: list[str],
    start: dt.date,
    end: dt.date,
) -> pd.DataFrame:
    """Columns: nhom, tu_so, mau_so, gia_tri; the largest denominators (or counts) first."""
    if by not in DIMENSIONS:
        raise BadInput(f"không thể chia theo «{by}»; chọn một trong {', '.join(DIMENSIONS)}")
    columns = ["nhom", "tu_so", "mau_so", "gia_tri"]
    if ind.manual or not ind.numerator or not communes:
        return pd.DataFrame(columns=columns)
    df = con.execute(
        f"""SELECT coalesce(CAST({by} AS VARCHAR), '{UNKNOWN}') AS nhom,
                   {_sum_sql(ind.numerator)} AS tu_so,
                   {_sum_sql(ind.denominator)} AS mau_so
            FROM ho_so WHERE list_contains($communes, commune)
            GROUP BY ALL""",
        {"start": start, "end": end, "communes": communes},
    ).df()
    if ind.denominator:
        df = df[df["mau_so"] > 0].copy()
        df["gia_tri"] = df["tu_so"] / df["mau_so"]
        df = df.sort_values(["mau_so", "nhom"], ascending=[False, True])
    else:
        df = df[df["tu_so"] > 0].copy()
        df["mau_so"] = None
        df["gia_tri"] = df["tu_so"].astype(float)
        df = df.sort_values(["tu_so", "nhom"], ascending=[False, True])
    if by == "kenh":
        df["nhom"] = df["nhom"].map(lambda v: CHANNEL_LABELS.get(v, v))
    return df[columns].reset_index(drop=True)
