"""Nhắc việc: for each unit of the commune, what is late and what falls due in the next 7
days (tasks, assignments of the meetings' conclusions, the monthly report), as a page to
print, a text per unit to paste into Zalo, and an e-mail sent only when a person presses
«Gửi»."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core.errors import UserError
from indicators.reminders import HORIZON_DAYS, reminders
from reports.reminders import mail_configured, send, text
from storage import audit, tasks
from ui.auth import require
from ui.session import cursor, engine, user
from ui.widgets import one_commune, plain

require("nhap_lieu")  # before anything is drawn, whatever route ran this file

st.title("Nhắc việc các đơn vị")
st.caption(
    f"Việc đã quá hạn và việc đến hạn trong {HORIZON_DAYS} ngày tới của từng đơn vị: "
    "nhiệm vụ, việc giao theo kết luận cuộc họp, báo cáo tháng (trước ngày 18). In trang "
    "này, sao chép đoạn nhắc gửi Zalo, hoặc gửi thư điện tử."
)
commune = one_commune(engine(), tasks.communes_with_tasks(cursor()), key="nhac_viec_xa")
if commune is None:
    st.info("Chưa có xã nào. Ghi xã của bảng điều khiển ở trang Quản trị hoặc tải dữ liệu lên.")
    st.stop()
today = dt.date.today()
found = reminders(cursor(), commune, today)
if not found:
    st.success(f"Không có việc quá hạn hay đến hạn trong {HORIZON_DAYS} ngày tới.")
    st.stop()
late = sum(len(r.late) for r in found.values())
soon = sum(len(r.due_soon) for r in found.values())
st.markdown(f"**{len(found)} đơn vị** — {late} việc quá hạn, {soon} việc sắp đến hạn.")
can_mail = mail_configured()
if not can_mail:
    st.caption(
        "Chưa khai báo máy chủ thư (KPI_SMTP_HOST, KPI_SMTP_FROM): chỉ sao chép đoạn "
        "nhắc để gửi Zalo."
    )
everything = []
for i, (unit, r) in enumerate(found.items()):
    body = text(r, commune, today)
    everything.append(body)
    with st.expander(
        f"{plain(unit)} — {len(r.late)} quá hạn, {len(r.due_soon)} sắp đến hạn",
        expanded=bool(r.late),
    ):
        st.code(body, language=None, wrap_lines=True)
        if can_mail:
            cols = st.columns([3, 1])
            to = cols[0].text_input(
                "Gửi tới địa chỉ thư", key=f"thu_{i}", placeholder="donvi@xa.gov.vn"
            )
            if cols[1].button("Gửi thư", key=f"gui_{i}"):
                try:
                    send(to, f"Nhắc việc — {unit} — {today:%d/%m/%Y}", body)
                    audit.record(cursor(), user(), "gui_nhac_viec", unit, {"den": to.strip()})
                    st.success(f"Đã gửi thư tới {plain(to)}.")
                except UserError as exc:
                    st.error(str(exc))
st.download_button(
    "Tải toàn bộ đoạn nhắc (văn bản)",
    "\n\n".join(everything).encode("utf-8"),
    file_name=f"nhac_viec_{today:%Y%m%d}.txt",
    mime="text/plain",
)
