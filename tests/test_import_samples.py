"""Every sample export imports; order does not matter; re-import and undo are exact."""

from __future__ import annotations

import random
import subprocess
import sys

import openpyxl
import pytest

from core.errors import UserError
from storage.database import connect
from storage.imports import import_files, undo_import
from tests.conftest import BAD, COMMUNE, DIEN_CHAU, ROOT, sample_files


def snapshot(con) -> dict[str, list[tuple]]:
    """Database content that does not depend on import ids or times."""
    return {
        "ho_so": con.execute(
            "SELECT * EXCLUDE (import_id) FROM ho_so ORDER BY commune, ma_ho_so"
        ).fetchall(),
        "bao_cao": con.execute(
            """SELECT commune, thang, kind, as_of, linh_vuc, chi_so, gia_tri FROM bao_cao_tong_hop
               ORDER BY ALL"""
        ).fetchall(),
    }


def test_every_sample_imports(samples_db):
    con = connect(samples_db)
    n_imports = con.execute("SELECT count(*) FROM imports").fetchall()[0][0]
    assert n_imports == len(sample_files())
    kinds = dict(con.execute("SELECT kind, count(*) FROM imports GROUP BY kind").fetchall())
    assert kinds == {"danh_sach_ho_so": 11, "bieu_06a": 10, "so_hoa_766": 10}
    # the January snapshot (as of 31/01) wins over the one as of 19/01
    as_of = con.execute(
        "SELECT as_of FROM ho_so WHERE ma_ho_so = '000.45.17.H40-251208-0025'"
    ).fetchall()[0][0]
    assert str(as_of) == "2026-01-31"
    communes = con.execute("SELECT DISTINCT commune FROM imports").fetchall()
    assert communes == [(COMMUNE,)]
    con.close()


def test_received_counts_match_the_january_export(samples_db):
    con = connect(samples_db)
    received = con.execute(
        """SELECT count(*) FROM ho_so WHERE ngay_tiep_nhan >= '2026-01-01'
           AND ngay_tiep_nhan < '2026-02-01'"""
    ).fetchall()[0][0]
    online = con.execute(
        """SELECT count(*) FROM ho_so WHERE ngay_tiep_nhan >= '2026-01-01'
           AND ngay_tiep_nhan < '2026-02-01' AND kenh = 'truc_tuyen'"""
    ).fetchall()[0][0]
    assert (received, online) == (1279, 1019)
    con.close()


def test_shuffled_import_order_gives_the_same_content(samples_db, tmp_path):
    reference = connect(samples_db)
    expected = snapshot(reference)
    reference.close()
    files = sample_files()
    random.Random(2026).shuffle(files)
    con = connect(tmp_path / "shuffled.duckdb")
    results = import_files(con, files, commune=COMMUNE)
    assert all(r.ok for r in results)
    assert snapshot(con) == expected
    con.close()


def test_the_same_file_twice_changes_nothing(con):
    path = DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"
    first = import_files(con, [path])[0]
    before = snapshot(con)
    n_imports = con.execute("SELECT count(*) FROM imports").fetchall()[0][0]
    second = import_files(con, [path])[0]
    assert first.ok and first.inserted == 1220
    assert second.ok and second.duplicate_of == first.import_id
    assert snapshot(con) == before
    assert con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == n_imports


def test_undo_restores_the_previous_state(con):
    import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-01.xlsx"])
    before = snapshot(con)
    later = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-02.xlsx"])[0]
    assert later.updated > 0 and snapshot(con) != before
    message = undo_import(con, later.import_id, user="kiem_thu")
    assert "Đã hoàn tác" in message
    assert snapshot(con) == before
    undone_by = con.execute(
        "SELECT undone_by FROM imports WHERE import_id = ?", [later.import_id]
    ).fetchall()[0][0]
    assert undone_by == "kiem_thu"
    with pytest.raises(UserError, match="đã được hoàn tác"):
        undo_import(con, later.import_id)
    # an undone file can be imported again
    again = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-02.xlsx"])[0]
    assert again.ok and again.duplicate_of is None


def test_undo_of_an_older_snapshot_keeps_the_newer_state(con):
    jan = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-01.xlsx"])[0]
    import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-02.xlsx"])
    undo_import(con, jan.import_id)
    rows = con.execute("SELECT count(*), min(as_of) FROM ho_so").fetchall()[0]
    assert rows[0] == 1200 and str(rows[1]) == "2026-02-28"


def test_no_personal_data_in_any_table(samples_db):
    wb = openpyxl.load_workbook(DIEN_CHAU / "danh_sach_ho_so_2026-01.xlsx", read_only=True)
    ws = wb.active
    personal = set()
    for row in ws.iter_rows(min_row=10, max_row=200, values_only=True):
        if row[1]:
            personal.update({str(row[4]), str(row[5]), str(row[6]), str(row[7])})
    wb.close()
    assert len(personal) > 100
    con = connect(samples_db)
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    for table in tables:
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND data_type = 'VARCHAR'",
                [table],
            ).fetchall()
        ]
        for column in columns:
            values = {
                r[0] for r in con.execute(f'SELECT DISTINCT "{column}" FROM {table}').fetchall()
            }
            leaked = values & personal
            assert not leaked, f"{table}.{column} holds personal data: {sorted(leaked)[:3]}"
    con.close()


def test_officer_is_kept(samples_db):
    con = connect(samples_db)
    officers = {r[0] for r in con.execute("SELECT DISTINCT can_bo FROM ho_so").fetchall()}
    assert "Trần Văn Nam" in officers
    con.close()


def test_command_line_imports_samples_and_names_rejected_files(tmp_path):
    db = tmp_path / "cli.duckdb"
    files = [
        DIEN_CHAU / "danh_sach_ho_so_2026-08.csv",
        BAD / "ngay_sai_mau.csv",
        DIEN_CHAU / "bieu_06a_2026-08.xlsx",
    ]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(db),
            "--commune",
            "Diễn Châu",
            *map(str, files),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert (
        "danh_sach_ho_so_2026-08.csv: Danh sách hồ sơ, Xã Diễn Châu, số liệu đến ngày "
        "31/08/2026 — 1.208 dòng mới" in proc.stdout
    )
    assert "Tệp «ngay_sai_mau.csv» bị từ chối" in proc.stderr
    assert "dòng 4, cột «Ngày hẹn trả»: giá trị «24/13/2026 17:00:00»" in proc.stderr
    assert "1/3 tệp bị từ chối: ngay_sai_mau.csv" in proc.stderr
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(db),
            str(DIEN_CHAU / "so_hoa_766_2026-08.xlsx"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    con = connect(db)
    kinds = sorted(r[0] for r in con.execute("SELECT kind FROM imports").fetchall())
    assert kinds == ["bieu_06a", "danh_sach_ho_so", "so_hoa_766"]
    con.close()


def test_as_of_option_overrides_the_file(tmp_path):
    db = tmp_path / "asof.duckdb"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(db),
            "--commune",
            "Diễn Châu",
            "--as-of",
            "15/09/2026",
            str(DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "số liệu đến ngày 15/09/2026" in proc.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "import",
            "--db",
            str(db),
            "--as-of",
            "31/13/2026",
            str(DIEN_CHAU / "danh_sach_ho_so_2026-08.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "ngày «31/13/2026» không hợp lệ" in bad.stderr
