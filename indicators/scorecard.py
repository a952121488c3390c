"""The scorecard as a table for people: lagging first, grouped by the responsible unit. Every
cell is worded by ``indicators.present``; the typed figure rides along in ``_result`` so that
a page reads numbers from the figure, never back from the text."""

from __future__ import annotations

import pandas as pd

from core.periods import Period
from core.type_enums import Status
from indicators import present
from indicators.compute import Engine

# kept for the callers that colour a row by its status
STATUS_ICONS = {s.value: s.icon for s in Status}


def scorecard_table(
    engine: Engine, period: Period, commune: str | None, trend_months: int = 12
) -> pd.DataFrame:
    current = engine.scorecard(period, commune)
    previous = {r.id: r for r in engine.scorecard(period.previous(), commune)}
    rows = []
    for r in current:
        prev = previous.get(r.id)
        trend = engine.trend(r.id, period, commune, months=trend_months) if trend_months else None
        scale = 100.0 if r.unit == "percent" else 1.0
        rows.append(
            {
                "Trạng thái": f"{r.status.icon} {present.status(r)}",
                "Chỉ số": r.name,
                "Đơn vị chủ trì": r.responsible,
                "Giá trị": present.value(r),
                f"Mục tiêu {period.year}": present.target(r),
                "Tiến độ cần đạt": present.expected(r) or "—",
                "Căn cứ": r.target_source,
                "So với kỳ trước": present.delta(r, prev),
                "Tử số / mẫu số": present.fraction(r),
                # months without data are left out: a sparkline takes numbers only
                "Xu hướng 12 tháng": []
                if trend is None
                else [
                    round(float(v) * scale, 2) for v in trend["value"] if v is not None and v == v
                ],
                "_order": r.status.order,
                "_status": r.status.value,
                "_id": r.id,
                "_ten_ngan": r.short_name or r.name,
                "_delta": present.signed_delta(r, prev),
                "_inverse": r.direction == "lower",
                "_result": r,
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(["_order", "Đơn vị chủ trì"], kind="stable").reset_index(drop=True)


def counts_by_status(table: pd.DataFrame) -> dict[str, int]:
    return {str(k): int(v) for k, v in table["_status"].value_counts().items()}


def by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Per responsible unit: how many of its indicators lag, are close, on track, met."""
    order = [s.value for s in Status]
    counts = table.pivot_table(
        index="Đơn vị chủ trì", columns="_status", values="_id", aggfunc="count", fill_value=0
    ).reindex(columns=order, fill_value=0)
    counts = counts.sort_values(["cham", "gan_dat"], ascending=False)
    return counts.rename(columns={s.value: s.label for s in Status}).reset_index()
