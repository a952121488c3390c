"""One indicator in depth: its value, the trend, the breakdowns and the figures as Excel."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import formatting as fmt
from core.periods import Period
from indicators.breakdowns import DIMENSIONS
from indicators.compute import Engine, Result
from indicators.definitions import Indicator, Target


@dataclass
class Detail:
    indicator: Indicator
    period: Period
    commune: str | None
    result: Result
    previous: Result
    trend: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    target_text: str


def detail(engine: Engine, indicator_id: str, period: Period, commune: str | None) -> Detail:
    ind = engine.catalog.indicators[indicator_id]
    communes = [commune] if commune else engine.communes()
    result = engine.compute_one(ind, period, communes)
    previous = engine.compute_one(ind, period.previous(), communes)
    trend = engine.trend(indicator_id, period, commune)
    parts = {by: engine.breakdown(indicator_id, period, by, commune) for by in DIMENSIONS}
    target = engine.catalog.target_for(ind.id, period.year, commune)
    return Detail(ind, period, commune, result, previous, trend, parts, target_text(ind, target))


def target_text(ind: Indicator, target: Target | None) -> str:
    if target is None:
        return "Chương trình năm 2026 không đặt chỉ tiêu bằng số cho chỉ số này."

    def v(x: float | None) -> str:
        return fmt.exact(x, ind.unit)

    if target.kind == "range":
        text = f"từ {v(target.low)} đến {v(target.high)}"
    elif target.kind == "growth":
        text = (
            f"tăng {fmt.exact(target.low, 'percent')} đến "
            f"{fmt.exact(target.high or target.low, 'percent')} so với năm "
            f"{target.baseline_year}"
        )
    elif target.kind == "max":
        text = f"không quá {v(target.value)}"
    elif target.kind == "deadline":
        text = f"{v(target.value)} trước ngày {fmt.date(target.due)}"
    else:
        text = f"tối thiểu {v(target.value)}"
    if target.prorate:
        text += " (tiến độ chia đều theo tháng)"
    return f"Chỉ tiêu {target.year}: {text} — {target.document}, {target.source}."
