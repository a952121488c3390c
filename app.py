"""kpi-xa: the dashboard's entry point. It only routes: who is signed in, which pages their
role opens, and a last guard that turns an unexpected error into a short message."""

from __future__ import annotations

import streamlit as st

from ui.auth import sign_in, sign_in_page
from ui.errors import guarded
from ui.pages import navigation

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊",
                   layout="wide")

# The navigation is built on every run; signed out, the sign-in page is the only page, so
# no page file is listed or reachable by name.
who = guarded(sign_in)
if who is None:
    st.session_state.pop("role", None)
    st.session_state.pop("username", None)
    st.navigation([st.Page(sign_in_page, title="Đăng nhập", url_path="dang_nhap")],
                  position="hidden").run()
    st.stop()
st.session_state["username"], st.session_state["role"] = who
guarded(navigation(who[1]).run)
