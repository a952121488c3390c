"""Báo cáo: the month's report as Word, Excel and PDF, with the numbers computed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from reports.report import build, lock_note
from ui.auth import require
from ui.widgets import page_start

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Báo cáo tháng")
st.write("Báo cáo theo mẫu mục IV.2 của báo cáo tháng (hồ sơ tiếp nhận, trực tuyến, toàn "
         "trình, số hóa, kết quả điện tử, tái sử dụng), kèm phụ lục mọi chỉ số so với chỉ tiêu "
         "năm 2026 và biểu đồ. Mọi con số được tính từ dữ liệu, không nhập tay.")
if note := lock_note(eng, period, commune):
    st.caption(note)
charts = st.checkbox("Kèm biểu đồ", value=True)
key = f"bao_cao|{period.code}|{commune}|{charts}"
if st.button("Tạo báo cáo", type="primary"):
    with st.spinner("Đang tạo báo cáo ..."), tempfile.TemporaryDirectory() as tmp:
        files = build(eng, period, commune, Path(tmp), with_charts=charts)
        st.session_state[key] = {
            "docx": (files.docx.name, files.docx.read_bytes()),
            "xlsx": (files.xlsx.name, files.xlsx.read_bytes()),
            "pdf": (files.pdf.name, files.pdf.read_bytes()) if files.pdf else None,
            "notes": files.notes}
made = st.session_state.get(key)
if made:
    for note in made["notes"]:
        st.warning(note)
    cols = st.columns(3)
    cols[0].download_button("Tải báo cáo (Word)", made["docx"][1], file_name=made["docx"][0],
                            mime="application/vnd.openxmlformats-officedocument."
                                 "wordprocessingml.document")
    cols[1].download_button("Tải bảng chỉ số (Excel)", made["xlsx"][1],
                            file_name=made["xlsx"][0],
                            mime="application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    if made["pdf"]:
        cols[2].download_button("Tải báo cáo (PDF)", made["pdf"][1], file_name=made["pdf"][0],
                                mime="application/pdf")
