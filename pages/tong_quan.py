"""Tổng quan: every indicator for the chosen period and commune, lagging ones first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from indicators.periods import PeriodError, parse
from indicators.scorecard import counts_by_status, scorecard_table
from loaders import demo
from pages.session import cursor, engine

COLOURS = {"cham": "#f8d7da", "gan_dat": "#fff3cd", "dat": "#d1e7dd",
           "chua_co_chi_tieu": "#e9ecef", "khong_co_du_lieu": "#ffffff"}

st.title("Tổng quan chỉ số năm 2026")
eng = engine()
if demo.is_demo(cursor()):
    st.info("Đang hiển thị **Dữ liệu mẫu** (một xã giả định). Khi có dữ liệu thật, "
            "bấm nút bên dưới để xóa dữ liệu mẫu.")
    if st.button("Xóa dữ liệu mẫu"):
        demo.clear_demo(cursor())
        st.rerun()

communes = eng.communes()
if not communes:
    st.warning("Chưa có dữ liệu. Hãy tải tệp xuất từ Cổng dịch vụ công lên.")
    st.stop()

latest = max(eng.cap.values())
params = st.query_params
choices = [f"{latest.year}-{m:02d}" for m in range(latest.month, 0, -1)] + \
    [f"{latest.year}-Q{q}" for q in range((latest.month - 1) // 3 + 1, 0, -1)] + [str(latest.year)]
default = params.get("ky", choices[0])
if default not in choices:
    default = choices[0]
col1, col2 = st.columns(2)
code = col1.selectbox("Kỳ báo cáo", choices, index=choices.index(default),
                      format_func=lambda c: parse(c).label)
commune_options = ["Tất cả các xã", *communes]
chosen = params.get("xa", commune_options[1] if len(communes) == 1 else commune_options[0])
commune_label = col2.selectbox("Xã", commune_options,
                               index=commune_options.index(chosen)
                               if chosen in commune_options else 0)
st.query_params.update({"ky": code, "xa": commune_label})
commune = None if commune_label == "Tất cả các xã" else commune_label

try:
    period = parse(code)
except PeriodError as exc:
    st.error(str(exc))
    st.stop()
table = scorecard_table(eng, period, commune)
counts = counts_by_status(table)
end = eng.period_end(period, [commune] if commune else communes) or period.end
st.caption(f"{period.label} — số liệu đến ngày {end:%d/%m/%Y}. "
           f"Cập nhật lúc {dt.datetime.now():%H:%M %d/%m/%Y}.")
c = st.columns(5)
c[0].metric("Chậm", counts.get("cham", 0))
c[1].metric("Gần đạt", counts.get("gan_dat", 0))
c[2].metric("Đạt", counts.get("dat", 0))
c[3].metric("Chưa có chỉ tiêu", counts.get("chua_co_chi_tieu", 0))
c[4].metric("Không có dữ liệu", counts.get("khong_co_du_lieu", 0))

visible = table.drop(columns=["_order", "_status", "_id"])
styled = visible.style.apply(
    lambda row: [f"background-color: {COLOURS[table.loc[row.name, '_status']]}"] * len(row),
    axis=1)
st.dataframe(styled, hide_index=True, width="stretch", height=min(38 * (len(table) + 1), 1000))
