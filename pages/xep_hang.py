"""Đánh giá, xếp hạng: the units and the officers of one commune ranked over a month,
quarter, half-year or year for the emulation council, with the formula shown, the change
since the previous period, and an Excel download."""

from __future__ import annotations

import streamlit as st

from reports.ranking_excel import (
    OFFICER_HEADERS,
    UNIT_HEADERS,
    officer_rows,
    shown,
    to_excel,
    unit_rows,
)
from storage import tasks
from ui.auth import require
from ui.session import cursor, engine, ranking_for
from ui.widgets import excel_download, one_commune, period_picker

require("xem")  # before anything is drawn, whatever route ran this file

st.title("Đánh giá, xếp hạng")
st.caption(
    "Căn cứ bình xét thi đua của tập thể, cá nhân (Chương trình 002, mục III.5; Công "
    "văn 001, mục 1): tính từ nhiệm vụ, việc giao theo kết luận, báo cáo đơn vị, chỉ "
    "số và danh sách hồ sơ đã nhập."
)
eng = engine()
if not eng.choosable():
    st.info("Chưa có dữ liệu. Hãy tải tệp xuất từ Cổng dịch vụ công lên ở trang «Tải dữ liệu».")
    st.stop()
picked = period_picker(eng, with_commune=False, key="xep_hang")
if picked is None:
    st.stop()
period, _ = picked
commune = one_commune(eng, tasks.communes_with_tasks(cursor()), key="xep_hang_xa")
if commune is None:
    st.stop()
r = ranking_for(period, commune)
st.caption(f"{period.label} — {commune} — số liệu đến ngày {r.as_of:%d/%m/%Y}.")

st.subheader("Đơn vị")
st.caption(r.unit_formula)
units = unit_rows(r)
if units.empty:
    st.info("Chưa có đơn vị nào có nhiệm vụ, báo cáo hay chỉ số trong kỳ.")
else:
    st.dataframe(shown(units, UNIT_HEADERS), hide_index=True, width="stretch")

st.subheader("Cán bộ (theo danh sách hồ sơ)")
st.caption(r.officer_formula + " Chỉ tính hồ sơ có ghi cán bộ xử lý; không có thông tin công dân.")
officers = officer_rows(r)
if officers.empty:
    st.info("Kỳ này chưa có danh sách hồ sơ ghi cán bộ xử lý.")
else:
    st.dataframe(shown(officers, OFFICER_HEADERS), hide_index=True, width="stretch")

excel_download(
    "Tải bảng xếp hạng (Excel) cho Hội đồng thi đua",
    lambda: to_excel(r),
    f"xep_hang_{period.code}.xlsx",
)
