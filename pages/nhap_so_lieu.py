"""Nhập số liệu: hand-entered figures of docs/indicators.md §5, one form per indicator, the
Excel template, and the history of each figure (a correction adds a version)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import formatting as fmt
from core.errors import BadInput
from core.formatting import typed_number
from core.periods import months_between
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
# this month and the 24 before it, newest first, each once
months = months_between(today.replace(day=1) - dt.timedelta(days=24 * 31), today)[::-1][:25]
month = cols[2].selectbox("Tháng", months, format_func=lambda d: f"{d:%m/%Y}")
ind = inds[chosen]
st.caption(f"Đơn vị chủ trì: {ind.responsible}. {ind.explanation}")

with st.form("nhap_so_lieu", clear_on_submit=True):
    if ind.unit == "percent":
        mode = st.radio("Cách nhập", ["Tử số và mẫu số", "Tỷ lệ (%)"], horizontal=True)
        c = st.columns(2)
        numerator_text = c[0].text_input("Tử số", placeholder="ví dụ 9.000")
        denominator_text = c[1].text_input("Mẫu số", placeholder="ví dụ 10.000")
        rate_text = st.text_input("Tỷ lệ (%)", placeholder="ví dụ 86,5")
    else:
        mode = "Giá trị"
        value_text = st.text_input(f"Giá trị ({ind.unit_label or 'số lượng'})",
                                   placeholder="ví dụ 12.345 hoặc 76,5")
    source = st.text_input("Nguồn số liệu (bắt buộc)", placeholder="Ví dụ: Công an xã, "
                                                                   "báo cáo số 12/BC-CA")
    note = st.text_input("Ghi chú")
    if st.form_submit_button("Lưu số liệu", type="primary"):
        try:  # decimal comma and thousands dot, as people write them
            if mode == "Tử số và mẫu số":
                version = figures.enter(
                    cursor(), inds, chosen, commune, month, source=source, user=user(),
                    note=note, numerator=typed_number(numerator_text, "Tử số"),
                    denominator=typed_number(denominator_text, "Mẫu số"))
            elif mode == "Tỷ lệ (%)":
                rate = typed_number(rate_text, "Tỷ lệ (%)", high=150)
                version = figures.enter(
                    cursor(), inds, chosen, commune, month, source=source, user=user(),
                    note=note, value=None if rate is None else rate / 100)
            else:
                version = figures.enter(
                    cursor(), inds, chosen, commune, month, source=source, user=user(),
                    note=note, value=typed_number(value_text, "Giá trị"))
            st.success(f"Đã lưu {ind.name}, {commune}, tháng {month:%m/%Y} "
                       f"(phiên bản {version}).")
        except BadInput as exc:  # this submission's own message, nothing saved
            st.error(f"Chưa lưu: {exc}")

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
