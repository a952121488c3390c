"""kpi-xa: the dashboard's entry point. Pages live in pages/; logic in loaders/ and indicators/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊",
                   layout="wide")

pages = [
    st.Page("pages/tong_quan.py", title="Tổng quan", icon="📊", default=True),
]
st.navigation(pages).run()
