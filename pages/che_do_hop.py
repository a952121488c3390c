"""Chế độ họp: full screen, one large chart per slide, arrow keys or buttons to move on."""

from __future__ import annotations

import streamlit as st

from core.text import plain_html
from indicators import present
from indicators.status import status_note
from reports.charts import status_figure, trend_figure
from reports.slides_pdf import deck_pdf
from storage.accounts import allowed
from ui.auth import require
from ui.session import ALL, deck_for, engine
from ui.widgets import current_choice, period_picker, plain, plain_table, to_address

require("xem")  # before anything is drawn, whatever route ran this file

# no sidebar, no header, large type: the projector shows only the slide
st.markdown(
    """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
[data-testid="stHeader"], [data-testid="stToolbar"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 0.6rem !important;
  padding-bottom: 0.5rem !important; max-width: 100%;}
html, body, [class*="css"] {font-size: 22px;}
h1 {font-size: 2.1rem !important; padding: 0 0 0.2rem 0 !important;}
.hop-dau {text-align: center; font-size: 20px; padding-top: 0.4rem;}
.hop-chu p {font-size: 24px; line-height: 1.35; margin-bottom: 0.6rem;}
/* tables read from the back of a room: large type, no empty rows (st.table is exact) */
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 20px !important;
  padding: 0.2rem 0.5rem !important; line-height: 1.3 !important;}
[data-testid="stMetricValue"] {font-size: 1.8rem !important;}
/* no grey frame left on a button after the arrow keys */
button:focus, button:focus-visible {outline: none !important; box-shadow: none !important;}
@media (max-width: 640px) {  /* a phone: the buttons stay on one row above the slide */
  .st-key-hop_nav [data-testid="stHorizontalBlock"] {flex-wrap: nowrap !important;
    gap: 0.3rem !important;}
  .st-key-hop_nav [data-testid="stColumn"] {min-width: 0 !important; width: auto !important;
    flex: 3 1 0 !important;}
  .st-key-hop_nav [data-testid="stColumn"]:nth-child(2) {flex: 5 1 0 !important;}
  .st-key-hop_nav button {padding: 0.2rem 0.3rem !important; min-height: 2.2rem;}
  .st-key-hop_nav button p, .hop-dau {font-size: 14px !important;}
  html, body, [class*="css"] {font-size: 16px;}
  .hop-chu p {font-size: 18px;}
  [data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 15px !important;}
}
@media (max-width: 1100px) {  /* a 1024 x 768 projector */
  h1 {font-size: 1.7rem !important;}
  [data-testid="stMetricValue"] {font-size: 1.45rem !important;}
  .hop-dau {font-size: 17px;}
  .hop-chu p {font-size: 21px;}
}
</style>""",
    unsafe_allow_html=True,
)

eng = engine()
# the period and commune chosen before (or in the address); the chooser sits below the
# slide: setting up is done before the meeting, the slide owns the screen
picked = current_choice(eng, "hop")
if picked is None:
    st.warning("Chưa có dữ liệu. Hãy tải tệp xuất từ Cổng dịch vụ công lên ở trang «Tải dữ liệu».")
    st.stop()
period, commune = picked
shown = deck_for(period, commune)
deck = shown.slides
wanted = str(st.session_state.get("slide", st.query_params.get("trang", 1)))
index = int(wanted) - 1 if wanted.isdigit() else 0  # ?trang=abc: the first slide
index = max(0, min(index, len(deck) - 1))
st.session_state["slide"] = index + 1


def move(step: int) -> None:
    # before the run draws anything: the buttons are drawn for the slide shown
    st.session_state["slide"] = max(1, min(len(deck), st.session_state["slide"] + step))


nav = st.container(key="hop_nav").columns([3, 7, 3, 3])  # keyed: one row on a phone
nav[0].button(
    "◀ Trước", shortcut="Left", disabled=index == 0, width="stretch", on_click=move, args=(-1,)
)
nav[2].button(
    "Sau ▶",
    shortcut="Right",
    disabled=index == len(deck) - 1,
    width="stretch",
    on_click=move,
    args=(1,),
)
if nav[3].button("✕ Thoát", width="stretch"):
    st.session_state.pop("slide", None)
    st.switch_page("pages/tong_quan.py", query_params={"ky": period.code, "xa": commune or ALL})
to_address({"trang": str(index + 1)}, {"trang": "1"})  # one history entry per slide
slide = deck[index]
# the commune's name comes from a file: escaped before it is drawn as HTML
nav[1].markdown(
    f"<div class='hop-dau'>Trang {index + 1}/{len(deck)} · "
    f"{present.coverage(period, shown.as_of)} · "
    f"{plain_html(shown.commune)}</div>",
    unsafe_allow_html=True,
)

st.title(slide.title)
if slide.kind == "tong_quan":
    left, right = st.columns([1, 1])
    left.plotly_chart(status_figure(shown.counts, height=430), width="stretch")
    note = status_note(shown.counts)
    if note:
        left.caption(plain(note))
elif slide.kind == "chi_so":
    ind = eng.catalog.indicators[str(slide.indicator_id)]
    r = shown.results[ind.id]
    chart, words = st.columns([3, 2])
    c = words.columns(2)
    c[0].metric("Giá trị", present.value(r))
    c[1].metric(f"Chỉ tiêu {period.year}", present.target(r))
    state = plain_html(present.status(r))
    words.markdown(
        f"<div class='hop-chu'><p><b>{state}</b> · chủ trì: "
        f"{plain_html(ind.responsible)}</p></div>",
        unsafe_allow_html=True,
    )
    chart.plotly_chart(
        trend_figure(ind, eng.trend(ind.id, period, commune), height=470), width="stretch"
    )
    # what the committee decides on: the gap, the projection, who holds the shortfall
    words.markdown(
        "<div class='hop-chu'>"
        + "".join(f"<p>{plain_html(line)}</p>" for line in slide.lines)
        + "</div>",
        unsafe_allow_html=True,
    )
else:
    for line in slide.lines:
        st.markdown(f"<div class='hop-chu'><p>{plain_html(line)}</p></div>", unsafe_allow_html=True)
tables = [t for t in slide.tables if not t[1].empty]
if slide.kind == "tong_quan":
    for caption, frame in tables:
        right.markdown(f"**{plain(caption)}**")
        right.table(plain_table(frame), hide_index=True)
elif len(tables) == 2:
    for column, (caption, frame) in zip(st.columns(2), tables, strict=True):
        column.markdown(f"**{plain(caption)}**")
        column.table(plain_table(frame), hide_index=True)
else:
    for caption, frame in tables:
        if caption:
            st.markdown(f"**{plain(caption)}**")
        st.table(plain_table(frame), hide_index=True)
if slide.more:
    st.caption(plain(slide.more))

with st.expander("Chọn kỳ, xã — tải bộ trang chiếu (PDF)", expanded=False):
    period_picker(eng, key="hop")
    if commune and allowed(st.session_state.get("role"), "nhap_lieu"):
        # the deck is the meeting's agenda: its conclusions are written down from here
        st.page_link(
            "pages/cuoc_hop.py",
            label="📝 Ghi cuộc họp, kết luận và giao việc",
            query_params={"xa": commune, "ky": period.code},
        )
    st.download_button(
        "Tải bộ trang chiếu (PDF) cho máy chiếu không có mạng",
        lambda: deck_pdf(engine(), deck_for(period, commune)),
        file_name=f"trang_chieu_{period.code}.pdf",
        mime="application/pdf",
        key="tai_pdf",
    )
