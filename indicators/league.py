"""Communes side by side for a province: each commune's scorecard in one long table, a league
table overall and per indicator, the communes that lag most, and roll-ups of groups of
communes. A roll-up adds numerators and denominators (Engine.compute_one over the group's
communes), never averages the communes' rates."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from core import formatting as fmt
from core.periods import Period
from indicators import present
from indicators.compute import Engine
from indicators.status import CHAM, DAT, DUNG_TIEN_DO, GAN_DAT, STATUS_LABELS

TARGETED = (DAT, DUNG_TIEN_DO, GAN_DAT, CHAM)
# how far a status counts toward the overall score: met or on its path 1, close ½, lagging 0
POINTS = {DAT: 1.0, DUNG_TIEN_DO: 1.0, GAN_DAT: 0.5, CHAM: 0.0}


def commune_results(engine: Engine, period: Period, communes: list[str]) -> pd.DataFrame:
    """One row per commune and scorecard indicator, with the previous period's value and
    status beside it."""
    rows = []
    previous = period.previous()
    inds = [i for i in engine.catalog.indicators.values() if i.in_scorecard]
    for commune in communes:
        for ind in inds:
            r = engine.compute_one(ind, period, [commune])
            p = engine.compute_one(ind, previous, [commune])
            rows.append(
                {
                    "xa": commune,
                    "id": ind.id,
                    "ten": ind.name,
                    "ten_ngan": ind.short_name,
                    "don_vi": ind.unit,
                    "huong": ind.direction,
                    "so_le": ind.decimals,
                    "gia_tri": r.value,
                    "muc_tieu": r.target,
                    "ky_vong": r.expected,
                    "nhan_muc_tieu": present.target(r),
                    "trang_thai": r.status,
                    "tu_so": r.numerator,
                    "mau_so": r.denominator,
                    "gia_tri_truoc": p.value,
                    "trang_thai_truoc": p.status,
                }
            )
    return pd.DataFrame(rows)


def _score(statuses: pd.Series) -> float | None:
    counted = statuses[statuses.isin(TARGETED)]
    if counted.empty:
        return None
    return float(counted.map(POINTS).mean())


def overall(results: pd.DataFrame) -> pd.DataFrame:
    """The league table: communes ranked by the share of their targeted indicators met
    (a close one counts half), with the counts behind it and the change since last period."""
    rows = []
    for commune, part in results.groupby("xa", sort=True):
        score, before = _score(part["trang_thai"]), _score(part["trang_thai_truoc"])
        rows.append(
            {
                "Xã": commune,
                "_diem": score,
                "Điểm": "—" if score is None else fmt.percent(score, 1),
                "Đạt": int((part["trang_thai"] == DAT).sum()),
                "Đúng tiến độ": int((part["trang_thai"] == DUNG_TIEN_DO).sum()),
                "Gần đạt": int((part["trang_thai"] == GAN_DAT).sum()),
                "Chậm": int((part["trang_thai"] == CHAM).sum()),
                "Có chỉ tiêu và số liệu": int(part["trang_thai"].isin(TARGETED).sum()),
                "So với kỳ trước": _points(score, before),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.sort_values(
        ["_diem", "Chậm", "Xã"], ascending=[False, True, True], na_position="last", kind="stable"
    )
    table.insert(0, "Hạng", _ranks(table["_diem"]))
    return table.drop(columns="_diem").reset_index(drop=True)


def for_indicator(results: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Communes ranked on one indicator: best first in the indicator's direction; communes
    without a figure last."""
    part = results[results["id"] == indicator_id].copy()
    if part.empty:
        return pd.DataFrame()
    first = part.iloc[0]
    lower_better = first["huong"] == "lower"
    part = part.sort_values(
        ["gia_tri", "xa"], ascending=[lower_better, True], na_position="last", kind="stable"
    )
    unit, decimals = first["don_vi"], int(first["so_le"])
    ranked = pd.DataFrame(
        {
            "Hạng": _ranks(part["gia_tri"]),
            "Xã": part["xa"],
            "Giá trị": [fmt.value(_num(v), unit, decimals) for v in part["gia_tri"]],
            "Mục tiêu": list(part["nhan_muc_tieu"]),
            "Trạng thái": [STATUS_LABELS[s] for s in part["trang_thai"]],
            "Tử số / mẫu số": [
                _fraction(n, d) for n, d in zip(part["tu_so"], part["mau_so"], strict=True)
            ],
            "So với kỳ trước": [
                _change(_num(v), _num(p), unit, decimals)
                for v, p in zip(part["gia_tri"], part["gia_tri_truoc"], strict=True)
            ],
        }
    )
    return ranked.reset_index(drop=True)


def laggards(results: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """For each indicator some commune lags on: how many lag, and the ones furthest behind
    what is expected by now."""
    rows = []
    lagging = results[results["trang_thai"] == CHAM]
    for ind_id, part in lagging.groupby("id", sort=False):
        first = part.iloc[0]
        sign = -1.0 if first["huong"] == "lower" else 1.0
        reference = part["ky_vong"].fillna(part["muc_tieu"])
        gap = (part["gia_tri"] - reference) * sign  # most negative: furthest behind
        worst = part.assign(_gap=gap).sort_values(["_gap", "xa"]).head(top)
        unit, decimals = first["don_vi"], int(first["so_le"])
        rows.append(
            {
                "Chỉ số": first["ten"],
                "_id": ind_id,
                "Số xã chậm": len(part),
                "Xã chậm nhất": "; ".join(
                    f"{r.xa} ({fmt.value(_num(r.gia_tri), unit, decimals)})"
                    for r in worst.itertuples()
                ),
            }
        )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values(["Số xã chậm", "Chỉ số"], ascending=[False, True]).reset_index(
        drop=True
    )


def heat(results: pd.DataFrame) -> pd.DataFrame:
    """Communes × indicators, each cell the status as a number (lagging 0, close 1, met 2;
    empty without a target or a figure), for a heat map."""
    code = {CHAM: 0, GAN_DAT: 1, DUNG_TIEN_DO: 2, DAT: 2}
    cells = results.assign(_code=results["trang_thai"].map(code))
    grid = cells.pivot_table(
        index="xa", columns="ten_ngan", values="_code", aggfunc="first", sort=False
    )
    order = list(dict.fromkeys(results["ten_ngan"]))
    return grid.reindex(columns=[c for c in order if c in grid.columns]).sort_index()


def rollup(
    engine: Engine, period: Period, groups: Mapping[str, list[str]], indicator_id: str
) -> pd.DataFrame:
    """One indicator for each group of communes (a cluster, a province): numerators and
    denominators added over the group's communes."""
    ind = engine.catalog.indicators[indicator_id]
    rows = []
    for name, communes in groups.items():
        if not communes:
            continue
        r = engine.compute_one(ind, period, sorted(communes))
        rows.append(
            {
                "Nhóm": name,
                "Số xã": len(communes),
                "Giá trị": present.value(r),
                "Mục tiêu": present.target(r),
                "Trạng thái": present.status(r),
                "Tử số / mẫu số": present.fraction(r),
                "_value": r.value,
            }
        )
    return pd.DataFrame(rows)


def _ranks(values: pd.Series) -> list[str]:
    """1, 2, 2, 4 ... in the order given (ties share a rank); no rank without a value."""
    out: list[str] = []
    last = None
    rank = 0
    for i, v in enumerate(values, start=1):
        if v is None or pd.isna(v):
            out.append("—")
            continue
        if v != last:
            rank, last = i, v
        out.append(str(rank))
    return out


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def _fraction(n: object, d: object) -> str:
    n, d = _num(n), _num(d)
    if n is None:
        return "—"
    return fmt.number(n) if d is None else f"{fmt.number(n)} / {fmt.number(d)}"


def _points(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "—"
    diff = (now - before) * 100
    if abs(diff) < 0.05:
        return "■ 0,0 điểm"
    return f"{'▲' if diff > 0 else '▼'} {fmt.number(abs(diff), 1)} điểm"


def _change(now: float | None, before: float | None, unit: str, decimals: int) -> str:
    if now is None or before is None:
        return "—"
    diff = now - before
    scale, suffix = (100.0, " điểm %") if unit == "percent" else (1.0, "")
    shown = fmt.number(abs(diff) * scale, 1 if unit == "percent" else decimals)
    if shown.strip("0,") == "":
        return f"■ 0{suffix}"
    return f"{'▲' if diff > 0 else '▼'} {shown}{suffix}"
