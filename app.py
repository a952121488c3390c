"""kpi-xa: the dashboard's entry point. Pages live in pages/; logic in loaders/ and indicators/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊",
                   layout="wide")

PAGES = {
    "Theo dõi": [
        st.Page("pages/tong_quan.py", title="Tổng quan", icon="📊", default=True),
        st.Page("pages/chi_so.py", title="Chỉ số", icon="📈"),
        st.Page("pages/ho_so_qua_han.py", title="Hồ sơ quá hạn", icon="⏰"),
        st.Page("pages/nhiem_vu.py", title="Nhiệm vụ", icon="✅"),
        st.Page("pages/che_do_hop.py", title="Chế độ họp", icon="🖥️"),
        st.Page("pages/bao_cao.py", title="Báo cáo", icon="📄"),
    ],
    "Dữ liệu": [
        st.Page("pages/tai_du_lieu.py", title="Tải dữ liệu", icon="📤"),
        st.Page("pages/nhap_so_lieu.py", title="Nhập số liệu", icon="✍️"),
        st.Page("pages/chat_luong.py", title="Chất lượng dữ liệu", icon="🔎"),
    ],
}
st.navigation(PAGES).run()
