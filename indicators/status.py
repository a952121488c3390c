"""An indicator's value against its target: the expected value now and the colour band."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from indicators.definitions import Indicator, Target

DAT, GAN_DAT, CHAM = "dat", "gan_dat", "cham"
CHUA_CO_CHI_TIEU, KHONG_CO_DU_LIEU = "chua_co_chi_tieu", "khong_co_du_lieu"
STATUS_LABELS = {
    DAT: "Đạt", GAN_DAT: "Gần đạt", CHAM: "Chậm",
    CHUA_CO_CHI_TIEU: "Chưa có chỉ tiêu", KHONG_CO_DU_LIEU: "Không có dữ liệu",
}
STATUS_ORDER = {CHAM: 0, GAN_DAT: 1, KHONG_CO_DU_LIEU: 2, DAT: 3, CHUA_CO_CHI_TIEU: 4}
DEFAULT_BAND = 0.05  # five percentage points (doc §3)


@dataclass(frozen=True)
class Evaluation:
    target: float | None  # the year's target (for a range, its lower bound)
    expected: float | None  # what the value should be at this point of the year
    status: str


def _band(target: Target, indicator: Indicator, reference: float) -> float:
    if target.band is not None:
        return float(target.band)
    return DEFAULT_BAND if indicator.unit == "percent" else abs(reference) * DEFAULT_BAND


def evaluate(indicator: Indicator, target: Target | None, value: float | None,
             period_end: dt.date, baseline: float | None = None) -> Evaluation:
    if target is None:
        return Evaluation(None, None, CHUA_CO_CHI_TIEU if value is not None else KHONG_CO_DU_LIEU)
    fraction = period_end.month / 12 if period_end.year == target.year else 1.0
    if target.kind == "growth":
        if baseline is None:
            return Evaluation(None, None,
                              CHUA_CO_CHI_TIEU if value is not None else KHONG_CO_DU_LIEU)
        goal = baseline * (1 + float(target.low or 0))
        expected = baseline * (1 + float(target.low or 0) * (fraction if target.prorate else 1.0))
    elif target.kind == "range":
        goal = float(target.low or 0)
        expected = goal
    else:
        goal = float(target.value or 0)
        expected = goal * fraction if target.prorate else goal
    if value is None:
        return Evaluation(goal, expected, KHONG_CO_DU_LIEU)
    band = _band(target, indicator, expected)
    eps = 1e-12
    if indicator.direction == "lower" or target.kind == "max":
        if value <= expected + eps:
            status = DAT
        elif value <= expected + band + eps:
            status = GAN_DAT
        else:
            status = CHAM
    else:
        if value >= expected - eps:
            status = DAT
        elif value >= expected - band - eps:
            status = GAN_DAT
        else:
            status = CHAM
    # past a deadline there is no "almost"
    if target.kind == "deadline" and target.due and period_end >= target.due and status == GAN_DAT:
        status = CHAM
    return Evaluation(goal, expected, status)
