"""The programme's appendix as tasks: every one seeded, each deadline read as written."""

from __future__ import annotations

import datetime as dt

import yaml

from storage.tasks import SEED, by_unit, deadline, seed, tally
from storage.tasks import list_tasks as list_all

DC = "Xã Diễn Châu"


def list_tasks(con, today=None):
    """Diễn Châu's tasks: the commune whose programme the seed file is."""
    return list_all(con, [DC], today)


# tt -> the deadline its «Thời gian hoàn thành» gives (None: «Thường xuyên», «Theo lộ trình»,
# «Đã thực hiện»), checked against seeds/002's appendix line by line
EXPECTED = {
    "1.1": None,
    "1.2": dt.date(2026, 9, 30),
    "1.3": None,
    "2.1.1": dt.date(2026, 9, 30),
    "2.1.2": dt.date(2026, 9, 30),
    "2.1.3": dt.date(2026, 9, 30),
    "2.1.4": dt.date(2026, 9, 30),
    "2.1.5": dt.date(2026, 9, 30),
    "2.2": None,
    "2.3": dt.date(2026, 12, 31),
    "2.4": None,
    "3.1": dt.date(2026, 12, 31),
    "3.2": None,
    "3.3": dt.date(2026, 9, 30),
    "3.4": dt.date(2026, 9, 30),
    "3.5": dt.date(2026, 12, 31),
    "4.1": dt.date(2026, 12, 31),
    "4.2": dt.date(2026, 12, 31),
    "5.1": None,
    "5.2": dt.date(2026, 12, 31),
    "5.3": dt.date(2026, 12, 31),
    "5.4": None,
    # dated duties of the documents' bodies
    "VB.1": dt.date(2026, 7, 10),  # 001 §2 «trước ngày 10/7/2026»
    "VB.2": dt.date(2026, 11, 15),  # 002 II.1.3 «hoàn thành giao nhiệm vụ trước ngày 15/11/2026»
    "VB.3": dt.date(2026, 9, 30),  # 002 II.1.3 «Hoàn thành trước ngày Quý IV/2026»
    "VB.4": dt.date(2026, 9, 30),  # 002 II.1.3 «Hoàn thành trong Quý III/2026»
    "VB.5": dt.date(2026, 11, 30),  # 002 III.8 «trước ngày 30/11/2026»
    "VB.6": dt.date(2026, 12, 31),  # 000 §3, dated by the appendix's 2.3
    "VB.7": None,  # 001 §7 «trước ngày 18 hằng tháng»: the unit-reports register
    "VB.8": dt.date(2026, 6, 30),  # 003 III.4 «Định kỳ 6 tháng»
    "VB.9": dt.date(2026, 12, 31),  # 003 III.4 «và hằng năm»
    "VB.10": None,  # 002 III.3 «định kỳ hàng tháng có kiểm tra đánh giá»
    "VB.11": None,  # 002 II.3.3 «ngay tại cuộc họp giao ban tuần/tháng»
    "VB.12": dt.date(2026, 12, 31),  # 003 II.4 «nhiệm vụ đột phá năm 2026»
}
RECURRING = {"1.1", "1.3", "2.4", "5.4", "VB.7", "VB.10", "VB.11"}


def test_every_appendix_task_is_seeded_with_its_deadline(con):
    # a new database has them from its first opening; seeding again adds nothing
    assert seed(con) == 0
    tasks = list_tasks(con, today=dt.date(2026, 11, 22))
    assert dict(zip(tasks["tt"], tasks["han"], strict=True)) == EXPECTED


def test_a_task_past_its_quarter_is_overdue(con):
    seed(con)
    tasks = list_tasks(con, today=dt.date(2026, 10, 1)).set_index("tt")
    assert bool(tasks.at["3.4", "qua_han"]) and not bool(tasks.at["3.5", "qua_han"])
    assert not bool(tasks.at["5.1", "qua_han"])  # done


def test_deadline_words_in_any_spelling():
    assert deadline("Quý III, năm 2026") == deadline("quy 3/2026") == dt.date(2026, 9, 30)
    assert deadline("Qúy IV năm 2026") == dt.date(2026, 12, 31)
    assert deadline("Trước ngày 15/11/2026") == dt.date(2026, 11, 15)
    assert deadline("Thường xuyên") is None
    assert deadline("Trước Quý IV/2026") == dt.date(2026, 9, 30)
    assert deadline("Hoàn thành trong Quý III/2026") == dt.date(2026, 9, 30)
    assert deadline("6 tháng đầu năm 2026") == dt.date(2026, 6, 30)
    assert deadline("Tháng 7/2026") == dt.date(2026, 7, 31)
    assert deadline("Năm 2026") == deadline("Trong năm 2026") == dt.date(2026, 12, 31)
    assert deadline("Trước ngày 18 hằng tháng") is None
    assert deadline("31/02/2026") is None  # no such day: no deadline, not a crash


def test_the_seed_file_lists_each_task_once():
    doc = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    tts = [t["tt"] for t in doc["tasks"] + doc["duties"]]
    assert len(tts) == len(set(tts)) == len(EXPECTED)


def test_recurring_tasks_are_marked_and_never_overdue(con):
    seed(con)
    tasks = list_tasks(con, today=dt.date(2026, 12, 31)).set_index("tt")
    assert set(tasks.index[tasks["thuong_xuyen"]]) == RECURRING
    assert not tasks.loc[sorted(RECURRING), "qua_han"].any()


def test_every_duty_names_the_sentence_it_comes_from(con):
    seed(con)
    tasks = list_tasks(con, today=dt.date(2026, 1, 1)).set_index("tt")
    assert tasks.at["VB.2", "nguon"] == "Chương trình 002, mục II.1.3"
    assert tasks.at["VB.1", "nguon"].startswith("Công văn 001")
    assert tasks.at["3.4", "nguon"].endswith("mục 3.4")


def test_a_new_duty_reaches_a_database_seeded_before_it(con):
    seed(con)
    con.execute("DELETE FROM nhiem_vu WHERE tt = 'VB.5'")
    con.execute("INSERT INTO nhiem_vu (commune, tt, noi_dung) VALUES ('Xã Khác', 'VB.5', 'x')")
    con.execute("UPDATE nhiem_vu SET trang_thai = 'hoan_thanh' WHERE tt = '1.2'")
    assert seed(con) == 1
    tasks = list_tasks(con).set_index("tt")
    assert tasks.at["1.2", "trang_thai"] == "hoan_thanh"  # an edited task is left alone
    assert "VB.5" in tasks.index


def test_the_report_tally_counts_done_on_time_and_overdue(con):
    seed(con)
    con.execute(
        "UPDATE nhiem_vu SET trang_thai = 'hoan_thanh', ngay_hoan_thanh = '2026-07-05' "
        "WHERE tt = 'VB.1'"
    )
    con.execute(
        "UPDATE nhiem_vu SET trang_thai = 'hoan_thanh', ngay_hoan_thanh = '2026-10-20' "
        "WHERE tt = '1.2'"
    )
    t = tally(list_tasks(con, today=dt.date(2026, 11, 22)), dt.date(2026, 11, 22))
    assert (t.total, t.done, t.done_on_time, t.done_late) == (34, 3, 2, 1)  # 5.1, VB.1 | 1.2
    # past due on 22/11/2026 and not done: the Q III tasks, VB.2 (15/11), VB.3, VB.4, VB.8
    overdue = set(t.overdue["tt"])
    assert overdue == {
        "2.1.1",
        "2.1.2",
        "2.1.3",
        "2.1.4",
        "2.1.5",
        "3.3",
        "3.4",
        "VB.2",
        "VB.3",
        "VB.4",
        "VB.8",
    }
    assert set(t.due_soon["tt"]) == {"VB.5"}  # 30/11/2026
    assert t.sentence() == "3/34 nhiệm vụ hoàn thành, 11 quá hạn"
    units = by_unit(list_tasks(con, today=dt.date(2026, 11, 22))).set_index("chu_tri")
    assert units.at["Thủ trưởng cơ quan Đảng ủy", "qua_han"] == 2
    assert units.at["UBND xã", "qua_han"] == 3


def test_the_task_sheet_round_trips_and_hostile_files_are_only_refused(con):
    import io
    import zipfile

    import pytest

    from reports.exports import tasks_to_excel
    from storage.tasks import TaskError, import_excel
    from tests.conftest import BAD

    seed(con)
    before = list_tasks(con, today=dt.date(2026, 11, 22))
    sheet = tasks_to_excel(before)
    assert import_excel(con, sheet, "van_thu", "nhiem_vu.xlsx", commune=DC) == len(EXPECTED)
    after = list_tasks(con, today=dt.date(2026, 11, 22)).set_index("tt")
    assert after.at["VB.2", "han"] == dt.date(2026, 11, 15)
    assert after.at["VB.2", "nguon"] == "Chương trình 002, mục II.1.3"  # kept, not in the sheet
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/sharedStrings.xml", "A" * (700 * 1024 * 1024 // 8) * 8)
    hostile = [f.read_bytes() for f in sorted(BAD.iterdir()) if f.suffix == ".xlsx"]
    for data in [*hostile, bomb.getvalue(), sheet[: len(sheet) // 2]]:
        with pytest.raises(TaskError):
            import_excel(con, data, "van_thu", "xau.xlsx", commune=DC)
    assert len(list_tasks(con)) == len(EXPECTED)  # nothing half-written
