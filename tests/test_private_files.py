"""Files the app writes are its owner's only (issue 19): the database's .wal (created at the
first write, after the connect), logs, backups, reports, temporaries; the server process
runs with umask 077; no log is committed; a commune named with «/» is one file name."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from core.periods import parse
from core.text import file_part
from indicators.compute import Engine
from storage.database import connect
from tests.conftest import ROOT

OWNER_ONLY = "0o600"


def mode(path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_the_wal_created_after_the_connect_is_owner_only(db_path):
    os.umask(0o022)  # a usual login umask
    con = connect(db_path)
    wal = db_path.with_name(db_path.name + ".wal")
    con.execute("CREATE TABLE thu (x INTEGER)")
    con.execute("INSERT INTO thu VALUES (1)")
    assert wal.exists()
    assert mode(wal) == OWNER_ONLY and mode(db_path) == OWNER_ONLY
    with tempfile.NamedTemporaryFile(delete=False) as tmp:
        pass
    assert mode(type(db_path)(tmp.name)) == OWNER_ONLY  # every later temporary too
    os.unlink(tmp.name)
    con.close()


@pytest.mark.browser  # a real server, like the browser tests
def test_the_server_runs_with_umask_077(tmp_path):
    from testing.server import running_server

    with running_server(tmp_path / "kpi.duckdb", KPI_AUTH="1") as server:
        status = (Path("/proc") / str(server.proc.pid) / "status").read_text()
        umask = next(line.split()[1] for line in status.splitlines() if line.startswith("Umask:"))
        assert umask == "0077"


def test_no_log_is_committed_and_the_log_folder_is_ignored():
    tracked = subprocess.run(
        ["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [p for p in tracked if p.startswith("data/logs")] == []
    ignored = subprocess.run(
        ["git", "check-ignore", "data/logs/kpi_xa.log"], cwd=ROOT, capture_output=True, text=True
    )
    assert ignored.returncode == 0


def test_a_name_from_data_is_one_safe_file_name():
    assert file_part("Xã A/B") == "Xa_A_B"
    assert file_part("../../etc/passwd") == "etc_passwd"
    assert file_part("\x1b[31mĐỏ\n") == "31mDo"
    assert file_part("-rf") == "rf"
    assert file_part("///") == "tep"


def test_a_report_for_a_commune_named_with_a_slash(tmp_path):
    import datetime as dt

    from reports.report import build
    from storage import demo
    from storage.imports import import_files

    con = connect(tmp_path / "kpi.duckdb")
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    cases = demo.synthetic_cases(200, start, end, seed=3)
    export = demo.write_case_export(
        cases, tmp_path / "ds.xlsx", commune_title="", start=start, end=end
    )
    results = import_files(con, [export], commune="Xã Đông/Tây", user="kiem_thu")
    assert all(r.ok for r in results), [r.message for r in results]
    out = tmp_path / "bao_cao"
    files = build(
        Engine(con), parse("2026-03"), "Xã Đông/Tây", out, with_charts=False, with_pdf=False
    )
    con.close()
    assert files.docx.parent == out and files.xlsx.parent == out
    assert files.docx.name == "bao_cao_2026-03_Xa_Dong_Tay.docx"
    assert files.docx.exists() and mode(files.docx) == OWNER_ONLY
