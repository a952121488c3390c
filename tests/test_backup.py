"""Backups are consistent while imports run, and restore gives that state back."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from storage.backup import backup, restore
from storage.database import connect
from storage.imports import import_files
from tests.conftest import COMMUNE, DIEN_CHAU, ROOT, sample_files


def _state(path) -> tuple:
    con = connect(path)
    try:
        imports = con.execute(
            "SELECT import_id, rows_inserted + rows_updated + rows_unchanged "
            "FROM imports ORDER BY 1"
        ).fetchall()
        versions = con.execute(
            "SELECT import_id, count(*) FROM ho_so_versions GROUP BY 1 "
            "UNION ALL SELECT import_id, count(*) FROM bao_cao_tong_hop "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        return imports, versions
    finally:
        con.close()


def test_a_backup_taken_during_imports_is_consistent(db_path, tmp_path):
    con = connect(db_path)
    files = [f for f in sample_files() if "danh_sach" in f.name][:6]
    worker = con.cursor()
    done = threading.Event()

    def run_imports():
        import_files(worker, files, commune=COMMUNE)
        done.set()

    thread = threading.Thread(target=run_imports)
    thread.start()
    copies = []
    while not done.is_set():  # back up over and over while the imports run
        copies.append(backup(con, tmp_path / "copies", user="quan_tri"))
    thread.join()
    copies.append(backup(con, tmp_path / "copies", user="quan_tri"))
    con.close()
    assert len(copies) >= 2
    for copy in copies:
        imports, versions = _state(copy)
        # every import in the copy has all its rows, and no rows belong to a missing import
        assert [i for i, _ in imports] == [i for i, _ in versions]
        assert imports == versions
    assert _state(copies[-1])[0] == _state(db_path)[0]
    assert len(_state(copies[-1])[0]) == len(files)


def test_restore_brings_back_the_backup(db_path, tmp_path):
    con = connect(db_path)
    import_files(con, [DIEN_CHAU / "bieu_06a_2026-01.xlsx"], commune=COMMUNE)
    copy = backup(con, tmp_path, user="quan_tri")
    import_files(con, [DIEN_CHAU / "bieu_06a_2026-02.xlsx"], commune=COMMUNE)
    con.close()
    assert len(_state(db_path)[0]) == 2
    restore(copy, db_path)
    assert len(_state(db_path)[0]) == 1
    assert list(db_path.parent.glob("*.truoc_khi_khoi_phuc_*.duckdb"))
    # sequences came along: the restored database takes new imports
    con = connect(db_path)
    again = import_files(con, [DIEN_CHAU / "bieu_06a_2026-02.xlsx"], commune=COMMUNE)[0]
    con.close()
    assert again.ok and again.import_id == 2


def test_restore_refuses_while_the_database_is_open(db_path, tmp_path):
    con = connect(db_path)
    copy = backup(con, tmp_path, user="quan_tri")
    held = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, '.');"
            "from storage.database import connect;"
            f"c = connect({str(db_path)!r}); print('ok', flush=True);"
            "time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    con.close()
    try:
        assert held.stdout.readline().strip() == "ok"
        done = subprocess.run(
            [sys.executable, "-m", "cli", "restore", str(copy), "--db", str(db_path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 3
        assert "đang được một chương trình khác mở" in done.stderr
    finally:
        held.kill()
        held.wait()


@pytest.mark.parametrize("damage", ["truncated", "not_duckdb"])
def test_restore_works_when_the_current_file_is_broken(con, db_path, tmp_path, damage):
    import_files(con, [DIEN_CHAU / "bieu_06a_2026-01.xlsx"], commune=COMMUNE)
    copy = backup(con, tmp_path / "sao_luu", user="quan_tri")
    con.close()
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"x" * 5000)
    broken = subprocess.run(
        [sys.executable, "-m", "cli", "history", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode == 4 and "Traceback" not in broken.stderr
    assert "bị hỏng hoặc không phải tệp DuckDB" in broken.stderr and "restore" in broken.stderr
    done = subprocess.run(
        [sys.executable, "-m", "cli", "restore", str(copy), "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(db_path.parent.glob("kpi.truoc_khi_khoi_phuc_*.duckdb"))) == 1
    history = subprocess.run(
        [sys.executable, "-m", "cli", "history", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "bieu_06a_2026-01.xlsx" in history.stdout


def test_database_files_and_backups_are_readable_by_their_owner_only(con, db_path, tmp_path):
    import_files(con, [DIEN_CHAU / "bieu_06a_2026-01.xlsx"], commune=COMMUNE)
    copy = backup(con, tmp_path / "sao_luu", user="quan_tri")
    for path in (db_path, copy):
        assert path.stat().st_mode & 0o077 == 0, oct(path.stat().st_mode)
    assert copy.parent.stat().st_mode & 0o077 == 0


def test_the_admin_page_writes_the_backup_to_the_folder_and_offers_no_download_link(
    db_path, monkeypatch
):
    # issue 19: a /media download link of the database worked for anyone holding it
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KPI_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/quan_tri.py").run()
    next(b for b in at.button if b.label == "Sao lưu ngay").click().run()
    assert not at.exception, at.exception
    folder = db_path.parent / "backups"
    made = sorted(folder.glob("kpi_*.duckdb"))
    assert len(made) == 1 and oct(made[0].stat().st_mode & 0o777) == "0o600"
    assert any(made[0].name in s.value and "trên máy chủ" in s.value for s in at.success)
    assert not [d for d in at.get("download_button") if "sao lưu" in d.label.lower()]
