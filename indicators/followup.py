"""What became of a meeting's conclusions: each assignment done on time, done late, open and
on time, or overdue, with what the unit reported; the previous meeting's follow-up slide that
opens the next meeting's deck; open and overdue assignments by unit for the overview."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import duckdb
import pandas as pd

from core import formatting as fmt
from indicators.slides import Slide, _short
from storage import meetings, tasks

SLIDE_ROWS = 4  # five columns of two-line cells: what 1024 x 768 shows without scrolling


class FollowUp(StrEnum):
    DUNG_HAN = "dung_han"
    TRE_HAN = "tre_han"
    CON_HAN = "con_han"
    QUA_HAN = "qua_han"

    @property
    def label(self) -> str:
        return {
            FollowUp.DUNG_HAN: "Hoàn thành đúng hạn",
            FollowUp.TRE_HAN: "Hoàn thành muộn",
            FollowUp.CON_HAN: "Đang làm, còn hạn",
            FollowUp.QUA_HAN: "Quá hạn",
        }[self]

    @property
    def short(self) -> str:
        """For a projector's narrow column."""
        return {
            FollowUp.DUNG_HAN: "Xong đúng hạn",
            FollowUp.TRE_HAN: "Xong muộn",
            FollowUp.CON_HAN: "Còn hạn",
            FollowUp.QUA_HAN: "Quá hạn",
        }[self]


ORDER = {FollowUp.QUA_HAN: 0, FollowUp.CON_HAN: 1, FollowUp.TRE_HAN: 2, FollowUp.DUNG_HAN: 3}


def state(done: bool, due: dt.date | None, finished: dt.date | None, today: dt.date) -> FollowUp:
    """An assignment at a day: done by its deadline, done after it, open with time left, or
    open past it (a finished one without a date counts as on time, as the tally does)."""
    if done:
        return FollowUp.TRE_HAN if due and finished and finished > due else FollowUp.DUNG_HAN
    return FollowUp.QUA_HAN if due is not None and due < today else FollowUp.CON_HAN


def assignments(
    con: duckdb.DuckDBPyConnection,
    communes: list[str] | None,
    today: dt.date,
    meeting_id: int | None = None,
) -> pd.DataFrame:
    """The assignments (tasks from meetings) with ``theo_doi``, their follow-up state."""
    listed = tasks.list_tasks(con, communes, today)
    if listed.empty:
        return listed.assign(theo_doi=pd.Series(dtype=object))
    mine = listed[listed["cuoc_hop_id"].notna()]
    if meeting_id is not None:
        mine = mine[mine["cuoc_hop_id"] == meeting_id]
    return mine.assign(
        theo_doi=[
            state(s == "hoan_thanh", h, f, today)
            for s, h, f in zip(
                mine["trang_thai"], mine["han"], mine["ngay_hoan_thanh"], strict=True
            )
        ]
    ).reset_index(drop=True)


def by_unit(
    con: duckdb.DuckDBPyConnection, communes: list[str] | None, today: dt.date
) -> pd.DataFrame:
    """Open assignments per lead unit: still in time and overdue, worst first."""
    rows = assignments(con, communes, today)
    open_ = (
        rows[rows["theo_doi"].isin([FollowUp.CON_HAN, FollowUp.QUA_HAN])]
        if not rows.empty
        else rows
    )
    if open_.empty:
        return pd.DataFrame(columns=["chu_tri", "con_han", "qua_han"])
    out = (
        open_.assign(
            con_han=open_["theo_doi"] == FollowUp.CON_HAN,
            qua_han=open_["theo_doi"] == FollowUp.QUA_HAN,
        )
        .groupby("chu_tri")[["con_han", "qua_han"]]
        .sum()
        .astype(int)
    )
    return out.sort_values(["qua_han", "con_han"], ascending=False).reset_index()


def previous_slides(
    con: duckdb.DuckDBPyConnection, commune: str | None, today: dt.date
) -> list[Slide]:
    """«Kết luận kỳ trước»: the assignments of the commune's last meeting before today, each
    with its state and what the unit reported; none when there was no such meeting."""
    if commune is None:
        return []
    meeting = meetings.previous(con, commune, today)
    if meeting is None:
        return []
    rows = assignments(con, [commune], today, meeting.id)
    title = f"Kết luận kỳ trước — họp ngày {meeting.day:%d/%m/%Y}"
    if rows.empty:
        return [
            Slide(
                "ket_luan_ky_truoc",
                title,
                lines=["Cuộc họp trước không giao việc nào theo kết luận."],
            )
        ]
    counts = rows["theo_doi"].value_counts()
    summary = "; ".join(
        f"{k.label.lower()}: {int(counts.get(k, 0))}"
        for k in sorted(FollowUp, key=ORDER.__getitem__)
    )
    rows = rows.assign(_o=[ORDER[FollowUp(k)] for k in rows["theo_doi"]]).sort_values(
        ["_o", "han"], kind="stable"
    )
    table = pd.DataFrame(
        {
            "Tình trạng": [FollowUp(k).short for k in rows["theo_doi"]],
            "Việc giao": [_short(t, 40) for t in rows["noi_dung"]],
            "Chủ trì": [_short(t, 20) for t in rows["chu_tri"]],
            "Hạn": [fmt.date(h) for h in rows["han"]],
            "Đơn vị báo cáo": [
                _short(g, 24) if isinstance(g, str) and g else "—" for g in rows["ghi_chu"]
            ],
        }
    ).reset_index(drop=True)
    more = (
        f"Còn {len(table) - SLIDE_ROWS} việc khác ở trang Cuộc họp."
        if len(table) > SLIDE_ROWS
        else ""
    )
    return [
        Slide(
            "ket_luan_ky_truoc",
            title,
            tables=[("", table.head(SLIDE_ROWS))],
            lines=[f"{meeting.label}: {len(rows)} việc giao — {summary}."],
            more=more,
        )
    ]
