"""The scorecard as a table for people: lagging first, grouped by the responsible unit."""

from __future__ import annotations

import pandas as pd

from core import formatting as fmt
from core.periods import Period
from indicators.compute import Engine, Result
from indicators.status import STATUS_LABELS, STATUS_ORDER


def scorecard_table(engine: Engine, period: Period, commune: str | None,
                    trend_months: int = 12) -> pd.DataFrame:
    current = engine.scorecard(period, commune)
    previous = {r.id: r for r in engine.scorecard(period.previous(), commune)}
    rows = []
    for r in current:
        prev = previous.get(r.id)
        trend = engine.trend(r.id, period, commune, months=trend_months) if trend_months else None
        scale = 100.0 if r.unit == "percent" else 1.0
        rows.append({
            "Trạng thái": f"{STATUS_ICONS[r.status]} {r.note or STATUS_LABELS[r.status]}",
            "Chỉ số": r.name,
            "Đơn vị chủ trì": r.responsible,
            "Giá trị": shown_value(r, period),
            "Mục tiêu 2026": r.target_label or fmt.value(r.target, r.unit, r.decimals),
            "Căn cứ": r.target_source,
            "So với kỳ trước": _delta(r, prev),
            "Tử số / mẫu số": _fraction(r),
            # months without data are left out: a sparkline takes numbers only
            "Xu hướng 12 tháng": [] if trend is None else
            [round(float(v) * scale, 2) for v in trend["value"] if v is not None and v == v],
            "_order": STATUS_ORDER[r.status],
            "_status": r.status,
            "_id": r.id,
            "_ten_ngan": r.short_name or r.name,
            "_delta": signed_delta(r, prev),
            "_inverse": r.direction == "lower",
        })
    table = pd.DataFrame(rows)
    return table.sort_values(["_order", "Đơn vị chủ trì"], kind="stable").reset_index(drop=True)


STATUS_ICONS = {"cham": "🔴", "gan_dat": "🟡", "dat": "🟢", "chua_co_chi_tieu": "⚪",
                "khong_co_du_lieu": "◻️", "thieu_so_lieu_goc": "🟠"}


def shown_value(r: Result, period: Period) -> str:
    """The value; a hand-entered figure from an earlier month says which («86,5% (tháng
    04/2026)»): it is not a measurement of this period."""
    text = fmt.value(r.value, r.unit, r.decimals)
    m = r.figure_month
    if m is not None and (m.year, m.month) != (period.end.year, period.end.month):
        text += f" (tháng {m:%m/%Y})"
    return text


def _same_figure(r: Result, prev: Result | None) -> bool:
    """Both periods show one hand-entered figure: nothing changed, nothing to compare."""
    return prev is not None and r.figure_month is not None \
        and r.figure_month == prev.figure_month


def signed_delta(r: Result, prev: Result | None) -> str | None:
    """ "+1,2 điểm %" or "-35": the form st.metric colours by its sign."""
    if prev is None or r.value is None or prev.value is None or _same_figure(r, prev):
        return None
    diff = r.value - prev.value
    step = abs(diff) * 100 if r.unit == "percent" else abs(diff)
    if round(step, 1 if r.unit == "percent" else r.decimals) == 0:
        return None  # «-0,0 điểm %» in red would announce a fall that did not happen
    sign = "+" if diff >= 0 else "-"
    if r.unit == "percent":
        return f"{sign}{fmt.number(abs(diff) * 100, 1)} điểm %"
    return f"{sign}{fmt.number(abs(diff), r.decimals)}"


def _delta(r: Result, prev: Result | None) -> str:
    if prev is None or r.value is None or prev.value is None or _same_figure(r, prev):
        return "—"
    diff = r.value - prev.value
    step = abs(diff) * 100 if r.unit == "percent" else abs(diff)
    if round(step, 1 if r.unit == "percent" else r.decimals) == 0:
        diff = 0.0
    arrow = "▲" if diff > 0 else ("▼" if diff < 0 else "■")
    if r.unit == "percent":
        return f"{arrow} {fmt.number(abs(diff) * 100, 1)} điểm %"
    return f"{arrow} {fmt.number(abs(diff), r.decimals)}"


def _fraction(r: Result) -> str:
    if r.denominator is None:
        return fmt.number(r.numerator) if r.numerator is not None else "—"
    return f"{fmt.number(r.numerator)} / {fmt.number(r.denominator)}"


def counts_by_status(table: pd.DataFrame) -> dict[str, int]:
    return table["_status"].value_counts().to_dict()


def by_unit(table: pd.DataFrame) -> pd.DataFrame:
    """Per responsible unit: how many of its indicators lag, are close, are met."""
    counts = (table.pivot_table(index="Đơn vị chủ trì", columns="_status", values="_id",
                                aggfunc="count", fill_value=0)
              .reindex(columns=["cham", "gan_dat", "dat", "thieu_so_lieu_goc",
                                "khong_co_du_lieu", "chua_co_chi_tieu"], fill_value=0))
    counts = counts.sort_values(["cham", "gan_dat"], ascending=False)
    return counts.rename(columns=STATUS_LABELS).reset_index()
