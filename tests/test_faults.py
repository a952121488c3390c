"""Faults end in a Vietnamese message, never a traceback: a full disk (the write-ahead log
on /dev/full, which answers every write with ENOSPC), a read-only location, a corrupted
database file, a database held by another program; and a read-only mode that serves a copy
for viewing without writing a byte."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from storage.database import connect
from storage.imports import import_files
from tests.conftest import COMMUNE, DIEN_CHAU, ROOT

GOOD = [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx", DIEN_CHAU / "bieu_06a_2026-03.xlsx"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def full_disk(db_path):
    """A database whose every write fails with "No space left on device"."""
    connect(db_path).close()
    wal = db_path.with_name(db_path.name + ".wal")
    wal.unlink(missing_ok=True)
    wal.symlink_to("/dev/full")
    yield db_path
    wal.unlink(missing_ok=True)


def test_a_full_disk_rejects_each_file_with_a_message_and_stores_nothing(full_disk):
    con = connect(full_disk)
    results = import_files(con, GOOD, commune=COMMUNE, user="canbo")
    con.close()
    assert [r.ok for r in results] == [False, False]  # the second file was tried too
    for r in results:
        assert "đã đầy" in r.message and "chưa được lưu" in r.message, r.message
    full_disk.with_name(full_disk.name + ".wal").unlink()
    con = connect(full_disk)
    assert con.execute("SELECT count(*) FROM imports").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM ho_so").fetchone() == (0,)
    assert all(r.ok for r in import_files(con, GOOD, commune=COMMUNE, user="canbo"))
    con.close()


def test_a_full_disk_on_the_command_line(full_disk):
    out = cli("import", "--db", str(full_disk), "--commune", COMMUNE, *map(str, GOOD))
    assert out.returncode != 0
    assert "đã đầy" in out.stderr and "Traceback" not in out.stderr + out.stdout
    assert out.stderr.count("bị từ chối") >= 2  # one line per file


def test_a_full_disk_on_the_upload_page_gives_each_file_its_result(full_disk):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/tai_du_lieu.py").run()
    at.get("file_uploader")[0].set_value(
        [(f.name, f.read_bytes(), "application/octet-stream") for f in GOOD]
    ).run()
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận")).check().run()
    for box in [c for c in at.checkbox if c.label.startswith("Tôi xác nhận")]:
        box.check()
    at.run()
    next(b for b in at.button if b.label == "Nhập 2 tệp").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error if "đã đầy" in e.value]
    assert len(errors) == 2 and all(f.name in " ".join(errors) for f in GOOD)


@pytest.fixture
def read_only_place(samples_db):
    """A copy of the samples in a folder nobody but its owner may write."""
    folder = Path(tempfile.mkdtemp(prefix="kpi_ro_", dir="/tmp"))
    db = folder / "kpi.duckdb"
    shutil.copy(samples_db, db)
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    yield db
    os.chmod(folder, 0o755)
    shutil.rmtree(folder)


def test_a_read_only_location_says_so_and_what_to_do(monkeypatch):
    # /sys refuses new files to every user, root included, as a read-only mount does
    place = "/sys/kpi_xa_thu/kpi.duckdb"
    out = cli("import", "--db", place, "--commune", COMMUNE, str(GOOD[0]))
    assert out.returncode == 4, (out.returncode, out.stderr)
    assert "Không ghi được" in out.stderr and "KPI_READ_ONLY=1" in out.stderr
    assert "Traceback" not in out.stderr
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    monkeypatch.setenv("KPI_DB", place)
    at.run()
    assert not at.exception
    assert any("Không ghi được" in e.value for e in at.error)


def test_read_only_mode_serves_a_copy_for_viewing(read_only_place, monkeypatch):
    # the copy sits in a folder made read-only and is opened without a write of any kind
    monkeypatch.setenv("KPI_DB", str(read_only_place))
    monkeypatch.setenv("KPI_READ_ONLY", "1")
    before = sorted(p.name for p in read_only_place.parent.iterdir())
    digest = hashlib.sha256(read_only_place.read_bytes()).hexdigest()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ky"] = "2026-03"
    at.run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Trạng thái" in d.value.columns)
    assert len(table) == 64
    with pytest.raises(ValueError):  # no page that writes is offered
        at.switch_page("pages/tai_du_lieu.py")
    direct = AppTest.from_file(str(ROOT / "pages" / "nhap_so_lieu.py"), default_timeout=120)
    direct.session_state["username"], direct.session_state["role"] = "kiem_thu", "quan_tri"
    direct.run()
    assert any("không có quyền" in e.value for e in direct.error)
    assert sorted(p.name for p in read_only_place.parent.iterdir()) == before
    assert hashlib.sha256(read_only_place.read_bytes()).hexdigest() == digest


def test_a_corrupted_database_file_is_named_with_the_way_out(db_path, monkeypatch):
    db_path.write_bytes(b"DUCK" + os.urandom(5000))
    out = cli("compute", "--db", str(db_path), "--period", "2026-03")
    assert out.returncode == 4
    assert "bị hỏng" in out.stderr and "restore" in out.stderr
    assert "Traceback" not in out.stderr
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any("bị hỏng" in e.value for e in at.error)


def test_a_database_held_by_another_program(db_path):
    connect(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; c = duckdb.connect(sys.argv[1]); "
            "print('giu', flush=True); sys.stdin.read()",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "giu"
        out = cli("import", "--db", str(db_path), "--commune", COMMUNE, str(GOOD[0]))
        assert out.returncode == 3
        assert "đang được một chương trình khác mở" in out.stderr
        assert "Tải dữ liệu" in out.stderr and "Traceback" not in out.stderr
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        assert not at.exception
        assert any("đang được một chương trình khác mở" in e.value for e in at.error)
    finally:
        holder.communicate("", timeout=60)
