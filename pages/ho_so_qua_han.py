"""Hồ sơ quá hạn: cases late or at risk in the period, by field and by officer, with their
codes and dates (no citizen data), so the responsible person can be named."""

from __future__ import annotations

import streamlit as st

from indicators.overdue import (
    RETURNED,
    RISK_DAYS,
    STATES,
    overdue_cases,
    returned_cases,
    returned_summary,
    summary,
)
from ui.auth import require
from ui.session import cursor
from ui.widgets import page_start

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Hồ sơ quá hạn, bị từ chối hoặc trả lại")
communes = [commune] if commune else eng.communes()
end = eng.period_end(period, communes) or period.end
cases = overdue_cases(cursor(), communes, period.start, end)
late_tab, returned_tab = st.tabs(["Quá hạn và sắp đến hạn", "Bị từ chối, trả lại, bổ sung"])
HEADS = {"xa": "Xã", "ma_ho_so": "Mã hồ sơ", "ten_tthc": "Thủ tục", "linh_vuc": "Lĩnh vực",
         "can_bo": "Cán bộ xử lý", "ngay_tiep_nhan": "Ngày tiếp nhận", "tinh_trang": "Tình trạng"}


def listing(frame, states: dict[str, str], heads: dict[str, str]) -> None:
    """The cases themselves: states in words, dates as dd/mm/yyyy, Vietnamese headers."""
    shown = frame.assign(tinh_trang=frame["tinh_trang"].map(states))
    for col in ("ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc"):
        if col in shown:
            shown[col] = [d.strftime("%d/%m/%Y") if d is not None and d == d else "—"
                          for d in shown[col]]
    st.dataframe(shown.rename(columns={**HEADS, **heads}), hide_index=True, width="stretch")


def show_returned() -> None:
    back = returned_cases(cursor(), communes, period.start, end)
    st.caption("Hồ sơ tiếp nhận trong kỳ bị từ chối, trả lại, yêu cầu bổ sung hoặc dừng xử lý: "
               "xác định rõ nguyên nhân, trách nhiệm của từng cá nhân (Công văn 001, mục 5).")
    if back.empty:
        st.success("Không có hồ sơ bị từ chối, trả lại hay yêu cầu bổ sung trong kỳ.")
        return
    heads = {**RETURNED, "tong": "Tổng"}
    a, b = st.columns(2)
    a.subheader("Theo lĩnh vực")
    a.dataframe(returned_summary(back, "linh_vuc").rename(
        columns={"linh_vuc": "Lĩnh vực", **heads}), hide_index=True, width="stretch")
    b.subheader("Theo cán bộ xử lý")
    b.dataframe(returned_summary(back, "can_bo").rename(
        columns={"can_bo": "Cán bộ", **heads}), hide_index=True, width="stretch")
    listing(back, RETURNED, {"ngay_ket_thuc": "Ngày kết thúc"})


def show_late() -> None:
    counts = cases["tinh_trang"].value_counts().to_dict()
    c = st.columns(3)
    for box, (state, label) in zip(c, STATES.items(), strict=True):
        box.metric(label, counts.get(state, 0))
    st.caption(f"Tính đến ngày {end:%d/%m/%Y}. «Sắp đến hạn»: hạn trả trong {RISK_DAYS} ngày tới.")

    if cases.empty:
        st.success("Không có hồ sơ trễ hạn, quá hạn hay sắp đến hạn trong kỳ.")
        return

    headers = {"tre_han": "Trễ hạn", "qua_han": "Đang quá hạn", "sap_den_han": "Sắp đến hạn",
               "tong": "Tổng trễ và quá hạn"}
    left, right = st.columns(2)
    with left:
        st.subheader("Theo lĩnh vực")
        st.dataframe(summary(cases, "linh_vuc").rename(columns={"linh_vuc": "Lĩnh vực", **headers}),
                     hide_index=True, width="stretch")
    with right:
        st.subheader("Theo cán bộ xử lý")
        st.dataframe(summary(cases, "can_bo").rename(columns={"can_bo": "Cán bộ", **headers}),
                     hide_index=True, width="stretch")

    st.subheader("Danh sách hồ sơ")
    state_filter = st.multiselect("Tình trạng", list(STATES), default=list(STATES),
                                  format_func=lambda s: STATES[s])
    listing(cases[cases["tinh_trang"].isin(state_filter)], STATES,
            {"ngay_hen_tra": "Hẹn trả", "ngay_ket_thuc": "Có kết quả",
             "so_ngay_tre": "Số ngày trễ"})


with late_tab:
    show_late()
with returned_tab:
    show_returned()
