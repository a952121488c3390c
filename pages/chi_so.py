"""Chỉ số: one indicator in depth — trend against the target, breakdowns, the numbers
behind it, its definition and source, and the figures as Excel."""

from __future__ import annotations

import streamlit as st

from core import formatting as fmt
from indicators import present
from indicators.breakdowns import DIMENSIONS
from reports.exports import detail_to_excel
from ui.auth import require
from ui.session import detail_for, figures_for, outlooks_for
from ui.widgets import excel_download, page_start, plain, to_address

require("xem")  # before anything is drawn, whatever route ran this file

eng, period, commune = page_start("Chi tiết chỉ số")

indicators = list(eng.catalog.indicators.values())
ids = [i.id for i in indicators]
wanted = st.query_params.get("chi_so") or st.session_state.get("chi_so") or ids[0]
chosen = st.selectbox(
    "Chỉ số",
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    # a text box cannot wrap: the short name; the heading below is whole
    format_func=lambda i: eng.catalog.indicators[i].short_name,
)
to_address({"chi_so": chosen}, {"chi_so": ids[0]})
st.session_state["chi_so"] = chosen

d = detail_for(chosen, period, commune)
figures = figures_for(chosen, period, commune)
ind, r = d.indicator, d.result
st.header(ind.name)
st.caption(f"Đơn vị chủ trì: **{ind.responsible}** · {plain(present.commune(commune))}")

cols = st.columns(4)
cols[0].metric(
    "Giá trị",
    present.value(r),
    present.signed_delta(r, d.previous),
    delta_color="inverse" if ind.direction == "lower" else "normal",
)
cols[1].metric(f"Chỉ tiêu {period.year}", present.target(r))
cols[2].metric("Tiến độ cần đạt", present.expected(r) or present.target(r))
cols[3].metric("Tình trạng", f"{r.status.icon} {present.status(r)}")
st.markdown(f"**{present.sentence(r)}**")
if r.reading:
    st.caption(r.reading)

outlook = outlooks_for(period, commune).get(chosen)
if outlook is not None:
    with st.container(border=True):
        st.markdown(f"**Cần làm gì để đạt mục tiêu** — {outlook.verdict or 'chưa dự báo'}")
        for sentence in outlook.sentences:
            st.markdown(f"- {plain(sentence)}")
        for sentence in outlook.contributor_sentences():
            st.markdown(
                "- Phần thiếu hụt tập trung ở " + plain(f"{sentence[0].lower()}{sentence[1:]}")
            )
        if outlook.contributors:
            st.caption(
                "Mỗi nhóm: số hồ sơ còn thiếu so với mục tiêu trong tháng và tỷ lệ của "
                "nó trong tổng phần thiếu hụt; xem bảng «Phân tích theo nhóm» bên dưới."
            )

st.plotly_chart(figures["xu_huong"], width="stretch", key="xu_huong")

with st.expander("Cách tính và nguồn", expanded=True):
    st.markdown(f"**Cách tính:** {ind.explanation}")
    st.markdown(f"**Căn cứ:** {ind.source}")
    st.markdown(f"**Chỉ tiêu:** {d.target_text}")

if ind.manual:
    st.info(
        "Chỉ số nhập tay từ nguồn khác: không chia được theo lĩnh vực, thủ tục, kênh hay cán bộ."
    )
else:
    st.subheader("Phân tích theo nhóm")
    tabs = st.tabs(list(DIMENSIONS.values()))
    for tab, (by, label) in zip(tabs, DIMENSIONS.items(), strict=True):
        with tab:
            parts = d.breakdowns[by]
            if parts.empty:
                st.write("Không có hồ sơ trong kỳ.")
                continue
            st.plotly_chart(figures[by], width="stretch", key=f"nhom_{by}")
            shown = parts.assign(
                gia_tri=[fmt.value(v, ind.unit, ind.decimals) for v in parts["gia_tri"]],
                tu_so=[fmt.number(v) for v in parts["tu_so"]],
                mau_so=[fmt.number(v) if v is not None else "—" for v in parts["mau_so"]],
            )
            st.dataframe(
                shown.rename(
                    columns={
                        "nhom": label,
                        "gia_tri": "Giá trị",
                        "tu_so": "Tử số",
                        "mau_so": "Mẫu số",
                    }
                ),
                hide_index=True,
                width="stretch",
            )

excel_download("Tải số liệu (Excel)", lambda: detail_to_excel(d), f"{ind.id}_{period.code}.xlsx")
