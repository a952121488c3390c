"""Nhập số liệu: hand-entered figures of docs/indicators.md §5, one form per indicator, the
Excel template, and the history of each figure (a correction adds a version)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import formatting as fmt
from indicators.definitions import manual_indicators
from reports.template import template
from storage import figures
from ui.auth import require
from ui.session import cursor, demo_banner, engine, user
from ui.widgets import excel_download

require("nhap_lieu")
st.title("Nhập số liệu từ nguồn khác")
demo_banner()
st.write("Các chỉ số không có trong tệp xuất của Cổng dịch vụ công (VNeID mức 2 của Công an "
         "xã, chi trả an sinh xã hội không dùng tiền mặt, chữ ký số ...). Mỗi lần sửa được "
         "lưu thành một phiên bản mới; không ghi đè số cũ.")

eng = engine()
communes = eng.communes() or ["Xã Diễn Châu"]
inds = manual_indicators()
cols = st.columns(3)
chosen = cols[0].selectbox("Chỉ số", list(inds), format_func=lambda i: inds[i].name)
commune = cols[1].selectbox("Xã", communes)
today = dt.date.today()
months = [dt.date(today.year - (m > today.month), (today.month - m) % 12 + 1, 1)
          for m in range(1, 25)]
months = [dt.date(today.year, today.month, 1), *months]
month = cols[2].selectbox("Tháng", months, format_func=lambda d: f"{d:%m/%Y}")
ind = inds[chosen]
st.caption(f"Đơn vị chủ trì: {ind.responsible}. {ind.explanation}")

with st.form("nhap_so_lieu", clear_on_submit=True):
    if ind.unit == "percent":
        mode = st.radio("Cách nhập", ["Tử số và mẫu số", "Tỷ lệ (%)"], horizontal=True)
        c = st.columns(2)
        numerator = c[0].number_input("Tử số", min_value=0.0, step=1.0, format="%.0f")
        denominator = c[1].number_input("Mẫu số", min_value=0.0, step=1.0, format="%.0f")
        rate = st.number_input("Tỷ lệ (%)", min_value=0.0, max_value=150.0, step=0.1)
    else:
        mode = "Giá trị"
        value = st.number_input(f"Giá trị ({ind.unit_label or 'số lượng'})", min_value=0.0,
                                step=1.0)
    source = st.text_input("Nguồn số liệu (bắt buộc)", placeholder="Ví dụ: Công an xã, "
                                                                   "báo cáo số 12/BC-CA")
    note = st.text_input("Ghi chú")
    if st.form_submit_button("Lưu số liệu", type="primary"):
        try:
            if mode == "Tử số và mẫu số":
                version = figures.enter(cursor(), inds, chosen, commune, month, numerator=numerator,
                                       denominator=denominator, source=source, user=user(),
                                       note=note)
            elif mode == "Tỷ lệ (%)":
                version = figures.enter(cursor(), inds, chosen, commune, month, value=rate / 100,
                                       source=source, user=user(), note=note)
            else:
                version = figures.enter(cursor(), inds, chosen, commune, month, value=value,
                                       source=source, user=user(), note=note)
            st.success(f"Đã lưu {ind.name}, {commune}, tháng {month:%m/%Y} "
                       f"(phiên bản {version}).")
        except figures.ManualEntryError as exc:
            st.error(str(exc))

st.subheader("Lịch sử số liệu")
history = figures.history(cursor(), chosen, commune)
if history.empty:
    st.write("Chưa có số liệu nào cho chỉ số này.")
else:
    st.dataframe(history.assign(
        thang=[f"{d:%m/%Y}" for d in history["thang"]],
        gia_tri=[fmt.value(v, ind.unit, ind.decimals) for v in history["gia_tri"]],
        thoi_diem=[f"{d:%d/%m/%Y %H:%M}" for d in history["thoi_diem"]],
    ).rename(columns={"thang": "Tháng", "gia_tri": "Giá trị", "tu_so": "Tử số",
                      "mau_so": "Mẫu số", "nguon": "Nguồn", "nguoi_nhap": "Người nhập",
                      "thoi_diem": "Thời điểm", "ghi_chu": "Ghi chú", "phien_ban": "Phiên bản",
                      "commune": "Xã"}), hide_index=True, width="stretch")

st.subheader("Nhập nhiều chỉ số bằng tệp Excel")
st.write("Tải tệp mẫu, điền «Giá trị» (hoặc «Tử số» và «Mẫu số») và «Nguồn», rồi tải tệp lên "
         "ở trang «Tải dữ liệu».")
excel_download("Tải tệp mẫu (Excel)", template(commune, month),
               f"so_lieu_nhap_tay_{month:%Y-%m}.xlsx")
