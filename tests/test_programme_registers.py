"""What the whole programme needs beyond the portal's rates, end to end on a real database:
baselines for growth targets, an admin's choice of growth mode, the unit-reports register,
rejected and returned cases, and half-year periods on the command line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from storage import baselines, targets, unit_reports
from storage.figures import enter
from tests.conftest import COMMUNE, ROOT

MANUAL = manual_indicators()
VNEID = "ty_le_su_dung_vneid_muc2"


def vneid(con, period="2026-06"):
    engine = Engine(con)
    return engine.compute_one(engine.catalog.indicators[VNEID], parse(period), [COMMUNE])


def test_a_growth_target_without_its_2025_figure_says_so_then_is_judged(con):
    enter(con, MANUAL, VNEID, COMMUNE, dt.date(2026, 6, 1), value=0.47, source="Công an xã",
          user="van_thu")
    r = vneid(con)
    assert r.status == "thieu_so_lieu_goc" and r.note == "Thiếu số liệu năm 2025"
    assert r.target_label == "tăng 25–35% so với 2025"
    baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.40, "Tổng kết 2025", "van_thu")
    r = vneid(con)
    # relative growth: 40% x 1,25 = 50%, asked in full (the target is not pro-rated)
    assert r.baseline == pytest.approx(0.40) and r.target == pytest.approx(0.50)
    assert r.status == "gan_dat" and r.note == ""
    assert r.target_label == "tăng 25–35% so với 2025 (40% → ≥ 50%)"
    assert "mục I.2.3.3" in r.target_source


def test_a_2025_figure_entered_as_a_monthly_figure_is_a_baseline_too(con):
    enter(con, MANUAL, VNEID, COMMUNE, dt.date(2025, 12, 1), value=0.40, source="Công an xã",
          user="van_thu")
    enter(con, MANUAL, VNEID, COMMUNE, dt.date(2026, 6, 1), value=0.52, source="Công an xã",
          user="van_thu")
    r = vneid(con)
    assert r.baseline == pytest.approx(0.40) and r.status == "dat"


def test_an_admin_can_read_growth_in_percentage_points(con):
    from indicators.definitions import load_catalog

    baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.40, "Tổng kết 2025", "qt")
    enter(con, MANUAL, VNEID, COMMUNE, dt.date(2026, 6, 1), value=0.52, source="Công an xã",
          user="van_thu")
    targets.set_target(con, load_catalog(), VNEID, 2026, "growth", low=0.25, high=0.35,
                       baseline_year=2025, growth="points", basis="Nghị quyết Đảng ủy", user="qt")
    r = vneid(con)
    assert r.target == pytest.approx(0.65) and r.status == "cham"
    assert "điểm %" in r.target_label


def test_a_baseline_out_of_range_is_refused_in_vietnamese(con):
    with pytest.raises(baselines.BaselineError, match="0% đến 100%"):
        baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 4.0, "x", "qt")
    with pytest.raises(baselines.BaselineError, match="cần ghi nguồn"):
        baselines.set_baseline(con, VNEID, "percent", COMMUNE, 2025, 0.4, " ", "qt")


def test_the_unit_register_flags_late_and_missing_reports_after_the_18th(con):
    month = dt.date(2026, 10, 1)
    unit_reports.record(con, COMMUNE, month, "Công an xã", dt.date(2026, 10, 16), "van_thu")
    unit_reports.record(con, COMMUNE, month, "Phòng Kinh tế", dt.date(2026, 10, 21), "van_thu")
    before = unit_reports.register(con, COMMUNE, month, today=dt.date(2026, 10, 18))
    after = unit_reports.register(con, COMMUNE, month, today=dt.date(2026, 10, 25)
                                  ).set_index("don_vi")
    assert set(before["trang_thai"]) == {"dung_han", "muon", "chua_den_han"}
    assert after.at["Công an xã", "trang_thai"] == "dung_han"
    assert (after.at["Phòng Kinh tế", "trang_thai"], after.at["Phòng Kinh tế", "so_ngay_muon"]
            ) == ("muon", 3)
    assert after.at["Trạm Y tế xã", "trang_thai"] == "qua_han"
    assert after.at["Trạm Y tế xã", "so_ngay_muon"] == 7
    with pytest.raises(unit_reports.UnitReportError, match="không có trong danh sách"):
        unit_reports.record(con, COMMUNE, month, "Phòng X", dt.date(2026, 10, 16), "van_thu")


def test_a_locked_month_refuses_a_unit_report(con):
    from core.errors import LockedMonth
    from storage.locks import lock

    lock(con, COMMUNE, dt.date(2026, 9, 1), "quan_tri")
    with pytest.raises(LockedMonth):
        unit_reports.record(con, COMMUNE, dt.date(2026, 9, 1), "Công an xã",
                            dt.date(2026, 9, 10), "van_thu")


def test_rejected_and_returned_cases_by_field_and_officer(samples_db, tmp_path):
    import duckdb

    from indicators.overdue import returned_cases, returned_summary

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = duckdb.connect(str(copy), read_only=True)
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    cases = returned_cases(con, [COMMUNE], start, end)
    expected = con.execute(
        """SELECT count(*) FROM ho_so WHERE commune = ? AND trang_thai IN
               ('tu_choi', 'khong_tiep_nhan', 'yeu_cau_bo_sung', 'dung_xu_ly')
             AND CAST(ngay_tiep_nhan AS DATE) BETWEEN ? AND ?""", [COMMUNE, start, end]
    ).fetchone()[0]
    con.close()
    assert len(cases) == expected > 0
    # only codes, procedures, fields, officers and dates: nothing about the citizen
    assert list(cases.columns) == ["xa", "ma_ho_so", "ten_tthc", "linh_vuc", "can_bo",
                                   "ngay_tiep_nhan", "ngay_ket_thuc", "tinh_trang"]
    by_officer = returned_summary(cases, "can_bo")
    assert by_officer["tong"].sum() == expected
    assert list(by_officer["tong"]) == sorted(by_officer["tong"], reverse=True)


def test_half_year_periods_on_the_command_line(samples_db):
    done = subprocess.run([sys.executable, "-m", "cli", "compute", "--period", "2026-H1",
                           "--db", str(samples_db), "--commune", "Diễn Châu", "--format",
                           "json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    received = {i["id"]: i for i in out["indicators"]}["ho_so_tiep_nhan"]
    quarters = []
    for q in ("2026-Q1", "2026-Q2"):
        part = subprocess.run([sys.executable, "-m", "cli", "compute", "--period", q, "--db",
                               str(samples_db), "--commune", "Diễn Châu", "--format", "json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        quarters.append({i["id"]: i for i in json.loads(part.stdout)["indicators"]}
                        ["ho_so_tiep_nhan"]["value"])
    assert received["value"] == sum(quarters)
