"""Báo cáo: the month's report (report 004's structure, Nghị định 30's format) as Word, Excel
and PDF. Every number comes from the data; staff write the narrative parts here, per month,
with versions, and the text is locked with the month."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from core.errors import BadInput
from core.periods import cutoff_day
from core.type_enums import WindowKind
from indicators import present
from reports.report import build, header_defaults, lock_note, report_period, window
from storage import report_texts
from storage.accounts import allowed
from ui.auth import require
from ui.session import cursor, user
from ui.widgets import page_start, plain

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Báo cáo tháng")
st.write(
    "Báo cáo theo cấu trúc báo cáo tháng (mục I đến V và D), đúng thể thức Nghị định "
    "30/2020/NĐ-CP. Mọi con số có trong dữ liệu được tính sẵn (hồ sơ, nhiệm vụ, đơn vị đã "
    "báo cáo, số liệu nhập tay); phần nhận xét, đánh giá và kiến nghị viết ở dưới."
)
if note := lock_note(eng, period, commune):
    st.caption(note)

start = end = None
if period.kind in (WindowKind.MONTH, WindowKind.REPORT, WindowKind.DAYS):
    default = report_period(period)
    c = st.columns(3)
    start = c[0].date_input(
        "Từ ngày",
        value=default.start,
        format="DD/MM/YYYY",
        help="Mặc định: ngày sau ngày chốt của kỳ trước (kỳ đầu năm từ "
        "01/01), để các báo cáo nối tiếp nhau không bỏ sót ngày nào.",
    )
    end = c[1].date_input(
        "Đến ngày",
        value=default.end,
        format="DD/MM/YYYY",
        help=f"Mặc định ngày {cutoff_day()}: các đơn vị báo cáo trước ngày "
        f"{cutoff_day()} hằng tháng (Công văn 001, mục 7).",
    )
    issued = c[2].date_input("Ngày ban hành", value=dt.date.today(), format="DD/MM/YYYY")
else:
    issued = dt.date.today()
    st.caption("Báo cáo quý, 6 tháng hoặc năm tính trọn kỳ; phần viết lấy theo tháng cuối kỳ.")
try:
    w = window(eng, period, commune, end, issued, start)
except BadInput as exc:
    st.error(str(exc))
    st.stop()
as_of = eng.period_end(w.period, [commune] if commune else eng.communes())
st.info(
    f"Báo cáo tính: {present.coverage(w.period, as_of)}. Chọn cùng kỳ ở các trang khác để "
    "xem đúng những số liệu này."
)
month = w.end.replace(day=1)  # the month whose narrative the report carries

writer = allowed(st.session_state.get("role"), "nhap_lieu")
if commune and period.kind in (WindowKind.MONTH, WindowKind.REPORT, WindowKind.DAYS):
    saved = report_texts.current(cursor(), commune, month)
    defaults = header_defaults(w)
    with st.expander("Phần viết của báo cáo tháng này", expanded=False):
        if not writer:
            st.caption("Chỉ cán bộ nhập liệu viết phần này; thành viên xem bản đã lưu.")
        with st.form("noi_dung_bao_cao"):
            new: dict[str, str] = {}
            for key, label in report_texts.SECTIONS.items():
                new[key] = st.text_area(
                    label, saved.get(key, ""), height=120, disabled=not writer, key=f"bc_{key}"
                )
            st.markdown("**Thể thức văn bản** (giữ nguyên cho các tháng sau)")
            for key, label in report_texts.HEADER.items():
                new[key] = st.text_area(
                    label,
                    saved.get(key, defaults[key]),
                    height=80,
                    disabled=not writer,
                    key=f"bc_{key}",
                )
            if st.form_submit_button("Lưu phần viết", disabled=not writer):
                try:
                    changed = [
                        k
                        for k, text in new.items()
                        if text.strip() != saved.get(k, defaults.get(k, "")).strip()
                    ]
                    for k in changed:
                        report_texts.save(cursor(), commune, month, k, new[k], user())
                    st.success(
                        f"Đã lưu {len(changed)} mục (mỗi lần lưu là một phiên bản)."
                        if changed
                        else "Không có thay đổi."
                    )
                except BadInput as exc:
                    st.error(f"Chưa lưu: {plain(str(exc))}")
elif not commune:
    st.caption("Chọn một xã để viết phần nhận xét của báo cáo.")

charts = st.checkbox("Kèm biểu đồ", value=True)
key = f"bao_cao|{w.period.code}|{commune}|{charts}|{issued}"
if st.button("Tạo báo cáo", type="primary"):
    try:
        with st.spinner("Đang tạo báo cáo ..."), tempfile.TemporaryDirectory() as tmp:
            files = build(eng, w.period, commune, Path(tmp), with_charts=charts, issued=issued)
            st.session_state[key] = {
                "docx": (files.docx.name, files.docx.read_bytes()),
                "xlsx": (files.xlsx.name, files.xlsx.read_bytes()),
                "pdf": (files.pdf.name, files.pdf.read_bytes()) if files.pdf else None,
                "notes": files.notes,
            }
    except BadInput as exc:
        st.error(str(exc))
made = st.session_state.get(key)
if made:
    for note in made["notes"]:
        st.warning(note)
    cols = st.columns(3)
    cols[0].download_button(
        "Tải báo cáo (Word)",
        made["docx"][1],
        file_name=made["docx"][0],
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    cols[1].download_button(
        "Tải bảng chỉ số (Excel)",
        made["xlsx"][1],
        file_name=made["xlsx"][0],
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    if made["pdf"]:
        cols[2].download_button(
            "Tải báo cáo (PDF)", made["pdf"][1], file_name=made["pdf"][0], mime="application/pdf"
        )
