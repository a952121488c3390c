"""An indicator's value against its target: the expected value now and the colour band."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import formatting as fmt
from indicators.definitions import Indicator, Target

DAT, GAN_DAT, CHAM = "dat", "gan_dat", "cham"
CHUA_CO_CHI_TIEU, KHONG_CO_DU_LIEU = "chua_co_chi_tieu", "khong_co_du_lieu"
# a growth target whose baseline year has no figure: the target exists, a number is missing
THIEU_GOC = "thieu_so_lieu_goc"
STATUS_LABELS = {
    DAT: "Đạt", GAN_DAT: "Gần đạt", CHAM: "Chậm",
    CHUA_CO_CHI_TIEU: "Chưa có chỉ tiêu", KHONG_CO_DU_LIEU: "Không có dữ liệu",
    THIEU_GOC: "Thiếu số liệu năm gốc",
}
STATUS_ORDER = {CHAM: 0, GAN_DAT: 1, THIEU_GOC: 2, KHONG_CO_DU_LIEU: 3, DAT: 4,
                CHUA_CO_CHI_TIEU: 5}
DEFAULT_BAND = 0.05  # five percentage points (doc §3)
GROWTH_MODES = {"relative": "tăng tương đối (giá trị năm gốc × (1 + mức tăng))",
                "points": "tăng theo điểm phần trăm (giá trị năm gốc + mức tăng)"}


@dataclass(frozen=True)
class Evaluation:
    target: float | None  # the year's target (for a range, its lower bound)
    expected: float | None  # what the value should be at this point of the year
    status: str
    note: str = ""  # said instead of the status label when it needs a year or a date


def _band(target: Target, indicator: Indicator, reference: float) -> float:
    if target.band is not None:
        return float(target.band)
    if target.kind == "range" and target.low is not None and target.high is not None \
            and target.high > target.low:
        # "gần đạt" within one width of the range below it: 11,81-12% tolerates 11,62%,
        # not 7% (a fixed five points would call 7% against 11,81% "almost")
        return float(target.high - target.low)
    return DEFAULT_BAND if indicator.unit == "percent" else abs(reference) * DEFAULT_BAND


def growth_goal(target: Target, baseline: float, share: float = 1.0) -> float:
    """The value a growth target asks for: relative (the programme's "tăng 25%" of a rate
    read as 25% more than the baseline) or in percentage points, as the target says."""
    step = float(target.low or 0) * share
    return baseline + step if target.growth == "points" else baseline * (1 + step)


def deadline_path(target: Target, start_value: float | None, period_end: dt.date) -> float:
    """What a value due by a date should be at ``period_end``: a straight path from the year's
    starting value (0 when unknown) on 1 January to the target on the due date."""
    goal = float(target.value or 0)
    due = target.due or dt.date(target.year, 12, 31)
    begin = dt.date(target.year, 1, 1)
    if period_end >= due:
        return goal
    if period_end < begin:
        return start_value or 0.0
    start = min(start_value or 0.0, goal)
    share = (period_end - begin).days / max((due - begin).days, 1)
    return start + (goal - start) * share


def evaluate(indicator: Indicator, target: Target | None, value: float | None,
             period_end: dt.date, baseline: float | None = None,
             start_value: float | None = None) -> Evaluation:
    """``baseline``: the baseline year's value of a growth target; ``start_value``: the value
    at the start of the year, where a deadline target's path begins."""
    if target is None:
        return Evaluation(None, None, CHUA_CO_CHI_TIEU if value is not None else KHONG_CO_DU_LIEU)
    fraction = period_end.month / 12 if period_end.year == target.year else 1.0
    if target.kind == "growth":
        if baseline is None:
            return Evaluation(None, None, THIEU_GOC,
                              f"Thiếu số liệu năm {target.baseline_year}")
        goal = growth_goal(target, baseline)
        expected = growth_goal(target, baseline, fraction if target.prorate else 1.0)
    elif target.kind == "deadline":
        goal = float(target.value or 0)
        expected = deadline_path(target, start_value, period_end)
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


def target_label(indicator: Indicator, target: Target | None,
                 baseline: float | None = None) -> str:
    """The target in a few words, as the programme writes it: «≥ 98,0%», «11,8–12,0%»,
    «+25–35% so với 2025 (tăng tương đối)», «100,0% trong năm 2026»."""
    if target is None:
        return "Chưa có chỉ tiêu"
    v = lambda x: fmt.value(x, indicator.unit, indicator.decimals)  # noqa: E731
    if target.kind == "range":
        return f"{v(target.low)} – {v(target.high)}"
    if target.kind == "growth":
        low, high = float(target.low or 0), float(target.high or target.low or 0)
        if target.growth == "points":
            step = f"+{fmt.number(low * 100, 0)}–{fmt.number(high * 100, 0)} điểm %"
        else:
            step = f"+{fmt.number(low * 100, 0)}–{fmt.number(high * 100, 0)}%"
        base = (f" ({v(baseline)} → ≥ {v(growth_goal(target, baseline))})"
                if baseline is not None else "")
        return f"{step} so với {target.baseline_year}{base}"
    if target.kind == "deadline":
        due = target.due or dt.date(target.year, 12, 31)
        when = f"trong năm {due.year}" if (due.month, due.day) == (12, 31) else \
            f"trước {fmt.date(due)}"
        return f"{v(target.value)} {when}"
    if target.kind == "max" or indicator.direction == "lower":
        return f"≤ {v(target.value)}"
    return f"≥ {v(target.value)}"


def status_note(counts: dict[str, int]) -> str:
    """What a status chart leaves out (no data, no target), said in one line."""
    aside = [f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in
             (KHONG_CO_DU_LIEU, CHUA_CO_CHI_TIEU) if counts.get(s)]
    return ("Ngoài ra: " + "; ".join(aside) + ".") if aside else ""
