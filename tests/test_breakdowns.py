"""Breakdowns by lĩnh vực, thủ tục, kênh and cán bộ add up to the indicator itself."""

from __future__ import annotations

import pytest

from core.errors import UserError
from core.periods import parse
from indicators.compute import Engine
from storage.database import connect
from tests.conftest import COMMUNE


@pytest.fixture(scope="module")
def engine(samples_db):
    con = connect(samples_db)
    yield Engine(con)
    con.close()


@pytest.mark.parametrize("by", ["linh_vuc", "ten_tthc", "kenh", "can_bo"])
@pytest.mark.parametrize(
    "indicator",
    [
        "ho_so_tiep_nhan",
        "ty_le_truc_tuyen",
        "ty_le_dung_han",
        "ty_le_ket_qua_dien_tu",
        "ty_le_hai_long",
    ],
)
@pytest.mark.parametrize("period", ["2026-03", "2026-Q3"])
def test_breakdown_sums_to_the_indicator(engine, by, indicator, period):
    p = parse(period)
    total = engine.compute_one(engine.catalog.indicators[indicator], p, [COMMUNE])
    parts = engine.breakdown(indicator, p, by, COMMUNE)
    assert len(parts) > 1
    assert parts["tu_so"].sum() == total.numerator
    if total.denominator is not None:
        assert parts["mau_so"].sum() == total.denominator
        assert (parts["gia_tri"] == parts["tu_so"] / parts["mau_so"]).all()


def test_breakdown_by_channel_uses_vietnamese_labels(engine):
    parts = engine.breakdown("ho_so_tiep_nhan", parse("2026-03"), "kenh", COMMUNE)
    assert set(parts["nhom"]) <= {"Trực tuyến", "Trực tiếp", "Bưu chính công ích"}
    online = parts.set_index("nhom").at["Trực tuyến", "tu_so"]
    assert online == 927  # dien_chau_expected.json: ty_le_truc_tuyen 2026-03 numerator


def test_breakdown_of_a_hand_entered_indicator_is_empty(engine):
    assert engine.breakdown("ty_le_vneid_muc2", parse("2026-03"), "linh_vuc").empty


def test_breakdown_refuses_an_unknown_field(engine):
    with pytest.raises(UserError, match="không thể chia theo"):
        engine.breakdown("ty_le_truc_tuyen", parse("2026-03"), "ho_ten")
