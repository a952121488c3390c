"""Chất lượng dữ liệu: months with no data, reports that disagree with their own counts or
with the case lists, imports with rejected rows."""

from __future__ import annotations

import streamlit as st

from indicators.quality import KINDS, findings
from ui.auth import require
from ui.session import demo_banner, engine

require("xem")  # before anything is drawn, whatever route ran this file

st.title("Chất lượng dữ liệu")
demo_banner(shown=False)
eng = engine()
found = findings(eng)
c = st.columns(len(KINDS))
for col, (kind, label) in zip(c, KINDS.items(), strict=True):
    col.metric(label, int((found["loai"] == kind).sum()) if not found.empty else 0)
if found.empty:
    st.success("Không phát hiện vấn đề nào về dữ liệu.")
    st.stop()
for kind, label in KINDS.items():
    part = found[found["loai"] == kind]
    if part.empty:
        continue
    st.subheader(label)
    st.dataframe(
        part.assign(thang=[f"{m:%m/%Y}" for m in part["thang"]])[
            ["xa", "thang", "chi_tiet"]
        ].rename(columns={"xa": "Xã", "thang": "Tháng", "chi_tiet": "Chi tiết"}),
        hide_index=True,
        width="stretch",
    )
