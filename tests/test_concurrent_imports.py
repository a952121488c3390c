"""Several staff uploading at the same moment, each session on its own cursor of the one
connection the app holds: every file is imported exactly once, none fails with a conflict."""

from __future__ import annotations

import threading

from storage.database import connect
from storage.imports import import_files
from tests.conftest import COMMUNE, DIEN_CHAU


def test_sessions_importing_at_once_each_file_lands_exactly_once(db_path):
    con = connect(db_path)
    months = [DIEN_CHAU / f"danh_sach_ho_so_2026-0{m}.xlsx" for m in range(1, 6)]
    same = DIEN_CHAU / "bieu_06a_2026-03.xlsx"
    jobs = [[f, same] for f in months]  # five sessions: their own month, and one shared file
    results: list = []
    start = threading.Barrier(len(jobs))

    def session(files):
        cur = con.cursor()
        start.wait()
        results.extend(import_files(cur, files, commune=COMMUNE, user="can_bo"))

    threads = [threading.Thread(target=session, args=(files,)) for files in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert len(results) == 10
    stored = con.execute("SELECT file_name, count(*) FROM imports GROUP BY ALL").fetchall()
    assert sorted(stored) == sorted([(f.name, 1) for f in months] + [(same.name, 1)])
    assert sum(r.duplicate_of is not None for r in results) == 4
    con.close()
