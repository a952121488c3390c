"""Hồ sơ quá hạn: cases late or at risk in the period, by field and by officer, with their
codes and dates (no citizen data), so the responsible person can be named."""

from __future__ import annotations

import streamlit as st

from indicators.overdue import RISK_DAYS, STATES, overdue_cases, summary
from ui.auth import require
from ui.session import cursor
from ui.widgets import page_start

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Hồ sơ quá hạn và sắp đến hạn")
communes = [commune] if commune else eng.communes()
end = eng.period_end(period, communes) or period.end
cases = overdue_cases(cursor(), communes, period.start, end)

counts = cases["tinh_trang"].value_counts().to_dict()
c = st.columns(3)
for box, (state, label) in zip(c, STATES.items(), strict=True):
    box.metric(label, counts.get(state, 0))
st.caption(f"Tính đến ngày {end:%d/%m/%Y}. «Sắp đến hạn»: hạn trả trong {RISK_DAYS} ngày tới.")

if cases.empty:
    st.success("Không có hồ sơ trễ hạn, quá hạn hay sắp đến hạn trong kỳ.")
    st.stop()

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
shown = cases[cases["tinh_trang"].isin(state_filter)].copy()
shown["tinh_trang"] = shown["tinh_trang"].map(STATES)
for col in ("ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc"):
    shown[col] = [d.strftime("%d/%m/%Y") if d is not None and d == d else "—"
                  for d in shown[col]]
st.dataframe(shown.rename(columns={
    "xa": "Xã", "ma_ho_so": "Mã hồ sơ", "ten_tthc": "Thủ tục", "linh_vuc": "Lĩnh vực",
    "can_bo": "Cán bộ xử lý", "ngay_tiep_nhan": "Ngày tiếp nhận", "ngay_hen_tra": "Hẹn trả",
    "ngay_ket_thuc": "Có kết quả", "tinh_trang": "Tình trạng", "so_ngay_tre": "Số ngày trễ"}),
    hide_index=True, width="stretch")
