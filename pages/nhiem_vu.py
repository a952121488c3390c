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
from ui.forms import done, said_here
from ui.session import cursor, user
from ui.widgets import excel_download

require("xem")  # before anything is drawn, whatever route ran this file

st.title("Nhiệm vụ chuyển đổi số năm 2026")
st.caption("Danh mục nhiệm vụ theo Phụ lục Chương trình công tác năm 2026 của Ban Chỉ đạo xã, "
           "theo nguyên tắc «6 rõ»: rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản "
           "phẩm, rõ thẩm quyền.")
today = dt.date.today()
table = tasks.list_tasks(cursor(), today)
done_on_time, due = tasks.on_time_share(table, today)
c = st.columns(4)
c[0].metric("Tổng số nhiệm vụ", len(table))
c[1].metric("Đã hoàn thành", int((table["trang_thai"] == "hoan_thanh").sum()))
c[2].metric("Quá hạn chưa xong", int(table["qua_han"].sum()))
c[3].metric("Hoàn thành đúng hạn", fmt.percent(done_on_time / due) if due else "—",
            help=f"{done_on_time}/{due} nhiệm vụ đã đến hạn được hoàn thành đúng hạn")

def _day(text: object, tt: object) -> dt.date | None:
    text = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise tasks.TaskError(f"Nhiệm vụ {tt}: «Ngày hoàn thành» «{text}» chưa đúng dạng "
                              "ngày/tháng/năm, ví dụ 05/02/2026.") from None


only_late = st.toggle("Chỉ hiện nhiệm vụ quá hạn")
shown = table[table["qua_han"]] if only_late else table
view = shown[list(tasks.COLUMNS)].copy()
view["trang_thai"] = view["trang_thai"].map(tasks.STATUSES)
# a date as text dd/mm/yyyy: a date cell left empty would read «None» on the grid
view["ngay_hoan_thanh"] = ["" if d is None or pd.isna(d) else f"{d:%d/%m/%Y}"
                           for d in view["ngay_hoan_thanh"]]
# an empty text cell reads empty, not «None»
for column in ("nhom", "chu_tri", "phoi_hop", "thoi_han", "san_pham", "tham_quyen", "ghi_chu"):
    if column in view.columns:
        view[column] = view[column].fillna("")
view.insert(0, "Quá hạn", ["⚠️ Quá hạn" if q else "" for q in shown["qua_han"]])
can_edit = allowed(st.session_state.get("role"), "nhap_lieu")
edited = st.data_editor(
    view.rename(columns=tasks.COLUMNS), hide_index=True, width="stretch", key="bang_nhiem_vu",
    disabled=True if not can_edit else ["Quá hạn", "TT", "Nhóm", "Nội dung (rõ việc)"],
    column_config={
        "Trạng thái": st.column_config.SelectboxColumn(
            "Trạng thái", options=list(tasks.STATUSES.values()), required=True),
        "Ngày hoàn thành": st.column_config.TextColumn(
            "Ngày hoàn thành", help="Ngày/tháng/năm, ví dụ 05/02/2026", max_chars=10),
    })
if can_edit and st.button("Lưu thay đổi", type="primary"):
    back = {v: k for k, v in tasks.COLUMNS.items()}
    words = {v: k for k, v in tasks.STATUSES.items()}
    changed = 0
    try:
        for (_, before), (_, after) in zip(view.iterrows(),
                                           edited.rename(columns=back).iterrows(), strict=True):
            diff = {}
            for col in tasks.EDITABLE:
                old, new = before[col], after[col]
                if col == "trang_thai":
                    old, new = words.get(old, old), words.get(new, new)
                if col == "ngay_hoan_thanh":
                    old, new = _day(old, before["tt"]), _day(new, before["tt"])
                if (old or None) != (new or None):
                    diff[col] = new
            if diff:
                tasks.update(cursor(), before["tt"], diff, user())
                changed += 1
        done("nhiem_vu", f"Đã lưu {changed} nhiệm vụ.", clear=False)
    except tasks.TaskError as exc:
        st.error(str(exc))
said_here("nhiem_vu")  # under the button, where the eye is after a long table

st.subheader("Excel")
excel_download("Tải danh mục nhiệm vụ (Excel)", lambda: tasks_to_excel(table),
               "nhiem_vu_2026.xlsx")
if not can_edit:
    st.stop()
upload = file_picker("Nhập danh mục đã sửa (Excel, cùng các cột)", ["xlsx"], "nhiem_vu_excel")
if upload is not None and st.button("Nhập danh mục"):
    try:
        n = tasks.import_excel(cursor(), upload.getvalue(), user(), upload.name)
        st.success(f"Đã nhập {n} nhiệm vụ từ {upload.name}.")
    except tasks.TaskError as exc:
        st.error(f"Tệp «{upload.name}» bị từ chối: {exc}")
