"""Locked months refuse changes until unlocked; every change leaves a line in the trail."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import UserError
from indicators.definitions import manual_indicators
from storage import figures as manual
from storage import locks
from storage.audit import trail
from storage.imports import import_files, undo_import
from tests.conftest import COMMUNE, DIEN_CHAU

MANUAL = manual_indicators()

MARCH = dt.date(2026, 3, 1)


def test_a_locked_month_refuses_imports_undo_and_figures(con):
    first = import_files(con, [DIEN_CHAU / "bieu_06a_2026-03.xlsx"], commune=COMMUNE)[0]
    assert first.ok
    locks.lock(con, COMMUNE, MARCH, "quan_tri", "sau cuộc họp tháng 4")
    before = con.execute("SELECT count(*) FROM ho_so_versions").fetchall()
    refused = import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"], commune=COMMUNE)[0]
    assert not refused.ok
    assert "tháng 03/2026 của Xã Diễn Châu đã được khóa" in refused.message
    assert "mở khóa" in refused.message
    assert con.execute("SELECT count(*) FROM ho_so_versions").fetchall() == before
    # April is not locked
    assert import_files(con, [DIEN_CHAU / "bieu_06a_2026-04.xlsx"], commune=COMMUNE)[0].ok
    with pytest.raises(UserError, match="Không hoàn tác được"):
        undo_import(con, first.import_id, "nhan_vien")
    with pytest.raises(manual.ManualEntryError, match="đã được khóa"):
        manual.enter(
            con,
            MANUAL,
            "ty_le_vneid_muc2",
            COMMUNE,
            MARCH,
            value=0.9,
            source="Công an xã",
            user="nhan_vien",
        )
    with pytest.raises(UserError, match="lý do"):
        locks.unlock(con, COMMUNE, MARCH, "quan_tri", "")
    locks.unlock(con, COMMUNE, MARCH, "quan_tri", "sửa số liệu Biểu 06a theo công văn")
    assert import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"], commune=COMMUNE)[0].ok


def test_the_trail_records_every_change(con):
    result = import_files(
        con, [DIEN_CHAU / "bieu_06a_2026-03.xlsx"], commune=COMMUNE, user="nhan_vien"
    )[0]
    manual.enter(
        con,
        MANUAL,
        "ty_le_vneid_muc2",
        COMMUNE,
        MARCH,
        value=0.9,
        source="Công an xã",
        user="nhan_vien",
    )
    manual.enter(
        con,
        MANUAL,
        "ty_le_vneid_muc2",
        COMMUNE,
        MARCH,
        value=0.92,
        source="Công an xã",
        user="nhan_vien",
        note="sửa",
    )
    undo_import(con, result.import_id, "nhan_vien")
    locks.lock(con, COMMUNE, MARCH, "quan_tri")
    locks.unlock(con, COMMUNE, MARCH, "quan_tri", "nhầm tháng")
    t = trail(con).iloc[::-1]
    assert list(t["hanh_dong"]) == [
        "Nhập tệp",
        "Nhập số liệu",
        "Nhập số liệu",
        "Hoàn tác lần nhập",
        "Khóa tháng",
        "Mở khóa tháng",
    ]
    assert list(t["nguoi"]) == ["nhan_vien"] * 4 + ["quan_tri"] * 2
    # told as sentences, not JSON
    assert t.iloc[2]["chi_tiet"] == (
        "Lưu phiên bản: 2; giá trị: 0,92; nguồn: Công an xã; ghi chú: sửa."
    )
    assert t.iloc[0]["chi_tiet"].startswith(f"Nhập Biểu 06a của {COMMUNE}, số liệu đến 31/03/2026:")
    assert t.iloc[3]["chi_tiet"] == f"Gỡ toàn bộ số liệu của lần nhập này ({COMMUNE})."
    assert not any("{" in d for d in t["chi_tiet"])
    assert t.iloc[5]["chi_tiet"] == "nhầm tháng"
    assert t.iloc[0]["doi_tuong"] == f"#{result.import_id} bieu_06a_2026-03.xlsx"


def test_a_refused_import_leaves_no_trail(con):
    locks.lock(con, COMMUNE, MARCH, "quan_tri")
    assert not import_files(con, [DIEN_CHAU / "bieu_06a_2026-03.xlsx"], commune=COMMUNE)[0].ok
    assert list(trail(con)["hanh_dong"]) == ["Khóa tháng"]


def test_the_upload_preview_says_a_month_is_locked_before_import(con, db_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    import_files(con, [DIEN_CHAU / "bieu_06a_2026-03.xlsx"], commune=COMMUNE, user="canbo")
    locks.lock(con, COMMUNE, MARCH, "quan_tri")
    con.close()
    monkeypatch.setenv("KPI_COMMUNE", COMMUNE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/tai_du_lieu.py").run()
    sample = DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"
    at.get("file_uploader")[0].set_value(
        [(sample.name, sample.read_bytes(), "application/octet-stream")]
    ).run()
    assert not at.exception
    assert any("tháng 03/2026 của Xã Diễn Châu đã được khóa" in e.value for e in at.error)
    assert not any(b.label.startswith("Nhập ") for b in at.button)
