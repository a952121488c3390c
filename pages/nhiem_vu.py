"""Nhiệm vụ: the programme's tasks with the "6 rõ", status, overdue ones highlighted, and
the share done on time; editable here or through Excel."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import formatting as fmt
from reports.exports import tasks_to_excel
from storage import tasks
from storage.accounts import allowed
from ui.auth import require
from ui.chrome import file_picker
from ui.session import cursor, engine, user
from ui.widgets import excel_download, one_commune, plain

require("xem")  # before anything is drawn, whatever route ran this file

st.title("Nhiệm vụ chuyển đổi số năm 2026")
st.caption(
    "Danh mục nhiệm vụ theo Phụ lục Chương trình công tác năm 2026 của Ban Chỉ đạo xã, "
    "theo nguyên tắc «6 rõ»: rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản "
    "phẩm, rõ thẩm quyền."
)
today = dt.date.today()
if note := st.session_state.pop("nhiem_vu_note", None):
    st.success(note)
commune = one_commune(engine(), tasks.communes_with_tasks(cursor()))
if commune is None:
    st.info("Chưa có xã nào. Ghi xã của bảng điều khiển ở trang Quản trị hoặc tải dữ liệu lên.")
    st.stop()
can_edit = allowed(st.session_state.get("role"), "nhap_lieu")
table = tasks.list_tasks(cursor(), [commune], today)
if table.empty:
    st.info(
        f"{plain(commune)} chưa có danh mục nhiệm vụ. Nhập danh mục của xã từ tệp Excel "
        "(cùng các cột như tệp tải về), hoặc dùng Phụ lục Chương trình công tác năm 2026 "
        "làm danh mục mẫu rồi sửa cho phù hợp."
    )
    if can_edit and st.button("Dùng Phụ lục Chương trình làm danh mục mẫu"):
        try:
            n = tasks.adopt_template(cursor(), commune, user())
            st.session_state["nhiem_vu_note"] = f"Đã tạo {n} nhiệm vụ cho {commune} theo mẫu."
            st.rerun()
        except tasks.TaskError as exc:
            st.error(str(exc))
done_on_time, due = tasks.on_time_share(table, today)
c = st.columns(4)
c[0].metric("Tổng số nhiệm vụ", len(table))
c[1].metric("Đã hoàn thành", int((table["trang_thai"] == "hoan_thanh").sum()))
c[2].metric("Quá hạn chưa xong", int(table["qua_han"].sum()))
c[3].metric(
    "Hoàn thành đúng hạn",
    fmt.percent(done_on_time / due) if due else "—",
    help=f"{done_on_time}/{due} nhiệm vụ đã đến hạn được hoàn thành đúng hạn",
)
lacking = int((table["thieu_6_ro"] != "").sum()) if not table.empty else 0
if lacking:
    st.warning(
        f"{lacking} nhiệm vụ chưa đủ «6 rõ» (xem cột «Thiếu 6 rõ»): ghi bổ sung rồi bấm "
        "«Lưu thay đổi»."
    )

if not table.empty:  # an empty table has no column types to edit
    only_late = st.toggle("Chỉ hiện nhiệm vụ quá hạn")
    shown = table[table["qua_han"]] if only_late else table
    view = shown[list(tasks.COLUMNS)].copy()
    view["trang_thai"] = view["trang_thai"].map(tasks.STATUSES)
    # NaT, not None: the grid draws an empty date cell as «None» otherwise
    view["ngay_hoan_thanh"] = pd.to_datetime(view["ngay_hoan_thanh"])
    # an empty text cell reads empty, not «None» (tasks.diff reads "" as nothing)
    for column in ("nhom", "chu_tri", "phoi_hop", "thoi_han", "san_pham", "tham_quyen", "ghi_chu"):
        view[column] = view[column].fillna("")
    view.insert(0, "Thiếu 6 rõ", list(shown["thieu_6_ro"]))
    view.insert(0, "Quá hạn", ["⚠️ Quá hạn" if q else "" for q in shown["qua_han"]])
    edited = st.data_editor(
        view.rename(columns=tasks.COLUMNS),
        hide_index=True,
        width="stretch",
        key=f"bang_nhiem_vu_{commune}",
        disabled=True
        if not can_edit
        else ["Quá hạn", "Thiếu 6 rõ", "TT", "Nhóm", "Nội dung (rõ việc)"],
        column_config={
            "Trạng thái": st.column_config.SelectboxColumn(
                "Trạng thái", options=list(tasks.STATUSES.values()), required=True
            ),
            "Ngày hoàn thành": st.column_config.DateColumn("Ngày hoàn thành", format="DD/MM/YYYY"),
        },
    )
    if can_edit and st.button("Lưu thay đổi", type="primary"):
        back = {v: k for k, v in tasks.COLUMNS.items()}
        changed = 0
        try:
            for before, after in zip(
                view.to_dict("records"), edited.rename(columns=back).to_dict("records"), strict=True
            ):
                diff = tasks.diff(before, after)
                if diff:
                    tasks.update(cursor(), commune, str(before["tt"]), diff, user())
                    changed += 1
            st.session_state["nhiem_vu_note"] = (
                f"Đã lưu {changed} nhiệm vụ." if changed else "Không có thay đổi nào để lưu."
            )
            st.rerun()
        except tasks.TaskError as exc:
            st.error(str(exc))

st.subheader("Excel")
excel_download("Tải danh mục nhiệm vụ (Excel)", lambda: tasks_to_excel(table), "nhiem_vu_2026.xlsx")
if not can_edit:
    st.stop()
upload = file_picker(
    f"Nhập danh mục đã sửa của {plain(commune)} (Excel, cùng các cột)", ["xlsx"], "nhiem_vu_excel"
)
if upload is not None and st.button("Nhập danh mục"):
    try:
        n = tasks.import_excel(cursor(), upload.getvalue(), user(), upload.name, commune=commune)
        st.success(f"Đã nhập {n} nhiệm vụ của {plain(commune)} từ {plain(upload.name)}.")
    except tasks.TaskError as exc:
        st.error(f"Tệp «{plain(upload.name)}» bị từ chối: {exc}")
