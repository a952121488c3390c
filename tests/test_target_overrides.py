"""Targets set by an admin override the programme's, for every commune or one, audited."""

from __future__ import annotations

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import load_catalog
from storage.audit import trail
from storage.imports import import_files
from storage.targets import TargetError, set_target
from tests.conftest import COMMUNE, DIEN_CHAU


@pytest.fixture
def march(con):
    assert import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"], commune=COMMUNE)[0].ok
    return con


def so_hoa(con):
    return next(
        r for r in Engine(con).scorecard(parse("2026-03"), COMMUNE) if r.id == "ty_le_so_hoa"
    )


def test_an_override_changes_the_target_and_the_status(march):
    before = so_hoa(march)
    assert (before.target, before.status) == (0.98, "gan_dat")
    set_target(
        march,
        load_catalog(),
        "ty_le_so_hoa",
        2026,
        "min",
        value=0.95,
        basis="Kết luận cuộc họp BCĐ tháng 4",
        user="quantri",
    )
    after = so_hoa(march)
    assert (after.target, after.status) == (0.95, "dat")
    # a commune's own target beats one for every commune
    set_target(
        march,
        load_catalog(),
        "ty_le_so_hoa",
        2026,
        "min",
        value=0.99,
        commune=COMMUNE,
        basis="Giao riêng cho xã",
        user="quantri",
    )
    assert so_hoa(march).target == 0.99
    log = trail(march)
    assert list(log["hanh_dong"]) == ["Sửa chỉ tiêu", "Sửa chỉ tiêu", "Nhập tệp"]
    assert log.iloc[0]["chi_tiet"].startswith("Trước: loại: tối thiểu; giá trị: 0,95;")
    assert (
        "Sau: loại: tối thiểu; giá trị: 0,99; căn cứ: Giao riêng cho xã." in log.iloc[0]["chi_tiet"]
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "min", "value": 98.0}, "phân số"),
        ({"kind": "range", "low": 0.9, "high": 0.8}, "thấp ≤"),
        ({"kind": "min", "value": None}, "cần nhập giá trị"),
        ({"kind": "gan_bang", "value": 0.9}, "loại chỉ tiêu"),
    ],
)
def test_bad_targets_are_refused(con, kwargs, message):
    with pytest.raises(TargetError, match=message):
        set_target(con, load_catalog(), "ty_le_so_hoa", 2026, basis="x", user="quantri", **kwargs)
    assert trail(con).empty
