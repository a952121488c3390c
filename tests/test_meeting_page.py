"""The Cuộc họp page in one sitting: a secretary records a meeting, a conclusion and an
assignment, writes the «Thông báo kết luận», and the assignment is a task of the commune."""

from __future__ import annotations

import datetime as dt

from storage import meetings, tasks
from storage.database import connect
from tests.conftest import COMMUNE
from tests.test_app_pages import open_page, samples, texts  # noqa: F401  (fixture)


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_secretary_records_a_meeting_and_writes_its_notice(samples):  # noqa: F811
    at = open_page("cuoc_hop", xa=COMMUNE)
    assert not at.exception
    assert at.selectbox(key=f"chon_cuoc_hop_{COMMUNE}").value == 0  # a new meeting
    next(t for t in at.text_input if t.label.startswith("Người chủ trì")).input(
        "Nguyễn Văn An, Chủ tịch UBND xã"
    )
    next(t for t in at.text_area if t.label.startswith("Thành phần khác")).input(
        "Trần Thị Bình\nLê Văn Cường"
    )
    _button(at, "Ghi cuộc họp").click().run()
    assert not at.exception, at.exception
    assert any("Đã ghi cuộc họp" in s.value for s in at.success)
    assert "Chưa có kết luận nào." in texts(at)

    next(t for t in at.text_area if t.label == "Nội dung kết luận").input(
        "Đẩy nhanh số hóa hồ sơ tại Bộ phận một cửa."
    )
    _button(at, "Ghi kết luận").click().run()
    assert not at.exception, at.exception
    assert "Đã ghi kết luận." in [s.value for s in at.success]

    fields = {t.label: t for t in at.text_input}
    fields["Đơn vị chủ trì (rõ người)"].input("Văn phòng HĐND - UBND xã")
    next(t for t in at.text_area if t.label == "Nội dung (rõ việc)").input(
        "Rà soát hồ sơ chưa số hóa"
    )
    _button(at, "Giao việc").click().run()
    assert not at.exception, at.exception
    done = [s.value for s in at.success]
    assert done and done[0].startswith("Đã giao việc KL") and COMMUNE in done[0]

    _button(at, "Viết thông báo kết luận (Word, PDF)").click().run()
    assert not at.exception, at.exception
    assert "Đã viết thông báo kết luận, phiên bản 1." in [s.value for s in at.success]
    labels = [b.label for b in at.get("download_button")]
    assert "Tải Word" in labels and "Tải PDF" in labels

    # a correction is kept with its trail, then the record is locked
    next(t for t in at.text_area if t.label == "Nội dung mới").input(
        "Đẩy nhanh số hóa hồ sơ, bảo đảm 100% hồ sơ được số hóa."
    )
    _button(at, "Lưu nội dung mới").click().run()
    assert "Đã sửa kết luận 1." in [s.value for s in at.success]
    _button(at, "🔒 Khóa biên bản cuộc họp").click().run()
    _button(at, "Đồng ý").click().run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label in ("Ghi kết luận", "Giao việc")]
    assert any(i.value.startswith("Biên bản đã khóa lúc") for i in at.info)

    con = connect(samples)
    try:
        trail = [r[0] for r in con.execute("SELECT hanh_dong FROM nhat_ky ORDER BY id").fetchall()]
        assert trail[-6:] == [
            "cuoc_hop",
            "ket_luan",
            "giao_viec",
            "thong_bao_ket_luan",
            "ket_luan",
            "khoa_cuoc_hop",
        ]
        (meeting,) = meetings.listing(con, [COMMUNE])
        assert meeting.members == ["Trần Thị Bình", "Lê Văn Cường"]
        listed = tasks.list_tasks(con, [COMMUNE], dt.date.today())
        mine = listed[listed["cuoc_hop_id"] == meeting.id]
        assert list(mine["noi_dung"]) == ["Rà soát hồ sơ chưa số hóa"]
        assert list(mine["chu_tri"]) == ["Văn phòng HĐND - UBND xã"]
        assert len(meetings.notices(con, meeting.id)) == 1
    finally:
        con.close()


def test_a_commune_account_never_reaches_another_communes_meeting(samples, monkeypatch):  # noqa: F811
    from streamlit.testing.v1 import AppTest

    from storage import accounts
    from tests.conftest import ROOT

    other = "Xã Hưng Nguyên"
    con = connect(samples)
    mid = meetings.create(
        con, COMMUNE, dt.date(2026, 10, 20), "thang", "Chủ tịch Diễn Châu", [], "v"
    )
    meetings.add_conclusion(con, mid, [COMMUNE], "Kết luận riêng của Diễn Châu", "v")
    accounts.create(
        con,
        "canbo_hn",
        "Cán bộ Hưng Nguyên",
        "nhap_lieu",
        "mat-khau-can-bo-hn",
        by="quantri",
        commune=other,
    )
    con.close()
    monkeypatch.setenv("KPI_AUTH", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input[0].input("canbo_hn")
    at.text_input[1].input("mat-khau-can-bo-hn")
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    for page in ("cuoc_hop", "nhac_viec", "xep_hang"):
        at.query_params["xa"] = COMMUNE  # reaching through the address
        at.query_params["cuoc_hop"] = str(mid)
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown = texts(at) + "\n".join(str(d.value) for d in at.dataframe)
        assert "Diễn Châu" not in shown, page
    at.switch_page("pages/cuoc_hop.py").run()
    assert at.selectbox(key=f"chon_cuoc_hop_{other}").value == 0  # only «new meeting»


def test_the_overview_shows_open_assignments_by_unit(samples):  # noqa: F811
    from storage.meetings import Assignment

    today = dt.date.today()
    con = connect(samples)
    mid = meetings.create(con, COMMUNE, today - dt.timedelta(days=40), "thang", "Chủ tịch", [], "v")
    k = meetings.add_conclusion(
        con, mid, [COMMUNE], "Kết luận", "v", indicator_id="ty_le_so_hoa", unit="Công an xã"
    )
    for unit, days in [("Công an xã", -5), ("Công an xã", 10), ("Phòng Kinh tế", -1)]:
        meetings.assign(
            con, k, [COMMUNE], Assignment(unit, "Việc", today + dt.timedelta(days=days)), "v"
        )
    con.close()
    at = open_page("tong_quan", ky="2026-10", xa=COMMUNE)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Còn hạn" in d.value.columns)
    assert table.set_index("Đơn vị chủ trì").to_dict("index") == {
        "Công an xã": {"Còn hạn": 1, "Quá hạn": 1},
        "Phòng Kinh tế": {"Còn hạn": 0, "Quá hạn": 1},
    }
    page = open_page("cuoc_hop", xa=COMMUNE)
    assert "Gắn với: chỉ số «Tỷ lệ số hóa hồ sơ»; đơn vị Công an xã" in texts(page)
