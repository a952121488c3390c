"""Tổng quan: every indicator for the chosen period and commune, lagging ones first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from indicators import present
from indicators.scorecard import by_unit, counts_by_status
from reports.snapshot import picture, summary_text
from storage import demo, tasks, unit_reports
from storage.accounts import allowed
from ui.auth import require
from ui.session import (
    assignments_for,
    cursor,
    engine,
    outlooks_for,
    scope,
    scorecard_for,
    snapshot_for,
    task_summary,
    user,
)
from ui.widgets import confirm, confirmed_result, outlook_rows, period_picker, plain_table

require("xem")  # before anything is drawn, whatever route ran this file

st.title("Tổng quan chỉ số năm 2026")
eng = engine()
if demo.is_demo(cursor()):
    if len(eng.choosable()) > len(eng.communes()):  # real communes beside the demo one
        st.warning(
            "Đã có số liệu thật. **Dữ liệu mẫu** («Xã Mẫu») không được cộng vào "
            "«Tất cả các xã»; nên xóa để danh sách xã chỉ còn xã thật."
        )
    else:
        st.info(
            "Đang hiển thị **Dữ liệu mẫu** (một xã giả định). Khi có dữ liệu thật, "
            "bấm nút bên dưới để xóa dữ liệu mẫu."
        )
    if allowed(st.session_state.get("role"), "nhap_lieu") and scope() is None:

        def clear() -> str:
            demo.clear_demo(cursor(), user=user())
            return "Đã xóa Dữ liệu mẫu."

        confirm(
            "xoa_du_lieu_mau",
            st.button("Xóa dữ liệu mẫu"),
            "Xóa dữ liệu mẫu",
            "Xóa toàn bộ Dữ liệu mẫu (xã giả định)? Số liệu thật đã nhập không bị ảnh hưởng.",
            clear,
        )
confirmed_result()

picked = period_picker(eng)
if picked is None:
    st.stop()
period, commune = picked
table = scorecard_for(period, commune)
counts = counts_by_status(table)
end = eng.period_end(period, [commune] if commune else eng.communes()) or period.end
st.caption(f"{present.coverage(period, end)}. Cập nhật lúc {dt.datetime.now():%H:%M %d/%m/%Y}.")
# the counters on one line (a phone shows them above what lags, not as five screens)
st.markdown(
    "<div class='dem'>"
    f"<span class='dem-cham'>Chậm <b>{counts.get('cham', 0)}</b></span>"
    f"<span class='dem-gan'>Gần đạt <b>{counts.get('gan_dat', 0)}</b></span>"
    f"<span class='dem-tien-do'>Đúng tiến độ <b>{counts.get('dung_tien_do', 0)}</b></span>"
    f"<span class='dem-dat'>Đạt <b>{counts.get('dat', 0)}</b></span>"
    f"<span class='dem-thieu'>Thiếu số liệu <b>"
    f"{sum(counts.get(s, 0) for s in ('khong_co_du_lieu', 'thieu_so_lieu_goc', 'chua_cap_nhat'))}"
    "</b></span>"
    f"<span class='dem-chua'>Chưa có chỉ tiêu <b>{counts.get('chua_co_chi_tieu', 0)}</b></span>"
    "</div>",
    unsafe_allow_html=True,
)

# what lags, whose it is: a card per lagging or close indicator, grouped by unit
behind = table[table["_status"].isin(["cham", "gan_dat"])]
if not behind.empty:
    st.subheader("Chỉ số cần chú ý")
    for unit, group in behind.groupby("Đơn vị chủ trì", sort=False):
        st.markdown(f"**{unit}**")
        cards = st.columns(4)
        for i, row in enumerate(group.to_dict("records")):
            r = row["_result"]  # the typed figure; its words from the one presenter
            # value and target side by side: a phone shows no tooltip
            cards[i % 4].metric(
                f"{r.status.icon} {present.status(r)} · {row['_ten_ngan']} — mục tiêu "
                f"{present.target(r)}",
                present.value(r),
                # no change to show is None, which a table keeps as NaN («↑ nan»)
                row["_delta"] if isinstance(row["_delta"], str) else None,
                delta_color="inverse" if row["_inverse"] else "normal",
                chart_data=row["Xu hướng 12 tháng"] or None,
                border=True,
                help=f"{present.sentence(r)} Căn cứ: {r.target_source}. {r.reading}",
            )

    # what it will take and whose it is: the month's gap in cases, the year-end projection
    # at the present pace, and who or what holds most of the shortfall
    outlooks = outlook_rows(behind, outlooks_for(period, commune))
    if not outlooks.empty:
        st.markdown("**Cần làm gì để đạt mục tiêu**")
        # an HTML table: its sentences wrap (a phone shows the action and whom to focus
        # on without sideways scrolling)
        st.table(plain_table(outlooks), hide_index=True, border="horizontal")
        st.caption(
            "Dự báo: số liệu từ đầu năm cộng các tháng còn lại với tỷ lệ bình quân 3 "
            "tháng gần nhất. Chi tiết từng chỉ số ở trang Chỉ số."
        )

with st.expander("📱 Gửi Zalo: ảnh bảng chỉ số và đoạn tóm tắt"):
    shot = snapshot_for(period, commune)
    st.download_button(
        "Tải ảnh (PNG)",
        lambda: picture(shot),
        mime="image/png",
        file_name=f"chi_so_{period.code}.png",
        key="anh_zalo",
    )
    st.caption("Đoạn tóm tắt để dán kèm ảnh (nút sao chép ở góc phải):")
    st.code(summary_text(shot), language=None, wrap_lines=True)

today = dt.date.today()
task_units, task_sentence = task_summary(today, commune)
if not task_units.empty:
    st.subheader("Nhiệm vụ quá hạn và sắp đến hạn")
    st.caption(
        f"{task_sentence}; «sắp đến hạn»: trong "
        f"{tasks.DUE_SOON_DAYS} ngày tới. Chi tiết ở trang Nhiệm vụ."
    )
    st.dataframe(
        task_units.rename(
            columns={
                "chu_tri": "Đơn vị chủ trì",
                "qua_han": "Quá hạn",
                "sap_den_han": "Sắp đến hạn",
            }
        ),
        hide_index=True,
        width="stretch",
    )

assigned = assignments_for(today, commune)
if not assigned.empty:
    st.subheader("Việc giao theo kết luận cuộc họp chưa hoàn thành")
    st.caption("Theo đơn vị chủ trì; chi tiết ở trang Nhiệm vụ và trang Cuộc họp.")
    st.dataframe(
        assigned.rename(
            columns={"chu_tri": "Đơn vị chủ trì", "con_han": "Còn hạn", "qua_han": "Quá hạn"}
        ),
        hide_index=True,
        width="stretch",
    )

month = end.replace(day=1) if period.kind == "month" else today.replace(day=1)
if commune:
    reg = unit_reports.register(cursor(), commune, month, today)
    missing = reg[reg["trang_thai"].isin(["qua_han", "muon"])]
    if not missing.empty:
        st.subheader(f"Báo cáo đơn vị tháng {month:%m/%Y} chưa đúng hạn")
        st.caption(
            f"Các đơn vị báo cáo về UBND xã trước ngày {unit_reports.DUE_DAY} hằng tháng "
            "(Công văn 001, mục 7). Ghi nhận ở trang Nhập số liệu."
        )
        st.dataframe(
            missing.assign(
                trang_thai=missing["trang_thai"].map(unit_reports.STATES),
                ngay_nhan=[d.strftime("%d/%m/%Y") if d else "—" for d in missing["ngay_nhan"]],
            )[["don_vi", "trang_thai", "ngay_nhan", "so_ngay_muon"]].rename(
                columns={
                    "don_vi": "Đơn vị",
                    "trang_thai": "Tình trạng",
                    "ngay_nhan": "Ngày nhận",
                    "so_ngay_muon": "Số ngày muộn",
                }
            ),
            hide_index=True,
            width="stretch",
        )

st.subheader("Tất cả chỉ số")
visible = table.drop(columns=[c for c in table.columns if c.startswith("_")] + ["Căn cứ"])
event = st.dataframe(
    visible,
    hide_index=True,
    width="stretch",
    height=min(36 * (len(table) + 1), 1100),
    column_config={
        "Xu hướng 12 tháng": st.column_config.LineChartColumn("Xu hướng 12 tháng", width="medium")
    },
    on_select="rerun",
    selection_mode="single-row",
    key="bang_chi_so",
)
rows = event.selection.rows if event and event.selection else []
if rows:
    st.switch_page(
        "pages/chi_so.py",
        query_params={**st.query_params.to_dict(), "chi_so": table.loc[rows[0], "_id"]},
    )
st.caption("Chọn một dòng (ô vuông đầu dòng) để xem chi tiết chỉ số.")

st.subheader("Theo đơn vị chủ trì")
st.dataframe(by_unit(table), hide_index=True, width="stretch")  # a small pivot of 52 rows
