"""The samples' expected values come out of the indicator engine and its command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from core.periods import parse
from indicators.compute import Engine
from storage.database import connect
from storage.imports import import_files
from tests.conftest import COMMUNE, DIEN_CHAU, ROOT, SAMPLES

EXPECTED = json.loads((SAMPLES / "dien_chau_expected.json").read_text(encoding="utf-8"))
# what Biểu 06a and the 766 table carry (docs/indicators.md §4)
FROM_REPORTS = (
    "ho_so_tiep_nhan",
    "ty_le_truc_tuyen",
    "ty_le_dung_han",
    "ty_le_qua_han",
    "ty_le_so_hoa",
    "ty_le_ket_qua_dien_tu",
    "ty_le_tai_su_dung",
)


def check(result, expected: dict) -> None:
    assert result.numerator == expected["numerator"], result.id
    assert result.denominator == expected["denominator"], result.id
    assert result.value == pytest.approx(expected["value"]), result.id
    assert result.target == expected["target"], result.id
    assert result.status == expected["status"], result.id


@pytest.fixture(scope="module")
def reports_only_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("reports") / "kpi.duckdb"
    con = connect(path)
    files = sorted(p for p in DIEN_CHAU.iterdir() if not p.name.startswith("danh_sach"))
    assert all(r.ok for r in import_files(con, files))
    con.close()
    return path


@pytest.mark.parametrize("period", sorted(EXPECTED))
def test_expected_values_from_case_lists(samples_db, period):
    con = connect(samples_db)
    results = {r.id: r for r in Engine(con).scorecard(parse(period), COMMUNE)}
    con.close()
    for ident, expected in EXPECTED[period].items():
        check(results[ident], expected)


@pytest.mark.parametrize("period", sorted(EXPECTED))
def test_expected_values_from_aggregate_reports_alone(reports_only_db, period):
    con = connect(reports_only_db)
    results = {r.id: r for r in Engine(con).scorecard(parse(period), COMMUNE)}
    con.close()
    for ident in FROM_REPORTS:
        assert results[ident].source == "bao_cao"
        check(results[ident], EXPECTED[period][ident])
    assert results["ty_le_hai_long"].status == "khong_co_du_lieu"


def test_command_line_json(samples_db):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "compute",
            "--period",
            "2026-Q3",
            "--db",
            str(samples_db),
            "--commune",
            "xã Diễn Châu",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    by_id = {i["id"]: i for i in out["indicators"]}
    for ident, expected in EXPECTED["2026-Q3"].items():
        for k in ("numerator", "denominator", "target", "status"):
            assert by_id[ident][k] == expected[k]
        assert by_id[ident]["value"] == pytest.approx(expected["value"])
    assert by_id["ty_le_asxh_khong_tien_mat"]["status"] == "khong_co_du_lieu"


def test_command_line_table_uses_decimal_comma(samples_db):
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "compute", "--period", "2026-01", "--db", str(samples_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("Tỷ lệ số hóa hồ sơ"))
    assert "96,5%" in line and "1.234" in line and "≥ 98%" in line and "Gần đạt" in line


def test_command_line_rejects_a_bad_period(samples_db):
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "compute", "--period", "2026-13", "--db", str(samples_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "kỳ «2026-13» không hợp lệ" in proc.stderr
