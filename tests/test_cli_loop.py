"""`kpi-xa meeting`, `kpi-xa ranking`, `kpi-xa reminders`: the same results as the pages,
on a database made by the command line; bad input a Vietnamese message and a non-zero exit."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from cli.main import main
from indicators.reminders import reminders
from reports.notice import text_of
from reports.reminders import text
from storage.database import connect
from tests.conftest import COMMUNE
from tests.test_meetings import _meeting
from tests.test_ranking import OTHER, _other_commune


def test_meeting_lists_and_writes_a_notice(db_path, tmp_path, capsys):
    con = connect(db_path)
    mid, _ = _meeting(con)
    con.close()
    assert main(["meeting", "--db", str(db_path), "--commune", COMMUNE]) == 0
    listed = capsys.readouterr().out
    assert f"{mid:>4}  20/10/2026  họp thường kỳ tháng" in listed and "4 việc giao" in listed
    out = tmp_path / "tb"
    assert (
        main(
            [
                "meeting",
                "--db",
                str(db_path),
                "--commune",
                COMMUNE,
                "--id",
                str(mid),
                "--out",
                str(out),
                "--issued",
                "22/10/2026",
                "--number",
                "Số: 12/TB-UBND",
                "--no-pdf",
            ]
        )
        == 0
    )
    (docx,) = out.glob("*.docx")
    words = text_of(docx.read_bytes())
    assert "Số: 12/TB-UBND" in words and "Diễn Châu, ngày 22 tháng 10 năm 2026" in words
    assert (
        main(
            [
                "meeting",
                "--db",
                str(db_path),
                "--commune",
                OTHER,
                "--id",
                str(mid),
                "--out",
                str(out),
            ]
        )
        != 0
    )  # another commune's meeting
    assert "chỉ xem được cuộc họp của Xã Hưng Nguyên" in capsys.readouterr().err


def test_reminders_prints_exactly_the_units_list(db_path, capsys):
    con = connect(db_path)
    _other_commune(con)
    expected = text(
        reminders(con, OTHER, dt.date(2026, 10, 19))["Phòng Kinh tế"], OTHER, dt.date(2026, 10, 19)
    )
    con.close()
    assert (
        main(
            [
                "reminders",
                "--db",
                str(db_path),
                "--commune",
                OTHER,
                "--unit",
                "Phòng Kinh tế",
                "--today",
                "19/10/2026",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == expected.strip()
    assert (
        main(
            [
                "reminders",
                "--db",
                str(db_path),
                "--commune",
                OTHER,
                "--unit",
                "Phòng Không Có",
                "--today",
                "19/10/2026",
            ]
        )
        != 0
    )
    assert "không có đơn vị «Phòng Không Có»" in capsys.readouterr().err


def test_ranking_prints_and_exports(db_path, tmp_path, capsys):
    con = connect(db_path)
    _other_commune(con)
    con.close()
    assert (
        main(
            [
                "ranking",
                "--db",
                str(db_path),
                "--commune",
                OTHER,
                "--period",
                "2026-10",
                "--today",
                "22/11/2026",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    units = printed.split("ĐƠN VỊ")[1].split("CÁN BỘ")[0]
    first = units.splitlines()[3]  # title, formula, header, then the best unit
    assert "Phòng Kinh tế" in first and "66,7" in first
    assert "Không có việc phải làm trong kỳ" in units
    out = tmp_path / "xh.xlsx"
    assert (
        main(
            [
                "ranking",
                "--db",
                str(db_path),
                "--commune",
                OTHER,
                "--period",
                "2026-10",
                "--today",
                "22/11/2026",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Đơn vị"]
    assert [c.value for c in sheet[5]][:3] == [1, "Phòng Kinh tế", 66.7]
    assert main(["ranking", "--db", str(db_path), "--period", "2026-13"]) != 0


def test_every_command_works_on_a_database_made_by_the_command_line(tmp_path, capsys):
    from tests.conftest import DIEN_CHAU

    db = tmp_path / "cli.duckdb"
    files = [str(f) for f in sorted(DIEN_CHAU.iterdir()) if "2026-10" in f.name]
    assert main(["import", "--db", str(db), "--commune", COMMUNE, *files]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "ranking",
                "--db",
                str(db),
                "--commune",
                COMMUNE,
                "--period",
                "2026-10",
                "--today",
                "22/11/2026",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    # the programme's tasks are there (seeded on opening): Thủ trưởng cơ quan Đảng ủy's
    # 2.1.1 and 2.1.2 were due 30/09, not in October; its line says it had nothing to do
    assert "Thủ trưởng cơ quan Đảng ủy" in printed
    assert main(["reminders", "--db", str(db), "--commune", COMMUNE, "--today", "22/11/2026"]) == 0
    assert "Kính gửi: UBND xã" in capsys.readouterr().out  # VB.5 due 30/11
    assert main(["meeting", "--db", str(db)]) == 0  # the commune taken from the data
    assert "Xã Diễn Châu chưa có cuộc họp nào được ghi." in capsys.readouterr().out
