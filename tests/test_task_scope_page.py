"""The Nhiệm vụ page keeps to one commune's list: an untouched save writes nothing, a
commune account sees and edits only its own tasks, and a task lacking part of the "6 rõ"
says so."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from storage import accounts
from storage.database import connect
from tests.conftest import COMMUNE, ROOT
from tests.test_app_pages import metric, open_page, samples  # noqa: F401  (fixture)

OTHER = "Xã Hưng Nguyên"
APPENDIX = 22  # the appendix of 002: tasks 1.1 to 5.4, what another commune adopts
PROGRAMME = APPENDIX + 12  # and Diễn Châu's dated duties VB.1 to VB.12: 34 seeded tasks


def _count(path, sql: str) -> int:
    con = connect(path)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


def test_saving_without_an_edit_changes_nothing(samples):  # noqa: F811
    at = open_page("nhiem_vu", xa=COMMUNE)
    assert not at.exception
    assert metric(at, "Tổng số nhiệm vụ") == str(PROGRAMME)
    version = _count(samples, "SELECT version FROM data_version")
    next(b for b in at.button if b.label == "Lưu thay đổi").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Không có thay đổi nào để lưu."]
    assert (
        _count(
            samples,
            "SELECT count(*) FROM nhiem_vu WHERE phoi_hop = 'nan' OR "
            "ghi_chu = 'nan' OR san_pham = 'nan'",
        )
        == 0
    )
    assert _count(samples, "SELECT count(*) FROM nhat_ky WHERE hanh_dong = 'sua_nhiem_vu'") == 0
    assert _count(samples, "SELECT version FROM data_version") == version


def test_a_task_lacking_part_of_the_six_is_flagged_on_the_page(samples):  # noqa: F811
    con = connect(samples)
    con.execute(
        "UPDATE nhiem_vu SET phoi_hop = 'Văn phòng', san_pham = 'Báo cáo', "
        "tham_quyen = 'Trưởng Ban Chỉ đạo', chu_tri = 'UBND xã'"
    )
    con.execute("UPDATE nhiem_vu SET phoi_hop = NULL WHERE tt IN ('1.2', '3.4')")
    con.close()
    at = open_page("nhiem_vu", xa=COMMUNE)
    assert not at.exception
    assert any(w.value.startswith("2 nhiệm vụ chưa đủ «6 rõ»") for w in at.warning)
    table = at.dataframe[0].value if at.dataframe else at.get("arrow_data_editor")[0].value
    flagged = table[table["Thiếu 6 rõ"] != ""].set_index("TT")["Thiếu 6 rõ"].to_dict()
    assert flagged == {"1.2": "phối hợp", "3.4": "phối hợp"}


def test_a_commune_account_sees_and_edits_only_its_own_tasks(samples, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KPI_AUTH", "1")
    con = connect(samples)
    accounts.create(
        con,
        "canbo_hn",
        "Cán bộ Hưng Nguyên",
        "nhap_lieu",
        "mat-khau-can-bo-hn",
        by="quantri",
        commune=OTHER,
    )
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["xa"] = COMMUNE  # reaching for another commune through the address
    at.run()
    at.text_input[0].input("canbo_hn")
    at.text_input[1].input("mat-khau-can-bo-hn")
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    at.switch_page("pages/nhiem_vu.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.label == "Xã"]  # nothing to choose
    assert metric(at, "Tổng số nhiệm vụ") == "0"
    next(
        b for b in at.button if b.label == "Dùng Phụ lục Chương trình làm danh mục mẫu"
    ).click().run()
    assert not at.exception
    assert metric(at, "Tổng số nhiệm vụ") == str(APPENDIX)
    assert _count(samples, f"SELECT count(*) FROM nhiem_vu WHERE commune = '{OTHER}'") == APPENDIX
    assert (
        _count(samples, f"SELECT count(*) FROM nhiem_vu WHERE commune = '{COMMUNE}'") == PROGRAMME
    )


def test_the_report_and_the_overview_count_only_the_communes_tasks(samples, tmp_path):  # noqa: F811
    from docx import Document

    from core.periods import parse
    from indicators.compute import Engine
    from reports.report import build
    from storage import tasks

    con = connect(samples)
    try:
        assert tasks.adopt_template(con, OTHER, "van_thu") == APPENDIX  # another commune's list
        files = build(
            Engine(con), parse("2026-10"), COMMUNE, tmp_path, with_charts=False, with_pdf=False
        )
    finally:
        con.close()
    words = "\n".join(p.text for p in Document(str(files.docx)).paragraphs)
    assert f"- Tổng số nhiệm vụ được giao: {PROGRAMME}, trong đó:" in words
    at = open_page("tong_quan", ky="2026-10", xa=COMMUNE)
    assert not at.exception
    assert any(f"/{PROGRAMME} nhiệm vụ hoàn thành" in c.value for c in at.caption)
