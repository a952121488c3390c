"""Quản trị: lock months after a meeting, back up the database, manage accounts, and read
or export the audit trail."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core.errors import UserError
from reports.exports import audit_to_excel
from storage import accounts, locks, targets
from storage.areas import areas, home_commune, set_areas, set_home_commune
from storage.audit import trail
from storage.backup import backup
from ui.auth import require
from ui.session import cursor, engine
from ui.widgets import confirm, confirmed_result, excel_download, plain

admin = require("quan_tri")


def act(action) -> None:
    """Run a change; its message (or the reason it was refused) shows after the rerun."""
    try:
        st.session_state["quan_tri_note"] = (True, action())
    except UserError as exc:
        st.session_state["quan_tri_note"] = (False, str(exc))
    st.rerun()


st.title("Quản trị")
if note := st.session_state.pop("quan_tri_note", None):
    (st.success if note[0] else st.error)(note[1] if note[0] else plain(note[1]))

st.subheader("Khóa số liệu tháng")
st.write("Sau cuộc họp, khóa tháng để số liệu đã dùng không thay đổi âm thầm: mọi tệp, hoàn "
         "tác hay số liệu nhập tay làm thay đổi tháng đã khóa đều bị từ chối cho đến khi mở "
         "khóa (việc mở khóa được ghi nhật ký).")
eng = engine()
communes = eng.choosable()
if communes:
    latest = max(eng.cap.values())
    months = [dt.date(latest.year, m, 1) for m in range(latest.month, 0, -1)]
    c = list(st.columns(3))
    commune = c[0].selectbox("Xã", communes, key="khoa_xa")
    month = c[1].selectbox("Tháng", months, format_func=lambda d: f"{d:%m/%Y}", key="khoa_thang")
    reason = c[2].text_input("Ghi chú / lý do mở khóa", key="khoa_ly_do")
    locked = locks.is_locked(cursor(), commune, month)
    if locked:
        st.info(f"Tháng {month:%m/%Y} của {plain(commune)} đang khóa (từ "
                f"{locked[0]:%H:%M %d/%m/%Y}, người khóa: {locked[1]}).")
    label = "Mở khóa tháng" if locked else "Khóa tháng"
    clicked = st.button(label, type="primary")
    if locked:
        def unlock() -> str:
            locks.unlock(cursor(), commune, month, admin, reason)
            return f"Đã mở khóa tháng {month:%m/%Y} của {commune}."

        confirm(f"mo_khoa_{commune}_{month}", clicked, "Mở khóa tháng",
                f"Mở khóa tháng {month:%m/%Y} của {commune}? Số liệu của tháng sẽ có thể thay "
                "đổi; lý do được ghi vào nhật ký.", unlock)
    elif clicked:
        try:
            locks.lock(cursor(), commune, month, admin, reason)
            st.session_state["quan_tri_note"] = (True, f"Đã khóa tháng {month:%m/%Y} "
                                                       f"của {commune}.")
        except UserError as exc:
            st.session_state["quan_tri_note"] = (False, str(exc))
        st.rerun()
    confirmed_result()
table = locks.locked_months(cursor())
if not table.empty:
    st.dataframe(table.assign(thang=[f"{m:%m/%Y}" for m in table["thang"]],
                              khoa_luc=[f"{t:%H:%M %d/%m/%Y}" for t in table["khoa_luc"]])
                 .rename(columns={"commune": "Xã", "thang": "Tháng", "khoa_luc": "Khóa lúc",
                                  "khoa_boi": "Người khóa", "ghi_chu": "Ghi chú"}),
                 hide_index=True, width="stretch")

st.subheader("Điều chỉnh chỉ tiêu")
st.write("Chỉ tiêu mặc định lấy từ Chương trình năm 2026. Khi Ban Chỉ đạo giao chỉ tiêu khác "
         "(cho mọi xã hoặc một xã), nhập ở đây kèm căn cứ; mỗi lần sửa được ghi nhật ký.")
catalog = eng.catalog
with st.form("chi_tieu", clear_on_submit=True):
    c = list(st.columns(3))
    ind_id = c[0].selectbox("Chỉ số", list(catalog.indicators),
                            format_func=lambda i: catalog.indicators[i].name)
    year = c[1].number_input("Năm", min_value=2025, max_value=2035, value=dt.date.today().year)
    scope = c[2].selectbox("Áp dụng cho", ["Mọi xã", *communes])
    c = list(st.columns(4))
    kind = c[0].selectbox("Loại", list(targets.KINDS), format_func=lambda k: targets.KINDS[k])
    first = c[1].number_input("Giá trị (hoặc mức thấp, mức tăng thấp)", min_value=0.0, step=0.1)
    second = c[2].number_input("Mức cao (khoảng, mức tăng cao)", min_value=0.0, step=0.1)
    c[3].caption("Tỷ lệ và mức tăng nhập theo %, ví dụ 98 cho 98%, 25 cho «tăng 25%».")
    g = list(st.columns(3))
    growth = g[0].selectbox(
        "Cách tính mức tăng (chỉ tiêu tăng so với năm gốc)", list(targets.GROWTH),
        format_func=lambda m: targets.GROWTH[m],
        help="«Tăng 25%» của một tỷ lệ 40%: tương đối là 40% × 1,25 = 50%; theo điểm phần "
             "trăm là 40% + 25 = 65%. Chương trình 2026 viết «tăng ... so với năm 2025», "
             "đọc là tăng tương đối.")
    base_year = g[1].number_input("Năm gốc", min_value=2000, max_value=2035,
                                  value=dt.date.today().year - 1)
    due = g[2].date_input("Ngày đến hạn (chỉ tiêu có thời hạn)",
                          value=dt.date(dt.date.today().year, 12, 31), format="DD/MM/YYYY")
    basis = st.text_input("Căn cứ (văn bản, cuộc họp)")
    if st.form_submit_button("Lưu chỉ tiêu"):
        unit_k = 100.0 if catalog.indicators[ind_id].unit == "percent" else 1.0
        k = 100.0 if kind == "growth" else unit_k
        pair = kind in ("range", "growth")
        try:
            targets.set_target(
                cursor(), catalog, ind_id, int(year), kind,
                value=None if pair else first / k,
                low=first / k if pair else None,
                high=second / k if pair else None,
                commune=None if scope == "Mọi xã" else scope, basis=basis, user=admin,
                baseline_year=int(base_year), growth=growth, due=due)
            st.session_state["quan_tri_note"] = (True, "Đã lưu chỉ tiêu mới.")
        except targets.TargetError as exc:
            st.session_state["quan_tri_note"] = (False, f"Không lưu được chỉ tiêu: {exc}")
        st.rerun()

st.subheader("Sao lưu")
st.write("Tạo một bản sao nhất quán của toàn bộ cơ sở dữ liệu ngay cả khi đang có người nhập "
         "tệp, trong thư mục sao lưu trên máy chủ (chỉ chủ tài khoản chạy máy chủ đọc được). "
         "Bản sao lưu không được tải qua trình duyệt: một đường dẫn tải về sẽ còn dùng được "
         "sau khi quản trị đã rời đi. Cách khôi phục: xem README (lệnh «kpi-xa restore»).")
if st.button("Sao lưu ngay"):
    path = backup(cursor(), user=admin)
    st.session_state["quan_tri_note"] = (True, f"Đã sao lưu vào `{path}` trên máy chủ.")
    st.rerun()

st.subheader("Tài khoản")
st.dataframe(accounts.listing(cursor()).assign(
    vai_tro=lambda d: d["vai_tro"].map(accounts.ROLES),
    hoat_dong=lambda d: d["hoat_dong"].map({True: "Đang dùng", False: "Đã khóa"}),
    tao_luc=lambda d: [f"{t:%d/%m/%Y}" for t in d["tao_luc"]]).rename(columns={
        "ten_dang_nhap": "Tên đăng nhập", "ho_ten": "Họ tên", "vai_tro": "Vai trò",
        "xa": "Phạm vi", "hoat_dong": "Trạng thái", "tao_luc": "Ngày tạo", "tao_boi": "Người tạo"}),
    hide_index=True, width="stretch")
with st.form("tai_khoan_moi", clear_on_submit=True):
    st.markdown("**Tạo tài khoản mới**")
    c = list(st.columns(5))
    username = c[0].text_input("Tên đăng nhập")
    name = c[1].text_input("Họ tên")
    role = c[2].selectbox("Vai trò", list(accounts.ROLES), format_func=lambda r: accounts.ROLES[r])
    account_scope = c[3].selectbox(
        "Phạm vi", ["Mọi xã", *communes],
        help="Tài khoản gắn với một xã chỉ xem và nhập số liệu của xã đó; «Mọi xã» cho cán "
             "bộ cấp tỉnh. Tài khoản quản trị luôn là «Mọi xã».")
    password = c[4].text_input("Mật khẩu", type="password")
    if st.form_submit_button("Tạo tài khoản"):
        def create() -> str:
            accounts.create(cursor(), username, name, role, password, by=admin,
                            commune=None if account_scope == "Mọi xã" else account_scope)
            return f"Đã tạo tài khoản {username}."

        act(create)

names = list(accounts.listing(cursor())["ten_dang_nhap"])
with st.form("dat_lai_mat_khau", clear_on_submit=True):
    st.markdown("**Đặt lại mật khẩu** (người dùng quên mật khẩu)")
    c = list(st.columns([3, 1]))
    who = c[0].selectbox("Tài khoản", names, index=None, placeholder="Chọn tài khoản")
    if c[1].form_submit_button("Đặt lại") and who:
        temporary = accounts.reset_password(cursor(), who, by=admin)
        st.session_state["quan_tri_note"] = (
            True, f"Mật khẩu tạm của {who}: **{temporary}** (chỉ hiện một lần; người dùng "
                  "phải đổi khi đăng nhập). Các phiên đăng nhập cũ của tài khoản đã bị hủy.")
        st.rerun()

with st.form("pham_vi_tai_khoan"):
    st.markdown("**Đổi phạm vi tài khoản** (xã mà tài khoản được xem và nhập)")
    c = list(st.columns([2, 2, 1]))
    who = c[0].selectbox("Tài khoản", names, index=None, placeholder="Chọn tài khoản",
                         key="pham_vi_ai")
    where = c[1].selectbox("Phạm vi", ["Mọi xã", *communes], key="pham_vi_xa")
    if c[2].form_submit_button("Lưu phạm vi") and who:
        def rescope() -> str:
            accounts.set_commune(cursor(), str(who), None if where == "Mọi xã" else where, by=admin)
            return f"Đã đổi phạm vi của {who}: {where}."

        act(rescope)

st.subheader("Xã của bảng điều khiển và địa bàn")
st.write("Xã của bảng điều khiển là xã mặc định khi tải tệp không ghi tên xã; tệp của xã "
         "khác phải được xác nhận trước khi nhập. Địa bàn (tỉnh, cụm) dùng để so sánh các xã.")
with st.form("xa_cai_dat"):
    c = list(st.columns([3, 1]))
    home_name = c[0].text_input("Xã của bảng điều khiển", value=home_commune(cursor()),
                                placeholder="Ví dụ: Xã Diễn Châu")
    if c[1].form_submit_button("Lưu xã"):
        act(lambda: f"Xã của bảng điều khiển: "
                    f"{set_home_commune(cursor(), home_name, by=admin)}.")
known = areas(cursor())
grid = pd.DataFrame({"xa": pd.Series(communes, dtype="object")}).merge(
    known.astype({"xa": "object"}), on="xa", how="outer")
edited = st.data_editor(
    grid, hide_index=True, width="stretch", disabled=["xa"], key="dia_ban",
    column_config={"xa": "Xã", "tinh": st.column_config.TextColumn("Tỉnh"),
                   "cum": st.column_config.TextColumn("Cụm (huyện cũ)")})
if st.button("Lưu địa bàn"):
    act(lambda: f"Đã lưu địa bàn của {set_areas(cursor(), edited, by=admin)} xã.")

st.subheader("Nhật ký thay đổi")
log = trail(cursor())
shown = log.assign(thoi_diem=[f"{t:%H:%M:%S %d/%m/%Y}" for t in log["thoi_diem"]]).rename(
    columns={"id": "Số", "thoi_diem": "Thời điểm", "nguoi": "Người thực hiện",
             "hanh_dong": "Việc", "doi_tuong": "Đối tượng", "chi_tiet": "Chi tiết"})
st.dataframe(shown, hide_index=True, width="stretch")
excel_download("Tải nhật ký (Excel)", lambda: audit_to_excel(shown), "nhat_ky_kpi_xa.xlsx")
