"""The committee's loop (issue 20): a meeting's conclusions and assignments become tasks of
its commune, audited, frozen by the meeting's lock; the «Thông báo kết luận» in the state's
format; the next meeting's deck opens with what became of them; the overview and the
report's I.3 count them. Every count below is made by hand from the assignments set here."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import Forbidden
from indicators import followup
from reports.exports import tasks_to_excel
from reports.notice import build, default_head, text_of
from reports.official import vn_date
from reports.report import task_lines
from storage import meetings, tasks
from storage.meetings import Assignment
from tests.conftest import COMMUNE

OTHER = "Xã Hưng Nguyên"
DAY = dt.date(2026, 10, 20)
TODAY = dt.date(2026, 11, 22)
PROGRAMME = 22 + 12  # the seeded tasks: the appendix 1.1-5.4 and the duties VB.1-VB.12


def _meeting(con, day: dt.date = DAY) -> tuple[int, list[str]]:
    """A meeting with two conclusions and four assignments:
    KL.1.1 due 01/11, done 30/10 (on time); KL.1.2 due 01/11, done 05/11 (late);
    KL.2.1 due 15/12, open (in time on 22/11); KL.2.2 due 10/11, open (overdue on 22/11)."""
    mid = meetings.create(
        con,
        COMMUNE,
        day,
        "thang",
        "Nguyễn Văn An, Chủ tịch UBND xã",
        ["Trần Thị Bình", "Lê Văn Cường"],
        "van_thu",
        "2026-10",
        "Hội trường UBND xã",
    )
    k1 = meetings.add_conclusion(
        con,
        mid,
        [COMMUNE],
        "Đẩy nhanh số hóa hồ sơ tại Bộ phận một cửa, bảo đảm tỷ lệ số hóa đạt 100%.",
        "van_thu",
        indicator_id="ty_le_so_hoa",
    )
    k2 = meetings.add_conclusion(
        con,
        mid,
        [COMMUNE],
        "Hoàn thành hồ sơ cấp độ an toàn hệ thống thông tin.",
        "van_thu",
        task_tt="3.1",
    )
    tts = [
        meetings.assign(
            con,
            k1,
            [COMMUNE],
            Assignment(
                "Văn phòng HĐND - UBND xã",
                "Rà soát hồ sơ chưa số hóa tháng 10",
                dt.date(2026, 11, 1),
                "Hồ Thị Dung",
                "Công an xã",
                "Danh sách hồ sơ đã rà soát",
                "Chủ tịch UBND xã",
            ),
            "van_thu",
        ),
        meetings.assign(
            con,
            k1,
            [COMMUNE],
            Assignment(
                "Văn phòng HĐND - UBND xã",
                "Tập huấn số hóa cho cán bộ một cửa",
                dt.date(2026, 11, 1),
            ),
            "van_thu",
        ),
        meetings.assign(
            con,
            k2,
            [COMMUNE],
            Assignment(
                "Công an xã",
                "Lập hồ sơ đề xuất cấp độ 2",
                dt.date(2026, 12, 15),
                coordinating="Văn phòng Đảng ủy",
                product="Hồ sơ cấp độ 2",
            ),
            "van_thu",
        ),
        meetings.assign(
            con,
            k2,
            [COMMUNE],
            Assignment(
                "Phòng Văn hóa - Xã hội",
                "Cài phần mềm diệt virus cho máy công vụ",
                dt.date(2026, 11, 10),
            ),
            "van_thu",
        ),
    ]
    tasks.update(
        con,
        COMMUNE,
        tts[0],
        {
            "trang_thai": "hoan_thanh",
            "ngay_hoan_thanh": dt.date(2026, 10, 30),
            "ghi_chu": "Đã rà soát 120 hồ sơ",
        },
        "van_thu",
    )
    tasks.update(
        con,
        COMMUNE,
        tts[1],
        {"trang_thai": "hoan_thanh", "ngay_hoan_thanh": dt.date(2026, 11, 5)},
        "van_thu",
    )
    return mid, tts


def test_assignments_become_tasks_of_the_commune_with_the_meeting_as_source(con):
    mid, tts = _meeting(con)
    assert tts == [f"KL{mid}.1.1", f"KL{mid}.1.2", f"KL{mid}.2.1", f"KL{mid}.2.2"]
    listed = tasks.list_tasks(con, [COMMUNE], TODAY).set_index("tt")
    assert len(listed) == PROGRAMME + 4
    row = listed.loc[f"KL{mid}.1.1"]
    assert row["nguon"] == "Kết luận 1, cuộc họp thường kỳ tháng ngày 20/10/2026"
    assert row["han"] == dt.date(2026, 11, 1) and row["nguoi_chu_tri"] == "Hồ Thị Dung"
    assert listed.at[f"KL{mid}.2.1", "tham_quyen"] == "Trưởng Ban Chỉ đạo"  # the default
    assert tasks.list_tasks(con, [OTHER], TODAY).empty  # nothing reaches another commune
    actions = [r[0] for r in con.execute("SELECT hanh_dong FROM nhat_ky ORDER BY id").fetchall()]
    assert actions.count("cuoc_hop") == 1 and actions.count("ket_luan") == 2
    assert actions.count("giao_viec") == 4 and actions.count("sua_nhiem_vu") == 2


def test_another_communes_meeting_is_refused(con):
    mid, _ = _meeting(con)
    with pytest.raises(Forbidden):
        meetings.get(con, mid, [OTHER])
    with pytest.raises(Forbidden):
        meetings.add_conclusion(con, mid, [OTHER], "x", "canbo_hn")
    assert meetings.listing(con, [OTHER]) == []


def test_a_locked_meeting_refuses_changes_but_not_progress(con):
    mid, tts = _meeting(con)
    conclusion = meetings.conclusions(con, meetings.get(con, mid, [COMMUNE]))[0]
    meetings.lock(con, mid, [COMMUNE], "chu_tich")
    with pytest.raises(meetings.MeetingError, match="đã khóa"):
        meetings.add_conclusion(con, mid, [COMMUNE], "Kết luận thêm", "van_thu")
    with pytest.raises(meetings.MeetingError, match="đã khóa"):
        meetings.edit_conclusion(con, conclusion.id, [COMMUNE], "Sửa lại", "van_thu")
    with pytest.raises(meetings.MeetingError, match="đã khóa"):
        meetings.assign(
            con,
            conclusion.id,
            [COMMUNE],
            Assignment("Công an xã", "Việc thêm", dt.date(2026, 12, 1)),
            "van_thu",
        )
    with pytest.raises(tasks.TaskError, match="đã khóa: không sửa được Chủ trì"):
        tasks.update(con, COMMUNE, tts[2], {"chu_tri": "UBND xã"}, "van_thu")
    # the unit still reports its progress
    tasks.update(
        con,
        COMMUNE,
        tts[2],
        {"trang_thai": "dang_thuc_hien", "ghi_chu": "Đang lập hồ sơ"},
        "van_thu",
    )
    # the Excel round trip keeps the meeting's link, and refuses a changed "6 rõ"
    sheet = tasks_to_excel(tasks.list_tasks(con, [COMMUNE], TODAY))
    assert tasks.import_excel(con, sheet, "van_thu", "nv.xlsx", commune=COMMUNE) == PROGRAMME + 4
    kept = tasks.list_tasks(con, [COMMUNE], TODAY).set_index("tt")
    assert kept.at[tts[2], "cuoc_hop_id"] == mid and kept.at[tts[2], "ghi_chu"] == "Đang lập hồ sơ"
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(sheet))
    ws = book.active
    heads = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    col = heads.index("Chủ trì (rõ người)") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == tts[3]:
            ws.cell(r, col).value = "Đơn vị khác"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(tasks.TaskError, match=f"nhiệm vụ {tts[3]} được giao tại cuộc họp"):
        tasks.import_excel(con, out.getvalue(), "van_thu", "nv.xlsx", commune=COMMUNE)


def test_follow_up_states_counted_by_hand(con):
    mid, tts = _meeting(con)
    rows = followup.assignments(con, [COMMUNE], TODAY, mid).set_index("tt")
    assert [rows.at[t, "theo_doi"] for t in tts] == [
        followup.FollowUp.DUNG_HAN,
        followup.FollowUp.TRE_HAN,
        followup.FollowUp.CON_HAN,
        followup.FollowUp.QUA_HAN,
    ]
    units = followup.by_unit(con, [COMMUNE], TODAY).set_index("chu_tri")
    assert units.to_dict("index") == {
        "Phòng Văn hóa - Xã hội": {"con_han": 0, "qua_han": 1},
        "Công an xã": {"con_han": 1, "qua_han": 0},
    }
    # the next meeting's deck opens with them; none before the meeting, none for another
    slides = followup.previous_slides(con, COMMUNE, TODAY)
    assert [s.kind for s in slides] == ["ket_luan_ky_truoc"]
    assert slides[0].title == "Kết luận kỳ trước — họp ngày 20/10/2026"
    assert slides[0].lines == [
        "Cuộc họp thường kỳ tháng ngày 20/10/2026: 4 việc giao — quá "
        "hạn: 1; đang làm, còn hạn: 1; hoàn thành muộn: 1; hoàn thành "
        "đúng hạn: 1."
    ]
    table = slides[0].tables[0][1]
    assert list(table["Tình trạng"]) == ["Quá hạn", "Còn hạn", "Xong muộn", "Xong đúng hạn"]
    assert list(table["Đơn vị báo cáo"]) == ["—", "—", "—", "Đã rà soát 120 hồ sơ"]
    assert followup.previous_slides(con, COMMUNE, DAY) == []
    assert followup.previous_slides(con, OTHER, TODAY) == []


def test_the_report_counts_assignments_with_the_other_tasks(con):
    _meeting(con)
    t = tasks.tally(tasks.list_tasks(con, [COMMUNE], TODAY), TODAY)
    assert (t.total, t.assigned, t.assigned_overdue) == (PROGRAMME + 4, 4, 1)
    assert (
        "+ Trong tổng số có 4 nhiệm vụ giao theo kết luận các cuộc họp của Ban Chỉ đạo, "
        "1 quá hạn chưa hoàn thành." in task_lines(t, TODAY)
    )


def test_the_deck_opens_with_the_previous_conclusions(samples_db, tmp_path):
    import shutil

    from indicators.compute import Engine
    from indicators.slides import deck
    from storage.database import connect

    path = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, path)
    con = connect(path)
    try:
        _meeting(con)
        from core.periods import parse
        from reports.slides_pdf import deck_pdf

        eng = Engine(con)
        d = deck(eng, parse("2026-10"), COMMUNE, TODAY)
        assert d.slides[0].kind == "ket_luan_ky_truoc"
        assert d.slides[1].kind == "tong_quan"
        assert deck_pdf(eng, d).startswith(b"%PDF")  # the offline projector's deck too
    finally:
        con.close()


def test_dates_as_decree_30_writes_them():
    assert vn_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vn_date(dt.date(2026, 3, 18)) == "ngày 18 tháng 3 năm 2026"
    assert vn_date(dt.date(2026, 11, 9)) == "ngày 09 tháng 11 năm 2026"


def test_the_notice_in_the_states_format(con):
    from docx import Document

    mid, _ = _meeting(con)
    meeting = meetings.get(con, mid, [COMMUNE])
    head = default_head(meeting, dt.date(2026, 10, 22))
    files = build(meeting, meetings.conclusions(con, meeting), head)
    text = text_of(files.docx)
    for expected in [
        "ỦY BAN NHÂN DÂN",
        "XÃ DIỄN CHÂU",
        "Số:       /TB-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Diễn Châu, ngày 22 tháng 10 năm 2026",
        "THÔNG BÁO",
        "Kết luận của đồng chí Nguyễn Văn An, Chủ tịch UBND xã tại cuộc họp thường kỳ tháng "
        "của Ban Chỉ đạo xã ngày 20/10/2026",
        "Tham dự cuộc họp có: Trần Thị Bình; Lê Văn Cường.",
        "1. Đẩy nhanh số hóa hồ sơ tại Bộ phận một cửa, bảo đảm tỷ lệ số hóa đạt 100%.",
        "a) Văn phòng HĐND - UBND xã (đồng chí Hồ Thị Dung) chủ trì, phối hợp với Công an xã: "
        "Rà soát hồ sơ chưa số hóa tháng 10. Sản phẩm: Danh sách hồ sơ đã rà soát. Thời hạn: "
        "trước ngày 01/11/2026. Thẩm quyền quyết định: Chủ tịch UBND xã.",
        "2. Hoàn thành hồ sơ cấp độ an toàn hệ thống thông tin.",
        "b) Phòng Văn hóa - Xã hội chủ trì: Cài phần mềm diệt virus cho máy công vụ. Thời hạn: "
        "trước ngày 10/11/2026. Thẩm quyền quyết định: Trưởng Ban Chỉ đạo.",
        "Ủy ban nhân dân xã Diễn Châu thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TL. CHỦ TỊCH",
    ]:
        assert expected in text, expected
    doc = Document(io.BytesIO(files.docx))
    s = doc.sections[0]
    assert [round(x.mm) for x in (s.page_width, s.page_height)] == [210, 297]  # A4
    assert [
        round(x.mm) for x in (s.left_margin, s.right_margin, s.top_margin, s.bottom_margin)
    ] == [30, 15, 20, 20]
    assert s.different_first_page_header_footer  # page numbers from page 2
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert files.pdf is not None and files.pdf.startswith(b"%PDF")
    # versions kept
    assert (
        meetings.save_notice(
            con, mid, [COMMUNE], files.docx, "a.docx", head.issued, "van_thu", head.number
        )
        == 1
    )
    assert (
        meetings.save_notice(
            con, mid, [COMMUNE], files.docx, "a.docx", head.issued, "van_thu", "Số: 12/TB-UBND"
        )
        == 2
    )
    assert list(meetings.notices(con, mid)["phien_ban"]) == [2, 1]
    assert meetings.notice_file(con, mid, 1) == ("a.docx", files.docx)


def test_bad_input_is_refused_in_vietnamese(con):
    with pytest.raises(meetings.MeetingError, match="cần ghi người chủ trì"):
        meetings.create(con, COMMUNE, DAY, "thang", "  ", [], "van_thu")
    with pytest.raises(meetings.MeetingError, match="loại cuộc họp «tuan» không có"):
        meetings.create(con, COMMUNE, DAY, "tuan", "A", [], "van_thu")
    mid = meetings.create(con, COMMUNE, DAY, "quy", "A", [], "van_thu")
    k = meetings.add_conclusion(con, mid, [COMMUNE], "Kết luận", "van_thu")
    with pytest.raises(meetings.MeetingError, match="trước ngày họp"):
        meetings.assign(con, k, [COMMUNE], Assignment("X", "Y", dt.date(2026, 1, 1)), "v")
    with pytest.raises(meetings.MeetingError, match=r"không có nhiệm vụ số 9\.9"):
        meetings.add_conclusion(con, mid, [COMMUNE], "K", "v", task_tt="9.9")


@settings(max_examples=25, deadline=None)
@given(
    chair=st.text(min_size=1, max_size=60),
    said=st.text(min_size=1, max_size=200),
    unit=st.text(min_size=1, max_size=40),
)
def test_any_text_makes_a_notice_or_a_vietnamese_refusal(chair, said, unit):
    """Markdown, HTML, «/», escape codes, control characters: stored without the control
    characters, written into the notice as typed, never a crash."""
    from storage.database import connect

    con = connect(":memory:")
    try:
        try:
            mid = meetings.create(con, COMMUNE, DAY, "thang", chair, [chair], "v")
            k = meetings.add_conclusion(con, mid, [COMMUNE], said, "v")
            meetings.assign(con, k, [COMMUNE], Assignment(unit, said, DAY), "v")
        except meetings.MeetingError as exc:
            assert str(exc).startswith("cần ghi "), exc  # only an empty text is refused
            return
        meeting = meetings.get(con, mid, [COMMUNE])
        assert not any(ord(c) < 32 and c not in "\n\t" for c in meeting.chair)
        files = build(
            meeting, meetings.conclusions(con, meeting), default_head(meeting, DAY), with_pdf=False
        )
        words = text_of(files.docx)
        assert meeting.chair.split("\n")[0].strip() in words
    finally:
        con.close()
