"""Data-quality findings: gaps, reports against case lists, printed rates, rejected rows."""

from __future__ import annotations

import openpyxl
import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.quality import findings
from loaders.reader import read_file
from storage.imports import import_files
from tests.conftest import BAD, COMMUNE, DIEN_CHAU


def _kinds(con) -> dict[str, int]:
    return findings(Engine(con)).groupby("loai").size().to_dict()


def test_the_samples_are_consistent(samples_db):
    from storage.database import connect

    con = connect(samples_db)
    try:
        assert findings(Engine(con)).empty
    finally:
        con.close()


def test_a_month_without_any_file_is_reported(con):
    files = [DIEN_CHAU / "danh_sach_ho_so_2026-01.xlsx", DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"]
    assert all(r.ok for r in import_files(con, files, commune=COMMUNE))
    found = findings(Engine(con))
    gaps = found[found["loai"] == "thieu_du_lieu"]
    assert [(r.xa, r.thang.month) for r in gaps.itertuples()] == [(COMMUNE, 2)]


def test_a_report_that_disagrees_with_the_case_list(con, tmp_path):
    book = openpyxl.load_workbook(DIEN_CHAU / "bieu_06a_2026-03.xlsx")
    sheet = book.active
    # the "Chứng thực" row: five more online cases than the case list has
    for row in sheet.iter_rows():
        if row[1].value == "Chứng thực":
            row[3].value = int(row[3].value) + 5
    changed = tmp_path / "bieu_06a_2026-03.xlsx"
    book.save(changed)
    results = import_files(
        con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx", changed], commune=COMMUNE
    )
    assert all(r.ok for r in results), [r.message for r in results]
    found = findings(Engine(con))
    diff = found[found["loai"] == "lech_bao_cao"].set_index("chi_so")
    assert set(diff.index) == {"ho_so_tiep_nhan", "ty_le_truc_tuyen"}
    assert "danh sách hồ sơ cho 927 / 1.123" in diff.at["ty_le_truc_tuyen", "chi_tiet"]
    assert "báo cáo tổng hợp ghi 932 / 1.128" in diff.at["ty_le_truc_tuyen", "chi_tiet"]


def _766_with_printed_rate(tmp_path, wrong_row: str):
    book = openpyxl.load_workbook(DIEN_CHAU / "so_hoa_766_2026-03.xlsx")
    sheet = book.active
    sheet.cell(4, 11, "Tỷ lệ số hóa TPHS")
    sheet.merge_cells(start_row=4, start_column=11, end_row=5, end_column=11)
    for r in range(6, sheet.max_row + 1):
        received, digitised = sheet.cell(r, 3).value, sheet.cell(r, 5).value
        if not received:
            continue
        rate = f"{digitised / received * 100:.1f}%".replace(".", ",")
        if sheet.cell(r, 2).value == wrong_row:
            rate = "97,6%"
        sheet.cell(r, 11, rate)
    path = tmp_path / "so_hoa_766_2026-03.xlsx"
    book.save(path)
    return path


def test_a_printed_rate_is_checked_against_its_own_counts(con, tmp_path):
    path = _766_with_printed_rate(tmp_path, wrong_row="Hộ tịch")
    parsed = read_file(path, commune=COMMUNE)
    assert len(parsed.warnings) == 1
    assert "Hộ tịch" in parsed.warnings[0]
    assert (
        "ghi 97,6% nhưng tính từ chính các cột số liệu được 423 / 436 = 97,0%" in parsed.warnings[0]
    )
    result = import_files(con, [path], commune=COMMUNE)[0]
    assert result.ok and result.warnings == parsed.warnings
    found = findings(Engine(con))
    rates = found[found["loai"] == "ty_le_sai"]
    assert len(rates) == 1 and rates.iloc[0]["chi_so"] == "ty_le_so_hoa_tphs"
    assert "dòng «Hộ tịch»" in rates.iloc[0]["chi_tiet"]
    # the printed rate is kept for the check but never summed into the indicator
    card = Engine(con).scorecard(parse("2026-03"))
    so_hoa = next(r for r in card if r.id == "ty_le_so_hoa")
    assert (so_hoa.numerator, so_hoa.denominator) == (1088, 1123)


def test_correct_printed_rates_raise_nothing(con, tmp_path):
    path = _766_with_printed_rate(tmp_path, wrong_row="(none)")
    assert read_file(path, commune=COMMUNE).warnings == []
    assert import_files(con, [path], commune=COMMUNE)[0].ok
    # only the months before March are missing; no rate is questioned
    assert _kinds(con) == {"thieu_du_lieu": 2}


def test_rejected_rows_are_a_finding(con):
    result = import_files(con, [BAD / "ngay_sai_mau.csv"], commune=COMMUNE, skip_bad_rows=True)[0]
    assert result.ok and result.rejected >= 1
    found = findings(Engine(con))
    rejected = found[found["loai"] == "dong_bi_loai"]
    assert len(rejected) == 1
    assert f"{result.rejected} dòng bị loại" in rejected.iloc[0]["chi_tiet"]


@pytest.mark.parametrize(
    "text, expected",
    [("97,6%", 0.976), ("97.6", 0.976), ("0,976", 0.976), ("100%", 1.0), ("  85 % ", 0.85)],
)
def test_rates_are_read_as_fractions(text, expected):
    import pandas as pd

    from loaders.values import parse_rate

    values, bad = parse_rate(pd.Series([text]))
    assert not bad.iloc[0] and values.iloc[0] == pytest.approx(expected)
