"""Tasks belong to a commune (issue 18, item 6): each commune sees and changes only its own
list, on every path (list, edit, Excel, report I.3); every database has the programme's
tasks however it was made; saving an untouched table changes nothing; a task missing any
of the "6 rõ" says which."""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd
import pytest

from reports.exports import tasks_to_excel
from storage import database, migrations, tasks
from storage.tasks import TaskError
from tests.conftest import COMMUNE, DIEN_CHAU

OTHER = "Xã Hưng Nguyên"
TODAY = dt.date(2026, 11, 22)
APPENDIX = 22  # the appendix of 002: tasks 1.1 to 5.4
DUTIES = 12  # the dated duties of Diễn Châu's documents: VB.1 to VB.12
PROGRAMME = APPENDIX + DUTIES  # 34 rows in storage/tasks_2026.yaml


def test_a_new_database_has_the_programme_for_its_commune_only(con):
    assert tasks.communes_with_tasks(con) == [COMMUNE]
    assert len(tasks.list_tasks(con, [COMMUNE], TODAY)) == PROGRAMME
    assert tasks.list_tasks(con, [OTHER], TODAY).empty


def test_another_commune_adopts_the_appendix_by_an_explicit_action(con):
    assert tasks.adopt_template(con, OTHER, "van_thu") == APPENDIX
    mine = tasks.list_tasks(con, [OTHER], TODAY).set_index("tt")
    assert len(mine) == APPENDIX and not any(t.startswith("VB.") for t in mine.index)
    # a template starts with nothing done, whatever Diễn Châu has done
    assert set(mine["trang_thai"]) == {"chua_thuc_hien"}
    assert mine.at["1.2", "nguon"].endswith("(mẫu theo danh mục của Xã Diễn Châu)")
    with pytest.raises(TaskError, match="đã có 22 nhiệm vụ"):
        tasks.adopt_template(con, OTHER, "van_thu")  # nothing overwritten
    line = con.execute(
        "SELECT hanh_dong, chi_tiet FROM nhat_ky ORDER BY id DESC LIMIT 1"
    ).fetchall()[0]
    assert line[0] == "nhap_nhiem_vu" and OTHER in line[1]


def test_an_edit_reaches_only_its_own_commune(con):
    tasks.adopt_template(con, OTHER, "van_thu")
    tasks.update(
        con,
        OTHER,
        "1.2",
        {"trang_thai": "hoan_thanh", "ngay_hoan_thanh": dt.date(2026, 9, 1)},
        "van_thu",
    )
    other = tasks.list_tasks(con, [OTHER], TODAY).set_index("tt")
    home = tasks.list_tasks(con, [COMMUNE], TODAY).set_index("tt")
    assert other.at["1.2", "trang_thai"] == "hoan_thanh"
    assert home.at["1.2", "trang_thai"] == "chua_thuc_hien"
    with pytest.raises(TaskError, match=r"không có nhiệm vụ số VB\.1"):
        tasks.update(con, OTHER, "VB.1", {"ghi_chu": "x"}, "van_thu")  # Diễn Châu's duty


def test_the_excel_import_writes_into_the_given_commune_only(con):
    sheet = tasks_to_excel(tasks.list_tasks(con, [COMMUNE], TODAY))
    assert tasks.import_excel(con, sheet, "van_thu", "nv.xlsx", commune=OTHER) == PROGRAMME
    assert len(tasks.list_tasks(con, [OTHER], TODAY)) == PROGRAMME
    assert len(tasks.list_tasks(con, [COMMUNE], TODAY)) == PROGRAMME  # untouched
    assert len(tasks.list_tasks(con, None, TODAY)) == 2 * PROGRAMME


def test_saving_an_untouched_table_changes_nothing(con):
    """The page's table hands back empty cells as NaN or None and dates as timestamps;
    none of that is a change (it used to write the text "nan")."""
    # the seeded tasks have every "6 rõ" and a note: two with empty cells, as a person leaves
    con.execute("UPDATE nhiem_vu SET phoi_hop = NULL, ghi_chu = NULL WHERE tt IN ('1.2', '3.4')")
    table = tasks.list_tasks(con, [COMMUNE], TODAY)
    shown = table[list(tasks.COLUMNS)].copy()
    shown["trang_thai"] = shown["trang_thai"].map(tasks.STATUSES)
    edited = shown.copy()
    edited["phoi_hop"] = [math.nan if v is None else v for v in edited["phoi_hop"]]
    edited["ghi_chu"] = [math.nan if v is None else v for v in edited["ghi_chu"]]
    assert edited["phoi_hop"].isna().sum() == edited["ghi_chu"].isna().sum() == 2
    edited["ngay_hoan_thanh"] = [
        pd.NaT if d is None else pd.Timestamp(d) for d in edited["ngay_hoan_thanh"]
    ]
    before_rows, after_rows = shown.to_dict("records"), edited.to_dict("records")
    assert [tasks.diff(b, a) for b, a in zip(before_rows, after_rows, strict=True)] == [
        {}
    ] * PROGRAMME
    # an edit is still seen, and an emptied cell is stored as nothing, not as "nan"
    after_rows[0] = {**after_rows[0], "ghi_chu": "Đã giao", "phoi_hop": "  "}
    assert tasks.diff(before_rows[0], after_rows[0])["ghi_chu"] == "Đã giao"
    tasks.update(con, COMMUNE, "1.1", {"phoi_hop": math.nan, "ghi_chu": "Đã giao"}, "van_thu")
    assert (
        con.execute(
            "SELECT count(*) FROM nhiem_vu WHERE phoi_hop = 'nan' OR ghi_chu = 'nan'"
        ).fetchall()[0][0]
        == 0
    )


def test_a_task_missing_any_of_the_six_is_flagged(con):
    con.execute(
        "UPDATE nhiem_vu SET phoi_hop = 'Văn phòng', san_pham = 'Báo cáo', "
        "tham_quyen = 'Trưởng Ban Chỉ đạo', chu_tri = 'UBND xã', "
        "thoi_han = 'Quý IV, năm 2026'"
    )
    con.execute("UPDATE nhiem_vu SET phoi_hop = NULL, tham_quyen = '' WHERE tt = '1.2'")
    con.execute("UPDATE nhiem_vu SET chu_tri = NULL WHERE tt = '2.3'")
    listed = tasks.list_tasks(con, [COMMUNE], TODAY).set_index("tt")
    flagged = listed[listed["thieu_6_ro"] != ""]["thieu_6_ro"].to_dict()
    assert flagged == {"1.2": "phối hợp, thẩm quyền", "2.3": "chủ trì"}


def _old_database(
    path, home: str | None, rows: list[tuple[str, str | None]], communes: tuple[str, ...] = ()
) -> None:
    """A database as kpi-xa left it before tasks had a commune (migrations 1-10)."""
    con = duckdb.connect(str(path))
    assert migrations.apply(con, upto=10) == list(range(1, 11))
    if home:
        con.execute("INSERT INTO cau_hinh VALUES ('xa_cai_dat', ?)", [home])
    for i, c in enumerate(communes):
        con.execute(
            "INSERT INTO imports (import_id, file_name, sha256, kind, commune, as_of, "
            "imported_at) VALUES (?, 'f', 'x', 'danh_sach_ho_so', ?, '2026-01-31', "
            "now())",
            [i + 1, c],
        )
    for tt, phoi_hop in rows:
        con.execute(
            "INSERT INTO nhiem_vu (tt, noi_dung, phoi_hop, ghi_chu) VALUES (?, 'việc', ?, 'nan')",
            [tt, phoi_hop],
        )
    con.close()


@pytest.mark.parametrize(
    ("home", "communes", "owner"),
    [
        ("Xã Hưng Nguyên", ("Xã Diễn Châu",), "Xã Hưng Nguyên"),  # the installation's commune
        (None, ("Xã Mẫu", "Xã Yên Thành"), "Xã Yên Thành"),  # the only real commune
        (None, ("Xã A", "Xã B"), "Xã Diễn Châu"),  # neither: the programme's commune
    ],
)
def test_an_existing_database_gives_its_tasks_to_its_commune(tmp_path, home, communes, owner):
    path = tmp_path / "cu.duckdb"
    _old_database(path, home, [("1.1", "nan"), ("9.9", "Công an xã")], communes)
    con = database.connect(path)
    try:
        mine = tasks.list_tasks(con, [owner], TODAY).set_index("tt")
        assert mine.at["9.9", "phoi_hop"] == "Công an xã"
        assert pd.isna(mine.at["1.1", "phoi_hop"])  # the "nan" an old save wrote is gone
        assert (
            con.execute(
                "SELECT count(*) FROM nhiem_vu WHERE ghi_chu = 'nan' OR phoi_hop = 'nan'"
            ).fetchall()[0][0]
            == 0
        )
        assert con.execute("SELECT commune FROM nhiem_vu WHERE tt = '9.9'").fetchall() == [(owner,)]
        # and the programme's commune has its whole list (the kept 1.1 in place of the
        # programme's, and 9.9 beside it when the kept tasks became its own)
        assert len(tasks.list_tasks(con, [COMMUNE], TODAY)) == PROGRAMME + (owner == COMMUNE)
    finally:
        con.close()


def test_a_database_made_by_the_command_line_has_tasks_in_its_report(tmp_path, capsys):
    from cli.main import main
    from indicators.compute import Engine
    from reports.report import task_lines

    path = tmp_path / "cli.duckdb"
    files = [str(f) for f in sorted(DIEN_CHAU.iterdir()) if f.name.startswith("bieu_06a")][:1]
    assert main(["import", "--db", str(path), "--commune", COMMUNE, *files]) == 0
    con = database.connect(path)
    try:
        eng = Engine(con)
        listed = tasks.list_tasks(con, eng.communes(), TODAY)
        lines = task_lines(tasks.tally(listed, TODAY), TODAY)
        assert lines[0] == f"- Tổng số nhiệm vụ được giao: {PROGRAMME}, trong đó:"
    finally:
        con.close()


def test_a_restored_backup_from_before_gets_its_tasks(tmp_path):
    from storage.backup import restore

    old = tmp_path / "sao_luu.duckdb"
    _old_database(old, None, [])
    target = restore(old, tmp_path / "kpi.duckdb")
    con = database.connect(target)
    try:
        assert len(tasks.list_tasks(con, [COMMUNE], TODAY)) == PROGRAMME
    finally:
        con.close()


def test_the_report_counts_only_its_communes_tasks(con):
    from indicators.compute import Engine

    tasks.adopt_template(con, OTHER, "van_thu")
    eng = Engine(con)
    eng.scope = frozenset([OTHER])
    listed = tasks.list_tasks(con, eng.within([OTHER]), TODAY)
    assert tasks.tally(listed, TODAY).total == APPENDIX
    with pytest.raises(Exception, match="chỉ xem được"):
        eng.within([COMMUNE])


def test_an_account_of_one_commune_meets_the_wall_on_tasks_and_meetings(con, tmp_path):
    """Below every page: the acting account of Hưng Nguyên reads only its tasks and
    meetings and writes nothing of Diễn Châu's, whatever commune or meeting a caller passes;
    a database it opens still gets the installation's programme."""
    from core.errors import Forbidden
    from storage import meetings, scope
    from storage.meetings import Assignment

    tasks.adopt_template(con, OTHER, "van_thu")
    mid = meetings.create(
        con, COMMUNE, dt.date(2026, 10, 20), "thang", "Chủ tịch UBND xã", [], "van_thu"
    )
    conclusion = meetings.add_conclusion(con, mid, None, "Số hóa hồ sơ", "van_thu")
    meetings.save_notice(con, mid, None, b"tep", "thong_bao.docx", dt.date(2026, 10, 21), "van_thu")
    sheet = tasks_to_excel(tasks.list_tasks(con, [COMMUNE], TODAY))
    attempts = {
        "update": lambda: tasks.update(con, COMMUNE, "1.1", {"ghi_chu": "x"}, "canbo_hn"),
        "excel": lambda: tasks.import_excel(con, sheet, "canbo_hn", "nv.xlsx", commune=COMMUNE),
        "template": lambda: tasks.adopt_template(con, "Xã Yên Thành", "canbo_hn"),
        "create": lambda: meetings.create(con, COMMUNE, TODAY, "thang", "x", [], "canbo_hn"),
        "get": lambda: meetings.get(con, mid, None),
        "conclusion": lambda: meetings.add_conclusion(con, mid, None, "x", "canbo_hn"),
        "assign": lambda: meetings.assign(
            con,
            conclusion,
            None,
            Assignment("Công an xã", "Việc", dt.date(2026, 12, 1)),
            "canbo_hn",
        ),
        "lock": lambda: meetings.lock(con, mid, None, "canbo_hn"),
        "notices": lambda: meetings.notices(con, mid),
        "notice file": lambda: meetings.notice_file(con, mid, 1),
        "previous": lambda: meetings.previous(con, COMMUNE, TODAY),
    }
    scope.act_as(OTHER)
    try:
        assert len(tasks.list_tasks(con, None, TODAY)) == APPENDIX
        assert set(tasks.list_tasks(con, None, TODAY)["commune"]) == {OTHER}
        assert tasks.list_tasks(con, [COMMUNE], TODAY).empty
        assert tasks.communes_with_tasks(con) == [OTHER]
        assert meetings.listing(con, None) == []
        for name, attempt in attempts.items():
            with pytest.raises(Forbidden, match=f"chỉ được xem và nhập số liệu của «{OTHER}»"):
                attempt()
                pytest.fail(name)
        tasks.update(con, OTHER, "1.2", {"ghi_chu": "Đã giao"}, "canbo_hn")  # its own
        fresh = database.connect(tmp_path / "moi.duckdb")
        try:
            assert fresh.execute(
                "SELECT commune, count(*) FROM nhiem_vu GROUP BY ALL"
            ).fetchall() == [(COMMUNE, PROGRAMME)]
        finally:
            fresh.close()
    finally:
        scope.act_as(None)
    # nothing of Diễn Châu's changed
    assert con.execute(
        "SELECT count(*) FROM nhiem_vu WHERE commune = ? AND cap_nhat_boi = 'canbo_hn'", [COMMUNE]
    ).fetchall() == [(0,)]
    assert con.execute("SELECT count(*), count(khoa_luc) FROM cuoc_hop").fetchall() == [(1, 0)]
    assert con.execute("SELECT count(*) FROM ket_luan").fetchall() == [(1,)]
    assert len(tasks.list_tasks(con, None, TODAY)) == PROGRAMME + APPENDIX
    assert tasks.list_tasks(con, [OTHER], TODAY).set_index("tt").at["1.2", "ghi_chu"] == "Đã giao"
