"""The Excel template for hand-entered figures: written, filled, imported like any export."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import openpyxl
import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from reports.template import template
from storage import figures as manual
from storage.imports import import_files, undo_import
from tests.conftest import COMMUNE, ROOT

MARCH = dt.date(2026, 3, 1)


def fill(path, rows: dict[str, dict[str, object]]):
    """Fill the template's rows by indicator code: {"ty_le_vneid_muc2": {"E": "97,6%"}}."""
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    for r in range(6, sheet.max_row + 1):
        code = sheet.cell(r, 1).value
        for col, value in rows.get(code, {}).items():
            sheet[f"{col}{r}"] = value
    book.save(path)
    return path


@pytest.fixture
def blank(tmp_path):
    path = tmp_path / "so_lieu_nhap_tay_2026-03.xlsx"
    path.write_bytes(template(COMMUNE, MARCH))
    return path


def test_the_template_lists_every_hand_entered_indicator(blank):
    book = openpyxl.load_workbook(blank)
    codes = [c.value for c in book["Số liệu"]["A"][5:]]
    listing = [c.value for c in book["Danh mục"]["A"][1:]]
    expected = list(manual_indicators())
    assert codes == expected == listing
    assert len(expected) == 62  # docs/indicators.md §5, and the report's own figures
    assert {c.value for c in book["Số liệu"]["C"][5:]} == {"03/2026"}


def test_a_filled_template_imports_and_feeds_the_indicators(con, blank):
    fill(
        blank,
        {
            "ty_le_vneid_muc2": {"E": "97,6%", "H": "Công an xã"},
            "ty_le_can_bo_chu_ky_so": {"F": 45, "G": 50, "H": "Văn phòng HĐND-UBND"},
            "vneid_muc2_kich_hoat": {"E": "12.345", "H": "Công an xã", "I": "số liệu đến 31/3"},
            "thu_nhap_binh_quan": {"E": "76,5", "H": "Phòng Kinh tế"},
        },
    )
    result = import_files(con, [blank], manual=manual_indicators())[0]
    assert result.ok, result.message
    assert (result.kind, result.commune, result.as_of) == (
        "so_lieu_nhap_tay",
        COMMUNE,
        dt.date(2026, 3, 31),
    )
    assert (result.inserted, result.updated, result.unchanged) == (4, 0, 0)
    card = {r.id: r for r in Engine(con).scorecard(parse("2026-03"), COMMUNE)}
    assert card["ty_le_vneid_muc2"].value == pytest.approx(0.976)
    assert (
        card["ty_le_can_bo_chu_ky_so"].numerator,
        card["ty_le_can_bo_chu_ky_so"].denominator,
    ) == (45, 50)
    assert card["vneid_muc2_kich_hoat"].value == 12345
    assert card["thu_nhap_binh_quan"].value == pytest.approx(76.5)
    assert card["thu_nhap_binh_quan"].status == "dat"
    history = manual.history(con, "vneid_muc2_kich_hoat")
    assert history.iloc[0]["ghi_chu"] == "số liệu đến 31/3"
    assert history.iloc[0]["nguoi_nhap"] == "kiem_thu"


def test_a_correction_adds_a_version_and_undo_removes_it(con, blank, tmp_path):
    fill(blank, {"ty_le_vneid_muc2": {"E": "90%", "H": "Công an xã"}})
    assert import_files(con, [blank], manual=manual_indicators())[0].ok
    corrected = tmp_path / "sua.xlsx"
    corrected.write_bytes(blank.read_bytes())
    fill(
        corrected,
        {
            "ty_le_vneid_muc2": {"E": "92%", "H": "Công an xã"},
            "ty_le_dvc_vneid": {"E": "100%", "H": "Trung tâm PVHCC"},
        },
    )
    second = import_files(con, [corrected], manual=manual_indicators())[0]
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 0)
    history = manual.history(con, "ty_le_vneid_muc2")
    assert list(history["phien_ban"]) == [2, 1]
    assert list(history["gia_tri"]) == pytest.approx([0.92, 0.90])
    undo_import(con, second.import_id)
    history = manual.history(con, "ty_le_vneid_muc2")
    assert list(history["gia_tri"]) == pytest.approx([0.90])
    assert manual.history(con, "ty_le_dvc_vneid").empty


def test_bad_cells_are_named_and_nothing_is_stored(con, blank):
    fill(
        blank,
        {
            "ty_le_vneid_muc2": {"E": "nhiều", "H": "Công an xã"},
            "ty_le_asxh_khong_tien_mat": {"E": "95%"},  # no source
            "ty_le_dvc_vneid": {"F": 3, "G": 0, "H": "Trung tâm"},
            "phu_song_5g": {"C": "13/2026", "E": "80%", "H": "Viettel"},
        },
    )
    result = import_files(con, [blank], manual=manual_indicators())[0]
    assert not result.ok
    text = result.message
    assert "cột «Giá trị»: giá trị «nhiều»" in text
    assert "cột «Nguồn»" in text and "thiếu nguồn số liệu" in text
    assert "mẫu số phải lớn hơn 0" in text
    assert "giá trị «13/2026» — không phải tháng hợp lệ" in text
    assert con.execute("SELECT count(*) FROM so_lieu_nhap_tay").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]


def test_an_unknown_code_and_a_case_indicator_are_refused(con, blank):
    book = openpyxl.load_workbook(blank)
    sheet = book["Số liệu"]
    sheet["A6"], sheet["E6"], sheet["H6"] = "ty_le_truc_tuyen", "80%", "x"
    sheet["A7"], sheet["E7"], sheet["H7"] = "khong_co", "80%", "x"
    book.save(blank)
    result = import_files(con, [blank], manual=manual_indicators())[0]
    assert not result.ok
    assert result.message.count("không có chỉ số nhập tay với mã này") == 2


def test_the_command_line_writes_the_template(tmp_path):
    out = tmp_path / "mau.xlsx"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "template",
            "--commune",
            "Diễn Châu",
            "--month",
            "2026-04",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Đã tạo tệp mẫu" in done.stdout
    sheet = openpyxl.load_workbook(out)["Số liệu"]
    assert sheet["C6"].value == "04/2026" and sheet["D6"].value == COMMUNE
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "template",
            "--commune",
            "X",
            "--month",
            "2026-Q1",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "không phải một tháng" in bad.stderr
