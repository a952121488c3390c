"""Quản trị: lock months after a meeting, back up the database, manage accounts, and read
or export the audit trail."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import settings
from core.formatting import typed_number
from reports.exports import audit_to_excel
from storage import accounts, locks, targets
from storage.areas import areas, home_commune, set_areas, set_home_commune
from storage.audit import trail
from storage.backup import backup
from ui.auth import require
from ui.forms import form_key, run, said_here
from ui.session import cursor, engine
from ui.widgets import confirm, confirmed_result, excel_download, plain

admin = require("quan_tri")


st.title("Quản trị")

st.subheader("Khóa số liệu tháng")
st.write(
    "Sau cuộc họp, khóa tháng để số liệu đã dùng không thay đổi âm thầm: mọi tệp, hoàn "
    "tác hay số liệu nhập tay làm thay đổi tháng đã khóa đều bị từ chối cho đến khi mở "
    "khóa (việc mở khóa được ghi nhật ký)."
)
eng = engine()
communes = eng.choosable()
# the communes an account or a target may be tied to: the installation's own one even before
# its data is imported, never the made-up demo commune
home = home_commune(cursor())
real = list(dict.fromkeys([c for c in (home, *communes) if c and c != settings.DEMO_COMMUNE]))
if communes:
    latest = max(eng.cap.values())
    months = [dt.date(latest.year, m, 1) for m in range(latest.month, 0, -1)]
    c = list(st.columns(3))
    commune = c[0].selectbox("Xã", communes, key="khoa_xa")
    month = c[1].selectbox("Tháng", months, format_func=lambda d: f"{d:%m/%Y}", key="khoa_thang")
    reason = c[2].text_input("Ghi chú / lý do mở khóa", key="khoa_ly_do")
    locked = locks.is_locked(cursor(), commune, month)
    if locked:
        st.info(
            f"Tháng {month:%m/%Y} của {plain(commune)} đang khóa (từ "
            f"{locked[0]:%H:%M %d/%m/%Y}, người khóa: {locked[1]})."
        )
    label = "Mở khóa tháng" if locked else "Khóa tháng"
    clicked = st.button(label, type="primary", key="khoa_nut")
    if locked:

        def unlock() -> str:
            locks.unlock(cursor(), commune, month, admin, reason)
            return f"Đã mở khóa tháng {month:%m/%Y} của {commune}."

        confirm(
            f"mo_khoa_{commune}_{month}",
            clicked,
            "Mở khóa tháng",
            f"Mở khóa tháng {month:%m/%Y} của {commune}? Số liệu của tháng sẽ có thể thay "
            "đổi; lý do được ghi vào nhật ký.",
            unlock,
        )
    elif clicked:

        def lock() -> str:
            locks.lock(cursor(), commune, month, admin, reason)
            return f"Đã khóa tháng {month:%m/%Y} của {commune}."

        run("khoa_thang", lock, clear=False)
    said_here("khoa_thang")
    confirmed_result()
table = locks.locked_months(cursor())
if not table.empty:
    st.dataframe(
        table.assign(
            thang=[f"{m:%m/%Y}" for m in table["thang"]],
            khoa_luc=[f"{t:%H:%M %d/%m/%Y}" for t in table["khoa_luc"]],
        ).rename(
            columns={
                "commune": "Xã",
                "thang": "Tháng",
                "khoa_luc": "Khóa lúc",
                "khoa_boi": "Người khóa",
                "ghi_chu": "Ghi chú",
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Điều chỉnh chỉ tiêu")
st.write(
    "Chỉ tiêu mặc định lấy từ Chương trình năm 2026. Khi Ban Chỉ đạo giao chỉ tiêu khác "
    "(cho mọi xã hoặc một xã), nhập ở đây kèm căn cứ; mỗi lần sửa được ghi nhật ký."
)
catalog = eng.catalog
with st.form(form_key("chi_tieu"), clear_on_submit=False):
    # a text box cannot wrap: the indicator on a row of its own, by its short name
    ind_id = st.selectbox(
        "Chỉ số", list(catalog.indicators), format_func=lambda i: catalog.indicators[i].short_name
    )
    c = list(st.columns(2))
    year = c[0].number_input("Năm", min_value=2025, max_value=2035, value=dt.date.today().year)
    scope = c[1].selectbox("Áp dụng cho", ["Mọi xã", *real])
    c = list(st.columns(3))
    kind = c[0].selectbox("Loại", list(targets.KINDS), format_func=lambda k: targets.KINDS[k])
    # typed as people write numbers (98 or 98,5), not a box that starts at «0.00»
    first_text = c[1].text_input(
        "Giá trị (hoặc mức thấp, mức tăng thấp)", placeholder="ví dụ 98 hoặc 98,5"
    )
    second_text = c[2].text_input("Mức cao (khoảng, mức tăng cao)", placeholder="khoảng, mức tăng")
    st.caption("Tỷ lệ và mức tăng nhập theo %, ví dụ 98 cho 98%, 25 cho «tăng 25%».")
    g = list(st.columns(3))
    growth = g[0].selectbox(
        "Cách tính mức tăng",
        list(targets.GROWTH),
        format_func=lambda m: targets.GROWTH[m],
        help="Chỉ với chỉ tiêu tăng so với năm gốc. «Tăng 25%» của một tỷ lệ 40%: tương đối "
        "là 40% × 1,25 = 50%; theo điểm phần trăm là 40% + 25 = 65%. Chương trình 2026 "
        "viết «tăng ... so với năm 2025», đọc là tăng tương đối.",
    )
    base_year = g[1].number_input(
        "Năm gốc", min_value=2000, max_value=2035, value=dt.date.today().year - 1
    )
    due = g[2].date_input(
        "Ngày đến hạn (chỉ tiêu có thời hạn)",
        value=dt.date(dt.date.today().year, 12, 31),
        format="DD/MM/YYYY",
    )
    basis = st.text_input("Căn cứ (văn bản, cuộc họp)")
    if st.form_submit_button("Lưu chỉ tiêu"):

        def save_target() -> str:
            unit_k = 100.0 if catalog.indicators[ind_id].unit == "percent" else 1.0
            k = 100.0 if kind == "growth" else unit_k
            pair = kind in ("range", "growth")
            first = typed_number(first_text, "Giá trị")
            second = typed_number(second_text, "Mức cao") if pair else None
            try:
                targets.set_target(
                    cursor(),
                    catalog,
                    ind_id,
                    int(year),
                    kind,
                    value=None if pair or first is None else first / k,
                    low=first / k if pair and first is not None else None,
                    high=second / k if pair and second is not None else None,
                    commune=None if scope == "Mọi xã" else scope,
                    basis=basis,
                    user=admin,
                    baseline_year=int(base_year),
                    growth=growth,
                    due=due,
                )
            except targets.TargetError as exc:
                raise targets.TargetError(f"Không lưu được chỉ tiêu: {exc}") from exc
            return f"Đã lưu chỉ tiêu mới của {catalog.indicators[ind_id].name}."

        run("chi_tieu", save_target)
said_here("chi_tieu")

st.subheader("Sao lưu")
st.write(
    "Tạo một bản sao nhất quán của toàn bộ cơ sở dữ liệu ngay cả khi đang có người nhập "
    "tệp, trong thư mục sao lưu trên máy chủ (chỉ chủ tài khoản chạy máy chủ đọc được). "
    "Bản sao lưu không được tải qua trình duyệt: một đường dẫn tải về sẽ còn dùng được "
    "sau khi quản trị đã rời đi. Cách khôi phục: xem README (lệnh «kpi-xa restore»)."
)
if st.button("Sao lưu ngay"):

    def save_copy() -> str:
        # written to the backup folder on the server, never offered as a download link
        # (a /media address would outlive the admin's visit)
        return f"Đã sao lưu vào {backup(cursor(), user=admin)} trên máy chủ."

    run("sao_luu", save_copy, clear=False)
said_here("sao_luu")

st.subheader("Tài khoản")
listed = accounts.listing(cursor())
if listed.empty:  # an empty grid would read «empty»
    st.caption("Chưa có tài khoản nào (bản cài đặt một người dùng, không cần đăng nhập).")
else:
    st.dataframe(
        listed.assign(
            vai_tro=lambda d: d["vai_tro"].map(accounts.ROLES),
            hoat_dong=lambda d: d["hoat_dong"].map({True: "Đang dùng", False: "Đã khóa"}),
            xa=lambda d: d["xa"].fillna("Mọi xã"),  # no commune: every one, not «None»
            tao_luc=lambda d: [f"{t:%d/%m/%Y}" for t in d["tao_luc"]],
        ).rename(
            columns={
                "ten_dang_nhap": "Tên đăng nhập",
                "ho_ten": "Họ tên",
                "vai_tro": "Vai trò",
                "xa": "Phạm vi",
                "hoat_dong": "Trạng thái",
                "tao_luc": "Ngày tạo",
                "tao_boi": "Người tạo",
            }
        ),
        hide_index=True,
        width="stretch",
    )
with st.form(form_key("tai_khoan_moi"), clear_on_submit=False):
    st.markdown("**Tạo tài khoản mới**")
    c = list(st.columns(3))
    username = c[0].text_input("Tên đăng nhập")
    name = c[1].text_input("Họ tên")
    password = c[2].text_input("Mật khẩu", type="password")
    c = list(st.columns(2))  # wide enough for «Xem (thành viên Ban Chỉ đạo)»
    role = c[0].selectbox("Vai trò", list(accounts.ROLES), format_func=lambda r: accounts.ROLES[r])
    account_scope = c[1].selectbox(
        "Phạm vi",
        ["Mọi xã", *real],
        help="Tài khoản gắn với một xã chỉ xem và nhập số liệu của xã đó; «Mọi xã» cho cán "
        "bộ cấp tỉnh. Tài khoản quản trị luôn là «Mọi xã».",
    )
    if st.form_submit_button("Tạo tài khoản"):

        def create() -> str:
            accounts.create(
                cursor(),
                username,
                name,
                role,
                password,
                by=admin,
                commune=None if account_scope == "Mọi xã" else account_scope,
            )
            return f"Đã tạo tài khoản {username}."

        run("tai_khoan_moi", create)
said_here("tai_khoan_moi")

names = list(accounts.listing(cursor())["ten_dang_nhap"])
with st.form(form_key("dat_lai_mat_khau"), clear_on_submit=False):
    st.markdown("**Đặt lại mật khẩu** (người dùng quên mật khẩu hoặc bị tạm khóa)")
    c = list(st.columns([3, 1]))
    who = c[0].selectbox("Tài khoản", names, index=None, placeholder="Chọn tài khoản")
    if c[1].form_submit_button("Đặt lại") and who:

        def reset() -> str:
            temporary = accounts.reset_password(cursor(), str(who), by=admin)
            return (
                f"Mật khẩu tạm của {who}: **{temporary}** (chỉ hiện một lần; người dùng "
                "phải đổi khi đăng nhập). Các phiên đăng nhập cũ của tài khoản đã bị hủy."
            )

        run("dat_lai_mat_khau", reset)
said_here("dat_lai_mat_khau")

with st.form(form_key("pham_vi_tai_khoan"), clear_on_submit=False):
    st.markdown("**Đổi phạm vi tài khoản** (xã mà tài khoản được xem và nhập)")
    c = list(st.columns([2, 2, 1]))
    who = c[0].selectbox(
        "Tài khoản", names, index=None, placeholder="Chọn tài khoản", key="pham_vi_ai"
    )
    where = c[1].selectbox("Phạm vi", ["Mọi xã", *real], key="pham_vi_xa")
    if c[2].form_submit_button("Lưu phạm vi") and who:

        def rescope() -> str:
            accounts.set_commune(cursor(), str(who), None if where == "Mọi xã" else where, by=admin)
            return f"Đã đổi phạm vi của {who}: {where}."

        run("pham_vi_tai_khoan", rescope)
said_here("pham_vi_tai_khoan")

st.subheader("Xã của bảng điều khiển và địa bàn")
st.write(
    "Xã của bảng điều khiển là xã mặc định khi tải tệp không ghi tên xã; tệp của xã "
    "khác phải được xác nhận trước khi nhập. Địa bàn (tỉnh, cụm) dùng để so sánh các xã."
)
with st.form("xa_cai_dat"):
    c = list(st.columns([3, 1]))
    home_name = c[0].text_input(
        "Xã của bảng điều khiển", value=home_commune(cursor()), placeholder="Ví dụ: Xã Diễn Châu"
    )
    if c[1].form_submit_button("Lưu xã"):
        run(
            "xa_cai_dat",
            lambda: f"Xã của bảng điều khiển: {set_home_commune(cursor(), home_name, by=admin)}.",
            clear=False,
        )
said_here("xa_cai_dat")
known = areas(cursor())
# an empty cell reads empty, not «None»
grid = (
    pd.DataFrame({"xa": pd.Series(real, dtype="object")})
    .merge(known.astype({"xa": "object"}), on="xa", how="outer")
    .astype(object)
    .fillna("")
)
edited = st.data_editor(
    grid,
    hide_index=True,
    width="stretch",
    disabled=["xa"],
    key="dia_ban",
    column_config={
        "xa": "Xã",
        "tinh": st.column_config.TextColumn("Tỉnh"),
        "cum": st.column_config.TextColumn("Cụm (huyện cũ)"),
    },
)
if st.button("Lưu địa bàn"):
    run(
        "dia_ban",
        lambda: f"Đã lưu địa bàn của {set_areas(cursor(), edited, by=admin)} xã.",
        clear=False,
    )
said_here("dia_ban")

st.subheader("Nhật ký thay đổi")
log = trail(cursor(), indicators={i: (ind.name, ind.unit) for i, ind in catalog.indicators.items()})
shown = log.assign(thoi_diem=[f"{t:%H:%M:%S %d/%m/%Y}" for t in log["thoi_diem"]]).rename(
    columns={
        "id": "Số",
        "thoi_diem": "Thời điểm",
        "nguoi": "Người thực hiện",
        "hanh_dong": "Việc",
        "doi_tuong": "Đối tượng",
        "chi_tiet": "Chi tiết",
    }
)
st.dataframe(shown, hide_index=True, width="stretch")
excel_download("Tải nhật ký (Excel)", lambda: audit_to_excel(shown), "nhat_ky_kpi_xa.xlsx")
