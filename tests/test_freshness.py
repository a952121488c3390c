"""A hand-entered figure belongs to its month: shown with that month while the definition
lets it stand (``carry_months``), «chưa cập nhật» after, and never compared with itself as
if it had been measured again («+0,0 điểm %»)."""

from __future__ import annotations

import datetime as dt

from core.periods import parse
from indicators.compute import Engine
from indicators.definitions import manual_indicators
from indicators.scorecard import scorecard_table
from storage.figures import enter

COMMUNE = "Xã Diễn Châu"
IND = "ty_le_vneid_muc2"


def figure(con, month: int, num: float, den: float, ind: str = IND) -> None:
    enter(
        con,
        manual_indicators(),
        ind,
        COMMUNE,
        dt.date(2026, month, 1),
        numerator=num,
        denominator=den,
        source="Công an xã",
        user="canbo",
    )


def result(con, code: str):
    eng = Engine(con)
    return next(r for r in eng.scorecard(parse(code), COMMUNE) if r.id == IND)


def test_a_figure_stands_for_its_months_then_is_not_updated(con):
    figure(con, 4, 865, 1000)
    figure(con, 8, 1, 2, ind="ty_le_asxh_khong_tien_mat")  # data for later months exist
    carry = manual_indicators()[IND].carry_months
    assert carry == 2
    april = result(con, "2026-04")
    assert april.value == 0.865 and april.figure_month == dt.date(2026, 4, 1)
    june = result(con, "2026-06")  # two months later: still April's figure, said so
    assert june.value == 0.865 and june.figure_month == dt.date(2026, 4, 1)
    table = scorecard_table(Engine(con), parse("2026-06"), COMMUNE, trend_months=0)
    row = table[table["_id"] == IND].iloc[0]
    assert row["Giá trị"] == "86,5% (tháng 04/2026)"
    assert row["So với kỳ trước"] == "—" and row["_delta"] is None  # May had the same figure
    july = result(con, "2026-07")  # three months on: not carried forward
    assert july.value is None and july.status == "chua_cap_nhat"
    assert july.note == "Chưa cập nhật (số gần nhất: tháng 04/2026)"
    table = scorecard_table(Engine(con), parse("2026-07"), COMMUNE, trend_months=0)
    row = table[table["_id"] == IND].iloc[0]
    assert "Chưa cập nhật" in row["Trạng thái"] and row["Giá trị"] == "—"


def test_a_new_figure_is_compared_with_the_previous_one(con):
    figure(con, 4, 865, 1000)
    figure(con, 5, 870, 1000)
    table = scorecard_table(Engine(con), parse("2026-05"), COMMUNE, trend_months=0)
    row = table[table["_id"] == IND].iloc[0]
    assert row["Giá trị"] == "87,0%"  # this month's own figure: no month to add
    assert row["_delta"] == "+0,5 điểm %"


def test_a_change_that_rounds_to_nothing_is_not_a_fall(con):
    figure(con, 4, 8650, 10000)
    figure(con, 5, 86499, 100000)  # 86,499%: down by 0,001 point
    table = scorecard_table(Engine(con), parse("2026-05"), COMMUNE, trend_months=0)
    row = table[table["_id"] == IND].iloc[0]
    assert row["_delta"] is None and row["So với kỳ trước"].startswith("■")
