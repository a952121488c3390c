"""kpi-xa: the dashboard's entry point. Pages live in pages/; logic in loaders/ and indicators/."""

from __future__ import annotations

import streamlit as st

from loaders.accounts import allowed
from pages.auth import sign_in

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊",
                   layout="wide")

# (file, title, icon, the least role that sees it)
PAGES = {
    "Theo dõi": [
        ("pages/tong_quan.py", "Tổng quan", "📊", "xem"),
        ("pages/chi_so.py", "Chỉ số", "📈", "xem"),
        ("pages/ho_so_qua_han.py", "Hồ sơ quá hạn", "⏰", "xem"),
        ("pages/nhiem_vu.py", "Nhiệm vụ", "✅", "xem"),
        ("pages/che_do_hop.py", "Chế độ họp", "🖥️", "xem"),
        ("pages/bao_cao.py", "Báo cáo", "📄", "xem"),
    ],
    "Dữ liệu": [
        ("pages/tai_du_lieu.py", "Tải dữ liệu", "📤", "nhap_lieu"),
        ("pages/nhap_so_lieu.py", "Nhập số liệu", "✍️", "nhap_lieu"),
        ("pages/chat_luong.py", "Chất lượng dữ liệu", "🔎", "xem"),
        ("pages/quan_tri.py", "Quản trị", "🔐", "quan_tri"),
    ],
}

who = sign_in()
if who is None:
    st.stop()
st.session_state["username"], st.session_state["role"] = who
navigation = {
    section: [st.Page(path, title=title, icon=icon, default=path.endswith("tong_quan.py"))
              for path, title, icon, need in items if allowed(who[1], need)]
    for section, items in PAGES.items()
}
st.navigation({k: v for k, v in navigation.items() if v}).run()
