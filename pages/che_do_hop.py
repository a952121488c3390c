"""Chế độ họp: full screen, one large chart per slide, arrow keys or buttons to move on."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from core import formatting as fmt
from indicators.scorecard import counts_by_status
from indicators.slides import slides
from indicators.status import STATUS_LABELS
from reports.charts import status_figure, trend_figure
from storage import tasks
from ui.auth import require
from ui.session import cursor, engine, outlooks_for, overdue_for, scorecard_for
from ui.widgets import period_picker

require("xem")  # before anything is drawn, whatever route ran this file

# no sidebar, no header, large type: the projector shows only the slide
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
html, body, [class*="css"] {font-size: 22px;}
h1 {font-size: 2.6rem !important;}
.hop-chu p {font-size: 26px; line-height: 1.35; margin-bottom: 0.8rem;}
</style>""", unsafe_allow_html=True)

eng = engine()
with st.expander("Chọn kỳ và xã", expanded=False):
    picked = period_picker(eng)
if picked is None:
    st.stop()
period, commune = picked
deck = slides(eng, period, commune)
wanted = str(st.session_state.get("slide", st.query_params.get("trang", 1)))
index = int(wanted) - 1 if wanted.isdigit() else 0  # ?trang=abc: the first slide
index = max(0, min(index, len(deck) - 1))

nav = st.columns([1, 6, 1])
if nav[0].button("◀ Trước", shortcut="Left", disabled=index == 0, width="stretch"):
    index -= 1
if nav[2].button("Sau ▶", shortcut="Right", disabled=index == len(deck) - 1, width="stretch"):
    index += 1
st.session_state["slide"] = index + 1
st.query_params["trang"] = str(index + 1)
slide = deck[index]
# the commune's name comes from a file: escaped before it is drawn as HTML
nav[1].markdown(f"<div style='text-align:center'>Trang {index + 1}/{len(deck)} · "
                f"{period.label} · {html.escape(commune or 'Tất cả các xã')}</div>",
                unsafe_allow_html=True)

st.title(slide.title)
if slide.kind == "tong_quan":
    table = scorecard_for(period, commune, trend_months=0)
    left, right = st.columns([1, 1])
    left.plotly_chart(status_figure(counts_by_status(table), height=560), width="stretch")
    behind = table[table["_status"].isin(["cham", "gan_dat"])]
    right.dataframe(behind[["Trạng thái", "Chỉ số", "Giá trị", "Mục tiêu 2026",
                            "Đơn vị chủ trì"]], hide_index=True, width="stretch", height=560)
elif slide.kind == "chi_so":
    ind = eng.catalog.indicators[str(slide.indicator_id)]
    r = eng.compute_one(ind, period, [commune] if commune else eng.communes())
    c = st.columns(4)
    c[0].metric("Giá trị", fmt.value(r.value, ind.unit, ind.decimals))
    c[1].metric("Chỉ tiêu 2026", r.target_label or fmt.value(r.target, ind.unit, ind.decimals))
    c[2].metric("Tình trạng", r.note or STATUS_LABELS[r.status])
    c[3].metric("Đơn vị chủ trì", ind.responsible)
    chart, words = st.columns([3, 2])
    chart.plotly_chart(trend_figure(ind, eng.trend(ind.id, period, commune), height=470),
                       width="stretch")
    outlook = outlooks_for(period, commune).get(ind.id)
    if outlook is not None:
        # what the committee decides on: the gap, the projection, who holds the shortfall
        lines = [outlook.sentences[0]] + [s for s in outlook.sentences
                                          if s.startswith("Dự báo cuối năm")]
        if outlook.main_contributor():
            lines.append(f"Tập trung vào: {outlook.main_contributor()}.")
        words.markdown("<div class='hop-chu'>" + "".join(
            f"<p>{html.escape(line)}</p>" for line in lines) + "</div>",
            unsafe_allow_html=True)
elif slide.kind == "nhiem_vu":
    today = dt.date.today()
    task_list = tasks.list_tasks(cursor(), today)
    count = tasks.tally(task_list, today)
    st.markdown(f"### {count.sentence()}")
    late = pd.concat([count.overdue.assign(tinh_trang="Quá hạn"),
                      count.due_soon.assign(tinh_trang="Sắp đến hạn")])
    if late.empty:
        st.success("Không có nhiệm vụ quá hạn hay sắp đến hạn.")
    else:
        # the unit and the date must fit on a projector: the task's text gives way
        st.dataframe(late.assign(han=[fmt.date(h) for h in late["han"]])[
            ["tinh_trang", "noi_dung", "chu_tri", "han"]].head(8).rename(columns={
                "tinh_trang": "Tình trạng", "noi_dung": "Nhiệm vụ", "chu_tri": "Chủ trì",
                "han": "Hạn"}), hide_index=True, width="stretch", column_config={
                    "Tình trạng": st.column_config.TextColumn(width=120),
                    "Nhiệm vụ": st.column_config.TextColumn(width=310),
                    "Chủ trì": st.column_config.TextColumn(width=220),
                    "Hạn": st.column_config.TextColumn(width=135)})
        if len(late) > 8:
            st.caption(f"Còn {len(late) - 8} nhiệm vụ khác ở trang Nhiệm vụ.")
else:
    communes = [commune] if commune else eng.communes()
    end = eng.period_end(period, communes) or period.end
    view = overdue_for(communes, period.start, end)
    left, right = st.columns(2)
    left.subheader("Theo lĩnh vực")
    left.dataframe(view.late_by_field.head(8).rename(columns={
        "linh_vuc": "Lĩnh vực", "tre_han": "Trễ hạn", "qua_han": "Đang quá hạn",
        "sap_den_han": "Sắp đến hạn", "tong": "Tổng"}), hide_index=True, width="stretch")
    right.subheader("Theo cán bộ xử lý")
    right.dataframe(view.late_by_officer.head(8).rename(columns={
        "can_bo": "Cán bộ", "tre_han": "Trễ hạn", "qua_han": "Đang quá hạn",
        "sap_den_han": "Sắp đến hạn", "tong": "Tổng"}), hide_index=True, width="stretch")
