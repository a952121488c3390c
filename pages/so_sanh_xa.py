"""So sánh các xã: the province's view of every commune for a period — the overall league
table, one indicator's ranking and its roll-up by cluster, the communes that lag most, and a
heat map of communes × indicators."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators.league import for_indicator, heat, laggards, overall, rollup
from reports.charts import heat_figure
from storage.areas import areas
from ui.auth import require
from ui.session import cursor, league_results, scope
from ui.widgets import page_start

require("xem")
if scope() is not None:
    # a commune account sees its own commune only; the comparison is the province's
    st.error("Trang so sánh các xã dành cho tài khoản cấp tỉnh (phạm vi «Mọi xã»).")
    st.stop()

eng, period, _ = page_start("So sánh các xã")
communes = eng.communes()
placed = areas(cursor())
clusters = sorted({c for c in placed["cum"].dropna()})
if clusters:
    where = st.selectbox("Cụm", ["Cả tỉnh", *clusters])
    if where != "Cả tỉnh":
        members = set(placed.loc[placed["cum"] == where, "xa"])
        communes = [c for c in communes if c in members]
if len(communes) < 2:
    st.info("Cần số liệu của ít nhất hai xã để so sánh.")
    st.stop()

results = league_results(period, tuple(communes))
st.caption(
    f"{period.label} · {len(communes)} xã. Điểm = tỷ lệ chỉ số có chỉ tiêu đã đạt "
    "(gần đạt tính một nửa). Gộp nhiều xã thì cộng tử số và mẫu số, không lấy trung "
    "bình các tỷ lệ."
)

tabs = st.tabs(["Bảng xếp hạng", "Theo chỉ số", "Xã chậm nhất", "Bản đồ nhiệt"])
with tabs[0]:
    st.dataframe(overall(results), hide_index=True, width="stretch")
with tabs[1]:
    inds = [i for i in eng.catalog.indicators.values() if i.in_scorecard]
    chosen = st.selectbox(
        "Chỉ số",
        [i.id for i in inds],
        format_func=lambda i: eng.catalog.indicators[i].name,
        key="so_sanh_chi_so",
    )
    st.dataframe(for_indicator(results, chosen), hide_index=True, width="stretch")
    groups: dict[str, list[str]] = {}
    for row in placed.itertuples():
        if row.xa in communes and isinstance(row.cum, str):
            groups.setdefault(row.cum, []).append(row.xa)
    if groups:
        st.markdown("**Theo cụm** (cộng tử số và mẫu số của các xã trong cụm)")
        st.dataframe(
            rollup(eng, period, groups, chosen).drop(columns="_value"),
            hide_index=True,
            width="stretch",
        )
with tabs[2]:
    worst = laggards(results)
    if worst.empty:
        st.success("Không có xã nào chậm ở chỉ số nào trong kỳ này.")
    else:
        st.dataframe(worst.drop(columns="_id"), hide_index=True, width="stretch")
with tabs[3]:
    grid = heat(results)
    grid = grid.loc[:, grid.notna().any()] if not grid.empty else grid
    if grid.empty:
        st.info("Chưa có chỉ số nào vừa có chỉ tiêu vừa có số liệu trong kỳ này.")
    else:
        st.plotly_chart(
            heat_figure(pd.DataFrame(grid)), width="stretch", config={"displayModeBar": False}
        )
