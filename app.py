"""kpi-xa: the dashboard's entry point. It only routes: who is signed in, which pages their
role opens, and a last guard that turns an unexpected error into a short message."""

from __future__ import annotations

import streamlit as st

from ui.auth import sign_in
from ui.chrome import vietnamese_chrome
from ui.errors import guarded
from ui.pages import remember_wanted, run
from ui.session import begin_run, scope

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊",
                   layout="wide")

begin_run()
vietnamese_chrome()
# Signed out, only the sign-in form is drawn; the page files list no page (config) and each
# page refuses a session without a role (ui.auth.require), whatever route reached it.
who = guarded(sign_in)
if who is None:
    st.session_state.pop("role", None)
    st.session_state.pop("username", None)
    remember_wanted()  # a shared link is opened once signed in
    st.stop()
st.session_state["username"], st.session_state["role"] = who
guarded(lambda: run(who[1], scope() is not None))
