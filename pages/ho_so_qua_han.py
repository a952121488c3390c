"""Hồ sơ quá hạn: cases late or at risk in the period, by field and by officer, with their
codes and dates (no citizen data), so the responsible person can be named."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.overdue import RETURNED, RISK_DAYS, STATES
from reports.excel import frame_to_excel
from ui.auth import require
from ui.session import overdue_for
from ui.widgets import excel_download, page_start, plain_table

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Hồ sơ quá hạn, bị từ chối hoặc trả lại")
communes = [commune] if commune else eng.communes()
end = eng.period_end(period, communes) or period.end
view = overdue_for(communes, period.start, end)
cases = view.cases
late_tab, returned_tab = st.tabs(["Quá hạn và sắp đến hạn", "Bị từ chối, trả lại, bổ sung"])
HEADS = {
    "xa": "Xã",
    "ma_ho_so": "Mã hồ sơ",
    "ten_tthc": "Thủ tục",
    "linh_vuc": "Lĩnh vực",
    "can_bo": "Cán bộ xử lý",
    "ngay_tiep_nhan": "Ngày tiếp nhận",
    "tinh_trang": "Tình trạng",
}
SHOWN = 300  # rows drawn on the page; the Excel file has them all


def _table(frame, states: dict[str, str], heads: dict[str, str]):
    shown = frame.assign(tinh_trang=frame["tinh_trang"].map(states))
    for col in ("ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc"):
        if col in shown:
            shown[col] = [d.strftime("%d/%m/%Y") if pd.notna(d) else "—" for d in shown[col]]
    for col in ("so_ngay_tre", "con_lai"):
        if col in shown:
            shown[col] = ["" if pd.isna(v) else str(int(v)) for v in shown[col]]
    names = {**HEADS, **heads}
    return shown.rename(columns=names)[[names.get(c, c) for c in frame.columns]]


def listing(frame, states: dict[str, str], heads: dict[str, str], name: str) -> None:
    """The worst cases (states in words, dates as dd/mm/yyyy, Vietnamese headers); all of
    them in an Excel file made when asked for."""
    if len(frame) > SHOWN:
        st.caption(
            f"Hiển thị {SHOWN} trong {len(frame):,} hồ sơ, nặng nhất trước; tải Excel "
            "để xem đủ.".replace(",", ".")
        )
    st.dataframe(_table(frame.head(SHOWN), states, heads), hide_index=True, width="stretch")
    excel_download(
        "Tải danh sách (Excel)",
        lambda: frame_to_excel(_table(frame, states, heads), "Hồ sơ"),
        f"{name}_{period.code}.xlsx",
        key=f"tai_{name}",
    )


def show_returned() -> None:
    back = view.returned
    st.caption(
        "Hồ sơ tiếp nhận trong kỳ bị từ chối, trả lại, yêu cầu bổ sung hoặc dừng xử lý: "
        "xác định rõ nguyên nhân, trách nhiệm của từng cá nhân (Công văn 001, mục 5)."
    )
    if back.empty:
        st.success("Không có hồ sơ bị từ chối, trả lại hay yêu cầu bổ sung trong kỳ.")
        return
    heads = {**RETURNED, "tong": "Tổng"}
    a, b = st.columns(2)
    a.subheader("Theo lĩnh vực")
    # small summaries as HTML tables: they wrap on a phone instead of scrolling sideways
    a.table(
        plain_table(view.returned_by_field.rename(columns={"linh_vuc": "Lĩnh vực", **heads})),
        hide_index=True,
        border="horizontal",
    )
    b.subheader("Theo cán bộ xử lý")
    b.table(
        plain_table(view.returned_by_officer.rename(columns={"can_bo": "Cán bộ", **heads})),
        hide_index=True,
        border="horizontal",
    )
    listing(back, RETURNED, {"ngay_ket_thuc": "Ngày kết thúc"}, "ho_so_tra_lai")


def show_late() -> None:
    counts = view.counts()
    c = st.columns(3)
    for box, (state, label) in zip(c, STATES.items(), strict=True):
        box.metric(label, counts.get(state, 0))
    st.caption(f"Tính đến ngày {end:%d/%m/%Y}. «Sắp đến hạn»: hạn trả trong {RISK_DAYS} ngày tới.")

    if cases.empty:
        st.success("Không có hồ sơ trễ hạn, quá hạn hay sắp đến hạn trong kỳ.")
        return

    headers = {
        "tre_han": "Trễ hạn",
        "qua_han": "Đang quá hạn",
        "sap_den_han": "Sắp đến hạn",
        "tong": "Tổng trễ và quá hạn",
    }
    left, right = st.columns(2)
    with left:
        st.subheader("Theo lĩnh vực")
        st.table(
            plain_table(view.late_by_field.rename(columns={"linh_vuc": "Lĩnh vực", **headers})),
            hide_index=True,
            border="horizontal",
        )
    with right:
        st.subheader("Theo cán bộ xử lý")
        st.table(
            plain_table(view.late_by_officer.rename(columns={"can_bo": "Cán bộ", **headers})),
            hide_index=True,
            border="horizontal",
        )

    st.subheader("Danh sách hồ sơ")
    state_filter = st.multiselect(
        "Tình trạng", list(STATES), default=list(STATES), format_func=lambda s: STATES[s]
    )
    chosen = (
        cases if set(state_filter) == set(STATES) else cases[cases["tinh_trang"].isin(state_filter)]
    )
    listing(
        chosen,
        STATES,
        {
            "ngay_hen_tra": "Hẹn trả",
            "ngay_ket_thuc": "Có kết quả",
            "so_ngay_tre": "Số ngày trễ",
            "con_lai": "Còn lại (ngày)",
        },
        "ho_so_qua_han",
    )


with late_tab:
    show_late()
with returned_tab:
    show_returned()
