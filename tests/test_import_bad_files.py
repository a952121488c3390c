"""Bad input: a clear Vietnamese message, nothing stored, the good files beside it imported."""

from __future__ import annotations

import pytest

from storage.imports import import_files
from tests.conftest import BAD, COMMUNE, DIEN_CHAU

EXPECTED = {
    "hong_mau.xlsx": "tệp Excel bị hỏng",
    "khong_co_tieu_de_mau.xlsx": "không tìm thấy dòng tiêu đề",
    "khong_phai_excel_mau.xlsx": "đây là tệp PDF",
    "rong_mau.xlsx": "tệp rỗng",
    "zip_la_mau.xlsx": "tệp nén ZIP không phải sổ tính Excel",
    "ngay_sai_mau.csv": "có 2 dòng lỗi",
    "trung_ma_mau.csv": "mã hồ sơ trùng với dòng 4 nhưng nội dung khác",
}


def content(con):
    return (
        con.execute("SELECT count(*) FROM ho_so").fetchall(),
        con.execute("SELECT count(*) FROM ho_so_versions").fetchall(),
        con.execute("SELECT count(*) FROM imports").fetchall(),
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_whole_with_a_message(con, name):
    import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"])
    before = content(con)
    result = import_files(con, [BAD / name], commune=COMMUNE)[0]
    assert not result.ok
    assert result.message.startswith(f"Tệp «{name}» bị từ chối")
    assert EXPECTED[name] in result.message
    assert "Cách xử lý:" in result.message
    assert content(con) == before


def test_bad_file_does_not_block_the_good_ones(con):
    results = import_files(
        con,
        [
            BAD / "hong_mau.xlsx",
            DIEN_CHAU / "danh_sach_ho_so_2026-04.xlsx",
            BAD / "ngay_sai_mau.csv",
            DIEN_CHAU / "bieu_06a_2026-04.xlsx",
        ],
        commune=COMMUNE,
    )
    assert [r.ok for r in results] == [False, True, False, True]
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 2


def test_row_errors_name_row_column_and_value(con):
    result = import_files(con, [BAD / "ngay_sai_mau.csv"], commune=COMMUNE)[0]
    problems = result.error.problems
    assert [(p.row, p.column, p.value) for p in problems] == [
        (4, "Ngày hẹn trả", "24/13/2026 17:00:00"),
        (8, "Ngày hẹn trả", "30/04/20x6 17:00:00"),
    ]


def test_skip_bad_rows_imports_the_rest_and_logs_the_rejected(con):
    result = import_files(con, [BAD / "ngay_sai_mau.csv"], commune=COMMUNE, skip_bad_rows=True)[0]
    assert result.ok and result.rejected == 2 and result.inserted == 38
    logged = con.execute(
        "SELECT row_number, column_name, reason FROM import_problems ORDER BY row_number"
    ).fetchall()
    assert [r[0] for r in logged] == [4, 8]
    assert con.execute("SELECT rows_rejected FROM imports").fetchall() == [(2,)]


def test_duplicate_code_rejects_both_rows_when_skipping(con):
    result = import_files(con, [BAD / "trung_ma_mau.csv"], commune=COMMUNE, skip_bad_rows=True)[0]
    assert result.ok and result.rejected == 2
    assert (
        con.execute(
            "SELECT count(*) FROM ho_so WHERE ma_ho_so = '000.45.17.H40-260313-0001'"
        ).fetchall()[0][0]
        == 0
    )


def test_formula_text_is_stored_as_text(con):
    result = import_files(con, [BAD / "cong_thuc_mau.csv"], commune=COMMUNE)[0]
    assert result.ok and result.inserted == 10
    row = con.execute(
        "SELECT ten_tthc, can_bo FROM ho_so WHERE ma_ho_so = '000.45.17.H40-260307-0002'"
    ).fetchall()[0]
    assert row == ("@SUM(1+1)", '=HYPERLINK("http://example.invalid","bam")')


def test_a_file_without_commune_asks_for_one(con):
    result = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"])[0]
    assert not result.ok
    assert "tệp không ghi tên xã và chưa chọn xã" in result.message
    # the page's words: the command line adds its own flags (cli.main._import)
    assert "Chọn xã ở ô «Xã»" in result.message and "--commune" not in result.message


def test_default_commune_from_the_environment(con, monkeypatch):
    monkeypatch.setenv("KPI_COMMUNE", "xã diễn châu")
    result = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"])[0]
    assert result.ok and result.commune == COMMUNE


def test_file_over_the_size_limit(con, monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_MAX_FILE_MB", "1")
    result = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-09.xls"])[0]
    assert not result.ok and "vượt giới hạn 1 MB" in result.message


def test_sheet_with_too_many_rows(con, monkeypatch):
    monkeypatch.setenv("KPI_MAX_ROWS", "500")
    result = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"])[0]
    assert not result.ok and "có hơn 500 dòng" in result.message


def test_missing_required_column_is_named(con, tmp_path):
    text = (DIEN_CHAU / "danh_sach_ho_so_2026-08.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[0] = lines[0].replace("Ngày tiếp nhận", "Ghi chú")
    path = tmp_path / "thieu_cot_2026-08.csv"
    path.write_text("\n".join(lines[:30]), encoding="utf-8")
    result = import_files(con, [path], commune=COMMUNE)[0]
    assert not result.ok
    assert "thiếu cột bắt buộc: «Ngày tiếp nhận»" in result.message
