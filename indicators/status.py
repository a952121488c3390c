"""An indicator's value against its target, as the programme writes it: the goal, the value
expected at the window's end, and the status (``core.type_enums.Status``).

- «Đạt» only when the goal itself is reached. A goal due later (a deadline, a level to reach
  by the year's end, a prorated count) that the value has not reached but whose path it keeps
  is «Đúng tiến độ».
- A path runs straight from its start (the previous year's last figure or an entered
  baseline, else the first figure at its own month, which is then on its path; 0 on 1 January
  when nothing is known) to the goal on the due date.
- A growth goal beyond what its unit allows (a rate over 100%) is judged against the cap, and
  the reading says so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import formatting as fmt
from core.type_enums import Status, TargetKind, Unit, assert_values_exhausted
from indicators.definitions import Indicator, Target

DEFAULT_BAND = 0.05  # five percentage points (doc §3)
EPS = 1e-12


@dataclass(frozen=True)
class PathStart:
    """Where a path begins: a day and the value on it."""

    day: dt.date
    value: float
    basis: str  # in words: «số cuối năm 2025», «số đầu tiên (tháng 03/2026)», «0 ngày 01/01»


@dataclass(frozen=True)
class Evaluation:
    goal: float | None  # the value the target asks for in the end (for a range, its low)
    expected: float | None  # the value the path asks for at the window's end
    status: Status
    note: str = ""  # said instead of the status label when it needs a year or a date
    reading: str = ""  # how the target was read where it needs saying (a cap, a path)
    due: dt.date | None = None  # the goal's date when it has a path


def has_path(indicator: Indicator, target: Target) -> bool:
    """Whether the target is a level reached over the year (a path to its due date) rather
    than a rate every period must show: deadlines, and minimums of a level that is measured
    at a date (hand-entered «tỷ lệ cán bộ được bồi dưỡng», «hệ thống được kiểm tra»)."""
    kind = TargetKind(target.kind)
    match kind:
        case TargetKind.DEADLINE:
            return True
        case TargetKind.MIN:
            return indicator.aggregation == "last" and indicator.direction == "higher"
        case TargetKind.MAX | TargetKind.RANGE | TargetKind.GROWTH:
            return False
        case _:
            assert_values_exhausted(kind)


def due_date(target: Target) -> dt.date:
    return target.due or dt.date(target.year, 12, 31)


def path_value(goal: float, due: dt.date, start: PathStart | None, at: dt.date, year: int) -> float:
    """The value a straight path from ``start`` to ``goal`` on ``due`` asks for at ``at``."""
    begin = start or PathStart(dt.date(year, 1, 1), 0.0, "")
    if at >= due:
        return goal
    if at <= begin.day or begin.value >= goal:
        return min(begin.value, goal)
    share = (at - begin.day).days / max((due - begin.day).days, 1)
    return begin.value + (goal - begin.value) * share


def _band(target: Target, indicator: Indicator, reference: float) -> float:
    if target.band is not None:
        return float(target.band)
    if (
        target.kind == TargetKind.RANGE
        and target.low is not None
        and target.high is not None
        and target.high > target.low
    ):
        # "gần đạt" within one width of the range below it: 11,81-12% tolerates 11,62%,
        # not 7% (a fixed five points would call 7% against 11,81% "almost")
        return float(target.high - target.low)
    return DEFAULT_BAND if indicator.unit == Unit.PERCENT else abs(reference) * DEFAULT_BAND


def growth_goal(target: Target, baseline: float, share: float = 1.0) -> float:
    """The value a growth target asks for: relative (the programme's "tăng 25%" of a rate
    read as 25% more than the baseline) or in percentage points, as the target says."""
    step = float(target.low or 0) * share
    return baseline + step if target.growth == "points" else baseline * (1 + step)


def cap(indicator: Indicator) -> float | None:
    """The most the unit allows: a rate cannot pass 100%."""
    return 1.0 if indicator.unit == Unit.PERCENT else None


def evaluate(
    indicator: Indicator,
    target: Target | None,
    value: float | None,
    at: dt.date,
    baseline: float | None = None,
    start: PathStart | None = None,
) -> Evaluation:
    """``at``: the window's last day with data; ``baseline``: a growth target's baseline-year
    value; ``start``: where a path begins (see ``PathStart``)."""
    if target is None:
        return Evaluation(
            None, None, Status.CHUA_CO_CHI_TIEU if value is not None else Status.KHONG_CO_DU_LIEU
        )
    kind = TargetKind(target.kind)
    fraction = min(max((at.month / 12) if at.year == target.year else 1.0, 0.0), 1.0)
    reading = ""
    due: dt.date | None = None
    match kind:
        case TargetKind.GROWTH:
            if baseline is None:
                return Evaluation(
                    None,
                    None,
                    Status.THIEU_SO_LIEU_GOC,
                    f"Thiếu số liệu năm {target.baseline_year}",
                )
            goal = growth_goal(target, baseline)
            expected = growth_goal(target, baseline, fraction if target.prorate else 1.0)
            top = cap(indicator)
            if top is not None and goal > top + EPS:
                reading = (
                    f"Tăng {_step(target)} so với {fmt.value(baseline, indicator.unit, 1)}"
                    f" năm {target.baseline_year} là "
                    f"{fmt.value(goal, indicator.unit, 1)}, vượt mức tối đa "
                    f"{fmt.exact(top, indicator.unit)}; xét theo mức "
                    f"{fmt.exact(top, indicator.unit)}."
                )
                goal, expected = top, min(expected, top)
        case TargetKind.RANGE:
            goal = expected = float(target.low or 0)
        case TargetKind.MIN | TargetKind.MAX | TargetKind.DEADLINE:
            goal = float(target.value or 0)
            if has_path(indicator, target):
                due = due_date(target)
                expected = path_value(goal, due, start, at, target.year)
                if at < due and start is not None and start.basis:
                    reading = (
                        f"Tiến độ cần đạt đến {at:%d/%m/%Y}: "
                        f"{fmt.value(expected, indicator.unit, 1)} (đường thẳng từ "
                        f"{start.basis} đến {fmt.exact(goal, indicator.unit)} ngày "
                        f"{due:%d/%m/%Y})."
                    )
            else:
                expected = goal * fraction if target.prorate else goal
        case _:
            assert_values_exhausted(kind)
    if value is None:
        return Evaluation(goal, expected, Status.KHONG_CO_DU_LIEU, reading=reading, due=due)
    lower = indicator.direction == "lower" or kind == TargetKind.MAX
    band = _band(target, indicator, expected)
    if lower:
        if value <= goal + EPS:
            status = Status.DAT
        elif value <= expected + EPS:
            status = Status.DUNG_TIEN_DO
        elif value <= expected + band + EPS:
            status = Status.GAN_DAT
        else:
            status = Status.CHAM
    else:
        if value >= goal - EPS:
            status = Status.DAT
        elif value >= expected - EPS:
            status = Status.DUNG_TIEN_DO
        elif value >= expected - band - EPS:
            status = Status.GAN_DAT
        else:
            status = Status.CHAM
    # past a deadline there is no "almost"
    if due is not None and kind == TargetKind.DEADLINE and at >= due and status == Status.GAN_DAT:
        status = Status.CHAM
    return Evaluation(goal, expected, status, reading=reading, due=due)


def _step(target: Target) -> str:
    low, high = float(target.low or 0), float(target.high or target.low or 0)
    unit = " điểm %" if target.growth == "points" else "%"
    if high > low:
        return f"{fmt.exact_number(low * 100)}–{fmt.exact_number(high * 100)}{unit}"
    return f"{fmt.exact_number(low * 100)}{unit}"


def target_label(indicator: Indicator, target: Target | None, baseline: float | None = None) -> str:
    """The target in a few words, with the programme's own decimals: «≥ 98%», «11,81% –
    12%», «tăng 25–35% so với 2025 (60% → ≥ 75%)», «100% trong năm 2026»."""
    if target is None:
        return Status.CHUA_CO_CHI_TIEU.label
    unit = indicator.unit

    def v(x: float | None) -> str:
        return fmt.exact(x, unit)

    kind = TargetKind(target.kind)
    match kind:
        case TargetKind.RANGE:
            return f"{v(target.low)} – {v(target.high)}"
        case TargetKind.GROWTH:
            # «tăng», not «+»: a cell starting with «+» would read as a formula in Excel
            step = f"tăng {_step(target)}"
            if baseline is None:
                return f"{step} so với {target.baseline_year}"
            goal = growth_goal(target, baseline)
            top = cap(indicator)
            shown = f"≥ {v(goal)}" if top is None or goal <= top + EPS else f"{v(top)} (mức tối đa)"
            return f"{step} so với {target.baseline_year} ({v(baseline)} → {shown})"
        case TargetKind.DEADLINE:
            due = due_date(target)
            when = (
                f"trong năm {due.year}"
                if (due.month, due.day) == (12, 31)
                else f"trước {fmt.date(due)}"
            )
            return f"{v(target.value)} {when}"
        case TargetKind.MAX:
            return f"≤ {v(target.value)}"
        case TargetKind.MIN:
            sign = "≤" if indicator.direction == "lower" else "≥"
            if has_path(indicator, target):
                return f"{sign} {v(target.value)} trong năm {target.year}"
            return f"{sign} {v(target.value)}"
        case _:
            assert_values_exhausted(kind)


def status_note(counts: dict[str, int]) -> str:
    """What a status chart leaves out (no data, no target, not updated), said in one line."""
    aside = [
        f"{counts[s]} {s.label.lower()}"
        for s in (Status.CHUA_CAP_NHAT, Status.KHONG_CO_DU_LIEU, Status.CHUA_CO_CHI_TIEU)
        if counts.get(s)
    ]
    return ("Ngoài ra: " + "; ".join(aside) + ".") if aside else ""


# the names other modules import; one vocabulary behind them (core.type_enums.Status)
DAT, GAN_DAT, CHAM = Status.DAT, Status.GAN_DAT, Status.CHAM
DUNG_TIEN_DO, CHUA_CAP_NHAT = Status.DUNG_TIEN_DO, Status.CHUA_CAP_NHAT
CHUA_CO_CHI_TIEU, KHONG_CO_DU_LIEU = Status.CHUA_CO_CHI_TIEU, Status.KHONG_CO_DU_LIEU
THIEU_GOC = Status.THIEU_SO_LIEU_GOC
STATUS_LABELS: dict[str, str] = {s.value: s.label for s in Status}
STATUS_ORDER: dict[str, int] = {s.value: s.order for s in Status}
