"""kpi-xa: the dashboard's entry point. It only routes: who is signed in, which pages their
role opens, and a last guard that turns an unexpected error into a short message."""

from __future__ import annotations

import sys

import streamlit as st

st.set_page_config(page_title="kpi-xa — Chỉ số chuyển đổi số cấp xã", page_icon="📊", layout="wide")

# The first run after a start imports pandas, plotly, DuckDB and the indicator engine: some
# seconds on a busy machine with nothing on screen. Say so before importing them.
starting = st.empty()
if "ui.auth" not in sys.modules:
    starting.info("⏳ Đang khởi động bảng điều khiển (chỉ lần đầu sau khi máy chủ bật) ...")

from ui.auth import sign_in  # noqa: E402 - after the message above, on purpose
from ui.chrome import vietnamese_chrome  # noqa: E402
from ui.errors import guarded  # noqa: E402
from ui.gate import install, refuse_foreign_page  # noqa: E402
from ui.pages import remember_wanted_page, run  # noqa: E402
from ui.session import begin_run, scope  # noqa: E402

starting.empty()
install()  # once per process; scripts/run.sh has installed it before the first request
refuse_foreign_page()
begin_run()
vietnamese_chrome()
# Signed out, only the sign-in form is drawn; the page files list no page (config) and each
# page refuses a session without a role (ui.auth.require), whatever route reached it.
who = guarded(sign_in)
if who is None:
    st.session_state.pop("role", None)
    st.session_state.pop("username", None)
    remember_wanted_page()  # a shared link is opened once signed in
    st.stop()
st.session_state["username"], st.session_state["role"] = who
guarded(lambda: run(who[1], scope() is not None))
