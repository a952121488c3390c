"""Nhập số liệu: hand-entered figures of docs/indicators.md §5, one form per indicator, the
Excel template, and the history of each figure (a correction adds a version)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from core import formatting as fmt
from core.errors import BadInput
from core.formatting import typed_number
from core.periods import months_between
from indicators.definitions import manual_indicators
from reports.template import template
from storage import baselines, figures, unit_reports
from storage.areas import home_commune
from ui.auth import require
from ui.chrome import file_picker
from ui.forms import done, form_key, said_here
from ui.session import cursor, demo_banner, engine, user
from ui.widgets import excel_download, plain

require("nhap_lieu")
st.title("Nhập số liệu từ nguồn khác")
demo_banner(shown=False)
st.write(
    "Các chỉ số không có trong tệp xuất của Cổng dịch vụ công (VNeID mức 2 của Công an "
    "xã, chi trả an sinh xã hội không dùng tiền mặt, chữ ký số ...). Mỗi lần sửa được "
    "lưu thành một phiên bản mới; không ghi đè số cũ."
)

eng = engine()
communes = eng.choosable() or ["Xã Diễn Châu"]
inds = manual_indicators()
# grouped as the programme groups them; a text box cannot wrap, so it holds the short name
# on a row of its own and the caption below says the full name and its group
chosen = st.selectbox(
    "Chỉ số",
    sorted(inds, key=lambda i: inds[i].group_name),
    format_func=lambda i: inds[i].short_name,
)
cols = st.columns(2)
home = home_commune(cursor())
commune = cols[0].selectbox("Xã", communes, index=communes.index(home) if home in communes else 0)
today = dt.date.today()
# this month and the 24 before it, newest first, each once
months = months_between(today.replace(day=1) - dt.timedelta(days=24 * 31), today)[::-1][:25]
month = cols[1].selectbox("Tháng", months, format_func=lambda d: f"{d:%m/%Y}")
ind = inds[chosen]
st.caption(
    f"**{ind.name}** ({ind.group_name}). Đơn vị chủ trì: {ind.responsible}. {ind.explanation}"
)

# the way of entering a rate is chosen outside the form: only its own boxes are shown
mode = (
    st.radio("Cách nhập", ["Tử số và mẫu số", "Tỷ lệ (%)"], horizontal=True, key="cach_nhap")
    if ind.unit == "percent"
    else "Giá trị"
)
# kept when refused (the clerk corrects one box, not all of them); emptied once saved
with st.form(form_key("nhap_so_lieu"), clear_on_submit=False):
    if mode == "Tử số và mẫu số":
        c = st.columns(2)
        numerator_text = c[0].text_input("Tử số", placeholder="ví dụ 9.000")
        denominator_text = c[1].text_input("Mẫu số", placeholder="ví dụ 10.000")
    elif mode == "Tỷ lệ (%)":
        rate_text = st.text_input("Tỷ lệ (%)", placeholder="ví dụ 86,5")
    else:
        value_text = st.text_input(
            f"Giá trị ({ind.unit_label or 'số lượng'})", placeholder="ví dụ 12.345 hoặc 76,5"
        )
    source = st.text_input(
        "Nguồn số liệu (bắt buộc)", placeholder="Ví dụ: Công an xã, báo cáo số 12/BC-CA"
    )
    note = st.text_input("Ghi chú")
    if st.form_submit_button("Lưu số liệu", type="primary"):
        try:  # decimal comma and thousands dot, as people write them
            if mode == "Tử số và mẫu số":
                num = typed_number(numerator_text, "Tử số")
                den = typed_number(denominator_text, "Mẫu số")
                version = figures.enter(
                    cursor(),
                    inds,
                    chosen,
                    commune,
                    month,
                    source=source,
                    user=user(),
                    note=note,
                    numerator=num,
                    denominator=den,
                )
                saved = num / den if num is not None and den else None
            elif mode == "Tỷ lệ (%)":
                rate = typed_number(rate_text, "Tỷ lệ (%)", high=150)
                saved = None if rate is None else rate / 100
                version = figures.enter(
                    cursor(),
                    inds,
                    chosen,
                    commune,
                    month,
                    source=source,
                    user=user(),
                    note=note,
                    value=saved,
                )
            else:
                saved = typed_number(value_text, "Giá trị")
                version = figures.enter(
                    cursor(),
                    inds,
                    chosen,
                    commune,
                    month,
                    source=source,
                    user=user(),
                    note=note,
                    value=saved,
                )
            # the value as understood, so a misread number shows at once
            done(
                "nhap_so_lieu",
                f"Đã lưu {ind.name}: {fmt.value(saved, ind.unit, ind.decimals)}, "
                f"{plain(commune)}, tháng {month:%m/%Y} (phiên bản {version}).",
            )
        except BadInput as exc:  # this submission's own message, nothing saved
            st.error(f"Chưa lưu: {plain(str(exc))}")
said_here("nhap_so_lieu")


def _num(v: object) -> float | None:
    return None if v is None or v != v else float(v)  # type: ignore[arg-type]  # NaN != NaN


st.subheader("Lịch sử số liệu")
history = figures.history(cursor(), chosen, commune)
if history.empty:
    st.write("Chưa có số liệu nào cho chỉ số này.")
else:
    st.dataframe(
        history.assign(
            thang=[f"{d:%m/%Y}" for d in history["thang"]],
            gia_tri=[fmt.value(v, ind.unit, ind.decimals) for v in history["gia_tri"]],
            # a rate typed as a percentage has no counts behind it: a dash, not «None»
            tu_so=[fmt.number(_num(v)) for v in history["tu_so"]],
            mau_so=[fmt.number(_num(v)) for v in history["mau_so"]],
            ghi_chu=[v if isinstance(v, str) and v else "—" for v in history["ghi_chu"]],
            thoi_diem=[f"{d:%d/%m/%Y %H:%M}" for d in history["thoi_diem"]],
        ).rename(
            columns={
                "thang": "Tháng",
                "gia_tri": "Giá trị",
                "tu_so": "Tử số",
                "mau_so": "Mẫu số",
                "nguon": "Nguồn",
                "nguoi_nhap": "Người nhập",
                "thoi_diem": "Thời điểm",
                "ghi_chu": "Ghi chú",
                "phien_ban": "Phiên bản",
                "commune": "Xã",
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Nhập nhiều chỉ số bằng tệp Excel")
st.write(
    "Tải tệp mẫu, điền «Giá trị» (hoặc «Tử số» và «Mẫu số») và «Nguồn», rồi tải tệp lên "
    "ở trang «Tải dữ liệu»."
)
excel_download(
    "Tải tệp mẫu (Excel)", lambda: template(commune, month), f"so_lieu_nhap_tay_{month:%Y-%m}.xlsx"
)

st.subheader("Số liệu năm gốc của chỉ tiêu tăng trưởng")
growth = {
    t.indicator: t
    for t in eng.catalog.targets
    if t.kind == "growth" and t.baseline_year is not None
}
if growth:
    st.caption(
        "Chỉ tiêu dạng «tăng ... so với năm 2025» cần số liệu năm gốc; khi thiếu, chỉ số "
        "hiện «Thiếu số liệu năm 2025» thay vì đánh giá."
    )
    with st.form(form_key("so_lieu_goc"), clear_on_submit=False):
        base_id = st.selectbox(
            "Chỉ số", list(growth), format_func=lambda i: eng.catalog.indicators[i].short_name
        )
        b = st.columns(2)
        base_ind = eng.catalog.indicators[base_id]
        year = growth[base_id].baseline_year
        base_text = b[0].text_input(
            f"Giá trị năm {year}" + (" (%)" if base_ind.unit == "percent" else ""),
            placeholder="ví dụ 42,5",
        )
        basis = b[1].text_input("Nguồn (bắt buộc)", placeholder="Báo cáo năm 2025")
        if st.form_submit_button("Lưu số liệu năm gốc"):
            try:
                raw = typed_number(base_text, f"Giá trị năm {year}")
                if raw is None:
                    raise BadInput(f"«Giá trị năm {year}»: chưa nhập số.")
                baselines.set_baseline(
                    cursor(),
                    base_id,
                    base_ind.unit,
                    commune,
                    int(year or 0),
                    raw / 100 if base_ind.unit == "percent" else raw,
                    basis,
                    user(),
                )
                done(
                    "so_lieu_goc",
                    f"Đã lưu số liệu năm {year} của {base_ind.name}, {plain(commune)}.",
                )
            except BadInput as exc:
                st.error(f"Chưa lưu: {plain(str(exc))}")
    said_here("so_lieu_goc")

st.subheader(f"Sổ báo cáo đơn vị tháng {month:%m/%Y}")
st.caption(
    f"Các đơn vị báo cáo kết quả về UBND xã trước ngày {unit_reports.DUE_DAY} hằng tháng "
    "(Công văn 001, mục 7). Ghi ngày nhận; có thể kèm tệp báo cáo của đơn vị."
)
reg = unit_reports.register(cursor(), commune, month, today)
st.dataframe(
    reg.assign(
        trang_thai=reg["trang_thai"].map(unit_reports.STATES),
        han=[fmt.date(d) for d in reg["han"]],
        ngay_nhan=[fmt.date(d) if d else "—" for d in reg["ngay_nhan"]],
        ten_tep=reg["ten_tep"].fillna("—"),
    )[["don_vi", "trang_thai", "han", "ngay_nhan", "so_ngay_muon", "ten_tep"]].rename(
        columns={
            "don_vi": "Đơn vị",
            "trang_thai": "Tình trạng",
            "han": "Hạn",
            "ngay_nhan": "Ngày nhận",
            "so_ngay_muon": "Số ngày muộn",
            "ten_tep": "Tệp",
        }
    ),
    hide_index=True,
    width="stretch",
)
with st.form(form_key("bao_cao_don_vi"), clear_on_submit=False):
    u = st.columns([2, 1, 1])  # the unit's name whole
    unit = u[0].selectbox("Đơn vị", unit_reports.units(commune))
    received = u[1].date_input(
        "Ngày nhận", value=min(today, month.replace(day=28)), format="DD/MM/YYYY"
    )
    unit_note = u[2].text_input("Ghi chú", key=f"ghi_chu_bao_cao_{form_key('bao_cao_don_vi')}")
    unit_file = file_picker(
        "Tệp báo cáo của đơn vị (không bắt buộc)",
        ["pdf", "docx", "doc", "xlsx", "xls"],
        f"tep_bao_cao_{st.session_state.get('vong|bao_cao_don_vi', 0)}",
    )
    if st.form_submit_button("Ghi nhận báo cáo"):
        try:
            unit_reports.record(
                cursor(),
                commune,
                month,
                unit,
                received,
                user(),
                unit_note,
                unit_file.name if unit_file else None,
                unit_file.getvalue() if unit_file else None,
            )
            done("bao_cao_don_vi", f"Đã ghi nhận báo cáo tháng {month:%m/%Y} của {unit}.")
        except BadInput as exc:
            st.error(f"Chưa lưu: {plain(str(exc))}")
said_here("bao_cao_don_vi")
