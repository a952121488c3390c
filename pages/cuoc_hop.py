"""Cuộc họp: a record per committee meeting, its conclusions and the assignments they give
(each one a task of the commune whose source is the meeting), the meeting's lock, and its
«Thông báo kết luận» as Word and PDF, every version kept."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import formatting as fmt
from core.errors import UserError
from core.periods import parse
from indicators.followup import FollowUp, assignments
from reports.notice import NoticeHead, build, default_head
from storage import meetings, tasks
from storage.meetings import Assignment, MeetingKind
from ui.auth import require
from ui.session import cursor, engine, user
from ui.widgets import confirm, confirmed_result, one_commune, period_choices, plain

require("nhap_lieu")  # before anything is drawn, whatever route ran this file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NONE = "— không gắn —"

st.title("Cuộc họp Ban Chỉ đạo: kết luận và giao việc")
st.caption(
    "Ghi cuộc họp, từng kết luận và việc giao theo «6 rõ»; mỗi việc giao thành một nhiệm "
    "vụ của xã (nguồn: cuộc họp), được theo dõi ở trang Nhiệm vụ và mở đầu chế độ họp kỳ "
    "sau. Viết «Thông báo kết luận» theo thể thức Nghị định 30/2020/NĐ-CP."
)
if note := st.session_state.pop("cuoc_hop_note", None):
    st.success(note)
confirmed_result()
eng = engine()
con = cursor()
commune = one_commune(eng, tasks.communes_with_tasks(con))
if commune is None:
    st.info("Chưa có xã nào. Ghi xã của bảng điều khiển ở trang Quản trị hoặc tải dữ liệu lên.")
    st.stop()
scope = [commune]
today = dt.date.today()


def done(message: str) -> None:
    st.session_state["cuoc_hop_note"] = message
    st.rerun()


listed = meetings.listing(con, scope)
NEW = 0
labels = {NEW: "➕ Ghi cuộc họp mới"} | {  # noqa: RUF001 - an icon, not a plus sign
    m.id: m.label + (" 🔒" if m.locked else "") for m in listed
}
wanted = st.query_params.get("cuoc_hop")
start = (
    int(wanted)
    if wanted and wanted.isdigit() and int(wanted) in labels
    else (listed[0].id if listed else NEW)
)
chosen = st.selectbox(
    "Cuộc họp",
    list(labels),
    index=list(labels).index(start),
    format_func=labels.__getitem__,
    key=f"chon_cuoc_hop_{commune}",
)
st.query_params["cuoc_hop"] = str(chosen)

if chosen == NEW:
    kinds = list(MeetingKind)
    choices = period_choices(eng) if eng.choosable() else []
    with st.form("cuoc_hop_moi"):
        c = st.columns(2)
        day = c[0].date_input("Ngày họp", value=today, format="DD/MM/YYYY")
        kind = c[1].selectbox("Loại cuộc họp", kinds, format_func=lambda k: k.label.capitalize())
        chair = st.text_input(
            "Người chủ trì (họ tên, chức vụ)",
            placeholder="Nguyễn Văn A, Chủ tịch UBND xã, Trưởng Ban Chỉ đạo",
        )
        members = st.multiselect(
            "Thành phần tham dự (từ danh sách tài khoản)", meetings.account_names(con, commune)
        )
        typed = st.text_area("Thành phần khác (mỗi người một dòng)")
        c = st.columns(2)
        asked = st.query_params.get("ky")  # from meeting mode: the period of its deck
        period = c[0].selectbox(
            "Kỳ được xem xét",
            ["", *choices],
            index=choices.index(asked) + 1 if asked in choices else 0,
            format_func=lambda code: parse(code).label if code else "—",
        )
        place = c[1].text_input("Địa điểm", placeholder="Hội trường UBND xã")
        if st.form_submit_button("Ghi cuộc họp", type="primary"):
            try:
                new_id = meetings.create(
                    con,
                    commune,
                    day,
                    kind,
                    chair,
                    members + typed.splitlines(),
                    user(),
                    period or None,
                    place,
                )
                st.query_params["cuoc_hop"] = str(new_id)
                st.session_state.pop(f"chon_cuoc_hop_{commune}", None)
                done("Đã ghi cuộc họp. Thêm các kết luận và việc giao bên dưới.")
            except UserError as exc:
                st.error(str(exc))
    st.stop()

meeting = meetings.get(con, int(chosen), scope)
st.subheader(meeting.label)
facts = [f"**Chủ trì:** {plain(meeting.chair)}"]
if meeting.members:
    facts.append("**Thành phần:** " + plain("; ".join(meeting.members)))
if meeting.period_code:
    facts.append(f"**Kỳ được xem xét:** {parse(meeting.period_code).label}")
if meeting.place:
    facts.append(f"**Địa điểm:** {plain(meeting.place)}")
st.markdown("  \n".join(facts))
if meeting.locked:
    st.info(
        f"Biên bản đã khóa lúc {meeting.locked_at:%H:%M %d/%m/%Y} (người khóa: "
        f"{plain(meeting.locked_by)}): kết luận và việc giao không sửa được nữa; tiến độ "
        "các việc giao vẫn cập nhật ở trang Nhiệm vụ."
    )

found = meetings.conclusions(con, meeting)
states = assignments(con, scope, today, meeting.id)
state_of = dict(zip(states["tt"], states["theo_doi"], strict=True)) if not states.empty else {}
st.markdown("#### Kết luận")
if not found:
    st.caption("Chưa có kết luận nào.")
for item in found:
    ties = [
        f"chỉ số «{eng.catalog.indicators[item.indicator_id].name}»"
        if item.indicator_id in eng.catalog.indicators
        else "",
        f"nhiệm vụ {item.task_tt}" if item.task_tt else "",
        f"đơn vị {item.unit}" if item.unit else "",
    ]
    tied = "; ".join(t for t in ties if t)
    st.markdown(
        f"**{item.number}.** {plain(item.text)}" + (f"  \n*Gắn với: {plain(tied)}*" if tied else "")
    )
    if not item.assignments.empty:
        a = item.assignments
        st.dataframe(
            pd.DataFrame(
                {
                    "TT": a["tt"],
                    "Chủ trì": a["chu_tri"],
                    "Người chủ trì": a["nguoi_chu_tri"].fillna(""),
                    "Nội dung": a["noi_dung"],
                    "Phối hợp": a["phoi_hop"].fillna(""),
                    "Sản phẩm": a["san_pham"].fillna(""),
                    "Hạn": [fmt.date(h) for h in a["han"]],
                    "Thẩm quyền": a["tham_quyen"].fillna(""),
                    "Tình trạng": [
                        FollowUp(state_of[t]).label if t in state_of else "" for t in a["tt"]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )

if not meeting.locked:
    with st.form("them_ket_luan", clear_on_submit=True):
        st.markdown("**Thêm kết luận**")
        text = st.text_area("Nội dung kết luận")
        c3 = st.columns(3)
        indicators = {i.id: i.name for i in eng.catalog.indicators.values()}
        indicator = c3[0].selectbox(
            "Gắn với chỉ số (nếu có)",
            [NONE, *indicators],
            format_func=lambda k: indicators.get(k, k),
        )
        task_list = tasks.list_tasks(con, scope, today)
        task_names = {
            str(t): f"{t}. {str(n)[:60]}"
            for t, n in zip(task_list["tt"], task_list["noi_dung"], strict=True)
        }
        task = c3[1].selectbox(
            "Gắn với nhiệm vụ (nếu có)",
            [NONE, *task_names],
            format_func=lambda k: task_names.get(k, k),
        )
        unit = c3[2].text_input("Gắn với đơn vị (nếu có)")
        if st.form_submit_button("Ghi kết luận", type="primary"):
            try:
                meetings.add_conclusion(
                    con,
                    meeting.id,
                    scope,
                    text,
                    user(),
                    indicator_id=None if indicator == NONE else indicator,
                    task_tt=None if task == NONE else task,
                    unit=unit,
                )
                done("Đã ghi kết luận.")
            except UserError as exc:
                st.error(str(exc))
    if found:
        with st.form("giao_viec", clear_on_submit=True):
            st.markdown("**Giao việc theo kết luận («6 rõ»)**")
            numbers = {k.id: f"Kết luận {k.number}: {k.text[:70]}" for k in found}
            which = st.selectbox("Kết luận", list(numbers), format_func=numbers.__getitem__)
            c = st.columns(2)
            lead = c[0].text_input("Đơn vị chủ trì (rõ người)")
            person = c[1].text_input("Người chủ trì (họ tên, chức vụ)")
            content = st.text_area("Nội dung (rõ việc)")
            c = st.columns(2)
            due = c[0].date_input(
                "Thời hạn (rõ thời gian)", value=today + dt.timedelta(days=30), format="DD/MM/YYYY"
            )
            partners = c[1].text_input("Đơn vị phối hợp (rõ trách nhiệm)")
            c = st.columns(2)
            product = c[0].text_input("Sản phẩm (rõ sản phẩm)")
            decides = c[1].text_input("Thẩm quyền quyết định", value="Trưởng Ban Chỉ đạo")
            if st.form_submit_button("Giao việc", type="primary"):
                try:
                    tt = meetings.assign(
                        con,
                        which,
                        scope,
                        Assignment(lead, content, due, person, partners, product, decides),
                        user(),
                    )
                    done(f"Đã giao việc {tt}: thành nhiệm vụ của {commune} (trang Nhiệm vụ).")
                except UserError as exc:
                    st.error(str(exc))

    if found:
        with st.form("sua_ket_luan"):
            st.markdown("**Sửa nội dung một kết luận** (được ghi nhật ký)")
            texts = {k.id: k for k in found}
            which_c = st.selectbox(
                "Kết luận cần sửa", list(texts), format_func=lambda i: f"Kết luận {texts[i].number}"
            )
            fixed = st.text_area("Nội dung mới")
            if st.form_submit_button("Lưu nội dung mới"):
                try:
                    meetings.edit_conclusion(con, which_c, scope, fixed, user())
                    done(f"Đã sửa kết luận {texts[which_c].number}.")
                except UserError as exc:
                    st.error(str(exc))

    def lock() -> str:
        meetings.lock(cursor(), meeting.id, scope, user())
        return f"Đã khóa biên bản {meeting.label.lower()}."

    confirm(
        f"khoa_cuoc_hop_{meeting.id}",
        st.button("🔒 Khóa biên bản cuộc họp"),
        "Khóa biên bản cuộc họp",
        "Sau khi khóa, kết luận và việc giao không sửa được nữa (tiến độ vẫn cập nhật).",
        lock,
    )

st.markdown("#### Thông báo kết luận")
base = default_head(meeting)
with st.form("thong_bao"):
    c = st.columns(2)
    issuer = c[0].text_area("Cơ quan ban hành", base.issuer, height=80)
    authority = c[1].text_area("Thẩm quyền ký", base.authority, height=80)
    c3 = st.columns(3)
    number = c3[0].text_input("Số, ký hiệu", base.number)
    issued = c3[1].date_input("Ngày ban hành", value=today, format="DD/MM/YYYY")
    signer = c3[2].text_input("Người ký (họ tên)")
    recipients = st.text_area("Nơi nhận", base.recipients, height=100)
    if st.form_submit_button("Viết thông báo kết luận (Word, PDF)", type="primary"):
        head = NoticeHead(issuer, number, base.place, issued, authority, signer, recipients)
        with st.spinner("Đang viết thông báo ..."):
            files = build(meeting, found, head)
        try:
            version = meetings.save_notice(
                con,
                meeting.id,
                scope,
                files.docx,
                f"{files.stem}.docx",
                issued,
                user(),
                number,
                signer,
            )
            st.session_state["thong_bao_pdf"] = (meeting.id, version, files.pdf)
            done(f"Đã viết thông báo kết luận, phiên bản {version}.")
        except UserError as exc:
            st.error(str(exc))

versions = meetings.notices(con, meeting.id)
if versions.empty:
    st.caption("Chưa viết thông báo nào cho cuộc họp này.")
else:
    pick = st.selectbox(
        "Phiên bản", list(versions["phien_ban"]), format_func=lambda v: f"Phiên bản {v}"
    )
    row = versions[versions["phien_ban"] == pick].iloc[0]
    st.caption(
        f"Viết lúc {pd.Timestamp(row['tao_luc']):%H:%M %d/%m/%Y} bởi "
        f"{plain(row['tao_boi'])}; ngày ban hành {fmt.date(row['ngay_ban_hanh'])}."
    )
    stored = meetings.notice_file(con, meeting.id, int(pick))
    stem = f"thong_bao_ket_luan_cuoc_hop_{meeting.id}_v{pick}"
    c = st.columns(2)
    if stored:
        c[0].download_button(
            "Tải Word", stored[1], file_name=f"{stem}.docx", mime=DOCX, key="tai_thong_bao_docx"
        )
    held = st.session_state.get("thong_bao_pdf")
    if held and held[0] == meeting.id and held[1] == pick and held[2]:
        c[1].download_button(
            "Tải PDF",
            held[2],
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            key="tai_thong_bao_pdf",
        )
