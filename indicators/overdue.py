"""Cases late or at risk in a period, so that the responsible officer can be named
(programme 001: "xác định rõ nguyên nhân, trách nhiệm của từng cá nhân").

Only case codes, procedures, fields, officers and dates: no citizen data is stored at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

STATES = {
    "tre_han": "Đã giải quyết nhưng trễ hạn",
    "qua_han": "Đang xử lý, đã quá hạn",
    "sap_den_han": "Đang xử lý, sắp đến hạn",
}
RISK_DAYS = 3  # "sắp đến hạn": due within this many days after the period's end


def overdue_cases(
    con: duckdb.DuckDBPyConnection,
    communes: list[str],
    start: dt.date,
    end: dt.date,
    risk_days: int = RISK_DAYS,
) -> pd.DataFrame:
    """One row per case: late in the period, overdue at its end, or due right after it."""
    return con.execute(
        """WITH c AS (
               SELECT commune, ma_ho_so, ten_tthc, linh_vuc, can_bo, kenh,
                      CAST(ngay_tiep_nhan AS DATE) AS nhan, CAST(ngay_hen_tra AS DATE) AS hen,
                      CAST(ngay_ket_thuc AS DATE) AS xong
               FROM ho_so WHERE list_contains($communes, commune)
                 AND ngay_hen_tra IS NOT NULL)
           SELECT commune AS xa, ma_ho_so, ten_tthc, linh_vuc,
                  coalesce(can_bo, '(không ghi)') AS can_bo, nhan AS ngay_tiep_nhan,
                  hen AS ngay_hen_tra, xong AS ngay_ket_thuc,
                  CASE WHEN xong BETWEEN $start AND $end AND xong > hen THEN 'tre_han'
                       WHEN hen < $end THEN 'qua_han'
                       ELSE 'sap_den_han' END AS tinh_trang,
                  CASE WHEN xong BETWEEN $start AND $end AND xong > hen
                           THEN date_diff('day', hen, xong)
                       WHEN hen < $end THEN date_diff('day', hen, $end) END AS so_ngay_tre,
                  -- a case not yet due is not late: the days it has left instead
                  CASE WHEN NOT (xong BETWEEN $start AND $end AND xong > hen) AND hen >= $end
                       THEN date_diff('day', $end, hen) END AS con_lai
           FROM c
           WHERE (xong BETWEEN $start AND $end AND xong > hen)
              OR (nhan <= $end AND (xong IS NULL OR xong > $end)
                  AND hen < $end + to_days(CAST($risk AS INTEGER)))
           ORDER BY tinh_trang = 'sap_den_han', so_ngay_tre DESC NULLS LAST, con_lai,
                    ma_ho_so""",
        {"communes": communes, "start": start, "end": end, "risk": risk_days},
    ).df()


def _counts(cases: pd.DataFrame, by: str, states: dict[str, str]) -> pd.DataFrame | None:
    """Cases per field or officer (rows) and state (columns); None for no cases."""
    if cases.empty:
        return None
    return cases.pivot_table(
        index=by, columns="tinh_trang", values="ma_ho_so", aggfunc="count", fill_value=0
    ).reindex(columns=list(states), fill_value=0)


def summary(cases: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per field or officer and state, worst first."""
    table = _counts(cases, by, STATES)
    if table is None:
        return pd.DataFrame(columns=[by, *STATES, "tong"])
    table["tong"] = table[["tre_han", "qua_han"]].sum(axis=1)
    return table.sort_values(["tong", "sap_den_han"], ascending=False).reset_index()


RETURNED = {
    "tu_choi": "Từ chối, trả lại hồ sơ",
    "khong_tiep_nhan": "Không tiếp nhận",
    "yeu_cau_bo_sung": "Yêu cầu bổ sung",
    "dung_xu_ly": "Dừng xử lý",
}


def returned_cases(
    con: duckdb.DuckDBPyConnection, communes: list[str], start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Cases refused, returned, sent back for more papers or stopped, received in the period
    (programme 001 §5: «hồ sơ bị từ chối hoặc trả lại ... trách nhiệm của từng cá nhân»)."""
    return con.execute(
        """SELECT commune AS xa, ma_ho_so, ten_tthc, linh_vuc,
                  coalesce(can_bo, '(không ghi)') AS can_bo,
                  CAST(ngay_tiep_nhan AS DATE) AS ngay_tiep_nhan,
                  CAST(ngay_ket_thuc AS DATE) AS ngay_ket_thuc, trang_thai AS tinh_trang
           FROM ho_so
           WHERE list_contains($communes, commune)
             AND list_contains($states, trang_thai)
             AND CAST(ngay_tiep_nhan AS DATE) BETWEEN $start AND $end
           ORDER BY linh_vuc, can_bo, ma_ho_so""",
        {"communes": communes, "states": list(RETURNED), "start": start, "end": end},
    ).df()


def returned_summary(cases: pd.DataFrame, by: str) -> pd.DataFrame:
    table = _counts(cases, by, RETURNED)
    if table is None:
        return pd.DataFrame(columns=[by, *RETURNED, "tong"])
    table["tong"] = table.sum(axis=1)
    return table.sort_values("tong", ascending=False).reset_index()


@dataclass(frozen=True)
class OverdueView:
    """What the overdue page shows for some communes and days, computed once per data
    version: the cases and their counts by state, field and officer."""

    cases: pd.DataFrame
    late_by_field: pd.DataFrame
    late_by_officer: pd.DataFrame
    returned: pd.DataFrame
    returned_by_field: pd.DataFrame
    returned_by_officer: pd.DataFrame

    def counts(self) -> dict[str, int]:
        return {s: int(n) for s, n in self.cases["tinh_trang"].value_counts().items()}


def overdue_view(
    con: duckdb.DuckDBPyConnection, communes: list[str], start: dt.date, end: dt.date
) -> OverdueView:
    cases = overdue_cases(con, communes, start, end)
    back = returned_cases(con, communes, start, end)
    return OverdueView(
        cases,
        summary(cases, "linh_vuc"),
        summary(cases, "can_bo"),
        back,
        returned_summary(back, "linh_vuc"),
        returned_summary(back, "can_bo"),
    )
